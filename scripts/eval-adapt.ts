/**
 * What accepting names and Learn from Annotations are worth on a user's corpus, with a
 * simulated annotator (core/detect/entities/simulate.ts): the "user" reviews the first k
 * documents of a corpus (accepts or rejects each suggestion by the gold annotation, adds
 * the names nobody suggested), the tagger adapts to those decisions, and the rest of the
 * corpus is tagged as a workspace. Prints F1 for k = 0, 10, 25, 50.
 *
 *   npm run eval:adapt [-- --ks 0,10,25,50] [--rotations R] [--folds K] [--only aqmar|anercorp] [--cache DIR]
 *                      [--adapt-epochs N] [--adapt-margin M] [--adapt-rate R] [--adapt-known-rate R] [--adapt-known-bound B]   (default: Learn from Annotations' own)
 *
 * 1. Out of domain: AQMAR (Arabic Wikipedia, ../shared/train/aqmar) with a model trained on
 *    ANERcorp alone. AQMAR's articles are kept together: the user reviews the first 50
 *    documents in corpus order (articles one after another), and the test set is every
 *    article none of them belongs to, the same for every k. R rotations of the article
 *    order (default 4), pooled. Scored with AQMAR's labels as the user's (PER ORG LOC MISC),
 *    and with PER ORG LOC only (the user's label setting without MISC).
 * 2. In domain: ANERcorp CV folds (contiguous blocks, default 5) with the shipped recipe
 *    trained on the other folds; the user reviews the first 50 documents of the held-out
 *    fold, the test set is the rest of the fold.
 * 3. Forgetting: each fold's model adapted to 50 AQMAR documents, scored on the fold's test
 *    documents (what adapting to another corpus costs on ANERcorp).
 */
import { parseArgs } from 'node:util';
import { micro } from '../server/src/core/detect/entities/metric';
import { adaptationCurve, type AdaptationPoint } from '../server/src/core/detect/entities/simulate';
import type { TaggerModel } from '../server/src/core/detect/entities/tagger';
import { addCounts, type Counts } from '../server/src/core/detect/entities/metric';
import { evaluateWithCorpus, trainOnDocuments, type Evaluation } from '../server/src/core/detect/entities/train';
import { aqmarArticle, NER_DEV, numberOption, readAqmar, readGold, runScript, UsageError } from './ner-data';
import { AQMAR_DEFAULTS, trainedModel } from './ner-training';

const USAGE = 'npm run eval:adapt -- [--ks 0,10,25,50] [--rotations R] [--folds K] [--only aqmar|anercorp] [--cache DIR] [--adapt-epochs N] [--adapt-margin M] [--adapt-rate R] [--adapt-known-rate R] [--adapt-known-bound B]';

/** Pools the evaluations of several runs at one k. */
class Pool {
  readonly dict = new Map<string, Counts>();
  readonly full = new Map<string, Counts>();
  adaptMs: number[] = [];
  add(p: AdaptationPoint): void {
    addCounts(this.dict, p.dictionaryOnly.perLabel);
    addCounts(this.full, p.adapted.perLabel);
    if (p.k) this.adaptMs.push(p.adaptMs);
  }
}

const pct = (e: Map<string, Counts>) => (micro(e).f1 * 100).toFixed(1);

function printCurve(title: string, ks: number[], pools: Map<number, Pool>): void {
  console.log(`\n${title}`);
  console.log('   k   names only   names + Learn   Δ vs k = 0   adaptation time');
  const base = micro(pools.get(0)!.full).f1;
  for (const k of ks) {
    const p = pools.get(k)!;
    const f = micro(p.full).f1;
    const ms = p.adaptMs.length ? `${(Math.max(...p.adaptMs) / 1000).toFixed(1)} s (slowest)` : '';
    const delta = (f - base) * 100;
    console.log(`${String(k).padStart(4)}   ${pct(p.dict).padStart(10)}   ${pct(p.full).padStart(13)}   ${`${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(1)}`.padStart(10)}   ${ms}`);
  }
}

runScript(USAGE, () => {
  const { values: opt, positionals } = parseArgs({
    options: {
      ks: { type: 'string' },
      rotations: { type: 'string' },
      folds: { type: 'string' },
      only: { type: 'string' },
      cache: { type: 'string' },
      'adapt-epochs': { type: 'string' },
      'adapt-margin': { type: 'string' },
      'adapt-rate': { type: 'string' },
      'adapt-known-rate': { type: 'string' },
      'adapt-known-bound': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  void positionals;
  const ks = (opt.ks ?? '0,10,25,50').split(',').map((x) => numberOption('ks', x, 0, 0));
  if (!ks.includes(0)) ks.unshift(0);
  const maxK = Math.max(...ks);
  const rotations = numberOption('rotations', opt.rotations, 4, 1);
  const folds = numberOption('folds', opt.folds, 5, 2);
  if (opt.only !== undefined && opt.only !== 'aqmar' && opt.only !== 'anercorp') throw new UsageError(`--only must be aqmar or anercorp (got ${JSON.stringify(opt.only)})`);
  // Learn from Annotations' own settings unless given (to compare others).
  const adapt = {
    ...(opt['adapt-epochs'] !== undefined ? { epochs: numberOption('adapt-epochs', opt['adapt-epochs'], 5, 1) } : {}),
    ...(opt['adapt-margin'] !== undefined ? { margin: numberOption('adapt-margin', opt['adapt-margin'], 0, 0) } : {}),
    ...(opt['adapt-rate'] !== undefined ? { rate: Number(opt['adapt-rate']) } : {}),
    ...(opt['adapt-known-rate'] !== undefined ? { knownRate: Number(opt['adapt-known-rate']) } : {}),
    ...(opt['adapt-known-bound'] !== undefined ? { knownBound: Number(opt['adapt-known-bound']) } : {}),
  };
  if (adapt.knownBound !== undefined && !(adapt.knownBound >= 0)) throw new UsageError(`--adapt-known-bound must be a number ≥ 0 (got ${JSON.stringify(opt['adapt-known-bound'])})`);
  if (adapt.knownRate !== undefined && !(adapt.knownRate >= 0 && adapt.knownRate <= 1)) throw new UsageError(`--adapt-known-rate must be a number in [0, 1] (got ${JSON.stringify(opt['adapt-known-rate'])})`);
  if (adapt.rate !== undefined && !(adapt.rate > 0 && adapt.rate <= 100)) throw new UsageError(`--adapt-rate must be a number in (0, 100] (got ${JSON.stringify(opt['adapt-rate'])})`);
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  const anercorp = readGold(NER_DEV());
  // AQMAR as the user's corpus: all its labels, MISC included.
  const aqmar = readAqmar({ misc: 'keep' });
  const articles = [...new Set(aqmar.map((d) => aqmarArticle(d.id)))];
  /** AQMAR in corpus order starting at article r·(articles/R); the pool and the untouched articles. */
  const rotation = (r: number) => {
    const start = Math.floor((r * articles.length) / rotations);
    const order = [...articles.slice(start), ...articles.slice(0, start)];
    const docs = order.flatMap((a) => aqmar.filter((d) => aqmarArticle(d.id) === a));
    const pool = docs.slice(0, maxK);
    const touched = new Set(pool.map((d) => aqmarArticle(d.id)));
    return { pool, test: docs.filter((d) => !touched.has(aqmarArticle(d.id))), touched };
  };

  if (opt.only !== 'anercorp') {
    console.log(`AQMAR out of domain: training on ANERcorp alone (${anercorp.length} documents)… (${secs()})`);
    const base = trainedModel(opt.cache, 'anercorp-all', () => trainOnDocuments(anercorp));
    for (const [title, labels] of [
      ['AQMAR, labels PER ORG LOC MISC', ['PER', 'ORG', 'LOC', 'MISC']],
      ['AQMAR, labels PER ORG LOC (MISC not annotated)', ['PER', 'ORG', 'LOC']],
    ] as const) {
      const pools = new Map(ks.map((k) => [k, new Pool()]));
      for (let r = 0; r < rotations; r++) {
        const { pool, test, touched } = rotation(r);
        for (const p of adaptationCurve(base, pool, test, ks, { labels: [...labels] }, adapt)) pools.get(p.k)!.add(p);
        console.log(`  rotation ${r + 1}/${rotations}: reviewed ${pool.length} documents of ${[...touched].join(', ')}; tested on ${test.length} documents of ${articles.length - touched.size} other articles (${secs()})`);
      }
      printCurve(`${title} — model trained on ANERcorp only; F1 on the untouched articles, ${rotations} rotations pooled`, ks, pools);
    }
  }

  if (opt.only !== 'aqmar') {
    const pools = new Map(ks.map((k) => [k, new Pool()]));
    const forgetting = { before: new Map<string, Counts>(), after: new Map<string, Counts>() };
    const extra = readAqmar({ misc: AQMAR_DEFAULTS.misc, weight: AQMAR_DEFAULTS.weight });
    const aqmarPool = rotation(0).pool;
    for (let f = 0; f < folds; f++) {
      const lo = Math.floor((f * anercorp.length) / folds);
      const hi = Math.floor(((f + 1) * anercorp.length) / folds);
      const fold = anercorp.slice(lo, hi);
      if (fold.length <= maxK) throw new UsageError(`a fold of ${fold.length} documents leaves nothing to test after k = ${maxK}; use fewer --folds or smaller --ks`);
      const model = trainedModel(opt.cache, `fold-${f + 1}-of-${folds}`, () => trainOnDocuments([...anercorp.slice(0, lo), ...anercorp.slice(hi), ...extra], { augmentDomains: AQMAR_DEFAULTS.augmentDomains }));
      const test = fold.slice(maxK);
      let adaptedOnAqmar: TaggerModel | undefined;
      for (const p of adaptationCurve(model, fold.slice(0, maxK), test, ks, {}, adapt)) pools.get(p.k)!.add(p);
      for (const p of adaptationCurve(model, aqmarPool, test, [0, maxK], {}, adapt)) if (p.k) adaptedOnAqmar = p.model;
      addCounts(forgetting.before, evaluateWithCorpus(test, model).perLabel);
      addCounts(forgetting.after, evaluateWithCorpus(test, adaptedOnAqmar!).perLabel);
      console.log(`  fold ${f + 1}/${folds}: reviewed the first ${maxK} of ${fold.length} documents, tested on the other ${test.length} (${secs()})`);
    }
    printCurve(`ANERcorp in domain — ${folds} CV folds, the shipped recipe trained on the other folds; F1 on each fold after its first ${maxK} documents, pooled`, ks, pools);
    const before: Evaluation['micro'] = micro(forgetting.before);
    const after: Evaluation['micro'] = micro(forgetting.after);
    console.log(`\nForgetting: the fold models adapted to ${maxK} AQMAR documents (learned only; no names carried over), on the same ANERcorp test documents: F1 ${(before.f1 * 100).toFixed(1)} → ${(after.f1 * 100).toFixed(1)}`);
  }
  console.log(`\n(${secs()})`);
});
