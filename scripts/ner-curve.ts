/**
 * Learning curve of the entity tagger: the last 20 % of the documents (corpus
 * order, closest to a held-out tail) are the test set; models are trained on the
 * 40 %, 60 % and 80 % of documents just before it, and the test documents are
 * tagged as a workspace (full pipeline, corpus names from detector output only).
 *   node --import tsx scripts/ner-curve.ts [dir]
 */
import * as path from 'node:path';
import { deserializeModel, serializeModel } from '../server/src/core/detect/entities/tagger';
import { evaluateWithCorpus, trainOnDocuments } from '../server/src/core/detect/entities/train';
import { readGold } from './ner-data';

const dir = path.resolve(process.argv[2] ?? path.resolve(__dirname, '../../shared/eval/ner-dev'));
const docs = readGold(dir);
const cut = Math.round(docs.length * 0.8);
const test = docs.slice(cut);
console.log(`test: the last ${test.length} of ${docs.length} documents of ${dir}`);
for (const frac of [0.4, 0.6, 0.8]) {
  const train = docs.slice(Math.round(docs.length * (0.8 - frac)), cut);
  // Through the compact JSON form, as shipped (pruned, rounded).
  const model = deserializeModel(serializeModel(trainOnDocuments(train)));
  const e = evaluateWithCorpus(test, model);
  console.log(`trained on ${String(Math.round(frac * 100)).padStart(2)} % (${train.length} documents): P ${e.micro.precision.toFixed(3)} R ${e.micro.recall.toFixed(3)} F1 ${e.micro.f1.toFixed(3)}`);
}
