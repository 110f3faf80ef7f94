/**
 * Undo and redo of annotation decisions (not of text edits: VS Code's own
 * undo keeps those). A batch is what one user action decided — one accept,
 * or a corpus-wide annotation of 400 mentions — recorded per document as the
 * annotations it removed and added and the review state before and after.
 * Reverting a batch removes what it added and puts back what it removed,
 * leaving alone whatever else happened to those documents since (another
 * decision, another writer): the sidecars are written through the same safe
 * merging path as every decision. The stack lives as long as the server.
 */
import type { DocumentTags, ReviewState, SidecarAnnotation } from '../protocol';

export interface DocumentChange {
  /** The document's file path. */
  file: string;
  /** The layer written: an annotator's, or null for the adjudicated sidecar (undo writes the same one, whatever the user works in by then). */
  layer: string | null;
  removed: SidecarAnnotation[];
  added: SidecarAnnotation[];
  reviewBefore: ReviewState;
  reviewAfter: ReviewState;
  /** Set when the batch changed the document's tags. */
  tagsBefore?: DocumentTags;
  tagsAfter?: DocumentTags;
}

export interface Batch {
  id: number;
  description: string;
  changes: DocumentChange[];
}

/** How many batches are kept: enough for a working session, bounded for memory. */
const DEPTH = 200;

export class UndoStack {
  private done: Batch[] = [];
  private undone: Batch[] = [];
  private next = 1;

  /** Records a new batch; a new decision clears what could be redone. */
  push(description: string, changes: DocumentChange[]): number {
    const batch = { id: this.next++, description, changes };
    this.done.push(batch);
    if (this.done.length > DEPTH) this.done.shift();
    this.undone = [];
    return batch.id;
  }

  popUndo(): Batch | undefined {
    return this.done.pop();
  }

  popRedo(): Batch | undefined {
    return this.undone.pop();
  }

  /** The batch was reverted: it can be redone. */
  pushUndone(b: Batch): void {
    this.undone.push(b);
  }

  /** The batch was re-applied: it can be undone again. */
  pushRedone(b: Batch): void {
    this.done.push(b);
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }
}

/**
 * The annotations of a document after reverting a change (`undo`) or
 * re-applying it (`redo`): what one direction added is taken out by id and
 * what it removed is put back, unless an annotation with that id is there.
 */
export function applyChange(current: readonly SidecarAnnotation[], change: DocumentChange, direction: 'undo' | 'redo'): SidecarAnnotation[] {
  const takeOut = new Set((direction === 'undo' ? change.added : change.removed).map((a) => a.id));
  const putBack = direction === 'undo' ? change.removed : change.added;
  const out = current.filter((a) => !takeOut.has(a.id));
  const present = new Set(out.map((a) => a.id));
  for (const a of putBack) if (!present.has(a.id)) out.push(a);
  return out;
}

/** What a decision changed in one document's annotations (by id and content). */
export function diffAnnotations(before: readonly SidecarAnnotation[], after: readonly SidecarAnnotation[]): { removed: SidecarAnnotation[]; added: SidecarAnnotation[] } {
  // A decision changes a few annotations of many (200,000 on a large sidecar) and keeps the others
  // in place: the common head and tail are skipped with one comparison each.
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  // With unique ids (as in every valid sidecar), "the same id holds another object or is gone" is "this object is gone".
  const b = before.slice(head, before.length - tail);
  const a = after.slice(head, after.length - tail);
  const inAfter = new Set(a);
  const inBefore = new Set(b);
  const removed = b.filter((x) => !inAfter.has(x));
  const added = a.filter((y) => !inBefore.has(y));
  return { removed, added };
}
