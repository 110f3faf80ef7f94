/**
 * How fast the bundled server refuses a file that is not UTF-8: a
 * Windows-1256 copy of the sample article, opened as VS Code sends it (decoded
 * as UTF-8, full of U+FFFD) into a workspace of 300 other articles whose
 * start-up scan is running. Time from didOpen to the refusal's diagnostic,
 * median of 3. Prints figures; asserts nothing. Needs `npm run build` first.
 *
 *   --baseline FILE   also measure another build of the server in the same run, with the ratio
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, open, SAMPLE, SERVER, startServer } from '../test/protocol/lspClient';

const ARTICLE = fs.readFileSync(SAMPLE, 'utf8');

/** The article in Windows-1256, from the inverse of Node's decoder table. */
function cp1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const c = decoder.decode(new Uint8Array([b]));
    if (!table.has(c)) table.set(c, b);
  }
  return Buffer.from([...text].map((c) => table.get(c) ?? 0x3f));
}

async function once(server: string, bytes: Buffer): Promise<{ ms: number; message: string }> {
  const files: Record<string, string | Buffer> = { 'legacy.txt': bytes };
  for (let i = 0; i < 300; i++) files[`c${i}.txt`] = ARTICLE.replace(/\d/g, String(i % 10));
  const folder = makeWorkspace(files);
  const s = await startServer(folder, {}, { server });
  try {
    const t0 = performance.now();
    const uri = await open(s, path.join(folder, 'legacy.txt'), new TextDecoder().decode(bytes));
    const d = await s.waitForDiagnostics(uri, () => true, 300_000);
    return { ms: performance.now() - t0, message: String(d[0]?.message ?? '') };
  } finally {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function median(server: string, bytes: Buffer): Promise<{ ms: number; message: string }> {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await once(server, bytes));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[1];
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--baseline');
  const baseline = i > 0 ? path.resolve(process.argv[i + 1]) : undefined;
  const bytes = cp1256(ARTICLE);
  const now = await median(SERVER, bytes);
  console.log(`refusal of a Windows-1256 file during the start-up scan (300 documents): didOpen → diagnostic ${now.ms.toFixed(0)} ms (median of 3)`);
  console.log(`  "${now.message.slice(0, 120)}…"`);
  if (baseline) {
    const before = await median(baseline, bytes);
    console.log(`  baseline: ${before.ms.toFixed(0)} ms — "${before.message.slice(0, 80)}…"; ratio ×${(before.ms / now.ms).toFixed(0)}`);
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
