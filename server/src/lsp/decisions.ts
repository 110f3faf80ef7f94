/**
 * The one path every user decision takes, whether it touches one span or
 * every document of the corpus: the documents are changed in memory, their
 * review status advances (a first decision starts the review), each sidecar
 * is written through the safe merging path, the corpus memory learns the new
 * decisions (without re-reading or re-tagging the texts), the batch goes on
 * the undo stack, and every open document is refreshed once.
 */
import * as path from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import type { BatchResult, DocumentTags, ReviewState, SidecarAnnotation } from '../protocol';
import { sameTags } from '../core/annotations/tags';
import { afterDecision } from '../core/corpus/review';
import { readTextFile } from '../host/corpus';
import { TimeSlices } from '../host/timeSlices';
import { syncDirs } from '../host/sidecarFiles';
import { pathToUri } from './convert';
import { NotWritableError, openDoc, persist, UserError, type Doc } from './documents';
import { notify } from './notify';
import { documentProgress } from './progress';
import type { ServerState } from './state';
import { diffAnnotations, type DocumentChange } from './undo';

interface Touched {
  doc: Doc;
  before: SidecarAnnotation[];
  reviewBefore: ReviewState;
  tagsBefore: DocumentTags;
}

export class DecisionBatch {
  private readonly touched = new Map<string, Touched>();

  constructor(
    private readonly state: ServerState,
    readonly description: string,
    /** `advance`: a first decision makes a document in-progress; `keep`: leave the status (undo, status changes). */
    private readonly review: 'advance' | 'keep' = 'advance',
    /** false: the batch is not an undo step of its own (undo and redo move the stacks instead). */
    private readonly record = true,
  ) {}

  /**
   * Registers a document before changing it (its state now is what undo
   * returns to). Refuses, before anything changes, a document of the layer
   * the user works in while the annotator setting is refused.
   */
  touch(doc: Doc): Doc {
    const problem = this.state.workspace.layerProblem;
    if (problem && doc.layer === this.state.workspace.layer && !this.state.adjudications.isOn(doc)) throw new UserError(problem);
    const key = keyOf(doc);
    if (!this.touched.has(key)) this.touched.set(key, { doc, before: doc.annotations.slice(), reviewBefore: doc.review, tagsBefore: doc.tags });
    return doc;
  }

  /** What the documents written so far gave: the undo step's changes, the failures, the folders to sync. */
  private readonly written = new Set<string>();
  private readonly changes: DocumentChange[] = [];
  private readonly failed: { uri: string; reason: string }[] = [];
  /** Documents the decision left out before changing them (see skip). */
  private readonly skipped: { uri: string; reason: string }[] = [];
  private readonly unwritable: { doc: Doc; reason: string }[] = [];
  private readonly dirs = new Set<string>();
  private annotations = 0;

  /**
   * Writes one touched document now, not at commit: a corpus-wide decision that
   * gives way between documents (time slices) changes and writes each one in the
   * same turn, so a decision the user makes meanwhile is never taken into this
   * batch's undo step. commit() then does the rest.
   */
  writeNow(doc: Doc): void {
    const key = keyOf(doc);
    const t = this.touched.get(key);
    if (!t || this.written.has(key)) return;
    this.written.add(key);
    this.write(t);
  }

  /**
   * A corpus-wide decision, one item at a time (a file, a change to replay), giving way
   * to the editor between time slices: `decide` touches and changes the document of an
   * item (or returns null to leave it), which is written in the same turn. On an error,
   * what was written is committed (its undo step kept) and the error goes on. With a
   * `title`, the editor shows how many items are done. With a `stop` (the request's
   * cancellation), the user may stop it between two items: what was written stays, as
   * this batch (one undo step), and commit() says `cancelled`. Undo and redo take none:
   * half a replay would leave the stacks describing neither state.
   */
  async eachInSlices<T>(items: readonly T[], decide: (item: T) => Doc | null | undefined, title?: string, stop?: CancellationToken): Promise<void> {
    const slices = new TimeSlices();
    const progress = title ? await documentProgress(this.state, title, items.length, stop) : undefined;
    try {
      for (let i = 0; i < items.length; i++) {
        await slices.pause();
        // Checked after the pause: that is when a cancellation can have arrived.
        if (progress ? progress.cancelled : stop?.isCancellationRequested) {
          this.stopped = true;
          break;
        }
        const doc = decide(items[i]);
        if (doc) this.writeNow(doc);
        progress?.step(i + 1);
      }
    } catch (err) {
      this.commit();
      throw err;
    } finally {
      progress?.end();
    }
  }

  /** The user stopped the batch part-way (eachInSlices); commit() reports it. */
  private stopped = false;

  private write({ doc, before, reviewBefore, tagsBefore }: Touched): void {
    const diff = diffAnnotations(before, doc.annotations);
    const tagsChanged = !sameTags(tagsBefore, doc.tags);
    const annotationsChanged = diff.added.length > 0 || diff.removed.length > 0;
    if (annotationsChanged || tagsChanged) {
      if (this.review === 'advance') {
        doc.review = afterDecision(doc.review);
        if (annotationsChanged) this.state.adjudications.settle(doc, before);
      }
    } else if (doc.review === reviewBefore) return;
    try {
      const conflicts = persist(doc, this.dirs);
      if (conflicts.length) {
        notify(this.state.connection, 'warning',
          `The sidecar of ${path.basename(doc.path ?? doc.uri)} was changed by another writer; ${conflicts.length} conflicting change(s) were merged (the newest kept): ${conflicts.slice(0, 3).map((c) => c.message).join(' ')}`,
        );
      }
    } catch (err) {
      this.failed.push({ uri: doc.uri, reason: (err as Error).message });
      if (!(err instanceof NotWritableError)) return;
      // Kept in memory (open documents show it; the next save or decision writes it).
      this.unwritable.push({ doc, reason: (err as Error).message });
    }
    this.annotations += Math.max(diff.added.length, diff.removed.length);
    if (doc.path) {
      this.changes.push({ file: doc.path, layer: doc.layer, removed: diff.removed, added: diff.added, reviewBefore, reviewAfter: doc.review, ...(tagsChanged ? { tagsBefore, tagsAfter: doc.tags } : {}) });
      // The corpus memory holds the layer the user works in; adjudicated decisions made meanwhile are not theirs.
      if (doc.layer === this.state.workspace.layer) this.state.workspace.recordDecisions(doc.path, doc.annotations, doc.review.status, doc.tags);
    }
  }

  /**
   * A document the decision leaves out, and why (it cannot be read, its sidecar is damaged, a
   * mention moved): reported in the result's `failed`, before the documents that could not be
   * saved, without the error notification those get (the caller's message says what was done).
   */
  skip(uri: string, reason: string): void {
    this.skipped.push({ uri, reason });
  }

  /**
   * Writes every changed document (those not written already). Documents that
   * cannot be written are reported (the decision stays in memory for open
   * documents) and counted in `failed`; the others are kept, and the batch can
   * be undone.
   */
  commit(): BatchResult {
    for (const { doc } of this.touched.values()) this.writeNow(doc);
    const { changes, failed, unwritable } = this;
    syncDirs(this.dirs);
    this.state.journals.schedule();
    const batch = changes.length && this.record ? this.state.undo.push(this.description, changes) : null;
    // The decided documents show their decisions at once, from the last detections; the detectors
    // follow after the typing pause, here and in the other open documents (an accepted name is now
    // suggested at its mentions there): a megabyte-long document must not hold the answer.
    const decided = new Set<Doc>();
    for (const { doc } of this.touched.values()) {
      if (this.state.docs.get(doc.uri) !== doc) continue;
      decided.add(doc);
      this.state.refreshDecisions(doc);
    }
    for (const other of this.state.docs.values()) if (!decided.has(other)) this.state.scheduleRefresh(other);
    this.state.queue.changed();
    if (unwritable.length) offerRetry(this.state, unwritable);
    else if (failed.length) {
      const first = failed[0].reason;
      notify(this.state.connection, 'error', failed.length === 1 ? first : `${failed.length} documents could not be saved; the first: ${first}`);
    }
    const all = [...this.skipped, ...failed];
    return { batch, documents: changes.length, annotations: this.annotations, ...(all.length ? { failed: all } : {}), ...(this.stopped ? { cancelled: true as const } : {}) };
  }
}

function keyOf(doc: Doc): string {
  return `${doc.layer ?? ''}\u0000${doc.path ?? doc.uri}`;
}

/**
 * The document of a corpus file in a layer (default: the one the user works
 * in): the open one when it shows that layer (its buffer is newer than the
 * disk), else one made for this decision only, from the open buffer or the
 * disk (`diskText`: the file's text, already read with readTextFile). Null when
 * the file cannot be read or is refused.
 */
export function documentForFile(state: ServerState, file: string, layer: string | null = state.workspace.layer, diskText?: string): Doc | null {
  const open = state.findDocByPath(file);
  if (open && open.layer === layer) return open.refused ? null : open;
  let text: string;
  if (open) text = open.text;
  else if (diskText !== undefined) text = diskText;
  else {
    const read = readTextFile(file, state.maxBytes);
    if (!read.ok) return null;
    text = read.text;
  }
  // Read from disk here, so its bytes were judged already; an open buffer's were judged when it opened.
  const doc = openDoc(open?.uri ?? pathToUri(file), text, 0, state.maxBytes, layer, true);
  return doc.refused ? null : doc;
}

/** The open document a command names, or a clear error. */
export function openDocument(state: ServerState, uri: string): Doc {
  const doc = state.findDoc(uri);
  if (!doc) throw new UserError(`The document ${uri} is not open.`);
  return doc;
}

/**
 * The open document a decision is about, once it is known the decision can
 * be kept: a file on disk, not refused, with a sidecar that may be written.
 * Checked before anything changes, so a refused decision leaves no trace.
 */
export function editableDocument(state: ServerState, uri: string, opts: { adjudication?: boolean } = {}): Doc {
  const doc = openDocument(state, uri);
  if (!doc.path) throw new UserError('This document is not a file on disk; save it before annotating.');
  const problem = state.workspace.layerProblem;
  if (problem && !opts.adjudication && !state.adjudications.isOn(doc)) throw new UserError(problem);
  if (doc.refused) throw new UserError(`Annotations are disabled for this document: ${doc.refused.message}`);
  if (doc.sidecar.status === 'damaged') {
    throw new UserError(`The sidecar file cannot be read and is left untouched: ${doc.sidecar.message ?? ''} Fix or remove it to annotate this document.`);
  }
  if (doc.sidecar.status === 'newer') throw new UserError(`The sidecar was written by a newer version of the annotator and is read-only here: ${doc.sidecar.message ?? ''}`);
  return doc;
}

/**
 * Adds an annotation, replacing decisions of the same kind on overlapping
 * spans (relabel = replace). The new one takes the place of the first it
 * replaces, so the rest of the list stays where it was: what changed is found
 * by comparing the ends of the lists (200,000 annotations on a large sidecar).
 */
export function put(doc: Doc, ann: SidecarAnnotation): void {
  const out: SidecarAnnotation[] = [];
  let at = -1;
  for (const a of doc.annotations) {
    if (a.kind === ann.kind && !a.orphaned && a.start < ann.end && ann.start < a.end) {
      if (at < 0) at = out.length;
    } else out.push(a);
  }
  if (at < 0) out.push(ann);
  else out.splice(at, 0, ann);
  doc.annotations = out;
}

/**
 * Decisions that could not be written because a folder is read-only: said at
 * once, with a Retry button (in editors that support message actions).
 */
function offerRetry(state: ServerState, pending: { doc: Doc; reason: string }[]): void {
  const message = pending.length === 1 ? pending[0].reason : `${pending.length} documents cannot be saved (read-only folder); the decisions are kept in memory. ${pending[0].reason}`;
  state.connection.window
    .showErrorMessage(message, { title: 'Retry' })
    .then((choice) => {
      if (choice?.title !== 'Retry') return;
      const still: { doc: Doc; reason: string }[] = [];
      for (const p of pending) {
        try {
          persist(p.doc);
          if (p.doc.path && p.doc.layer === state.workspace.layer) state.workspace.recordDecisions(p.doc.path, p.doc.annotations, p.doc.review.status, p.doc.tags);
        } catch (err) {
          still.push({ doc: p.doc, reason: (err as Error).message });
        }
      }
      state.journals.schedule();
      state.refreshAll();
      if (still.length) offerRetry(state, still);
      else notify(state.connection, 'info', 'The annotations were saved.');
    })
    .catch(() => undefined);
}

/** A single-document decision that could not be kept for another reason than a read-only folder is an error for the caller. */
export function throwIfFailed(r: BatchResult): BatchResult {
  const real = r.failed?.find((f) => !/not writable/.test(f.reason));
  if (real) throw new UserError(real.reason);
  return r;
}
