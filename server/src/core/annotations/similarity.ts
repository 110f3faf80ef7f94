/** String similarity on code points (context and fuzzy matching for re-anchoring). */

/** Levenshtein distance between two code point arrays; O(|a|·|b|) time, O(|b|) memory. */
export function levenshtein(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 for identical strings, 0 for nothing in common (normalised edit distance). Both empty → 1. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const ca = Array.from(a);
  const cb = Array.from(b);
  const m = Math.max(ca.length, cb.length);
  return m === 0 ? 1 : 1 - levenshtein(ca, cb) / m;
}

/** Number of equal code units at the end of both strings (cheap context pre-score). */
export function commonSuffixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** Number of equal code units at the start of both strings. */
export function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export interface ApproxMatch {
  /** Offsets into the searched array (code points), end exclusive. */
  start: number;
  end: number;
  distance: number;
}

/**
 * Approximate substring search (Sellers): every place where `pattern` occurs
 * in `text` with at most `maxDistance` edits. Overlapping hits are reduced to
 * the best one (lowest distance, then length closest to the pattern's).
 * O(|pattern|·|text|): callers bound both.
 */
export function approximateMatches(pattern: readonly string[], text: readonly string[], maxDistance: number): ApproxMatch[] {
  const m = pattern.length;
  const n = text.length;
  if (m === 0) return [];
  // Column-wise DP over the text: D[i] = best distance of pattern[0..i) ending at the current text position;
  // S[i] = where that alignment starts in the text (so we can recover the span without backtracking).
  let D = new Array<number>(m + 1);
  let S = new Array<number>(m + 1);
  let D2 = new Array<number>(m + 1);
  let S2 = new Array<number>(m + 1);
  for (let i = 0; i <= m; i++) {
    D[i] = i;
    S[i] = 0;
  }
  const hits: ApproxMatch[] = [];
  if (D[m] <= maxDistance) hits.push({ start: 0, end: 0, distance: D[m] });
  for (let j = 1; j <= n; j++) {
    D2[0] = 0; // free start anywhere in the text
    S2[0] = j;
    const c = text[j - 1];
    for (let i = 1; i <= m; i++) {
      let best = D[i - 1] + (pattern[i - 1] === c ? 0 : 1);
      let st = S[i - 1];
      if (D2[i - 1] + 1 < best) {
        best = D2[i - 1] + 1; // pattern char missing from the text
        st = S2[i - 1];
      }
      if (D[i] + 1 < best) {
        best = D[i] + 1; // extra text char
        st = S[i];
      }
      D2[i] = best;
      S2[i] = st;
    }
    [D, D2] = [D2, D];
    [S, S2] = [S2, S];
    if (D[m] <= maxDistance) hits.push({ start: S[m], end: j, distance: D[m] });
  }
  // Keep the best of every cluster of overlapping hits.
  hits.sort((a, b) => a.distance - b.distance || Math.abs(a.end - a.start - m) - Math.abs(b.end - b.start - m) || a.start - b.start);
  const kept: ApproxMatch[] = [];
  for (const h of hits) {
    if (h.end <= h.start) continue;
    if (kept.some((k) => k.start < h.end && h.start < k.end)) continue;
    kept.push(h);
  }
  return kept;
}
