/** Undo Annotation / Redo Annotation: revert or re-apply the last decision batch through the safe write path. */
import * as path from 'node:path';
import type { UndoResult } from '../protocol';
import { DecisionBatch, documentForFile } from './decisions';
import type { ServerState } from './state';
import { applyChange, type Batch } from './undo';

export function undo(state: ServerState): UndoResult {
  const b = state.undo.popUndo();
  if (!b) return { batch: null, documents: 0, annotations: 0, description: null };
  const r = replay(state, b, 'undo');
  state.undo.pushUndone(b);
  return r;
}

export function redo(state: ServerState): UndoResult {
  const b = state.undo.popRedo();
  if (!b) return { batch: null, documents: 0, annotations: 0, description: null };
  const r = replay(state, b, 'redo');
  state.undo.pushRedone(b);
  return r;
}

/**
 * Writes a batch's changes back (or forth) into every document it touched.
 * Its own DecisionBatch is not recorded as a new undo step: the stacks move instead.
 */
function replay(state: ServerState, b: Batch, direction: 'undo' | 'redo'): UndoResult {
  const batch = new DecisionBatch(state, `${direction} ${b.description}`, 'keep');
  const failed: { uri: string; reason: string }[] = [];
  let annotations = 0;
  for (const change of b.changes) {
    const doc = documentForFile(state, change.file, change.layer);
    if (!doc) {
      failed.push({ uri: change.file, reason: `${path.basename(change.file)} cannot be read any more` });
      continue;
    }
    batch.touch(doc);
    doc.annotations = applyChange(doc.annotations, change, direction);
    // The review status goes back too, unless the user changed it since.
    const from = direction === 'undo' ? change.reviewAfter : change.reviewBefore;
    const to = direction === 'undo' ? change.reviewBefore : change.reviewAfter;
    if (doc.review.status === from.status) doc.review = to;
    annotations += change.added.length + change.removed.length;
  }
  const r = batch.commit({ record: false });
  const allFailed = [...failed, ...(r.failed ?? [])];
  return { batch: b.id, documents: r.documents, annotations, description: b.description, ...(allFailed.length ? { failed: allFailed } : {}) };
}
