/**
 * Learning curve of the entity tagger: the last 20 % of the ANERcorp documents (corpus
 * order, closest to a held-out tail) are the test set; models are trained with the shipped
 * recipe (ner-training.ts: AQMAR too) on the 40 %, 60 % and 80 % of documents just before
 * it, and the test documents are tagged as a workspace (full pipeline, corpus names from
 * detector output only).
 *   node --import tsx scripts/ner-curve.ts [dir] [--aqmar-weight W]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { deserializeModel, serializeModel } from '../server/src/core/detect/entities/tagger';
import { evaluateWithCorpus, trainOnDocuments } from '../server/src/core/detect/entities/train';
import { NER_DEV, numberOption, readAqmar, readGold, runScript, UsageError } from './ner-data';
import { AQMAR_DEFAULTS } from './ner-training';

runScript('node --import tsx scripts/ner-curve.ts [dir] [--aqmar-weight W]', () => {
  const { values: opt, positionals } = parseArgs({ options: { 'aqmar-weight': { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError(`one data folder at most (got ${positionals.join(', ')})`);
  const dir = path.resolve(positionals[0] ?? NER_DEV());
  const weight = numberOption('aqmar-weight', opt['aqmar-weight'], AQMAR_DEFAULTS.weight, 0);
  const extra = weight > 0 ? readAqmar({ misc: AQMAR_DEFAULTS.misc, weight }) : [];
  const docs = readGold(dir);
  const cut = Math.round(docs.length * 0.8);
  const test = docs.slice(cut);
  console.log(`test: the last ${test.length} of ${docs.length} documents of ${dir}${extra.length ? `; AQMAR (weight ${weight}) in every training set` : ''}`);
  for (const frac of [0.4, 0.6, 0.8]) {
    const train = docs.slice(Math.round(docs.length * (0.8 - frac)), cut);
    // Through the compact JSON form, as shipped (pruned, rounded).
    const model = deserializeModel(serializeModel(trainOnDocuments([...train, ...extra], { augmentDomains: AQMAR_DEFAULTS.augmentDomains })));
    const e = evaluateWithCorpus(test, model);
    console.log(`trained on ${String(Math.round(frac * 100)).padStart(2)} % (${train.length} documents): P ${e.micro.precision.toFixed(3)} R ${e.micro.recall.toFixed(3)} F1 ${e.micro.f1.toFixed(3)}`);
  }
});
