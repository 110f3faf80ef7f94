/**
 * Does the boilerplate classifier generalise? The figures the shipped weights are chosen by
 * (`npm run eval:boilerplate -- --generalisation`), each with weights fitted without the pages scored:
 *
 *  - dev, K-fold: the 79 boilerplate-dev pages in K folds (sorted ids, contiguous), weights fitted
 *    on the other folds + all boilerplate-readability pages, scored on the fold left out;
 *  - cross-source, both ways: fitted on boilerplate-dev alone → scored on boilerplate-readability,
 *    and fitted on boilerplate-readability alone → scored on boilerplate-dev;
 *  - and, for comparison, the weights fitted on everything (the shipping recipe) scored on both
 *    sources (a fit figure, not a generalisation one).
 *
 *   node --import tsx scripts/eval-boilerplate-generalisation.ts [--folds K] [--rweight W] [--l2 X] [--bags N] [--iterations N] [--print] [--no-cross]
 *
 * --rweight: weight of a readability page in a fit (default 1; its gold is silver). --print:
 * the weights fitted on everything, for model.ts. Cue lists and rules stay as they are: only
 * the weights are refitted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectBoilerplate } from '../server/src/core/detect/boilerplate/index';
import { aggregate, keptText, scorePage, type PageScore } from '../server/src/core/detect/boilerplate/metric';
import type { Model } from '../server/src/core/detect/boilerplate/model';
import { fitBagged, type FitOptions, type LabelledPage } from '../server/src/core/detect/boilerplate/train';
import { sharedDir } from './shared-dir';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const folds = opt('--folds', 4);
const rweight = opt('--rweight', 1);
const bags = opt('--bags', 8);
const fitOpts: FitOptions = { ...(args.includes('--l2') ? { l2: opt('--l2', 0.0005) } : {}), ...(args.includes('--iterations') ? { iterations: opt('--iterations', 1500) } : {}) };

function pages(dir: string, weight = 1): (LabelledPage & { id: string })[] {
  const gold = JSON.parse(readFileSync(join(dir, 'gold.json'), 'utf8')) as Record<string, { articleBody: string }>;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && f.slice(0, -4) in gold)
    .sort()
    .map((f) => ({ id: f.slice(0, -4), text: readFileSync(join(dir, f), 'utf8'), gold: gold[f.slice(0, -4)]!.articleBody, weight }));
}

const dev = pages(sharedDir('eval', 'boilerplate-dev'));
const readability = pages(sharedDir('train', 'boilerplate-readability'), rweight);
const fit = (ps: LabelledPage[]) => fitBagged(ps, bags, 7, undefined, fitOpts);
const score = (ps: LabelledPage[], model?: Model): PageScore[] => ps.map((p) => scorePage(p.gold, keptText(p.text, detectBoilerplate(p.text, model ? { model } : {}))));
const fmt = (s: ReturnType<typeof aggregate>) => `F1 ${s.f1.toFixed(3)}  P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  (${s.pages} pages)`;

console.log(`readability page weight ${rweight}, ${bags} bags${fitOpts.l2 !== undefined ? `, l2 ${fitOpts.l2}` : ''}`);
console.log(`shipped weights:        dev ${fmt(aggregate(score(dev)))}`);
console.log(`                        readability ${fmt(aggregate(score(readability)))}`);
const cv: PageScore[] = [];
for (let f = 0; f < folds; f++) {
  const lo = Math.floor((f * dev.length) / folds);
  const hi = Math.floor(((f + 1) * dev.length) / folds);
  const model = fit([...dev.slice(0, lo), ...dev.slice(hi), ...readability]);
  const s = score(dev.slice(lo, hi), model);
  console.log(`  fold ${f + 1}/${folds}: ${fmt(aggregate(s))}`);
  cv.push(...s);
}
console.log(`dev, ${folds}-fold (other folds + readability): ${fmt(aggregate(cv))}`);
if (!args.includes('--no-cross')) {
  console.log(`cross-source, dev → readability:  ${fmt(aggregate(score(readability, fit(dev))))}`);
  console.log(`cross-source, readability → dev:  ${fmt(aggregate(score(dev, fit(readability))))}`);
}
const all = fit([...dev, ...readability]);
console.log(`fitted on both (fit, not generalisation): dev ${fmt(aggregate(score(dev, all)))}; readability ${fmt(aggregate(score(readability, all)))}`);
if (args.includes('--print')) {
  console.log(`stage1: [${all.stage1.join(', ')}],`);
  console.log(`stage2: [${all.stage2.join(', ')}],`);
}
