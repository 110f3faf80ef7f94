/**
 * Creating and editing annotations in memory. Pure; every function returns new
 * arrays/objects (callers keep their previous state for three-way merges).
 */
import { randomBytes } from 'node:crypto';
import type { AnnotationKind, AnnotationStatus, Sidecar, SidecarAnnotation } from '../../protocol';
import { contextAt, indexFor } from './context';

export interface AnnotationFields {
  kind: AnnotationKind;
  label?: string;
  category?: string;
  status: AnnotationStatus;
  source: string;
  confidence?: number;
  note?: string;
}

/**
 * Random ids (not span hashes): two people annotating the same span in
 * parallel must get different ids, so the merge keeps both decisions.
 * 64 random bits → collisions are negligible within a document.
 */
export function newAnnotationId(): string {
  return 'a' + randomBytes(8).toString('hex');
}

/**
 * A new annotation over code points [startCp, endCp) of `text`, with text and
 * 32-code-point prefix/suffix filled in. Throws RangeError on an empty or
 * out-of-range span, or when the label/category required by `kind` is missing.
 */
export function createAnnotation(
  text: string,
  startCp: number,
  endCp: number,
  fields: AnnotationFields,
  now: Date = new Date(),
  id: string = newAnnotationId(),
): SidecarAnnotation {
  const index = indexFor(text);
  if (!Number.isSafeInteger(startCp) || !Number.isSafeInteger(endCp) || startCp < 0 || endCp <= startCp || endCp > index.codePointLength)
    throw new RangeError(`invalid span [${startCp},${endCp}) for a text of ${index.codePointLength} code points`);
  if (fields.kind === 'entity' && !fields.label) throw new RangeError('an entity annotation needs a label');
  if (fields.kind === 'boilerplate' && !fields.category) throw new RangeError('a boilerplate annotation needs a category');
  if (fields.confidence !== undefined && !(fields.confidence >= 0 && fields.confidence <= 1))
    throw new RangeError(`confidence must be in [0,1], got ${fields.confidence}`);
  const ts = now.toISOString();
  const { prefix, suffix } = contextAt(index, startCp, endCp);
  const a: SidecarAnnotation = {
    id,
    kind: fields.kind,
    start: startCp,
    end: endCp,
    text: index.sliceCodePoints(startCp, endCp),
    prefix,
    suffix,
    status: fields.status,
    source: fields.source,
    created: ts,
    modified: ts,
  };
  if (fields.kind === 'entity') a.label = fields.label;
  else a.category = fields.category;
  if (fields.confidence !== undefined) a.confidence = fields.confidence;
  if (fields.note !== undefined) a.note = fields.note;
  return a;
}

/** Does the annotation still cover exactly its text in `text`? */
export function isAnchored(text: string, a: SidecarAnnotation): boolean {
  const index = indexFor(text);
  return !a.orphaned && a.end <= index.codePointLength && index.sliceCodePoints(a.start, a.end) === a.text;
}

export interface SpanQuery {
  start: number;
  end: number;
  kind?: AnnotationKind;
  /** Matches `label` or `category`. */
  label?: string;
  status?: AnnotationStatus;
  /** Orphans are skipped unless this is true (their offsets are stale). */
  includeOrphans?: boolean;
}

/** Annotations exactly on [start,end) (and matching the optional filters). */
export function findBySpan(annotations: readonly SidecarAnnotation[], q: SpanQuery): SidecarAnnotation[] {
  return annotations.filter(
    (a) =>
      a.start === q.start &&
      a.end === q.end &&
      (q.includeOrphans || !a.orphaned) &&
      (q.kind === undefined || a.kind === q.kind) &&
      (q.label === undefined || (a.label ?? a.category) === q.label) &&
      (q.status === undefined || a.status === q.status),
  );
}

/** Non-orphan annotations overlapping [start,end) (touching does not count). */
export function findOverlapping(annotations: readonly SidecarAnnotation[], start: number, end: number): SidecarAnnotation[] {
  return annotations.filter((a) => !a.orphaned && a.start < end && start < a.end);
}

export function findById(annotations: readonly SidecarAnnotation[], id: string): SidecarAnnotation | undefined {
  return annotations.find((a) => a.id === id);
}

/**
 * Inserts `a`, or replaces the annotation with the same id (keeping its
 * `created`). Otherwise replaces an annotation with the same span, kind and
 * label|category (one decision per span and label: accepting PER after
 * rejecting PER overrides), keeping that one's id and `created` so merges see
 * an edit, not a delete + add. Rejecting PER and accepting LOC coexist.
 */
export function upsertAnnotation(annotations: readonly SidecarAnnotation[], a: SidecarAnnotation): SidecarAnnotation[] {
  let i = annotations.findIndex((x) => x.id === a.id);
  if (i < 0)
    i = annotations.findIndex(
      (x) => !x.orphaned && x.kind === a.kind && x.start === a.start && x.end === a.end && (x.label ?? x.category) === (a.label ?? a.category),
    );
  if (i < 0) return [...annotations, a];
  const old = annotations[i];
  const out = annotations.slice();
  out[i] = { ...a, id: old.id, created: old.created };
  return out;
}

/** Removes by id; returns the same array when the id is absent. */
export function removeAnnotation(annotations: readonly SidecarAnnotation[], id: string): SidecarAnnotation[] {
  const out = annotations.filter((a) => a.id !== id);
  return out.length === annotations.length ? (annotations as SidecarAnnotation[]) : out;
}

/** Copy of `s` with its annotations replaced. */
export function withAnnotations(s: Sidecar, annotations: SidecarAnnotation[]): Sidecar {
  return { ...s, annotations };
}
