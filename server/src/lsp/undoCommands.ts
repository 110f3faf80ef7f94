/** Undo Annotation / Redo Annotation: revert or re-apply the last decision batch through the safe write path. */
import * as path from 'node:path';
import type { DocumentTags, UndoResult } from '../protocol';
import { mergeTags } from '../core/annotations/tags';
import { DecisionBatch, documentForFile } from './decisions';
import type { ServerState } from './state';
import { applyChange, type Batch } from './undo';

export async function undo(state: ServerState): Promise<UndoResult> {
  const b = state.undo.popUndo();
  if (!b) return { batch: null, documents: 0, annotations: 0, description: null };
  const r = await replay(state, b, 'undo');
  state.undo.pushUndone(b);
  return r;
}

export async function redo(state: ServerState): Promise<UndoResult> {
  const b = state.undo.popRedo();
  if (!b) return { batch: null, documents: 0, annotations: 0, description: null };
  const r = await replay(state, b, 'redo');
  state.undo.pushRedone(b);
  return r;
}

/**
 * Writes a batch's changes back (or forth) into every document it touched.
 * Its own DecisionBatch is not recorded as a new undo step: the stacks move instead.
 * A corpus-wide step (a footer decided in 100,000 documents) is replayed a document
 * at a time, giving way to the editor between time slices; each document is read,
 * changed and written in one turn.
 */
async function replay(state: ServerState, b: Batch, direction: 'undo' | 'redo'): Promise<UndoResult> {
  const batch = new DecisionBatch(state, `${direction} ${b.description}`, 'keep', false);
  let annotations = 0;
  await batch.eachInSlices(b.changes, (change) => {
    const doc = documentForFile(state, change.file, change.layer);
    if (!doc) {
      batch.skip(change.file, `${path.basename(change.file)} cannot be read any more`);
      return null;
    }
    batch.touch(doc);
    doc.annotations = applyChange(doc.annotations, change, direction);
    // The review status goes back too, unless the user changed it since.
    const from = direction === 'undo' ? change.reviewAfter : change.reviewBefore;
    const to = direction === 'undo' ? change.reviewBefore : change.reviewAfter;
    if (doc.review.status === from.status) doc.review = to;
    // Tags too, key by key: a tag changed by someone since keeps its new value.
    if (change.tagsBefore && change.tagsAfter) doc.tags = revertTags(doc.tags, direction === 'undo' ? change.tagsAfter : change.tagsBefore, direction === 'undo' ? change.tagsBefore : change.tagsAfter);
    annotations += change.added.length + change.removed.length;
    return doc;
  }, b.changes.length > 1 ? `${direction === 'undo' ? 'Undoing' : 'Redoing'} ${b.description}` : undefined);
  const r = batch.commit();
  return { batch: b.id, documents: r.documents, annotations, description: b.description, ...(r.failed ? { failed: r.failed } : {}) };
}

/** The tags after moving a change from `from` to `to`, keeping what changed since in other keys (a three-way merge). */
function revertTags(current: DocumentTags, from: DocumentTags, to: DocumentTags): DocumentTags {
  return mergeTags(from, current, to).tags ?? {};
}
