/**
 * Weights of the block classifier. Stage 1 scores a line from its own
 * signals (order = FEATURE_NAMES), stage 2 adds its context (CONTEXT_FEATURES).
 * Fitted by bagged logistic regression (train.ts) on the 79 boilerplate-dev pages and the
 * 93 boilerplate-readability pages together — two sources, so that the weights follow no
 * single site collection (4 bags, 600 iterations); regenerate with
 * `node --import tsx scripts/eval-boilerplate-generalisation.ts --bags 4 --iterations 600 --print`,
 * which also prints the figures that show they generalise (dev K-fold, cross-source).
 * Kept as plain numbers so the core has no I/O. The pages' sources are credited in NOTICE.md
 * (scrapinghub's benchmark, MIT; mozilla/readability's test pages, Apache-2.0): no page text ships.
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
  stage1: [-1.753, 0.562, 0.022, 0.305, 0.902, -1.366, 0.673, 0.182, 0.266, -0.835, -0.067, -0.193, -0.87, -0.432, -0.23, -0.706, 0.734, -0.638, -1.611, -1.839, 1.101, -2.479, 0.326, -0.262, 0.2],
  regionCentre: 0.5,
  regionCap: 100,
  linePenalty: 0,
  negScale: 1,
  stage2: [1.078, 0.936, 0.986, 2.465, 0.532, -0.418, -1.08, 0.151, 0.408, -0.59, -0.19, 1.324, 0.392, 0.558, -0.642, 0.857, -0.937],
};
