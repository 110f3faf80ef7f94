/**
 * Context: a page has one main article region, the densest run of good
 * blocks. Found as the maximum-sum contiguous segment of per-line gains
 * (good prose adds its length, menus and teasers subtract), it lets short
 * lines inside the article (sub-headings, one-line quotes) be kept and long
 * but stray text far from it (comments, teasers) be dropped.
 */

export interface Region {
  start: number;
  end: number; // inclusive
  score: number;
}

export function maxSegment(gains: readonly number[]): Region | undefined {
  let best: Region | undefined;
  let curStart = 0;
  let cur = 0;
  for (let i = 0; i < gains.length; i++) {
    if (cur <= 0) {
      cur = 0;
      curStart = i;
    }
    cur += gains[i]!;
    if (!best || cur > best.score) best = { start: curStart, end: i, score: cur };
  }
  return best && best.score > 0 ? best : undefined;
}

/** Mean of a value over up to `k` neighbours on each side (not the line itself). */
export function neighbourMean(values: readonly number[], i: number, k: number): number {
  let s = 0;
  let n = 0;
  for (let d = 1; d <= k; d++) {
    if (i - d >= 0) {
      s += values[i - d]!;
      n++;
    }
    if (i + d < values.length) {
      s += values[i + d]!;
      n++;
    }
  }
  return n ? s / n : 0;
}

/**
 * For every line, the score of the best segment that contains it, divided by
 * the best segment overall: 1 inside the main region, high in a secondary
 * article-like run, negative in menus. A soft version of "in the region"
 * that degrades gracefully when the page has two candidate regions.
 */
export function segmentSupport(gains: readonly number[]): number[] {
  const n = gains.length;
  const endAt = new Array<number>(n);
  const startAt = new Array<number>(n);
  let run = 0;
  for (let i = 0; i < n; i++) {
    run = Math.max(run, 0) + gains[i]!;
    endAt[i] = run;
  }
  run = 0;
  for (let i = n - 1; i >= 0; i--) {
    run = Math.max(run, 0) + gains[i]!;
    startAt[i] = run;
  }
  let best = 0;
  for (let i = 0; i < n; i++) best = Math.max(best, endAt[i]!);
  if (best <= 0) return new Array<number>(n).fill(-1);
  return gains.map((g, i) => Math.max(-1, Math.min(1, (endAt[i]! + startAt[i]! - g) / best)));
}
