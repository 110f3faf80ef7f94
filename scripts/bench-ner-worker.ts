/**
 * One measurement of the entity tagger and of the full analysis, for bench-ner.ts, run
 * in a fresh process against the source tree given by --root (this checkout, or an
 * older commit extracted by bench-ner.ts): prints one JSON line of figures.
 *   node --import tsx scripts/bench-ner-worker.ts --root DIR --texts DIR
 * Only the API both trees share is used (detectEntities, loadModel, detectAll, tokenize).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: { root: { type: 'string' }, texts: { type: 'string' } }, strict: true });
if (!opt.root || !opt.texts) throw new Error('usage: bench-ner-worker.ts --root DIR --texts DIR');
const src = path.join(path.resolve(opt.root), 'server/src/core');
/* eslint-disable @typescript-eslint/no-require-imports */
const entities = require(path.join(src, 'detect/entities/index')) as typeof import('../server/src/core/detect/entities/index');
const analyze = require(path.join(src, 'analyze')) as typeof import('../server/src/core/analyze');
const { tokenize } = require(path.join(src, 'text/tokenize')) as typeof import('../server/src/core/text/tokenize');

const texts = fs
  .readdirSync(opt.texts)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => fs.readFileSync(path.join(opt.texts!, f), 'utf8'));

const heap0 = process.memoryUsage().heapUsed;
let t0 = performance.now();
entities.loadModel();
const loadMs = performance.now() - t0;
const modelHeapMB = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
t0 = performance.now();
entities.detectEntities('بدأ الرئيس جولة في القاهرة.'); // first call: gazetteer, lexicon, clusters, JIT
const firstCallMs = performance.now() - t0;

const tokens = texts.reduce((n, t) => n + tokenize(t).length, 0);
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
for (const t of texts.slice(0, 20)) entities.detectEntities(t); // warm-up
t0 = performance.now();
let found = 0;
for (const t of texts) found += entities.detectEntities(t).length;
const corpusMs = performance.now() - t0;

// 10 KB articles: consecutive documents joined up to 10,240 bytes, five distinct ones taken
// in turn (the detector keeps the last text's analysis: one article over and over would time
// that cache, as this script did until 2026-12-02).
const articles: string[] = [];
let article = '';
for (const t of texts) {
  if (article && Buffer.byteLength(article + t) > 10240) {
    articles.push(article);
    if (articles.length === 5) break;
    article = '';
  }
  article += t + '\n\n';
}
let turn = 0;
const nextArticle = () => articles[turn++ % articles.length]!;
const articleBytes = articles.reduce((n, a) => n + Buffer.byteLength(a), 0) / articles.length;
/**
 * Ten batches of ten: the median batch (a shared machine's other tenants and the
 * garbage collector land in some batches, never in all).
 */
function median10x10(fn: () => void): number {
  const batches: number[] = [];
  for (let b = 0; b < 10; b++) {
    const t1 = performance.now();
    for (let r = 0; r < 10; r++) fn();
    batches.push((performance.now() - t1) / 10);
  }
  batches.sort((x, y) => x - y);
  return (batches[4] + batches[5]) / 2;
}
// Per 10,240 bytes, from the mean article size.
const articleEntitiesMs = (median10x10(() => entities.detectEntities(nextArticle())) * 10240) / articleBytes;
const articleFullMs = (median10x10(() => analyze.detectAll(nextArticle())) * 10240) / articleBytes;

console.log(
  JSON.stringify({
    loadMs,
    modelHeapMB,
    firstCallMs,
    tokensPerSecond: (tokens / corpusMs) * 1000,
    mbPerSecond: (bytes / 1024 / 1024 / corpusMs) * 1000,
    entitiesPerCorpus: found,
    articleBytes,
    articleEntitiesMs,
    articleFullMs,
  }),
);
