/**
 * End-to-end latency of the bundled language server: from didOpen/didChange
 * to the diagnostics it publishes, over a real stdio LSP connection.
 * Prints medians; needs `npm run build` first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, open, SAMPLE, startServer, uriOf } from '../test/protocol/lspClient';

async function main(): Promise<void> {
  const sample = fs.readFileSync(SAMPLE, 'utf8');
  // A ~10 KB article: the sample's article paragraphs repeated with varied numbers.
  const body = sample.split('\n').slice(0, 25).join('\n');
  let article = '';
  for (let i = 0; article.length < 10_000; i++) article += body.replace(/12/g, String(100 + i)) + '\n\n';
  const files: Record<string, string> = {};
  const N = 40;
  for (let i = 0; i < N; i++) files[`a${i}.txt`] = article.replace(/إيران/g, i % 2 ? 'إيران' : 'ايران');
  const folder = makeWorkspace(files);
  const s = await startServer(folder);
  const openMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const file = path.join(folder, `a${i}.txt`);
    const t0 = performance.now();
    const uri = await open(s, file);
    await s.waitForDiagnostics(uri, () => true, 60_000);
    openMs.push(performance.now() - t0);
  }
  const editMs: number[] = [];
  const uri = uriOf(path.join(folder, 'a0.txt'));
  for (let v = 2; v < 2 + N; v++) {
    const before = s.diagnostics.get(uri);
    const t0 = performance.now();
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ا' }],
    });
    await s.waitForDiagnostics(uri, () => s.diagnostics.get(uri) !== before, 60_000);
    editMs.push(performance.now() - t0 - 200); // minus the typing debounce
  }
  await s.close();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const scan = await scanCorpus(article, 2000);
  console.log(`server: ${(article.length / 1024).toFixed(1)} KB article, ${N} documents`);
  console.log(`  didOpen → diagnostics:   median ${med(openMs).toFixed(1)} ms (first ${openMs[0].toFixed(1)} ms, includes model load)`);
  console.log(`  didChange → diagnostics: median ${med(editMs).toFixed(1)} ms after the 200 ms debounce`);
  console.log(`  start-up scan of ${scan.files} documents (${scan.mb.toFixed(1)} MB): ${(scan.ms / 1000).toFixed(1)} s → ${(scan.files / (scan.ms / 1000)).toFixed(0)} docs/s`);
}

/** Start-up indexing of a corpus: time until the Entities request (which waits for the scan) answers. */
async function scanCorpus(article: string, n: number): Promise<{ files: number; mb: number; ms: number }> {
  const files: Record<string, string> = {};
  const paragraphs = article.split('\n\n');
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    // Different documents: rotate and drop paragraphs, vary numbers.
    const k = i % paragraphs.length;
    const doc = [...paragraphs.slice(k), ...paragraphs.slice(0, k)].filter((_, j) => (i + j) % 3 !== 0).join('\n\n').replace(/\d+/g, String(i));
    files[`c${i}.txt`] = doc;
    bytes += Buffer.byteLength(doc);
  }
  const folder = makeWorkspace(files);
  const t0 = performance.now();
  const s = await startServer(folder);
  await s.connection.sendRequest('newsAnnotator/workspaceEntities', {});
  const ms = performance.now() - t0;
  await s.close();
  return { files: n, mb: bytes / 1048576, ms };
}

void main();
