/**
 * Open documents as the server sees them: text, offset index, the sidecar's
 * annotations anchored to the current text, and the current suggestions.
 * Documents are tracked here rather than with `TextDocuments` because
 * annotations must follow each incremental edit, which needs the ranges of
 * the change events, not only the resulting text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { DocumentTags, ReviewState, Sidecar, SidecarAnnotation } from '../protocol';
import type { LoadedLayer, PlacedLayer } from '../host/layers';
import { applyEdits, reanchor } from '../core/annotations/anchoring';
import { placeOnText } from '../core/annotations/placement';
import { emptySidecar, sha256Hex } from '../core/annotations/sidecar';
import type { Suggestions } from '../core/analyze';
import { checkText, decodeFileBytes, textNotices, tooLargeMessage, type InputProblem, type TextNotice } from '../core/text/input';
import { TextIndex, codePointLength } from '../core/text/offsets';
import { reviewStatusOf } from '../core/corpus/review';
import { readSidecar, SidecarFileError, writeSidecarAtomic, type Conflict } from '../host/sidecarFiles';
import { uriToPath } from './convert';

export interface SidecarInfo {
  status: 'absent' | 'ok' | 'damaged' | 'newer';
  /** The sidecar as last read or written (the merge base for the next write). */
  sidecar: Sidecar | null;
  fingerprint: string | null;
  message?: string;
}

export interface Doc {
  uri: string;
  /** File system path, or null for documents that are not files (untitled, remote). */
  path: string | null;
  /**
   * Whose decisions `sidecar`, `annotations` and `review` are: an annotator's
   * layer (`article.txt.ann.<annotator>.json`) or, when null, the adjudicated
   * sidecar (`article.txt.ann.json`).
   */
  layer: string | null;
  /**
   * The document's other layers (every annotator's, and the adjudicated one
   * when `layer` is an annotator's), placed on `text` as it was when read;
   * null until needed (adjudication, showOtherAnnotators) or after they changed on disk.
   */
  others: { text: string; layers: LoadedLayer[]; adjudicated: PlacedLayer | null } | null;
  version: number;
  text: string;
  index: TextIndex;
  refused: { problem: InputProblem; message: string } | null;
  notices: TextNotice[];
  sidecar: SidecarInfo;
  /** Stored annotations anchored to `text` (orphans included, flagged). */
  annotations: SidecarAnnotation[];
  /** The review state kept in the sidecar (`todo` until the first decision). */
  review: ReviewState;
  /** The document's tags kept in the sidecar (empty when none). */
  tags: DocumentTags;
  /** Annotations moved by edits or re-anchoring but not yet written. */
  unsaved: boolean;
  /** How many annotations re-anchoring moved or orphaned when the document was opened. */
  reanchored: { moved: number; orphans: number };
  suggestions: Suggestions;
}

/** A failure the user can act on: shown as it is (no stack trace). */
export class UserError extends Error {}

const TODO: ReviewState = { status: 'todo', modified: new Date(0).toISOString() };

/**
 * Creates the state of a newly opened document and anchors the annotations of
 * its layer (null: the adjudicated sidecar). `decodedFromDisk`: the text was
 * just read and decoded from the file under the same rules (readTextFile), so
 * its bytes need no second look.
 */
export function openDoc(uri: string, text: string, version: number, maxBytes: number, layer: string | null = null, decodedFromDisk = false): Doc {
  const p = uriToPath(uri);
  const doc: Doc = {
    uri,
    path: p,
    layer,
    others: null,
    version,
    text,
    index: new TextIndex(text),
    refused: null,
    notices: [],
    sidecar: { status: 'absent', sidecar: null, fingerprint: null },
    annotations: [],
    review: TODO,
    tags: {},
    unsaved: false,
    reanchored: { moved: 0, orphans: 0 },
    suggestions: { entities: [], boilerplate: [] },
  };
  doc.refused = decodedFromDisk ? null : inspect(p, text, maxBytes);
  if (doc.refused) return doc;
  doc.notices = textNotices(text);
  if (p) loadSidecar(doc, p);
  return doc;
}

/**
 * The editor gives us decoded text; the bytes on disk tell what the file
 * really is (a Windows-1256 file arrives full of U+FFFD, a UTF-16 file
 * arrives decoded), so they are judged first, for the precise message. Then
 * the text itself (a pasted NUL, an unsaved buffer). Cost: one read of the
 * file and a look at its first 64 KB — a refusal comes in milliseconds.
 */
function inspect(p: string | null, text: string, maxBytes: number): Doc['refused'] {
  if (p) {
    try {
      const st = fs.statSync(p);
      if (st.isFile()) {
        if (st.size > maxBytes) return { problem: 'too-large', message: tooLargeMessage(st.size, maxBytes) };
        const verdict = decodeFileBytes(fs.readFileSync(p), maxBytes);
        if (!verdict.ok) return { problem: verdict.problem, message: verdict.message };
      }
    } catch {
      // not on disk (yet): the text alone decides
    }
  }
  const byText = checkText(text, maxBytes);
  return byText.ok ? null : { problem: byText.problem, message: byText.message };
}

/** (Re)reads the document's layer from disk and anchors its annotations to the document text. */
export function loadSidecar(doc: Doc, p: string): void {
  const state = readSidecar(p, doc.layer ?? undefined);
  doc.review = TODO;
  doc.tags = {};
  switch (state.status) {
    case 'absent':
      doc.sidecar = { status: 'absent', sidecar: null, fingerprint: null };
      doc.annotations = [];
      return;
    case 'damaged':
      doc.sidecar = { status: 'damaged', sidecar: null, fingerprint: null, message: state.message };
      doc.annotations = [];
      return;
    case 'newer':
      doc.sidecar = { status: 'newer', sidecar: null, fingerprint: null, message: state.message };
      doc.annotations = [];
      return;
    case 'ok': {
      doc.sidecar = { status: 'ok', sidecar: state.sidecar, fingerprint: state.fingerprint };
      doc.review = state.sidecar.review && reviewStatusOf(state.sidecar) === state.sidecar.review.status ? state.sidecar.review : TODO;
      doc.tags = state.sidecar.tags ?? {};
      anchorStored(doc, state.sidecar);
      return;
    }
  }
}

function anchorStored(doc: Doc, sidecar: Sidecar): void {
  const p = placeOnText(sidecar, doc.text);
  doc.annotations = [...p.placed, ...p.orphans];
  doc.reanchored = { moved: p.moved, orphans: p.orphans.length };
  // Re-anchored places (and the corrections of a sidecar that contradicted the text) are written
  // with the next save or decision.
  doc.unsaved = (p.textChanged && (p.moved > 0 || p.orphans.length > 0)) || p.contradicted > 0;
}

/**
 * Applies LSP content changes in order. Each change's range refers to the
 * text as left by the previous change, so offsets are computed against a
 * fresh index each time.
 */
export function applyChanges(doc: Doc, changes: readonly TextDocumentContentChangeEvent[], version: number): void {
  let text = doc.text;
  let index = doc.index;
  let annotations = doc.annotations;
  let moved = false;
  for (const change of changes) {
    if (!('range' in change)) {
      // Whole-document replacement: nothing to shift by, so find the annotations again by their text.
      text = change.text;
      index = new TextIndex(text);
      // Orphans go in too: the new text may contain them again.
      const r = reanchor(text, annotations);
      annotations = [...r.annotations, ...r.orphans];
      moved = true;
      continue;
    }
    // Positions from the editor are clamped to the text, and a reversed range is read forwards:
    // a malformed change must not duplicate or lose text, or shift annotations off their words.
    let s16 = index.offsetAt(safePosition(change.range.start));
    let e16 = index.offsetAt(safePosition(change.range.end));
    if (e16 < s16) [s16, e16] = [e16, s16];
    const edit = { start: index.toCodePoint(s16), end: index.toCodePoint(e16), newText: change.text };
    const next = text.slice(0, s16) + change.text + text.slice(e16);
    if (annotations.length) {
      const r = applyEdits(annotations, text, [edit]);
      // Pure shifts are not in `changed`, but they too make the sidecar stale.
      if (r.changed.length || r.annotations.some((a, i) => a.start !== annotations[i].start || a.end !== annotations[i].end)) moved = true;
      annotations = r.annotations;
    }
    text = next;
    index = new TextIndex(text);
  }
  doc.text = text;
  doc.index = index;
  doc.version = version;
  doc.annotations = annotations;
  if (moved) doc.unsaved = true;
}

function safePosition(p: unknown): { line: number; character: number } {
  const o = (typeof p === 'object' && p !== null ? p : {}) as { line?: unknown; character?: unknown };
  const n = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? Math.max(0, Math.floor(x)) : 0);
  return { line: n(o.line), character: n(o.character) };
}

/** Re-checks input rules after an edit (a pasted NUL, a paste that makes the file too large). */
export function recheckInput(doc: Doc, maxBytes: number): void {
  const byText = checkText(doc.text, maxBytes);
  doc.refused = byText.ok ? null : { problem: byText.problem, message: byText.message };
  doc.notices = byText.ok ? textNotices(doc.text) : [];
}

/**
 * Switches a document to another layer: what its current layer has not
 * written yet (annotations moved by edits) is written first, then the new
 * layer is read and anchored to the text.
 */
export function switchLayer(doc: Doc, layer: string | null): void {
  if (doc.layer === layer || !doc.path) {
    doc.layer = layer;
    return;
  }
  if (doc.unsaved && !doc.refused && doc.sidecar.status !== 'damaged' && doc.sidecar.status !== 'newer') {
    try {
      persist(doc);
    } catch {
      // Kept in memory for this layer only; the moved offsets are found again by re-anchoring next time.
    }
  }
  doc.layer = layer;
  doc.unsaved = false;
  loadSidecar(doc, doc.path);
}

/**
 * Writes the document's annotations to its sidecar, merging with whatever
 * another writer put there since we read it. Refuses, with a message for the
 * user, when the sidecar must not be touched.
 */
export function persist(doc: Doc, deferDirSync?: Set<string>): Conflict[] {
  if (!doc.path) throw new UserError('This document is not a file on disk; save it before annotating.');
  if (doc.refused) throw new UserError(`Annotations are disabled for this document: ${doc.refused.message}`);
  if (doc.sidecar.status === 'damaged') {
    throw new UserError(`The sidecar file cannot be read and is left untouched: ${doc.sidecar.message ?? ''} Fix or remove it to annotate this document.`);
  }
  if (doc.sidecar.status === 'newer') {
    throw new UserError(`The sidecar was written by a newer version of the annotator and is read-only here: ${doc.sidecar.message ?? ''}`);
  }
  const base = doc.sidecar.sidecar;
  const annotator = doc.layer ?? undefined;
  const start = base ?? { ...emptySidecar(path.basename(doc.path), doc.text), ...(annotator ? { annotator } : {}) };
  const mine: Sidecar = {
    ...start,
    // Fields of `document` this build does not know are kept.
    document: { ...start.document, path: path.basename(doc.path), sha256: sha256Hex(doc.text), length: codePointLength(doc.text) },
    annotations: doc.annotations,
  };
  if (doc.review.status !== 'todo' || base?.review) mine.review = doc.review;
  if (Object.keys(doc.tags).length) mine.tags = doc.tags;
  else delete mine.tags;
  let result: ReturnType<typeof writeSidecarAtomic>;
  try {
    // With the text, annotations merged in from another writer are anchored to it.
    result = writeSidecarAtomic(doc.path, mine, { fingerprint: doc.sidecar.fingerprint, sidecar: base }, { text: doc.text, annotator, deferDirSync, journal: true });
  } catch (err) {
    if (isNotWritable(err)) {
      // Nothing changed on disk (a read-only folder, or another process holding the lock too long):
      // the decision is kept in memory, and the next save or decision (or Retry) writes it.
      doc.unsaved = true;
      throw new NotWritableError(`The annotations of ${path.basename(doc.path)} cannot be saved: ${(err as Error).message} The decision is kept in memory until it can be written.`, { cause: err });
    }
    // The file changed under us into something we must not overwrite: show it.
    loadSidecar(doc, doc.path);
    // `cause` keeps the SidecarFileError (its `code`).
    throw new UserError(`${doc.layer ? `The layer of ${doc.layer}` : 'The sidecar'} could not be written: ${(err as Error).message}`, { cause: err });
  }
  doc.sidecar = { status: 'ok', sidecar: result.sidecar, fingerprint: result.fingerprint };
  if (result.sidecar.review) doc.review = result.sidecar.review;
  // Another writer's tags merged in (key by key) are the document's now.
  doc.tags = result.sidecar.tags ?? {};
  if (result.merged) {
    // A merge may have brought annotations from another writer; anchor them to this text.
    const r = reanchor(doc.text, result.sidecar.annotations);
    doc.annotations = [...r.annotations, ...r.orphans];
  }
  doc.unsaved = false;
  return result.conflicts;
}

/** The sidecar could not be written because its folder is read-only; the decision stays in memory. */
export class NotWritableError extends UserError {}

function isNotWritable(err: unknown): boolean {
  return err instanceof SidecarFileError && (err.code === 'not-writable' || err.code === 'lock-timeout');
}
