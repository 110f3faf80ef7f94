/**
 * One measurement of bench-fresh.ts, in a process of its own: bundled by it with the detectors
 * of one checkout (this file is copied into the other), with that checkout's collector settings,
 * it warms them up on the texts, then
 * times `--calls` calls taken in turn over them and prints one JSON line: ms per 10 KiB of text.
 *   node <bundle> --what WHAT --texts FILE [--calls N]
 * WHAT: full (entities + boilerplate), entities, boilerplate, english (the English tagger's
 * pass alone). FILE: a JSON array of texts.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { detectAll } from '../server/src/core/analyze';
import { detectBoilerplate } from '../server/src/core/detect/boilerplate';
import { detectEntities } from '../server/src/core/detect/entities';
import { detectEnglish } from '../server/src/core/detect/entities/english';
import { tokenize } from '../server/src/core/text/tokenize';

// V8's collector settings of the checkout measured, as its server and CLI set them at their
// start (host/heapGrowth.ts: the heap growth, and from fb9531b no pretenuring, which alone
// changes the full analysis by a fifth). A checkout from before c6805c1 has no heapGrowth.ts:
// V8's defaults then, as its server had (esbuild leaves a require it cannot resolve inside a
// try block to fail at run time).
try {
  const collector = require('../server/src/host/heapGrowth') as { tuneCollector?: () => void; limitHeapGrowth?: () => void };
  (collector.tuneCollector ?? collector.limitHeapGrowth)?.();
} catch {
  // V8's defaults.
}

const { values } = parseArgs({ options: { what: { type: 'string' }, texts: { type: 'string' }, calls: { type: 'string', default: '500' } }, strict: true });
const texts = JSON.parse(fs.readFileSync(values.texts!, 'utf8')) as string[];

function detector(what: string): (t: string) => unknown {
  if (what === 'full') return (t) => detectAll(t);
  if (what === 'entities') return (t) => detectEntities(t);
  if (what === 'boilerplate') return (t) => detectBoilerplate(t);
  if (what === 'english') {
    const tokens = new Map(texts.map((t) => [t, tokenize(t)]));
    return (t) => detectEnglish(t, tokens.get(t)!);
  }
  throw new Error(`--what: full, entities, boilerplate or english, not ${what}`);
}

const fn = detector(values.what!);
// Warm-up: the JIT, the models and word lists, the caches kept across documents.
for (let i = 0; i < 20; i++) for (const t of texts) fn(t);
const calls = Number(values.calls);
const t0 = performance.now();
for (let i = 0; i < calls; i++) fn(texts[i % texts.length]!);
const ms = (performance.now() - t0) / calls;
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / texts.length;
console.log(JSON.stringify({ msPer10KiB: (ms * 10_240) / bytes }));
