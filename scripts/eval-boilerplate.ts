/**
 * Scores the boilerplate detector on a folder of `<id>.txt` pages with a
 * `gold.json` ({id: {articleBody}}), using the article-extraction-benchmark
 * metric (see server/src/core/detect/boilerplate/metric.ts).
 *
 *   node --import tsx scripts/eval-boilerplate.ts [dir] [--split] [--cross] [--fit] [--pages] [--corpus] [--with DIR]
 *
 * --split   split-half check (pages sorted by id, even/odd): the weights are
 *           refitted on one half and scored on the other, both ways; the
 *           cue file and every other setting stay as they are.
 * --cross   cross-source check: weights fitted on this folder's pages and scored on the
 *           other source's (../shared/train/boilerplate-readability, or --with DIR), and
 *           the other way round.
 * --fit     refit the weights on all pages (and those of --with DIR) and print them (for model.ts).
 * --with    a second folder of labelled pages (same layout) that --fit and --split also train
 *           on: the shipped weights are fitted on boilerplate-dev + boilerplate-readability.
 * --pages   per-page P/R, worst first.
 * --corpus  index all pages into a CorpusIndex first (cross-page repetition).
 *
 *   node --import tsx scripts/eval-boilerplate.ts --article-only [dir]
 *
 * Texts that are all article (default ../shared/eval/ner-dev: ANERcorp's newswire, no page
 * around it; no gold.json needed): the share of their words flagged, by category. Every word
 * flagged there is article text lost, but for the `duplicate`s (a paragraph the text repeats).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CorpusIndex, detectBoilerplate, type BoilerplateOptions } from '../server/src/core/detect/boilerplate/index';
import { aggregate, keptText, scorePage, type PageScore } from '../server/src/core/detect/boilerplate/metric';
import { fitBagged, type LabelledPage } from '../server/src/core/detect/boilerplate/train';
import type { Model } from '../server/src/core/detect/boilerplate/model';
import { sharedDir } from './shared-dir';

const args = process.argv.slice(2);
if (args.includes('--article-only')) {
  articleOnly(resolve(args.find((a) => !a.startsWith('--')) ?? sharedDir('eval', 'ner-dev')));
  process.exit(0);
}

/** Share of words flagged in texts with no boilerplate (see the usage above). */
function articleOnly(d: string): void {
  const count = (s: string) => s.split(/\s+/).filter(Boolean).length;
  let words = 0;
  let texts = 0;
  const byCategory = new Map<string, number>();
  for (const f of readdirSync(d).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(join(d, f), 'utf8');
    texts++;
    words += count(text);
    for (const b of detectBoilerplate(text)) byCategory.set(b.category, (byCategory.get(b.category) ?? 0) + count(text.slice(b.start, b.end)));
  }
  const flagged = [...byCategory.values()].reduce((a, b) => a + b, 0);
  const pct = (n: number) => `${((100 * n) / Math.max(1, words)).toFixed(2)} %`;
  console.log(`dir: ${d}\n${texts} texts, ${words} words; flagged ${flagged} words (${pct(flagged)})`);
  for (const [c, n] of [...byCategory].sort((a, b) => b[1] - a[1])) console.log(`  ${c.padEnd(12)} ${String(n).padStart(6)}  ${pct(n)}`);
}
const withIndex = args.indexOf('--with');
const otherDir = withIndex >= 0 ? resolve(args.splice(withIndex, 2)[1]!) : undefined;
const flags = new Set(args.filter((a) => a.startsWith('--')));
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? sharedDir('eval', 'boilerplate-dev'));
if (!existsSync(join(dir, 'gold.json'))) {
  console.error(`no gold.json in ${dir}`);
  process.exit(2);
}
const gold = JSON.parse(readFileSync(join(dir, 'gold.json'), 'utf8')) as Record<string, { articleBody: string }>;
const ids = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .filter((id) => id in gold)
  .sort();
const texts = new Map(ids.map((id) => [id, readFileSync(join(dir, `${id}.txt`), 'utf8')]));

/** Labelled pages of a folder in the boilerplate-dev layout. */
function labelledPages(d: string): LabelledPage[] {
  const g = JSON.parse(readFileSync(join(d, 'gold.json'), 'utf8')) as Record<string, { articleBody: string }>;
  return readdirSync(d)
    .filter((f) => f.endsWith('.txt') && f.slice(0, -4) in g)
    .sort()
    .map((f) => ({ text: readFileSync(join(d, f), 'utf8'), gold: g[f.slice(0, -4)]!.articleBody }));
}
const extra: LabelledPage[] = otherDir ? labelledPages(otherDir) : [];

const options: BoilerplateOptions = {};
if (flags.has('--corpus')) {
  const corpus = new CorpusIndex();
  for (const [id, t] of texts) corpus.setDocument(id, t);
  options.corpus = corpus;
}

const scores = new Map<string, PageScore>();
const baseline: PageScore[] = [];
let ms = 0;
for (const id of ids) {
  const text = texts.get(id)!;
  const t0 = performance.now();
  const blocks = detectBoilerplate(text, options);
  ms += performance.now() - t0;
  scores.set(id, scorePage(gold[id]!.articleBody, keptText(text, blocks)));
  baseline.push(scorePage(gold[id]!.articleBody, text));
}

const fmt = (s: { precision: number; recall: number; f1: number; pages: number }): string =>
  `F1 ${s.f1.toFixed(3)}  P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  (${s.pages} pages)`;
const all = aggregate([...scores.values()]);
console.log(`dir: ${dir}`);
console.log(`keep everything: ${fmt(aggregate(baseline))}`);
console.log(`detector:        ${fmt(all)}   ${(ms / ids.length).toFixed(2)} ms/page (single cold pass; see bench-boilerplate.ts)`);
if (flags.has('--split')) {
  const half = (parity: number): string[] => ids.filter((_, i) => i % 2 === parity);
  const fitOn = (part: string[]) => fitBagged([...part.map((id) => ({ text: texts.get(id)!, gold: gold[id]!.articleBody })), ...extra]);
  const scoreWith = (part: string[], model: Model): PageScore[] =>
    part.map((id) => scorePage(gold[id]!.articleBody, keptText(texts.get(id)!, detectBoilerplate(texts.get(id)!, { ...options, model }))));
  const [even, odd] = [half(0), half(1)];
  const onOdd = scoreWith(odd, fitOn(even));
  const onEven = scoreWith(even, fitOn(odd));
  console.log(`split-half, weights fitted on the other half${otherDir ? ' and ' + otherDir : ''}:`);
  console.log(`  fit even → odd:  ${fmt(aggregate(onOdd))}`);
  console.log(`  fit odd → even:  ${fmt(aggregate(onEven))}`);
  console.log(`  both halves:     ${fmt(aggregate([...onOdd, ...onEven]))}`);
  console.log(`shipped weights on each half: even ${fmt(aggregate(even.map((id) => scores.get(id)!)))}`);
  console.log(`                              odd  ${fmt(aggregate(odd.map((id) => scores.get(id)!)))}`);
}
if (flags.has('--cross')) {
  const other = otherDir ?? sharedDir('train', 'boilerplate-readability');
  const theirs = extra.length ? extra : labelledPages(other);
  const ours = ids.map((id) => ({ text: texts.get(id)!, gold: gold[id]!.articleBody }));
  const scoreAll = (pages: LabelledPage[], model: Model): PageScore[] => pages.map((p) => scorePage(p.gold, keptText(p.text, detectBoilerplate(p.text, { ...options, model }))));
  console.log(`cross-source (weights fitted on one source, scored on the other):`);
  console.log(`  fitted on ${dir} → ${other}:  ${fmt(aggregate(scoreAll(theirs, fitBagged(ours))))}`);
  console.log(`  fitted on ${other} → ${dir}:  ${fmt(aggregate(scoreAll(ours, fitBagged(theirs))))}`);
}
if (flags.has('--fit')) {
  const model = fitBagged([...ids.map((id) => ({ text: texts.get(id)!, gold: gold[id]!.articleBody })), ...extra]);
  console.log(`stage1: [${model.stage1.join(', ')}],`);
  console.log(`stage2: [${model.stage2.join(', ')}],`);
}
if (flags.has('--pages')) {
  const rows = [...scores].sort((a, b) => a[1].precision + a[1].recall - (b[1].precision + b[1].recall));
  for (const [id, s] of rows) console.log(`${id}  P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}`);
}
