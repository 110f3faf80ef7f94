/**
 * The adjudication commands: Adjudicate Document (write what every annotator
 * agrees on, show the rest), Stop Adjudicating, and resolving one
 * disagreement. Every write is a DecisionBatch on the adjudicated sidecar, so
 * it is merged safely with other writers and can be undone.
 */
import type {
  AdjudicateArgs,
  AdjudicateResult,
  ResolveDisagreementArgs,
  ResolveDisagreementResult,
  StopAdjudicatingArgs,
} from '../protocol';
import {
  agreementAnnotations,
  openDisagreements,
  pendingAgreements,
  resolutionAnnotations,
  type Disagreement,
} from '../core/adjudication/disagreements';
import { isAnnotatorName } from '../core/annotations/layers';
import { reviewState } from '../core/corpus/review';
import { listLayers } from '../host/layers';
import { annotatorLayers, comparisonFor, docName } from './adjudication';
import { DecisionBatch, editableDocument, openDocument, throwIfFailed } from './decisions';
import { switchLayer, UserError } from './documents';
import type { ServerState } from './state';

function checkNames(names: readonly string[] | undefined): void {
  const bad = names?.filter((n) => !isAnnotatorName(n)) ?? [];
  if (bad.length) throw new UserError(`Not annotator names: ${bad.map((b) => JSON.stringify(b.slice(0, 50))).join(', ')} (ASCII letters, digits, "_" and "-").`);
}

/**
 * Starts (or refreshes) the adjudication of an open document: it is edited in
 * the adjudicated sidecar from now on; the spans every annotator agrees on
 * and that the sidecar does not decide yet are written there, as accepted
 * with `source: "agreement"`, in one undoable batch; when nothing is left to
 * decide the adjudicated review status becomes `done`.
 */
export function adjudicate(state: ServerState, a: AdjudicateArgs): AdjudicateResult {
  checkNames(a.annotators);
  const doc = openDocument(state, a.uri);
  if (!doc.path) throw new UserError('This document is not a file on disk; save it before adjudicating.');
  const chosen = a.annotators?.length ? new Set(a.annotators) : null;
  const present = listLayers(doc.path).map((e) => e.annotator).filter((n) => !chosen || chosen.has(n));
  if (present.length < 2) {
    const missing = chosen ? [...chosen].filter((n) => !present.includes(n)) : [];
    throw new UserError(
      `Adjudication needs the layers of two or more annotators; ${docName(doc)} has ${present.length ? `only ${present.join(', ')}'s` : 'none'}` +
        (missing.length ? ` (no layer of ${missing.join(', ')})` : '') +
        '. Layers are the files article.txt.ann.<annotator>.json next to the text.',
    );
  }
  const wasOn = state.adjudications.isOn(doc);
  state.adjudications.start(doc.path, a.annotators);
  try {
    switchLayer(doc, null);
    doc.others = null;
    editableDocument(state, a.uri, { adjudication: true });
  } catch (err) {
    if (!wasOn) leave(state, doc.path);
    throw err;
  }
  const layers = annotatorLayers(state.adjudications, doc);
  const c = comparisonFor(state.adjudications, doc);
  if (!c) {
    if (!wasOn) leave(state, doc.path);
    const reasons = layers.skipped.map((s) => `${s.annotator}: ${s.reason}`).join(' ');
    throw new UserError(`Fewer than two layers of ${docName(doc)} can be read. ${reasons}`);
  }
  const pending = pendingAgreements(c, doc.annotations);
  const batch = new DecisionBatch(state, `Adjudicate ${docName(doc)}: write ${pending.length} span(s) all annotators agree on`);
  batch.touch(doc);
  doc.annotations = [...doc.annotations, ...agreementAnnotations(doc.text, pending)];
  const open = openDisagreements(c, doc.annotations);
  if (!open.length && doc.review.status !== 'done') doc.review = reviewState('done');
  const r = throwIfFailed(batch.commit());
  return {
    ...r,
    annotators: c.annotators,
    notDone: layers.notDone,
    skipped: layers.skipped,
    agreed: pending.length,
    disagreements: open.length,
    review: doc.review.status,
  };
}

/** The document goes back to the layer the user annotates in. */
export function stopAdjudicating(state: ServerState, a: StopAdjudicatingArgs): { adjudicating: false } {
  const doc = openDocument(state, a.uri);
  if (doc.path) leave(state, doc.path);
  return { adjudicating: false };
}

function leave(state: ServerState, file: string): void {
  state.adjudications.stop(file);
  const doc = state.findDocByPath(file);
  if (!doc) return;
  switchLayer(doc, state.workspace.layer);
  doc.others = null;
  state.refresh(doc);
  state.queue.changed();
}

/** Settles one open disagreement in the adjudicated sidecar. */
export function resolveDisagreement(state: ServerState, a: ResolveDisagreementArgs): ResolveDisagreementResult {
  checkNames(a.annotators);
  const doc = editableDocument(state, a.uri, { adjudication: true });
  if (!state.adjudications.isOn(doc) || doc.layer !== null) throw new UserError(`${docName(doc)} is not being adjudicated: run Adjudicate Document first.`);
  const c = comparisonFor(state.adjudications, doc);
  if (!c) throw new UserError(`Fewer than two annotator layers of ${docName(doc)} can be read now.`);
  const same = (d: Disagreement): boolean => d.kind === a.annotationKind && d.start === a.start && d.end === a.end;
  const d = openDisagreements(c, doc.annotations).find(same);
  if (!d) {
    throw new UserError(
      c.disagreements.some(same)
        ? 'The adjudicated sidecar already decides this span (undo that decision to choose again).'
        : 'The annotators no longer disagree there: their layers changed since the diagnostic was shown.',
    );
  }
  let add;
  try {
    add = resolutionAnnotations(doc.text, d, a.action === 'take' ? { action: 'take', annotators: a.annotators ?? [] } : { action: 'reject-all' });
  } catch (err) {
    if (err instanceof RangeError) throw new UserError(err.message);
    throw err;
  }
  const what = a.action === 'take' ? `Take ${(a.annotators ?? []).join(' and ')}'s reading` : 'Reject every reading';
  const batch = new DecisionBatch(state, `${what} of "${doc.index.sliceCodePoints(d.start, d.end).slice(0, 40)}"`);
  batch.touch(doc);
  doc.annotations = [...doc.annotations, ...add];
  const r = throwIfFailed(batch.commit());
  return { ...r, remaining: openDisagreements(c, doc.annotations).length, review: doc.review.status };
}
