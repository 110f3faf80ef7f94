/**
 * Entity metric of /shared/eval: exact span + exact label, micro P/R/F1,
 * with one allowance: a predicted span may leave out 1–3 leading proclitic
 * letters (و ف ب ل ك) that the gold span carries (gold وإسرائيل, predicted إسرائيل).
 */

export interface LabeledSpan {
  start: number;
  end: number;
  label: string;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

const PROCLITIC_LETTERS = new Set(['و', 'ف', 'ب', 'ل', 'ك']);

/** Does predicted span `p` match gold span `g` of `text` under the allowance? */
export function spanMatches(text: string, g: LabeledSpan, p: LabeledSpan): boolean {
  if (g.label !== p.label || g.end !== p.end) return false;
  const skip = p.start - g.start;
  if (skip === 0) return true;
  if (skip < 0 || skip > 3) return false;
  for (let k = g.start; k < p.start; k++) if (!PROCLITIC_LETTERS.has(text[k])) return false;
  return true;
}

/** Counts per label for one document (spans in the same unit as `text` indices). */
export function countDocument(text: string, gold: LabeledSpan[], pred: LabeledSpan[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const get = (l: string) => {
    let c = out.get(l);
    if (!c) out.set(l, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  const used = new Set<number>();
  for (const p of pred) {
    const gi = gold.findIndex((g, i) => !used.has(i) && spanMatches(text, g, p));
    if (gi >= 0) {
      used.add(gi);
      get(p.label).tp++;
    } else get(p.label).fp++;
  }
  gold.forEach((g, i) => {
    if (!used.has(i)) get(g.label).fn++;
  });
  return out;
}

export function addCounts(into: Map<string, Counts>, from: Map<string, Counts>): void {
  for (const [l, c] of from) {
    const t = into.get(l) ?? { tp: 0, fp: 0, fn: 0 };
    t.tp += c.tp;
    t.fp += c.fp;
    t.fn += c.fn;
    into.set(l, t);
  }
}

export function scores(c: Counts): Scores {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...c, precision, recall, f1 };
}

export function micro(per: Map<string, Counts>): Scores {
  const t: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const c of per.values()) {
    t.tp += c.tp;
    t.fp += c.fp;
    t.fn += c.fn;
  }
  return scores(t);
}
