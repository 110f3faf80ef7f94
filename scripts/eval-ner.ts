/**
 * Entity evaluation (metric: /shared/eval/README.md, core/detect/entities/metric.ts).
 *   npm run eval:ner [-- dir] [--folds K] [--epochs N] [--seed S] [--no-corpus]   K-fold CV over documents
 *       (default K=5): train on the other folds, tag the held-out fold with the full pipeline
 *       (gazetteer, triggers, propagation, default confidence threshold). The held-out fold
 *       is tagged as the server tags a workspace: every document once, observed into a
 *       CorpusNames (detector output only, never gold), then again with that corpus.
 *       --no-corpus: each document on its own. --seed: another shuffle of the training
 *       order (default 1); the spread over seeds shows how large a difference is noise.
 *   npm run eval:ner -- --lang en [...]   English: scripts/eval-ner-en.ts
 *   npm run eval:ner -- [dir] --model [file]   score a trained model as it is
 *       (default: the shipped data/model/ner-ar.json). On the documents it was
 *       trained on that figure is NOT a generalisation estimate, and is labelled so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectEntities, loadModel } from '../server/src/core/detect/entities/index';
import { scores } from '../server/src/core/detect/entities/metric';
import { crossValidate, evaluate } from '../server/src/core/detect/entities/train';
import { englishEvalRequested, runEnglishEval } from './eval-ner-en';
import { printEvaluation, readGold } from './ner-data';

// --lang en: the English sets and model, in their own script.
if (englishEvalRequested()) {
  runEnglishEval();
  process.exit();
}

const args = process.argv.slice(2);
const take = (name: string, hasValue = true): string | boolean | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = hasValue && args[i + 1] && !args[i + 1].startsWith('--') ? args.splice(i, 2)[1] : (args.splice(i, 1), true);
  return v;
};
const root = path.resolve(__dirname, '..');
const modelArg = take('--model');
const folds = Number(take('--folds') ?? 5);
const noCorpus = take('--no-corpus', false) !== undefined;
const epochs = Number(take('--epochs') ?? 10);
const seed = take('--seed');
const dir = path.resolve(args[0] ?? path.resolve(root, '../shared/eval/ner-dev'));
const docs = readGold(dir);
console.log(`${docs.length} documents, ${docs.reduce((n, d) => n + d.spans.length, 0)} gold entities, from ${dir}`);

if (modelArg !== undefined) {
  const file = typeof modelArg === 'string' ? path.resolve(modelArg) : path.join(root, 'data/model/ner-ar.json');
  const model = loadModel(fs.readFileSync(file, 'utf8'));
  const trainedOn = String(model.meta.trainedOn ?? 'unknown data');
  const e = evaluate(docs, (text) => detectEntities(text, { model }));
  const seen = /ANERcorp/.test(trainedOn) && /ner-dev/.test(dir);
  printEvaluation(`model ${path.relative(root, file)} (${trainedOn})${seen ? ' — TRAINED ON THESE DOCUMENTS: not a generalisation figure' : ''}`, e, scores);
} else {
  const t0 = Date.now();
  const e = crossValidate(docs, folds, {
    epochs,
    ...(seed !== undefined ? { train: { seed: Number(seed) } } : {}),
    corpus: !noCorpus,
    onFold: (f, ev) => console.log(`fold ${f + 1}/${folds}: P ${(ev.micro.precision * 100).toFixed(1)} R ${(ev.micro.recall * 100).toFixed(1)} F1 ${(ev.micro.f1 * 100).toFixed(1)}`),
  });
  printEvaluation(`${folds}-fold cross-validation over documents (contiguous blocks; ${epochs} epochs; ${noCorpus ? 'documents tagged alone' : 'held-out fold as the corpus'}; ${((Date.now() - t0) / 1000).toFixed(0)} s)`, e, scores);
}
