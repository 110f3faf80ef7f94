/**
 * Does a document's analysis depend on the documents analysed before it? The detectors keep
 * per-word answers across documents (word types, feature scores, dictionary answers): a cache
 * keyed by less than what decides its answer makes the first document to meet a word decide
 * it for the others, and a scan, `--jobs 1` and `--jobs 2` or two Dask partitions then
 * disagree. This runs both detectors over the text files of a folder in two processes, one in
 * file order and one in reverse, and compares every document's result. Prints what differs;
 * exits 1 if anything does.
 *
 *   node --import tsx scripts/check-order.ts <folder> [--limit N]
 *
 * Found this way (2026-12-04, 3,000 documents of Arabic Wikipedia): a symbol and a number that
 * fold alike shared their scores (pipeline.ts scoreSlot).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { detectAll } from '../server/src/core/analyze';
import { listTextFiles } from '../server/src/host/corpus';

const { values, positionals } = parseArgs({ options: { limit: { type: 'string' }, pass: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true, strict: true });
const dir = positionals[0];
if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error('usage: check-order.ts <folder> [--limit N]');

// The files the server and the CLI would read in that folder, in their order.
const files = listTextFiles([dir], ['.txt'], values.limit ? Number(values.limit) : Infinity);

if (values.pass) {
  // One pass, in a process of its own: every document's result, one line each, by file index.
  const order = files.map((_, i) => i);
  if (values.pass === 'reverse') order.reverse();
  const lines: string[] = new Array(files.length);
  for (const i of order) lines[i] = JSON.stringify(detectAll(fs.readFileSync(files[i]!, 'utf8')));
  fs.writeFileSync(values.out!, lines.join('\n'));
} else {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-order-'));
  try {
    const outs = ['forward', 'reverse'].map((pass) => {
      const out = path.join(tmp, pass);
      const args = ['--import', 'tsx', __filename, dir, '--pass', pass, '--out', out, ...(values.limit ? ['--limit', values.limit] : [])];
      const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`the ${pass} pass failed`);
      return fs.readFileSync(out, 'utf8').split('\n');
    });
    const differ = files.filter((_, i) => outs[0]![i] !== outs[1]![i]);
    console.log(`${files.length} documents analysed in file order and in reverse, each order in a fresh process: ${differ.length} differ`);
    for (const f of differ.slice(0, 20)) console.log(`  ${f}`);
    process.exitCode = differ.length ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
