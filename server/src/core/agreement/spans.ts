/**
 * Exact-span agreement between two annotators: a span counts as matched when
 * the other annotator has the very same start, end and label. With annotator
 * A as the reference, precision = matched / spans of B and recall =
 * matched / spans of A; F1 = 2·matched / (spans of A + spans of B), the same
 * whichever annotator is the reference.
 */
import type { SpanCounts, SpanScores } from '../../protocol';
import type { LabeledSpan } from '../export/common';

// Declared in protocol.ts: the CLI's JSON and the server's agreement report carry them.
export type { SpanCounts, SpanScores } from '../../protocol';

export function emptyCounts(): SpanCounts {
  return { matched: 0, spansA: 0, spansB: 0 };
}

export function addCounts(into: SpanCounts, c: SpanCounts): void {
  into.matched += c.matched;
  into.spansA += c.spansA;
  into.spansB += c.spansB;
}

export function scores(c: SpanCounts): SpanScores {
  return {
    ...c,
    precision: c.spansB ? c.matched / c.spansB : null,
    recall: c.spansA ? c.matched / c.spansA : null,
    f1: c.spansA + c.spansB ? (2 * c.matched) / (c.spansA + c.spansB) : null,
  };
}

function spanKey(s: LabeledSpan): string {
  return `${s.start}:${s.end}`;
}

/**
 * Per-label counts of A's spans against B's. The same span given twice by one
 * annotator counts once (a duplicate is not a second decision).
 */
export function compareSpans(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): Map<string, SpanCounts> {
  const byLabel = new Map<string, SpanCounts>();
  const counts = (label: string): SpanCounts => {
    let c = byLabel.get(label);
    if (!c) byLabel.set(label, (c = emptyCounts()));
    return c;
  };
  const setA = distinct(a);
  const setB = distinct(b);
  for (const [key, labels] of setA) {
    const other = setB.get(key);
    for (const label of labels) {
      const c = counts(label);
      c.spansA++;
      if (other?.has(label)) c.matched++;
    }
  }
  for (const labels of setB.values()) for (const label of labels) counts(label).spansB++;
  return byLabel;
}

/** Span key → the distinct labels given to it. */
function distinct(spans: readonly LabeledSpan[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const s of spans) {
    const key = spanKey(s);
    let labels = m.get(key);
    if (!labels) m.set(key, (labels = new Set()));
    labels.add(s.label);
  }
  return m;
}

/** Sum of per-label counts: the micro average's counts. */
export function microCounts(byLabel: Iterable<SpanCounts>): SpanCounts {
  const total = emptyCounts();
  for (const c of byLabel) addCounts(total, c);
  return total;
}
