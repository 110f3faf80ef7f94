/**
 * The article-extraction-benchmark metric: 4-token shingles of `\w+` runs,
 * compared as multisets; per page tp/fp/fn are normalised to sum 1 so every
 * page weighs the same, precision and recall are averaged over pages and F1
 * is the harmonic mean of those two averages.
 */

// Python's `\w` (Unicode) is letters, digits and underscore; combining marks
// are not word characters there, so they split tokens here too.
const TOKEN_RE = /[\p{L}\p{N}_]+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

export function shingles(text: string, n = 4): Map<string, number> {
  const tokens = tokenize(text);
  const out = new Map<string, number>();
  // Like the reference: a text shorter than n tokens still yields one shingle.
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const sh = tokens.slice(i, i + n).join(' ');
    if (sh) out.set(sh, (out.get(sh) ?? 0) + 1);
  }
  return out;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export function scorePage(gold: string, predicted: string, n = 4): PageScore {
  const g = shingles(gold, n);
  const p = shingles(predicted, n);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [k, gc] of g) {
    const pc = p.get(k) ?? 0;
    tp += Math.min(gc, pc);
    fn += Math.max(0, gc - pc);
  }
  for (const [k, pc] of p) fp += Math.max(0, pc - (g.get(k) ?? 0));
  const s = tp + fp + fn;
  if (s > 0) {
    tp /= s;
    fp /= s;
    fn /= s;
  }
  // An empty prediction of an empty page is perfect, not undefined.
  const precision = tp + fp > 0 ? tp / (tp + fp) : fn > 0 ? 0 : 1;
  const recall = tp + fn > 0 ? tp / (tp + fn) : fp > 0 ? 0 : 1;
  return { tp, fp, fn, precision, recall };
}

export interface CorpusScore {
  pages: number;
  precision: number;
  recall: number;
  f1: number;
}

export function aggregate(scores: readonly PageScore[]): CorpusScore {
  const n = scores.length;
  if (n === 0) return { pages: 0, precision: 0, recall: 0, f1: 0 };
  let p = 0;
  let r = 0;
  for (const s of scores) {
    p += s.precision;
    r += s.recall;
  }
  p /= n;
  r /= n;
  const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
  return { pages: n, precision: p, recall: r, f1 };
}

/** The text left after removing flagged spans (what the metric scores). */
export function keptText(text: string, blocks: readonly { start: number; end: number }[]): string {
  const parts: string[] = [];
  let pos = 0;
  for (const b of blocks) {
    if (b.start > pos) parts.push(text.slice(pos, b.start));
    pos = Math.max(pos, b.end);
  }
  parts.push(text.slice(pos));
  return parts.join('\n');
}
