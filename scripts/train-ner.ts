/**
 * Trains the Arabic entity tagger on an annotated folder (default: ANERcorp
 * dev, all documents) and writes data/model/ner-ar.json.
 *   npm run train:ner [-- dir] [--epochs N] [--folds K] [--out file] [--head F]
 * With --folds K it prints K-fold cross-validated figures first (documents
 * in contiguous blocks; see core/detect/entities/train.ts).
 * With --head F it trains on the first fraction F of the documents only (in
 * corpus order), leaving the tail for a held-out check through the server:
 *   npm run train:ner -- --head 0.8 --out /tmp/ner-head.json
 *   npm run eval:server -- ner --tail 0.2 --model /tmp/ner-head.json
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scores } from '../server/src/core/detect/entities/metric';
import { serializeModel } from '../server/src/core/detect/entities/tagger';
import { crossValidate, trainOnDocuments } from '../server/src/core/detect/entities/train';
import { printEvaluation, readGold } from './ner-data';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const epochs = Number(opt('--epochs') ?? 10);
const folds = Number(opt('--folds') ?? 0);
const head = Number(opt('--head') ?? 1);
const root = path.resolve(__dirname, '..');
const out = opt('--out') ?? path.join(root, 'data/model/ner-ar.json');
const dir = args[0] ?? path.resolve(root, '../shared/eval/ner-dev');
const all = readGold(dir);
// Held-out parts of a corpus are its tail: train on the head only when asked.
const docs = all.slice(0, Math.round(all.length * Math.min(1, Math.max(0, head))));
console.log(`${docs.length} of ${all.length} documents from ${dir}`);

if (folds > 1) {
  const t0 = Date.now();
  const e = crossValidate(docs, folds, { epochs, onFold: (f, ev) => console.log(`fold ${f + 1}/${folds}: F1 ${(ev.micro.f1 * 100).toFixed(1)}`) });
  printEvaluation(`${folds}-fold cross-validation over documents (${((Date.now() - t0) / 1000).toFixed(0)} s)`, e, scores);
}

const t0 = Date.now();
const model = trainOnDocuments(docs, { epochs });
model.meta = { ...model.meta, trainedOn: 'ANERcorp (CC BY-SA 4.0), ' + docs.length + ' documents', created: new Date().toISOString().slice(0, 10) };
const serialized = serializeModel(model);
const json = JSON.stringify(serialized);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, json);
console.log(`\nmodel: ${model.weights.size} features trained, ${Object.keys(serialized.weights).length} kept after pruning, in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, out)} (${(Buffer.byteLength(json) / 1024 / 1024).toFixed(2)} MiB)`);
