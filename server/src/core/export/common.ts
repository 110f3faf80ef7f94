/**
 * Shared preparation for every exporter: which annotations count, with which
 * offsets, and what "boilerplate" means once explicit keeps are applied.
 *
 * Every exporter works on code point offsets (the sidecar contract); the
 * formats that need another unit (Label Studio: UTF-16) convert at the edge.
 */
import type { DocumentTags, SidecarAnnotation } from '../../protocol';
import { TextIndex } from '../text/offsets';

export interface ExportDocument {
  /** Relative path of the document in the corpus, e.g. `sub/article.txt` ('/' separated). */
  name: string;
  text: string;
  annotations: SidecarAnnotation[];
  /** The document's tags (document-level annotations), when it has any. */
  tags?: DocumentTags;
}

/** The tags worth writing: none when empty. */
export function tagsOf(doc: Pick<ExportDocument, 'tags'>): DocumentTags | undefined {
  return doc.tags && Object.keys(doc.tags).length ? doc.tags : undefined;
}

/** A code point span with a label (entity label or boilerplate category). */
export interface LabeledSpan {
  start: number;
  end: number;
  label: string;
  /** Sidecar id, when the span comes straight from one annotation. */
  id?: string;
}

/** A document with its text indexed and its annotations validated. */
export interface PreparedDocument {
  name: string;
  text: string;
  tags?: DocumentTags;
  index: TextIndex;
  /** Code points of the text (one string per code point). */
  cps: string[];
  /** Accepted entities with valid offsets, sorted by (start, -end). May overlap. */
  entities: LabeledSpan[];
  /** Accepted boilerplate minus explicit keeps (category `none`), sorted. May overlap. */
  boilerplate: LabeledSpan[];
  /** Explicit keeps (`category: 'none'`), merged and sorted. */
  keeps: { start: number; end: number }[];
}

export type ProblemSink = (message: string) => void;

/** Category that marks text as article text (the user's "not boilerplate"). */
export const KEEP_CATEGORY = 'none';

export function prepareDocument(doc: ExportDocument, onProblem?: ProblemSink): PreparedDocument {
  const index = new TextIndex(doc.text);
  const cps = Array.from(doc.text);
  const len = cps.length;
  const entities: LabeledSpan[] = [];
  const rawBoilerplate: LabeledSpan[] = [];
  const keeps: { start: number; end: number }[] = [];
  for (const a of doc.annotations) {
    // Rejected decisions never reach an export; orphans have offsets that no longer mean anything.
    if (a.status !== 'accepted') continue;
    const where = `${doc.name}: annotation ${a.id}`;
    if (a.orphaned) {
      onProblem?.(`${where} is orphaned (its text was not found again); skipped`);
      continue;
    }
    if (!Number.isInteger(a.start) || !Number.isInteger(a.end) || a.start < 0 || a.end > len || a.start >= a.end) {
      onProblem?.(`${where} has offsets ${a.start}-${a.end} outside the text (length ${len}); skipped`);
      continue;
    }
    // The stored text is the sidecar's own consistency check: a mismatch means
    // the offsets are stale, and exporting them would silently mislabel text.
    if (typeof a.text === 'string' && a.text !== '' && a.text !== cps.slice(a.start, a.end).join('')) {
      onProblem?.(`${where} text does not match the document at ${a.start}-${a.end}; skipped`);
      continue;
    }
    if (a.kind === 'entity') {
      if (!a.label) {
        onProblem?.(`${where} is an entity without a label; skipped`);
        continue;
      }
      entities.push({ start: a.start, end: a.end, label: a.label, id: a.id });
    } else if (a.kind === 'boilerplate') {
      const category = a.category ?? 'boilerplate';
      if (category === KEEP_CATEGORY) keeps.push({ start: a.start, end: a.end });
      else rawBoilerplate.push({ start: a.start, end: a.end, label: category, id: a.id });
    }
  }
  entities.sort(bySpan);
  const mergedKeeps = mergeRanges(keeps);
  const boilerplate: LabeledSpan[] = [];
  for (const b of rawBoilerplate) {
    const pieces = subtractRanges(b, mergedKeeps);
    // A piece keeps the sidecar id only when the keep did not cut the span.
    for (const p of pieces) boilerplate.push(pieces.length === 1 && p.start === b.start && p.end === b.end ? { ...b } : { start: p.start, end: p.end, label: b.label });
  }
  boilerplate.sort(bySpan);
  return { name: doc.name, text: doc.text, ...(doc.tags ? { tags: doc.tags } : {}), index, cps, entities, boilerplate, keeps: mergedKeeps };
}

export function bySpan(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || b.end - a.end;
}

/** Union of ranges, sorted, adjacent ranges joined. */
export function mergeRanges(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort(bySpan);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** `span` minus the (sorted, disjoint) `holes`. */
export function subtractRanges(span: { start: number; end: number }, holes: { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let cur = span.start;
  for (const h of holes) {
    if (h.end <= cur) continue;
    if (h.start >= span.end) break;
    if (h.start > cur) out.push({ start: cur, end: h.start });
    cur = Math.max(cur, h.end);
    if (cur >= span.end) break;
  }
  if (cur < span.end) out.push({ start: cur, end: span.end });
  return out;
}

/** Code point mask of the text removed as boilerplate (after keeps). */
export function boilerplateMask(doc: PreparedDocument): Uint8Array {
  const mask = new Uint8Array(doc.cps.length);
  for (const b of doc.boilerplate) mask.fill(1, b.start, b.end);
  return mask;
}

/**
 * Greedy non-overlapping subset of sorted spans (earliest start, longest first):
 * formats that tag tokens cannot express nesting, so the rest are reported.
 */
export function dropOverlaps(spans: LabeledSpan[], onDrop?: (s: LabeledSpan, kept: LabeledSpan) => void): LabeledSpan[] {
  const out: LabeledSpan[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      onDrop?.(s, last);
      continue;
    }
    out.push(s);
  }
  return out;
}

/** Up to `n` code points before `start` and after `end`, as context selectors want. */
export function contextAround(cps: string[], start: number, end: number, n = 32): { prefix: string; suffix: string } {
  return { prefix: cps.slice(Math.max(0, start - n), start).join(''), suffix: cps.slice(end, end + n).join('') };
}
