/**
 * Weights of the block classifier. Stage 1 scores a line from its own
 * signals (order = FEATURE_NAMES), stage 2 adds its context (CONTEXT_FEATURES).
 * Fitted by bagged logistic regression on labelled news pages (train.ts;
 * regenerate with `node --import tsx scripts/eval-boilerplate.ts --fit`).
 * Kept as plain numbers so the core has no I/O.
 */
export interface Model {
  stage1: number[];
  /** Gain of a line for the region search is (p − centre) × min(words, cap). */
  regionCentre: number;
  regionCap: number;
  /** Negative gains are scaled by this (< 1 lets the region bridge captions and ads). */
  negScale: number;
  /** Every line also costs this much, so runs of many short lines break the region. */
  linePenalty: number;
  /** Stage 2: the line's own logit plus its context (order = CONTEXT_FEATURES). */
  stage2: number[];
}

export const DEFAULT_MODEL: Model = {
  stage1: [-2.626, 0.868, -0.236, 0.182, 1.826, -1.961, 0.076, 0.152, 0.276, 0.292, -0.006, 0.594, -0.745, -0.638, -0.264, -1.476, 0.992, -0.983, -1.989, -1.729, 1.379, -1.962, 0.475, -0.062, 0.268],
  regionCentre: 0.5,
  regionCap: 100,
  linePenalty: 0,
  negScale: 1,
  stage2: [1.111, 1.28, 1.015, 2.345, 0.803, -0.446, -0.473, 0.357, 0.181, -0.613, -0.163, 1.409, 0.028, 0.285, -0.513, 0.695, -0.974],
};
