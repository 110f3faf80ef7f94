/**
 * Large sidecars through the bundled language server (`node dist/server.js
 * --stdio`, driven like any editor): the time from didOpen to the first
 * diagnostics, and the time of an accept (executeCommand → sidecar written
 * → answer), for a generated 200,000-annotation sidecar (~90 MB) on a
 * ~1.2 MB document, and for the same document with 1,000 accepted
 * annotations. Also the time until the document's diagnostics are published
 * again (tens of thousands of suggestions on such a document: megabytes of
 * JSON). Prints figures; asserts nothing. Needs `npm run build` first.
 *
 *   --count N            the large count (default 200,000)
 *   --baseline FILE      also measure another build of the server (e.g. one of
 *                        main) in the same run and print the ratios
 *   --sizes a,b          only these counts (default 0,1000,<count>; 0 is the floor:
 *                        the same document with an empty sidecar, i.e. what the
 *                        detectors alone cost)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from '../server/src/protocol';
import { bigDocument, writeBigFixture } from '../test/reliability/bigSidecar';
import { open, SERVER, startServer, type Session } from '../test/protocol/lspClient';

interface Figures {
  count: number;
  sidecarMB: number;
  /** didOpen → the first diagnostics (a long document is published with its stored annotations before the detectors run). */
  openMs: number;
  /** didOpen → the detectors' suggestions published (the next publication). */
  suggestedMs: number;
  /** executeCommand accept → its answer (the sidecar is written by then). */
  acceptMs: number[];
  /** executeCommand accept → the next diagnostics of the document (the accepted span no longer suggested). */
  republishMs: number[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * Waits until the server is idle: no diagnostics published for `uri` for
 * `quietMs` (longer than the pause after which the detectors run again after
 * a decision, and the journal is folded into the sidecar), or `ms` in all.
 */
async function settle(s: Session, uri: string, ms: number, quietMs = 7000): Promise<void> {
  const t0 = Date.now();
  let last = s.diagnostics.get(uri);
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 50));
    const now = s.diagnostics.get(uri);
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

async function measure(server: string, text: string, count: number): Promise<Figures> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-bench-sidecar-'));
  const { sidecarBytes } = writeBigFixture(folder, 'big.txt', text, count);
  const file = path.join(folder, 'big.txt');
  const s = await startServer(folder, {}, { server });
  try {
    const t0 = performance.now();
    const uri = await open(s, file, text);
    await s.waitForDiagnostics(uri, () => true, 1_800_000);
    const openMs = performance.now() - t0;
    const first = s.diagnostics.get(uri);
    while (s.diagnostics.get(uri) === first && performance.now() - t0 < 1_800_000) await new Promise((r) => setTimeout(r, 5));
    const suggestedMs = performance.now() - t0;
    // Three accepts on words far apart (10 %, 50 %, 90 % into the text), each on an idle server.
    const acceptMs: number[] = [];
    const republishMs: number[] = [];
    const cps = [...text];
    for (const frac of [0.1, 0.5, 0.9]) {
      await settle(s, uri, 120_000);
      let start = Math.floor(cps.length * frac);
      while (start < cps.length && /\s/u.test(cps[start])) start++;
      while (start > 0 && !/\s/u.test(cps[start - 1])) start--;
      let end = start;
      while (end < cps.length && !/\s/u.test(cps[end])) end++;
      const before = s.diagnostics.get(uri);
      const t1 = performance.now();
      await s.connection.sendRequest('workspace/executeCommand', {
        command: Command.accept,
        arguments: [{ uri, kind: 'entity', label: 'PER', start, end, text: cps.slice(start, end).join('') }],
      });
      acceptMs.push(performance.now() - t1);
      while (s.diagnostics.get(uri) === before && performance.now() - t1 < 600_000) await new Promise((r) => setTimeout(r, 5));
      republishMs.push(performance.now() - t1);
    }
    return { count, sidecarMB: sidecarBytes / 1048576, openMs, suggestedMs, acceptMs, republishMs };
  } finally {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function line(label: string, f: Figures): string {
  return (
    `  ${label}${f.count.toLocaleString('en')} annotations (sidecar ${f.sidecarMB.toFixed(1)} MB): didOpen → first diagnostics (stored annotations) ${(f.openMs / 1000).toFixed(1)} s, ` +
    `→ suggestions ${(f.suggestedMs / 1000).toFixed(1)} s; ` +
    `accept → answered (written) ${f.acceptMs.map((ms) => `${ms.toFixed(0)}`).join(', ')} ms (median ${median(f.acceptMs).toFixed(0)} ms); ` +
    `→ diagnostics republished ${f.republishMs.map((ms) => `${ms.toFixed(0)}`).join(', ')} ms`
  );
}

async function main(): Promise<void> {
  const big = Number(arg('--count') ?? 200_000);
  const sizes = (arg('--sizes') ?? `0,1000,${big}`).split(',').map(Number);
  let floor: Figures | undefined;
  const baseline = arg('--baseline');
  const text = bigDocument();
  console.log(`document: ${(Buffer.byteLength(text) / 1048576).toFixed(2)} MB (${[...text].length.toLocaleString('en')} code points)`);
  for (const count of sizes) {
    const now = await measure(SERVER, text, count);
    console.log(line(baseline ? 'this build, ' : '', now));
    if (count === 0) floor = now;
    else if (floor)
      console.log(
        `  the sidecar's own cost over the same document without annotations: first diagnostics +${((now.openMs - floor.openMs) / 1000).toFixed(1)} s, ` +
          `suggestions +${((now.suggestedMs - floor.suggestedMs) / 1000).toFixed(1)} s (×${(now.suggestedMs / floor.suggestedMs).toFixed(2)})`,
      );
    if (baseline) {
      const before = await measure(path.resolve(baseline), text, count);
      console.log(line('baseline,   ', before));
      console.log(`  ratio baseline / this build: open ×${(before.openMs / now.openMs).toFixed(1)}, accept ×${(median(before.acceptMs) / median(now.acceptMs)).toFixed(1)}`);
    }
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
