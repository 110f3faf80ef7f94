/**
 * Entity evaluation on ANERcorp (metric: ../shared/eval/README.md, core/detect/entities/metric.ts).
 *   npm run eval:ner [-- dir] [--folds K] [--epochs N] [--seed S] [--no-corpus]
 *                    [--aqmar-weight W] [--aqmar-misc uncertain|drop|keep] [--aqmar-domain on|off] [--runs N] [--margin M] [--only-folds 1,3]
 *       K-fold CV over documents (default K=5): train on the other folds (plus AQMAR,
 *       ../shared/train/aqmar, in every fold; never scored), tag the held-out fold with the
 *       full pipeline (gazetteer, triggers, propagation, default confidence threshold). The
 *       held-out fold is tagged as the server tags a workspace: every document once,
 *       observed into a CorpusNames (detector output only, never gold), then again with
 *       that corpus. --no-corpus: each document on its own. --seed: another shuffle of the
 *       training order (default 1); the spread over seeds shows how large a difference is
 *       noise. --aqmar-weight 0 trains on ANERcorp alone. --runs: training runs averaged into
 *       each model (default 4, as shipped); --margin: the training margin (default train.ts TRAIN_MARGIN); --only-folds: score only these folds (1-based).
 *       Both make a quicker, rougher comparison. --min-confidence X: suggestions shown from
 *       X (default the extension's, 0.5). --cache DIR: keep the fold models of the shipped
 *       recipe in DIR (fold-F-of-K.json, shared with eval:adapt --cache) and use them on the
 *       next run: a change after training (merging, propagation, thresholds) is measured in
 *       seconds; only with the recipe's defaults (no --epochs, --seed, --runs or --aqmar-*).
 *   npm run eval:ner -- --lang en [...]   English: scripts/eval-ner-en.ts
 *   npm run eval:ner -- [dir] --model FILE | --shipped   score a trained model as it is
 *       (--shipped: data/model/ner-ar.json). On the documents it was trained on that
 *       figure is NOT a generalisation estimate, and is labelled so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { detectEntities, loadModel } from '../server/src/core/detect/entities/index';
import { scores } from '../server/src/core/detect/entities/metric';
import { crossValidate, evaluate, trainOnDocuments, TRAIN_MARGIN, type AnnotatedDoc } from '../server/src/core/detect/entities/train';
import { englishEvalRequested, runEnglishEval } from './eval-ner-en';
import { AQMAR_DEFAULTS, trainedModel } from './ner-training';
import { AQMAR_MISC, NER_DEV, numberOption, onOff, printEvaluation, readAqmar, readGold, runScript, UsageError, type AqmarMisc } from './ner-data';

// --lang en: the English sets and model, in their own script.
if (englishEvalRequested()) {
  runEnglishEval();
  process.exit();
}

const USAGE = 'npm run eval:ner -- [dir] [--folds K] [--epochs N] [--seed S] [--runs N] [--margin M] [--only-folds LIST] [--no-corpus] [--aqmar-weight W] [--aqmar-misc uncertain|drop|keep] [--aqmar-domain on|off] [--min-confidence X] [--cache DIR] | [dir] --model FILE | [dir] --shipped';

runScript(USAGE, () => {
  const { values: opt, positionals } = parseArgs({
    options: {
      folds: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      margin: { type: 'string' },
      'only-folds': { type: 'string' },
      'no-corpus': { type: 'boolean', default: false },
      'aqmar-weight': { type: 'string' },
      'aqmar-misc': { type: 'string' },
      'aqmar-domain': { type: 'string' },
      model: { type: 'string' },
      shipped: { type: 'boolean', default: false },
      'min-confidence': { type: 'string' },
      cache: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError(`one data folder at most (got ${positionals.join(', ')})`);
  const root = path.resolve(__dirname, '..');
  const dir = path.resolve(positionals[0] ?? NER_DEV());
  const docs = readGold(dir);
  console.log(`${docs.length} documents, ${docs.reduce((n, d) => n + d.spans.length, 0)} gold entities, from ${dir}`);

  if (opt.model !== undefined || opt.shipped) {
    const file = opt.model !== undefined ? path.resolve(opt.model) : path.join(root, 'data/model/ner-ar.json');
    const model = loadModel(fs.readFileSync(file, 'utf8'));
    const trainedOn = String(model.meta.trainedOn ?? 'unknown data');
    const e = evaluate(docs, (text) => detectEntities(text, { model }));
    const seen = /ANERcorp/.test(trainedOn) && /ner-dev/.test(dir);
    printEvaluation(`model ${path.relative(root, file)} (${trainedOn})${seen ? ' — TRAINED ON THESE DOCUMENTS: not a generalisation figure' : ''}`, e, scores);
    return;
  }
  const folds = numberOption('folds', opt.folds, 5, 2);
  const epochs = numberOption('epochs', opt.epochs, 10, 1);
  const aqmarWeight = numberOption('aqmar-weight', opt['aqmar-weight'], AQMAR_DEFAULTS.weight, 0);
  const misc = (opt['aqmar-misc'] ?? AQMAR_DEFAULTS.misc) as AqmarMisc;
  if (!AQMAR_MISC.includes(misc)) throw new UsageError(`--aqmar-misc must be one of ${AQMAR_MISC.join(', ')} (got ${JSON.stringify(misc)})`);
  const augmentDomains = onOff('aqmar-domain', opt['aqmar-domain'], AQMAR_DEFAULTS.augmentDomains);
  const extra = aqmarWeight > 0 ? readAqmar({ misc, weight: aqmarWeight }) : [];
  const minConfidence = opt['min-confidence'] === undefined ? undefined : numberOption('min-confidence', opt['min-confidence'], 0.5, 0, 1);
  const recipeChanged = ['epochs', 'seed', 'runs', 'margin', 'aqmar-weight', 'aqmar-misc', 'aqmar-domain'].filter((k) => opt[k as keyof typeof opt] !== undefined);
  if (opt.cache !== undefined && recipeChanged.length) throw new UsageError(`--cache keeps the models of the shipped recipe: leave out --${recipeChanged.join(', --')}`);
  // The cached models are named by fold only (as eval:adapt names them): they are ANERcorp's.
  if (opt.cache !== undefined && dir !== path.resolve(NER_DEV())) throw new UsageError(`--cache keeps fold models of ${NER_DEV()} only (got ${dir})`);
  const cache = opt.cache === undefined ? undefined : path.resolve(opt.cache);
  const t0 = Date.now();
  const e = crossValidate(docs, folds, {
    epochs,
    extra,
    train: { seed: numberOption('seed', opt.seed, 1), runs: numberOption('runs', opt.runs, 4, 1), augmentDomains, ...(opt.margin !== undefined ? { margin: numberOption('margin', opt.margin, TRAIN_MARGIN, 0) } : {}) },
    ...(opt['only-folds'] !== undefined ? { only: opt['only-folds'].split(',').map((x) => numberOption('only-folds', x, 1, 1, folds) - 1) } : {}),
    corpus: !opt['no-corpus'],
    ...(minConfidence !== undefined ? { detect: { minConfidence } } : {}),
    ...(cache ? { foldModel: (f: number, train: AnnotatedDoc[]) => trainedModel(cache, `fold-${f + 1}-of-${folds}`, () => trainOnDocuments(train, { augmentDomains: AQMAR_DEFAULTS.augmentDomains })) } : {}),
    onFold: (f, ev) => console.log(`fold ${f + 1}/${folds}: P ${(ev.micro.precision * 100).toFixed(1)} R ${(ev.micro.recall * 100).toFixed(1)} F1 ${(ev.micro.f1 * 100).toFixed(1)}`),
  });
  const training = extra.length ? `+ AQMAR ${extra.length} documents in every fold (weight ${aqmarWeight}, MISC ${misc}${augmentDomains ? ', features in domain copies' : ''})` : 'ANERcorp only';
  printEvaluation(`${folds}-fold cross-validation over documents (contiguous blocks; ${epochs} epochs; trained on the other folds ${training}; ${opt['no-corpus'] ? 'documents tagged alone' : 'held-out fold as the corpus'}${minConfidence !== undefined ? `; suggestions from confidence ${minConfidence}` : ''}${cache ? `; fold models kept in ${cache}` : ''}; ${((Date.now() - t0) / 1000).toFixed(0)} s)`, e, scores);
});
