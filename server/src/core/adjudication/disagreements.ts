/**
 * Comparing annotator layers for adjudication: which spans every annotator
 * agrees on (written to the adjudicated sidecar at once), and where they
 * differ — missing in one, another label, other boundaries. Overlapping
 * spans of any annotators form one group, so "Ali Khan" PER against "Ali"
 * PER + "Khan" ORG is one disagreement with two readings, not three. A group
 * is agreed only when every annotator marked exactly the same spans with the
 * same labels in it. Entities and boilerplate are compared separately.
 * Pure: the caller reads the layers and places them on the text.
 */
import type { AnnotationKind, DisagreementReading, DisagreementSpan, SidecarAnnotation } from '../../protocol';
import { createAnnotation } from '../annotations/model';

export interface LayerReading {
  annotator: string;
  /** The layer's annotations placed on the current text (code point offsets). */
  annotations: readonly SidecarAnnotation[];
}

/** A span on which every annotator agrees. */
export interface AgreedSpan extends DisagreementSpan {
  kind: AnnotationKind;
}

export interface Disagreement {
  kind: AnnotationKind;
  /** Code point extent of the group. */
  start: number;
  end: number;
  /** One reading per annotator, in annotator order (an empty `spans`: nothing marked there). */
  readings: DisagreementReading[];
}

export interface LayerComparison {
  annotators: string[];
  agreed: AgreedSpan[];
  disagreements: Disagreement[];
}

const KINDS: readonly AnnotationKind[] = ['entity', 'boilerplate'];

/**
 * What an annotation says as a reading: its label (entities) or category
 * (boilerplate), or null when it marks nothing — rejected, orphaned, or
 * boilerplate kept as article text (`category: none`), which is how the
 * agreement figures count them too.
 */
export function readingLabel(a: SidecarAnnotation): string | null {
  if (a.orphaned || a.status !== 'accepted') return null;
  if (a.kind === 'entity') return a.label || null;
  return a.category && a.category !== 'none' ? a.category : null;
}

interface Item extends DisagreementSpan {
  who: number;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const spanKey = (s: DisagreementSpan): string => `${s.start}:${s.end}:${s.label}`;

/** Compares two or more layers (fewer compare nothing: every group would be "agreed" by one person). */
export function compareLayers(layers: readonly LayerReading[]): LayerComparison {
  const sorted = [...layers].sort((x, y) => byCodeUnit(x.annotator, y.annotator));
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].annotator === sorted[i - 1].annotator) throw new RangeError(`annotator "${sorted[i].annotator}" given twice`);
  const annotators = sorted.map((l) => l.annotator);
  const out: LayerComparison = { annotators, agreed: [], disagreements: [] };
  if (sorted.length < 2) return out;
  for (const kind of KINDS) {
    const items: Item[] = [];
    sorted.forEach((layer, who) => {
      const seen = new Set<string>();
      for (const a of layer.annotations) {
        if (a.kind !== kind) continue;
        const label = readingLabel(a);
        if (label === null || a.end <= a.start) continue;
        const item: Item = { who, start: a.start, end: a.end, text: a.text, label };
        // The same span given twice by one annotator is one decision.
        if (seen.has(spanKey(item))) continue;
        seen.add(spanKey(item));
        items.push(item);
      }
    });
    items.sort((x, y) => x.start - y.start || x.end - y.end || x.who - y.who || byCodeUnit(x.label, y.label));
    let group: Item[] = [];
    let groupEnd = -1;
    const flush = (): void => {
      if (group.length) classify(kind, group, sorted.length, annotators, out);
      group = [];
    };
    for (const item of items) {
      if (group.length && item.start >= groupEnd) flush();
      group.push(item);
      groupEnd = group.length === 1 ? item.end : Math.max(groupEnd, item.end);
    }
    flush();
  }
  out.disagreements.sort((x, y) => x.start - y.start || x.end - y.end || byCodeUnit(x.kind, y.kind));
  return out;
}

function classify(kind: AnnotationKind, group: Item[], n: number, annotators: string[], out: LayerComparison): void {
  const perAnnotator: Item[][] = Array.from({ length: n }, () => []);
  for (const item of group) perAnnotator[item.who].push(item);
  const keys = perAnnotator.map((spans) => spans.map(spanKey).sort().join('|'));
  if (keys.every((k) => k === keys[0])) {
    for (const s of perAnnotator[0]) out.agreed.push({ kind, start: s.start, end: s.end, text: s.text, label: s.label });
    return;
  }
  let start = Infinity;
  let end = -Infinity;
  for (const item of group) {
    start = Math.min(start, item.start);
    end = Math.max(end, item.end);
  }
  out.disagreements.push({
    kind,
    start,
    end,
    readings: perAnnotator.map((spans, who) => ({ annotator: annotators[who], spans: spans.map(({ start: s, end: e, text, label }) => ({ start: s, end: e, text, label })) })),
  });
}

/** Does the adjudicated layer decide anything (accepted, rejected, or kept as article text) of `kind` inside [start, end)? */
export function isDecided(gold: readonly SidecarAnnotation[], kind: AnnotationKind, start: number, end: number): boolean {
  return gold.some((a) => a.kind === kind && !a.orphaned && a.start < end && start < a.end);
}

/** The disagreements the adjudicated layer does not decide yet: a decision anywhere in a group settles it. */
export function openDisagreements(c: LayerComparison, gold: readonly SidecarAnnotation[]): Disagreement[] {
  return c.disagreements.filter((d) => !isDecided(gold, d.kind, d.start, d.end));
}

/** The agreed spans the adjudicated layer holds no decision on yet (an adjudicator's own decision there is kept). */
export function pendingAgreements(c: LayerComparison, gold: readonly SidecarAnnotation[]): AgreedSpan[] {
  return c.agreed.filter((s) => !isDecided(gold, s.kind, s.start, s.end));
}

/** The agreed spans as accepted annotations of the adjudicated layer, `source: "agreement"`. */
export function agreementAnnotations(text: string, spans: readonly AgreedSpan[], now: Date = new Date()): SidecarAnnotation[] {
  return spans.map((s) =>
    createAnnotation(text, s.start, s.end, {
      kind: s.kind,
      ...(s.kind === 'entity' ? { label: s.label } : { category: s.label }),
      status: 'accepted',
      source: 'agreement',
    }, now),
  );
}

function overlapping(spans: readonly DisagreementSpan[]): boolean {
  const sorted = [...spans].sort((x, y) => x.start - y.start || x.end - y.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return true;
  return false;
}

/** The distinct spans of some readings (one span marked by two of them counts once). */
function unionOf(d: Disagreement, annotators: readonly string[]): DisagreementSpan[] {
  const out = new Map<string, DisagreementSpan>();
  for (const r of d.readings) if (annotators.includes(r.annotator)) for (const s of r.spans) out.set(spanKey(s), s);
  return [...out.values()].sort((x, y) => x.start - y.start || x.end - y.end);
}

/**
 * The pairs of annotators whose readings can both be taken: each marked
 * something, their spans do not overlap, and together they say more than
 * either alone ("Take both").
 */
export function combinableReadings(d: Disagreement): [string, string][] {
  const out: [string, string][] = [];
  const keyOf = (r: DisagreementReading): string => r.spans.map(spanKey).join('|');
  for (let i = 0; i < d.readings.length; i++)
    for (let j = i + 1; j < d.readings.length; j++) {
      const a = d.readings[i];
      const b = d.readings[j];
      if (!a.spans.length || !b.spans.length || keyOf(a) === keyOf(b)) continue;
      const union = unionOf(d, [a.annotator, b.annotator]);
      if (union.length === a.spans.length || union.length === b.spans.length) continue;
      if (!overlapping(union)) out.push([a.annotator, b.annotator]);
    }
  return out;
}

export type Resolution = { action: 'take'; annotators: readonly string[] } | { action: 'reject-all' };

/**
 * The annotations that settle a disagreement in the adjudicated layer:
 * the taken readings' spans, accepted (`source: "adjudication:<annotators>"`);
 * or, for "reject all" and for a reading that marked nothing, every span of
 * every reading rejected (boilerplate: kept as article text). Throws
 * RangeError when a taken annotator is not one of the readings, or when the
 * taken readings overlap (one of them must be chosen).
 */
export function resolutionAnnotations(text: string, d: Disagreement, r: Resolution, now: Date = new Date()): SidecarAnnotation[] {
  let taken: DisagreementSpan[] = [];
  let source = 'adjudication';
  if (r.action === 'take') {
    if (!r.annotators.length) throw new RangeError('name the annotator whose reading to take');
    for (const a of r.annotators)
      if (!d.readings.some((x) => x.annotator === a)) throw new RangeError(`"${a}" is not one of the readings (${d.readings.map((x) => x.annotator).join(', ')})`);
    taken = unionOf(d, r.annotators);
    if (overlapping(taken)) throw new RangeError(`the readings of ${r.annotators.join(' and ')} overlap: take one of them`);
    source = `adjudication:${[...r.annotators].sort(byCodeUnit).join('+')}`;
  }
  if (taken.length) {
    return taken.map((s) =>
      createAnnotation(text, s.start, s.end, { kind: d.kind, ...(d.kind === 'entity' ? { label: s.label } : { category: s.label }), status: 'accepted', source }, now),
    );
  }
  // Nothing to take: every span any annotator marked is decided against.
  return unionOf(d, d.readings.map((x) => x.annotator)).map((s) =>
    d.kind === 'entity'
      ? createAnnotation(text, s.start, s.end, { kind: 'entity', label: s.label, status: 'rejected', source }, now)
      : createAnnotation(text, s.start, s.end, { kind: 'boilerplate', category: 'none', status: 'accepted', source }, now),
  );
}

/** A reading in a few words, for messages and quick-fix titles: `PER "Ali Khan"`, or `nothing`. */
export function describeReading(r: DisagreementReading, max = 3): string {
  if (!r.spans.length) return 'nothing';
  const shown = r.spans.slice(0, max).map((s) => `${s.label} "${clip(s.text)}"`);
  return shown.join(', ') + (r.spans.length > max ? `, … (${r.spans.length} spans)` : '');
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? one.slice(0, 37) + '…' : one;
}
