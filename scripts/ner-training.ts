/**
 * The training recipe of the shipped Arabic entity model, shared by train-ner, eval-ner
 * and the curve and adaptation scripts, so that every figure measures the same recipe.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../server/src/core/detect/entities/index';
import { packModel, type TaggerModel } from '../server/src/core/detect/entities/tagger';
import type { AqmarMisc } from './ner-data';

/**
 * AQMAR as extra training data: its updates scaled by `weight`, its MISC used as
 * `misc` (see ner-data.ts AqmarMisc), its features in copies of their own
 * (`augmentDomains`, trainPerceptron). Chosen by 5-fold CV on ANERcorp (README).
 */
export const AQMAR_DEFAULTS: { weight: number; misc: AqmarMisc; augmentDomains: boolean } = { weight: 0.5, misc: 'uncertain', augmentDomains: true };

/**
 * A trained model read back through the packed JSON form, as shipped, or the copy kept in
 * `cacheDir` by an earlier run under the same name (`--cache` of eval:ner and eval:adapt, which
 * share `fold-F-of-K.json`, the shipped recipe trained without fold F: runs that change only
 * what happens after training need not retrain; delete the folder after changing the
 * features, the data or the recipe).
 */
export function trainedModel(cacheDir: string | undefined, name: string, train: () => TaggerModel): TaggerModel {
  const file = cacheDir && path.join(cacheDir, `${name}.json`);
  if (file && fs.existsSync(file)) return loadModel(fs.readFileSync(file, 'utf8'));
  const json = JSON.stringify(packModel(train()));
  if (file) {
    fs.mkdirSync(cacheDir!, { recursive: true });
    fs.writeFileSync(file, json);
  }
  return loadModel(json);
}
