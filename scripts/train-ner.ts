/**
 * Trains the Arabic entity tagger and writes data/model/ner-ar.json: on ANERcorp dev
 * (all documents, or the first fraction with --head) plus AQMAR (../shared/train/aqmar,
 * down-weighted, its MISC as uncertain; see ner-training.ts).
 *   npm run train:ner [-- dir] [--epochs N] [--folds K] [--out FILE] [--head F]
 *                     [--aqmar-weight W] [--aqmar-misc uncertain|drop|keep] [--aqmar-domain on|off]
 * With --folds K it prints K-fold cross-validated figures first (documents in
 * contiguous blocks; see core/detect/entities/train.ts).
 * With --head F it trains on the first fraction F of the ANERcorp documents only (in
 * corpus order), leaving the tail for a held-out check through the server:
 *   npm run train:ner -- --head 0.8 --out /tmp/ner-head.json
 *   npm run eval:server -- ner --tail 0.2 --model /tmp/ner-head.json
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { scores } from '../server/src/core/detect/entities/metric';
import { packModel, writtenFeatures } from '../server/src/core/detect/entities/tagger';
import { crossValidate, trainOnDocuments } from '../server/src/core/detect/entities/train';
import { AQMAR_MISC, NER_DEV, numberOption, onOff, printEvaluation, readAqmar, readGold, runScript, UsageError, type AqmarMisc } from './ner-data';
import { AQMAR_DEFAULTS } from './ner-training';

const USAGE = 'npm run train:ner -- [dir] [--epochs N] [--folds K] [--out FILE] [--head F] [--aqmar-weight W] [--aqmar-misc uncertain|drop|keep] [--aqmar-domain on|off]';

runScript(USAGE, () => {
  const { values: opt, positionals } = parseArgs({
    options: {
      epochs: { type: 'string' },
      folds: { type: 'string' },
      out: { type: 'string' },
      head: { type: 'string' },
      'aqmar-weight': { type: 'string' },
      'aqmar-misc': { type: 'string' },
      'aqmar-domain': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError(`one data folder at most (got ${positionals.join(', ')})`);
  const epochs = numberOption('epochs', opt.epochs, 10, 1);
  const folds = numberOption('folds', opt.folds, 0, 0);
  const head = numberOption('head', opt.head, 1, 0, 1);
  const aqmarWeight = numberOption('aqmar-weight', opt['aqmar-weight'], AQMAR_DEFAULTS.weight, 0);
  const misc = (opt['aqmar-misc'] ?? AQMAR_DEFAULTS.misc) as AqmarMisc;
  if (!AQMAR_MISC.includes(misc)) throw new UsageError(`--aqmar-misc must be one of ${AQMAR_MISC.join(', ')} (got ${JSON.stringify(misc)})`);
  const root = path.resolve(__dirname, '..');
  const out = path.resolve(opt.out ?? path.join(root, 'data/model/ner-ar.json'));
  const dir = path.resolve(positionals[0] ?? NER_DEV());
  const all = readGold(dir);
  // Held-out parts of a corpus are its tail: train on the head only when asked.
  const docs = all.slice(0, Math.round(all.length * head));
  const augmentDomains = onOff('aqmar-domain', opt['aqmar-domain'], AQMAR_DEFAULTS.augmentDomains);
  const extra = aqmarWeight > 0 ? readAqmar({ misc, weight: aqmarWeight }) : [];
  console.log(`${docs.length} of ${all.length} documents from ${dir}${extra.length ? ` + ${extra.length} AQMAR documents (weight ${aqmarWeight}, MISC ${misc})` : ''}`);

  if (folds > 1) {
    const t0 = Date.now();
    const e = crossValidate(docs, folds, { epochs, extra, train: { augmentDomains }, onFold: (f, ev) => console.log(`fold ${f + 1}/${folds}: F1 ${(ev.micro.f1 * 100).toFixed(1)}`) });
    printEvaluation(`${folds}-fold cross-validation over documents (${((Date.now() - t0) / 1000).toFixed(0)} s)`, e, scores);
  }

  const t0 = Date.now();
  const model = trainOnDocuments([...docs, ...extra], { epochs, augmentDomains });
  const sources = [`ANERcorp (CC BY-SA 4.0), ${docs.length} documents`, ...(extra.length ? [`AQMAR (CC BY-SA 3.0), ${extra.length} documents, weight ${aqmarWeight}, MISC ${misc}${augmentDomains ? ', features in domain copies' : ''}`] : [])];
  model.meta = { ...model.meta, trainedOn: sources.join('; '), created: new Date().toISOString().slice(0, 10) };
  const serialized = packModel(model);
  const json = JSON.stringify(serialized);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, json);
  console.log(`\nmodel: ${model.weights.size} features trained, ${writtenFeatures(serialized)} kept after pruning, in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, out)} (${(Buffer.byteLength(json) / 1024 / 1024).toFixed(2)} MiB)`);
});
