/**
 * The heap the detectors' data take in one thread (the server's, and each analysis worker's):
 * heap used after garbage collection, before and after analysing an Arabic and an English
 * article (which loads the Arabic and English models, lexicon, gazetteers, clusters and cue
 * lists). Prints the figure; asserts nothing.
 *
 *   node --expose-gc --import tsx scripts/bench-detector-memory.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectAll } from '../server/src/core/analyze';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'workspace', name), 'utf8');
gc();
// Typed arrays keep their contents outside the heap (the packed word lists, the model's weights): counted too.
const used = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
};
const before = used();
detectAll(fixture('000_f74c9c0780b14a3d.txt'));
detectAll(fixture('002_border_talks_en.txt'));
gc();
const after = used();
const mb = (n: number) => (n / 2 ** 20).toFixed(1);
const heap = after.heap - before.heap;
const buffers = after.buffers - before.buffers;
console.log(
  `memory taken by the detectors' data (Arabic and English): ${mb(heap + buffers)} MB (${mb(heap)} MB of heap, ${mb(buffers)} MB of typed arrays); process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
);
