/**
 * Entity tagging throughput: model load time and memory, tokens/s, MB/s and
 * ms per 10 KB of Arabic news text (ANERcorp dev documents, or any folder of
 * .txt files given as argument). Prints figures only.
 *   node --import tsx scripts/bench-ner.ts [dir]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectEntities, loadModel } from '../server/src/core/detect/entities/index';
import { arabicLexicon } from '../server/src/core/text/lexicon';
import { tokenize } from '../server/src/core/text/tokenize';

const root = path.resolve(__dirname, '..');
const dir = process.argv[2] ?? path.resolve(root, '../shared/eval/ner-dev');
const texts = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

const heap0 = process.memoryUsage().heapUsed;
let t0 = performance.now();
loadModel();
const loadMs = performance.now() - t0;
const heapModel = process.memoryUsage().heapUsed - heap0;
t0 = performance.now();
arabicLexicon();
const lexMs = performance.now() - t0;
const heapLex = process.memoryUsage().heapUsed - heap0 - heapModel;
t0 = performance.now();
detectEntities('بدأ الرئيس جولة في القاهرة.'); // first call: gazetteer build, JIT warm-up
const firstMs = performance.now() - t0;

const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const tokens = texts.reduce((n, t) => n + tokenize(t).length, 0);
for (const t of texts.slice(0, 20)) detectEntities(t); // warm-up
const rounds = 3;
t0 = performance.now();
let found = 0;
for (let r = 0; r < rounds; r++) for (const t of texts) found += detectEntities(t).length;
const ms = (performance.now() - t0) / rounds;

// A 10 KB article: consecutive documents joined up to 10,240 bytes.
let article = '';
for (const t of texts) {
  if (Buffer.byteLength(article + t) > 10240) break;
  article += t + '\n\n';
}
// Ten batches of ten: the median batch and the best one (a shared machine's other
// tenants and the garbage collector land in some batches, never in all).
const batches: number[] = [];
for (let b = 0; b < 10; b++) {
  t0 = performance.now();
  for (let r = 0; r < 10; r++) detectEntities(article);
  batches.push((performance.now() - t0) / 10);
}
batches.sort((x, y) => x - y);
const per10k = (batches[4] + batches[5]) / 2;

const mb = bytes / 1024 / 1024;
console.log(`texts: ${texts.length} documents, ${mb.toFixed(2)} MB UTF-8, ${tokens} tokens, ${found / rounds} entities`);
console.log(`model load: ${loadMs.toFixed(0)} ms, heap +${(heapModel / 1024 / 1024).toFixed(1)} MB; lexicon load: ${lexMs.toFixed(0)} ms, heap +${(heapLex / 1024 / 1024).toFixed(1)} MB; first call (gazetteer build): ${firstMs.toFixed(0)} ms`);
console.log(`throughput: ${((tokens / ms) * 1000).toFixed(0)} tokens/s, ${((mb / ms) * 1000).toFixed(2)} MB/s`);
console.log(`10 KB article (${Buffer.byteLength(article)} bytes, ${tokenize(article).length} tokens): ${per10k.toFixed(2)} ms median, ${batches[0].toFixed(2)} ms best (10 batches of 10)`);
console.log(`heap after: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)} MB`);
