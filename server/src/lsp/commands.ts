/**
 * Server-side commands: every quick fix ends here. Each one changes the
 * document's annotations, writes the sidecar (merging with other writers),
 * and refreshes diagnostics.
 */
import * as path from 'node:path';
import {
  Command,
  type AcceptArgs,
  type AnnotateAllArgs,
  type AnnotateRangeArgs,
  type AnnotationKind,
  type ApplyEverywhereArgs,
  type ApplyEverywhereResult,
  type MarkBoilerplateArgs,
  type ReattachArgs,
  type RejectArgs,
  type RemoveAnnotationArgs,
  type SidecarAnnotation,
} from '../protocol';
import { createAnnotation } from '../core/annotations/model';
import { blockKey } from '../core/detect/boilerplate';
import { isWordBoundaryMatch } from '../core/text/mentions';
import { listTextFiles, readTextFile } from '../host/corpus';
import { openDoc, persist, UserError, type Doc } from './documents';
import { runExportWithProgress } from './exporting';
import { learnWithProgress } from './learning';
import { notify } from './notify';
import { ServerState } from './state';

export const SERVER_COMMANDS: string[] = Object.values(Command);

export async function executeCommand(state: ServerState, command: string, args: unknown[]): Promise<unknown> {
  const arg = (args?.[0] ?? {}) as Record<string, unknown>;
  switch (command) {
    case Command.accept:
      return accept(state, arg as unknown as AcceptArgs);
    case Command.reject:
      return reject(state, arg as unknown as RejectArgs);
    case Command.annotateAll:
      return annotateAll(state, arg as unknown as AnnotateAllArgs);
    case Command.annotateRange:
      return annotateRange(state, arg as unknown as AnnotateRangeArgs);
    case Command.markBoilerplate:
      return markBoilerplate(state, arg as unknown as MarkBoilerplateArgs, true);
    case Command.unmarkBoilerplate:
      return markBoilerplate(state, arg as unknown as MarkBoilerplateArgs, false);
    case Command.removeAnnotation:
      return removeAnnotation(state, arg as unknown as RemoveAnnotationArgs);
    case Command.reattach:
      return reattach(state, arg as unknown as ReattachArgs);
    case Command.applyEverywhere:
      return applyEverywhere(state, arg as unknown as ApplyEverywhereArgs);
    case Command.export:
      return runExportWithProgress(state, arg as never);
    case Command.learn:
      return learnWithProgress(state);
    default:
      throw new UserError(`Unknown command ${command}`);
  }
}

function docFor(state: ServerState, uri: unknown): Doc {
  if (typeof uri !== 'string') throw new UserError('The command needs a document uri.');
  const doc = state.findDoc(uri);
  if (!doc) throw new UserError(`The document ${uri} is not open.`);
  return doc;
}

/**
 * Finds the span a command refers to. A diagnostic's offsets may be stale if
 * the user typed after it was published, so the expected text is searched
 * near the given place before giving up.
 */
function locate(doc: Doc, start: number, end: number, text: string): { start: number; end: number } {
  if (typeof text !== 'string' || text === '') throw new UserError('The command needs the annotated text.');
  if (Number.isInteger(start) && Number.isInteger(end) && doc.index.sliceCodePoints(start, end) === text) return { start, end };
  let best = -1;
  let bestDistance = Infinity;
  const s16 = doc.index.toUtf16(Number.isInteger(start) ? start : 0);
  for (let i = doc.text.indexOf(text); i >= 0; i = doc.text.indexOf(text, i + 1)) {
    const d = Math.abs(i - s16);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  if (best < 0) throw new UserError(`"${text}" is no longer in the document.`);
  return { start: doc.index.toCodePoint(best), end: doc.index.toCodePoint(best + text.length) };
}

function overlaps(a: SidecarAnnotation, start: number, end: number): boolean {
  return !a.orphaned && a.start < end && start < a.end;
}

/** Adds an annotation, replacing decisions of the same kind on overlapping spans (relabel = replace). */
function put(doc: Doc, ann: SidecarAnnotation): void {
  doc.annotations = doc.annotations.filter((a) => !(a.kind === ann.kind && overlaps(a, ann.start, ann.end)));
  doc.annotations.push(ann);
}

function commit(state: ServerState, doc: Doc): { conflicts: number } {
  const conflicts = persist(doc);
  if (conflicts.length) {
    notify(state.connection, 'warning',
      `The sidecar of ${path.basename(doc.path ?? doc.uri)} was changed by another writer; ${conflicts.length} conflicting change(s) were merged (the newest kept).`,
    );
  }
  // At once from the last detections; the detectors follow (a large document takes seconds).
  state.refreshDecisions(doc);
  // A new dictionary entry or boilerplate decision changes what other open documents should show.
  for (const other of state.docs.values()) if (other !== doc) state.scheduleRefresh(other);
  return { conflicts: conflicts.length };
}

function accept(state: ServerState, a: AcceptArgs): SidecarAnnotation {
  const doc = docFor(state, a.uri);
  const kind: AnnotationKind = a.kind === 'boilerplate' ? 'boilerplate' : 'entity';
  const span = locate(doc, a.start, a.end, a.text);
  if (kind === 'entity' && !a.label) throw new UserError('Accepting an entity needs a label.');
  const ann = createAnnotation(doc.text, span.start, span.end, {
    kind,
    label: kind === 'entity' ? a.label : undefined,
    category: kind === 'boilerplate' ? a.category ?? 'user' : undefined,
    status: 'accepted',
    source: a.source ?? 'user',
    confidence: a.confidence,
  });
  put(doc, ann);
  commit(state, doc);
  return ann;
}

function reject(state: ServerState, a: RejectArgs): SidecarAnnotation {
  const doc = docFor(state, a.uri);
  const kind: AnnotationKind = a.kind === 'boilerplate' ? 'boilerplate' : 'entity';
  const span = locate(doc, a.start, a.end, a.text);
  const ann = createAnnotation(doc.text, span.start, span.end, {
    kind,
    label: kind === 'entity' ? a.label : undefined,
    category: kind === 'boilerplate' ? a.category : undefined,
    status: 'rejected',
    source: a.source ?? 'user',
  });
  put(doc, ann);
  commit(state, doc);
  return ann;
}

function annotateAll(state: ServerState, a: AnnotateAllArgs): { added: number } {
  const doc = docFor(state, a.uri);
  if (!a.text || !a.label) throw new UserError('Annotate all needs a text and a label.');
  let added = 0;
  for (let i = doc.text.indexOf(a.text); i >= 0; i = doc.text.indexOf(a.text, i + a.text.length)) {
    if (!isWordBoundaryMatch(doc.text, i, i + a.text.length)) continue;
    const start = doc.index.toCodePoint(i);
    const end = doc.index.toCodePoint(i + a.text.length);
    const existing = doc.annotations.find((x) => x.kind === 'entity' && overlaps(x, start, end));
    if (existing && existing.status === 'accepted' && existing.label === a.label) continue;
    put(doc, createAnnotation(doc.text, start, end, { kind: 'entity', label: a.label, status: 'accepted', source: 'user' }));
    added++;
  }
  if (added) commit(state, doc);
  return { added };
}

function rangeToSpan(doc: Doc, range: AnnotateRangeArgs['range']): { start: number; end: number } {
  if (!range?.start || !range?.end) throw new UserError('The command needs a range.');
  let s = doc.index.offsetAt(range.start);
  let e = doc.index.offsetAt(range.end);
  if (e < s) [s, e] = [e, s];
  // Selections often catch a space or line break at either end; the annotation should not.
  while (s < e && /\s/.test(doc.text[s])) s++;
  while (e > s && /\s/.test(doc.text[e - 1])) e--;
  if (s === e) throw new UserError('Select some text to annotate.');
  return { start: doc.index.toCodePoint(s), end: doc.index.toCodePoint(e) };
}

function annotateRange(state: ServerState, a: AnnotateRangeArgs): SidecarAnnotation {
  const doc = docFor(state, a.uri);
  if (!a.label) throw new UserError('Annotating a selection needs a label.');
  const span = rangeToSpan(doc, a.range);
  const ann = createAnnotation(doc.text, span.start, span.end, { kind: 'entity', label: a.label, status: 'accepted', source: 'user' });
  put(doc, ann);
  commit(state, doc);
  return ann;
}

function markBoilerplate(state: ServerState, a: MarkBoilerplateArgs, isBoilerplate: boolean): SidecarAnnotation {
  const doc = docFor(state, a.uri);
  const span = locate(doc, a.start, a.end, a.text);
  const ann = createAnnotation(doc.text, span.start, span.end, {
    kind: 'boilerplate',
    category: isBoilerplate ? a.category ?? 'user' : 'none',
    status: 'accepted',
    source: 'user',
  });
  put(doc, ann);
  commit(state, doc);
  return ann;
}

function removeAnnotation(state: ServerState, a: RemoveAnnotationArgs): { removed: boolean } {
  const doc = docFor(state, a.uri);
  const before = doc.annotations.length;
  doc.annotations = doc.annotations.filter((x) => x.id !== a.id);
  if (doc.annotations.length === before) return { removed: false };
  commit(state, doc);
  return { removed: true };
}

function reattach(state: ServerState, a: ReattachArgs): SidecarAnnotation {
  const doc = docFor(state, a.uri);
  const old = doc.annotations.find((x) => x.id === a.id);
  if (!old) throw new UserError('That annotation no longer exists.');
  const span = rangeToSpan(doc, a.range);
  const fresh = createAnnotation(doc.text, span.start, span.end, {
    kind: old.kind,
    label: old.label,
    category: old.category,
    status: old.status,
    source: old.source,
    confidence: old.confidence,
  });
  // Keep the identity and history of the annotation; only its place changes.
  const moved: SidecarAnnotation = { ...fresh, id: old.id, created: old.created };
  delete moved.orphaned;
  doc.annotations = doc.annotations.filter((x) => x.id !== old.id);
  put(doc, moved);
  commit(state, doc);
  return moved;
}

/**
 * Writes the same boilerplate decision into every document of the corpus
 * that contains the block (matched by its normalised key), so a footer
 * decided once is decided everywhere, and survives restarts in the sidecars.
 */
function applyEverywhere(state: ServerState, a: ApplyEverywhereArgs): ApplyEverywhereResult {
  if (!a.text) throw new UserError('Apply everywhere needs the block text.');
  const key = blockKey(a.text);
  let documents = 0;
  let annotations = 0;
  // The files on disk, not the index: the start-up scan may still be running.
  for (const file of listTextFiles(state.folders, state.settings.workspace.include, state.settings.workspace.maxFiles)) {
    let doc = state.findDocByPath(file);
    const transient = !doc;
    if (!doc) {
      const read = readTextFile(file, state.maxBytes);
      if (!read.ok) continue;
      doc = openDoc(ServerState.fileUri(file), read.text, 0, state.maxBytes);
      if (doc.refused) continue;
    }
    let added = 0;
    for (const block of blocksWithKey(doc.text, key)) {
      const start = doc.index.toCodePoint(block.start);
      const end = doc.index.toCodePoint(block.end);
      const existing = doc.annotations.find((x) => x.kind === 'boilerplate' && overlaps(x, start, end));
      const category = a.boilerplate ? a.category ?? 'user' : 'none';
      if (existing && existing.status === 'accepted' && existing.category === category) continue;
      put(doc, createAnnotation(doc.text, start, end, { kind: 'boilerplate', category, status: 'accepted', source: 'user' }));
      added++;
    }
    if (!added) continue;
    try {
      persist(doc);
    } catch {
      continue; // a damaged or read-only sidecar is reported when that file is opened
    }
    if (transient) state.index.update(file, doc.text, doc.annotations);
    documents++;
    annotations += added;
  }
  state.refreshAll();
  return { documents, annotations };
}

/** Line blocks of a text whose normalised key equals `key`. */
function blocksWithKey(text: string, key: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[^\r\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (blockKey(m[0]) === key) {
      let s = m.index;
      let e = m.index + m[0].length;
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      out.push({ start: s, end: e });
    }
  }
  return out;
}
