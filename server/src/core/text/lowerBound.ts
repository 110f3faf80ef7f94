/**
 * Binary search: the first index of [0, n) where `before(i)` is false, for a `before` that holds
 * on a prefix of [0, n) and on nothing after it (a sorted list, asked "is item i before x?");
 * n when it holds everywhere. One loop for the corpus, anchoring, offsets and layers code that
 * each wrote it out.
 */
export function lowerBound(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
