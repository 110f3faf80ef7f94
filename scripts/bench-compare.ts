/**
 * Before/after in one run (printed, nothing asserted): full analysis (core/analyze.ts
 * detectAll: entities + boilerplate) of a 10 KB English and a 10 KB Arabic article, and
 * the boilerplate classifier alone, timed with this checkout's code and with the code of
 * another git revision, alternately, in the same process. The host is shared and noisy,
 * so the figures that matter are the ratios.
 *
 *   node --import tsx scripts/bench-compare.ts [--against REF] [--batches N]   (default: where this branch left main; 20 batches)
 *
 * The other revision is extracted with `git archive` into a temporary folder that uses
 * this checkout's node_modules. Articles: consecutive documents of
 * ../shared/eval/ner-en-dev and ../shared/eval/ner-dev joined up to 10 KB, as many
 * distinct articles of each language as English gives (5), taken in turn: the entity
 * detector keeps the last text's analysis (index.ts baseOf), so timing one article over
 * and over would time that cache, not an analysis. The boilerplate-dev pages nearest 10 KB.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { articles, checkoutOf, median } from './bench-revisions';
import { sharedDir } from './shared-dir';

type DetectAll = (text: string) => unknown;
type DetectBoilerplate = (text: string) => unknown;

const args = process.argv.slice(2);
const ai = args.indexOf('--against');
const root = path.resolve(__dirname, '..');
/** Alternating batches of the before/after comparisons (--batches N). */
const bi = args.indexOf('--batches');
const BATCHES = bi >= 0 ? Number(args[bi + 1]) : 20;
if (!Number.isInteger(BATCHES) || BATCHES < 1) throw new Error(`--batches wants a whole number of batches, not ${args[bi + 1]}`);
const ref = ai >= 0 ? args[ai + 1]! : execFileSync('git', ['-C', root, 'merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();

/** A call on the next text of `texts` each time (never the same text twice in a row). */
function inTurn(texts: string[], fn: (t: string) => unknown): () => unknown {
  let i = 0;
  return () => fn(texts[i++ % texts.length]!);
}

const bytesOf = (texts: string[]) => texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / texts.length;
/** The mean of `unit` over the texts (characters, words). */
const mean = (texts: string[], unit: (t: string) => number) => texts.reduce((n, t) => n + unit(t), 0) / texts.length;

/**
 * ms per call of each function in each of `batches` alternating batches. Every other batch runs
 * the functions in reverse order, so neither side of a pair always runs second (after the
 * other's garbage, on caches the other filled).
 */
function timeBatches(fns: [string, () => unknown][], batches: number, perBatch = 5): number[][] {
  for (const [, fn] of fns) for (let i = 0; i < 3; i++) fn(); // warm-up: JIT, model and list loading
  const times = fns.map(() => [] as number[]);
  const order = fns.map((_, k) => k);
  for (let b = 0; b < batches; b++) {
    for (const k of b % 2 ? [...order].reverse() : order) {
      const fn = fns[k]![1];
      const t0 = performance.now();
      for (let i = 0; i < perBatch; i++) fn();
      times[k]!.push((performance.now() - t0) / perBatch);
    }
  }
  return times;
}

/** Median ms per call of each function, measured in alternating batches. */
function compare(fns: [string, () => unknown][], batches = 12, perBatch = 5): number[] {
  return timeBatches(fns, batches, perBatch).map(median);
}

/**
 * after / before: the median of the ratios of the same batch, whose two timings are a few
 * hundred milliseconds apart, so the host's load drifting over the run (by a third, here, within
 * a minute) cancels out; with the quartiles of those ratios, the noise of this run.
 */
function pairedRatio(before: number[], after: number[]): string {
  const r = after.map((a, b) => a / before[b]!).sort((x, y) => x - y);
  const q = (f: number) => r[Math.round(f * (r.length - 1))]!;
  return `${median(r).toFixed(2)} (quartiles ${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)})`;
}

const before = checkoutOf(ref);
try {
  const rev = execFileSync('git', ['-C', root, 'rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
  const load = (base: string) => ({
    detectAll: (require(path.join(base, 'server/src/core/analyze.ts')) as { detectAll: DetectAll }).detectAll,
    detectBoilerplate: (require(path.join(base, 'server/src/core/detect/boilerplate/index.ts')) as { detectBoilerplate: DetectBoilerplate }).detectBoilerplate,
  });
  const old = load(before);
  const cur = load(root);
  const en = articles(sharedDir('eval', 'ner-en-dev'), 5);
  const ar = articles(sharedDir('eval', 'ner-dev'), en.length);
  const kb = (t: string[]) => (bytesOf(t) / 1024).toFixed(1);
  console.log(`before: ${ref} (${rev}); after: this checkout. ${BATCHES} alternating batches: medians, and ratio = after / before of the same batch (median, quartiles).`);
  console.log(`${en.length} English and ${ar.length} Arabic articles, taken in turn (mean ${kb(en)} KB and ${kb(ar)} KB)`);
  const full = timeBatches(
    [
      ['en before', inTurn(en, (t) => old.detectAll(t))],
      ['en after', inTurn(en, (t) => cur.detectAll(t))],
      ['ar before', inTurn(ar, (t) => old.detectAll(t))],
      ['ar after', inTurn(ar, (t) => cur.detectAll(t))],
    ],
    BATCHES,
  );
  const [enOld, enNew, arOld, arNew] = full.map(median);
  const per10 = (ms: number, t: string[]) => ((ms * 10_240) / bytesOf(t)).toFixed(2);
  console.log(`full analysis, English article: before ${enOld!.toFixed(2)} ms, after ${enNew!.toFixed(2)} ms → ratio ${pairedRatio(full[0]!, full[1]!)}`);
  console.log(`full analysis, Arabic article:  before ${arOld!.toFixed(2)} ms, after ${arNew!.toFixed(2)} ms → ratio ${pairedRatio(full[2]!, full[3]!)}`);
  console.log(`per 10 KiB after: English ${per10(enNew!, en)} ms, Arabic ${per10(arNew!, ar)} ms → English/Arabic per byte ${((enNew! / bytesOf(en)) / (arNew! / bytesOf(ar))).toFixed(2)} (before: ${((enOld! / bytesOf(en)) / (arOld! / bytesOf(ar))).toFixed(2)})`);
  // An Arabic letter takes two bytes in UTF-8, an English one one: per byte, English text holds about
  // twice the letters and words. The same ratio per character and per word says what that part is.
  const perUnit = (unit: (t: string) => number) => ((enNew! / mean(en, unit)) / (arNew! / mean(ar, unit))).toFixed(2);
  console.log(`English/Arabic after, per character (code point) ${perUnit((t) => [...t].length)}, per word ${perUnit((t) => t.match(/[\p{L}\p{N}]+/gu)?.length ?? 0)}`);

  // Where an English article's time goes (this checkout only): the entity pass as a whole, the
  // Arabic pipeline's pass over the same text (english: false), the English tagger alone, boilerplate.
  const entities = (require(path.join(root, 'server/src/core/detect/entities/index.ts')) as typeof import('../server/src/core/detect/entities/index'));
  const english = (require(path.join(root, 'server/src/core/detect/entities/english.ts')) as typeof import('../server/src/core/detect/entities/english'));
  const { tokenize } = require(path.join(root, 'server/src/core/text/tokenize.ts')) as typeof import('../server/src/core/text/tokenize');
  const tokens = new Map(en.map((t) => [t, tokenize(t)]));
  const parts = compare([
    ['ar entities', inTurn(ar, (t) => entities.detectEntities(t))],
    ['ar boilerplate', inTurn(ar, (t) => cur.detectBoilerplate(t))],
    ['en entities', inTurn(en, (t) => entities.detectEntities(t))],
    ['en arabic pipeline', inTurn(en, (t) => entities.detectEntities(t, { english: false }))],
    ['en english tagger', inTurn(en, (t) => english.detectEnglish(t, tokens.get(t)!))],
    ['en boilerplate', inTurn(en, (t) => cur.detectBoilerplate(t))],
  ]);
  const names = ['Arabic entities', 'Arabic boilerplate', 'English entities', '  of which the Arabic pipeline over it', '  of which the English tagger', 'English boilerplate'];
  console.log('per 10 KiB, after:');
  parts.forEach((ms, k) => console.log(`  ${names[k]!.padEnd(40)} ${per10(ms, k < 2 ? ar : en).padStart(7)} ms`));

  const dir = sharedDir('eval', 'boilerplate-dev');
  const pages = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .sort((a, b) => Math.abs(Buffer.byteLength(a) - 10_000) - Math.abs(Buffer.byteLength(b) - 10_000))
    .slice(0, 10);
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p), 0);
  const bp = timeBatches(
    [
      ['bp before', () => pages.forEach((p) => old.detectBoilerplate(p))],
      ['bp after', () => pages.forEach((p) => cur.detectBoilerplate(p))],
    ],
    BATCHES,
  );
  const [bpOld, bpNew] = bp.map(median);
  console.log(`boilerplate classifier, the 10 dev pages nearest 10 KB (${(bytes / 1024).toFixed(0)} KB): before ${(bpOld! / pages.length).toFixed(2)} ms/page, after ${(bpNew! / pages.length).toFixed(2)} ms/page → ratio ${pairedRatio(bp[0]!, bp[1]!)}`);
} finally {
  fs.rmSync(before, { recursive: true, force: true });
}
