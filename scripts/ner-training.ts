/**
 * The training recipe of the shipped Arabic entity model, shared by train-ner, eval-ner
 * and the curve and adaptation scripts, so that every figure measures the same recipe.
 */
import type { AqmarMisc } from './ner-data';

/**
 * AQMAR as extra training data: its updates scaled by `weight`, its MISC used as
 * `misc` (see ner-data.ts AqmarMisc), its features in copies of their own
 * (`augmentDomains`, trainPerceptron). Chosen by 5-fold CV on ANERcorp (README).
 */
export const AQMAR_DEFAULTS: { weight: number; misc: AqmarMisc; augmentDomains: boolean } = { weight: 0.5, misc: 'uncertain', augmentDomains: true };
