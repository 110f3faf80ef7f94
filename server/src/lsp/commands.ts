/**
 * Server-side commands (`workspace/executeCommand`): every quick fix, key
 * and view action ends here. One handler per command, each receiving
 * arguments already checked against the shape protocol.ts declares (a wrong
 * shape from any editor is a clear error naming the field), and labels
 * checked against the label set. Each decision goes through a DecisionBatch:
 * sidecars written safely, review status advanced, undo recorded.
 */
import {
  COMMAND_ARGS,
  Command,
  type AnnotationKind,
  type CommandArgs,
  type CommandResult,
  type ReviewState,
  type SidecarAnnotation,
} from '../protocol';
import { checkShape } from '../protocolShapes';
import { createAnnotation } from '../core/annotations/model';
import { TagError, updateTags } from '../core/annotations/tags';
import { reviewState } from '../core/corpus/review';
import { blocksWithKeys, indexedHashes, lineKeys } from '../core/detect/boilerplate';
import { isWordBoundaryMatch } from '../core/text/mentions';
import { adjudicate, resolveDisagreement, stopAdjudicating } from './adjudicationCommands';
import { readTextFile } from '../host/corpus';
import { TimeSlices } from '../host/timeSlices';
import { documentProgress } from './progress';
import { DecisionBatch, documentForFile, editableDocument, put, throwIfFailed } from './decisions';
import { UserError, type Doc } from './documents';
import { runExportWithProgress } from './exporting';
import { migrateLabels } from './labelMigration';
import { learnWithProgress } from './learning';
import { applyMentions, relabelName } from './mentions';
import type { ServerState } from './state';
import type { CancellationToken } from 'vscode-languageserver';
import { redo, undo } from './undoCommands';

export const SERVER_COMMANDS: string[] = Object.values(Command);

/** `token`: the request's cancellation (the client gave up on it); the long corpus-wide commands stop at the next document. */
type Handler<C extends Command> = (state: ServerState, args: CommandArgs<C>, token?: CancellationToken) => CommandResult<C> | Promise<CommandResult<C>>;

const HANDLERS: { [C in Command]: Handler<C> } = {
  [Command.accept]: (state, a) => decide(state, a.uri, a.kind === 'boilerplate' ? 'Accept boilerplate' : `Accept "${a.text}" as ${a.label}`, (doc) => {
    if (a.kind === 'entity') requireLabel(state, a.label);
    const span = locate(doc, a.start, a.end, a.text);
    return createAnnotation(doc.text, span.start, span.end, {
      kind: a.kind,
      label: a.kind === 'entity' ? a.label : undefined,
      category: a.kind === 'boilerplate' ? category(a.category) ?? 'user' : undefined,
      status: 'accepted',
      source: a.source ?? 'user',
      confidence: a.confidence,
    });
  }),
  [Command.reject]: (state, a) => decide(state, a.uri, `Reject "${a.text}"`, (doc) => {
    if (a.kind === 'entity' && a.label !== undefined) requireLabel(state, a.label);
    const span = locate(doc, a.start, a.end, a.text);
    return createAnnotation(doc.text, span.start, span.end, {
      kind: a.kind,
      label: a.kind === 'entity' ? a.label : undefined,
      category: a.kind === 'boilerplate' ? category(a.category) ?? 'user' : undefined,
      status: 'rejected',
      source: a.source ?? 'user',
    });
  }),
  [Command.annotateAll]: (state, a) => {
    requireLabel(state, a.label);
    const doc = editableDocument(state, a.uri);
    const batch = new DecisionBatch(state, `Annotate every "${a.text}" in the document as ${a.label}`);
    batch.touch(doc);
    for (let i = doc.text.indexOf(a.text); i >= 0; i = doc.text.indexOf(a.text, i + a.text.length)) {
      if (!isWordBoundaryMatch(doc.text, i, i + a.text.length)) continue;
      const start = doc.index.toCodePoint(i);
      const end = doc.index.toCodePoint(i + a.text.length);
      const existing = doc.annotations.find((x) => x.kind === 'entity' && !x.orphaned && x.start < end && start < x.end);
      if (existing && existing.status === 'accepted' && existing.label === a.label) continue;
      put(doc, createAnnotation(doc.text, start, end, { kind: 'entity', label: a.label, status: 'accepted', source: 'user' }));
    }
    return throwIfFailed(batch.commit());
  },
  [Command.annotateRange]: (state, a) => {
    requireLabel(state, a.label);
    return decide(state, a.uri, `Annotate selection as ${a.label}`, (doc) => {
      const span = rangeToSpan(doc, a.range);
      return createAnnotation(doc.text, span.start, span.end, { kind: 'entity', label: a.label, status: 'accepted', source: 'user' });
    });
  },
  [Command.markBoilerplate]: (state, a) => decide(state, a.uri, 'Mark as boilerplate', (doc) => {
    const span = locate(doc, a.start, a.end, a.text);
    return createAnnotation(doc.text, span.start, span.end, { kind: 'boilerplate', category: category(a.category) ?? 'user', status: 'accepted', source: 'user' });
  }),
  [Command.unmarkBoilerplate]: (state, a) => decide(state, a.uri, 'Keep as article text', (doc) => {
    const span = locate(doc, a.start, a.end, a.text);
    return createAnnotation(doc.text, span.start, span.end, { kind: 'boilerplate', category: 'none', status: 'accepted', source: 'user' });
  }),
  [Command.removeAnnotation]: (state, a) => {
    const doc = editableDocument(state, a.uri);
    const batch = new DecisionBatch(state, 'Remove annotation');
    batch.touch(doc);
    const before = doc.annotations.length;
    doc.annotations = doc.annotations.filter((x) => x.id !== a.id);
    if (doc.annotations.length === before) return { removed: false };
    throwIfFailed(batch.commit());
    return { removed: true };
  },
  [Command.reattach]: (state, a) => {
    const doc = editableDocument(state, a.uri);
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
    const batch = new DecisionBatch(state, `Re-attach "${old.text}"`);
    batch.touch(doc);
    doc.annotations = doc.annotations.filter((x) => x.id !== old.id);
    put(doc, moved);
    throwIfFailed(batch.commit());
    return moved;
  },
  [Command.applyEverywhere]: (state, a, token) => state.corpusWrite(() => applyEverywhere(state, a, token)),
  [Command.export]: (state, a, token) => runExportWithProgress(state, a, token),
  [Command.learn]: (state, a, token) => learnWithProgress(state, a?.includeAnnotatorLayers ?? state.settings.learn.includeAnnotatorLayers, token),
  [Command.setReviewStatus]: (state, a) => {
    const doc = editableDocument(state, a.uri);
    const batch = new DecisionBatch(state, `Mark document ${a.status}`, 'keep');
    batch.touch(doc);
    const next: ReviewState = reviewState(a.status);
    doc.review = next;
    throwIfFailed(batch.commit());
    return doc.review;
  },
  [Command.acceptAll]: (state, a) => {
    const doc = editableDocument(state, a.uri);
    const kind = a.kind ?? 'entity';
    const min = a.minConfidence ?? 0;
    const batch = new DecisionBatch(state, `Accept all ${kind === 'entity' ? 'entity' : 'boilerplate'} suggestions${min ? ` ≥ ${Math.round(min * 100)}%` : ''}`);
    batch.touch(doc);
    for (const ann of suggestionAnnotations(doc, kind, 'accepted', min)) put(doc, ann);
    return throwIfFailed(batch.commit());
  },
  [Command.rejectAll]: (state, a) => {
    const doc = editableDocument(state, a.uri);
    const kind = a.kind ?? 'entity';
    const batch = new DecisionBatch(state, `Reject all remaining ${kind === 'entity' ? 'entity' : 'boilerplate'} suggestions`);
    batch.touch(doc);
    for (const ann of suggestionAnnotations(doc, kind, 'rejected', 0)) put(doc, ann);
    return throwIfFailed(batch.commit());
  },
  [Command.applyMentions]: (state, a, token) => {
    if (a.action === 'accept') requireLabel(state, a.label);
    else if (a.label !== undefined) requireLabel(state, a.label);
    return state.corpusWrite(() => applyMentions(state, a, token));
  },
  [Command.relabelName]: (state, a, token) => {
    requireLabel(state, a.to);
    // One document's fix does not wait for a corpus-wide batch; the corpus-wide relabelling queues behind it.
    return a.uri ? relabelName(state, a) : state.corpusWrite(() => relabelName(state, a, token));
  },
  [Command.undo]: (state) => state.corpusWrite(() => undo(state)),
  [Command.redo]: (state) => state.corpusWrite(() => redo(state)),
  [Command.setTags]: (state, a) => {
    const doc = editableDocument(state, a.uri);
    let tags;
    try {
      tags = updateTags(doc.tags, a.tags, state.workspace.labels.schema.tags);
    } catch (err) {
      if (err instanceof TagError) throw new UserError(`Cannot set the tags: ${err.message}.`);
      throw err;
    }
    const batch = new DecisionBatch(state, `Set tags of ${doc.path ? doc.path.split(/[\\/]/).pop() : 'the document'}`);
    batch.touch(doc);
    doc.tags = tags;
    throwIfFailed(batch.commit());
    return doc.tags;
  },
  [Command.migrateLabels]: (state, a) => state.corpusWrite(() => migrateLabels(state, a.renames)),
  [Command.adjudicate]: (state, a) => adjudicate(state, a),
  [Command.stopAdjudicating]: (state, a) => stopAdjudicating(state, a),
  [Command.resolveDisagreement]: (state, a) => resolveDisagreement(state, a),
};

export async function executeCommand(state: ServerState, command: string, args: unknown[], token?: CancellationToken): Promise<unknown> {
  if (!Object.prototype.hasOwnProperty.call(HANDLERS, command)) throw new UserError(`Unknown command ${command}`);
  const c = command as Command;
  const checked = checkShape(COMMAND_ARGS[c] as (typeof COMMAND_ARGS)[Command], args?.[0], `${c} argument`);
  if (!checked.ok) throw new UserError(`Invalid arguments for ${c}: ${checked.errors.slice(0, 5).join('; ')}`);
  return (HANDLERS[c] as Handler<Command>)(state, checked.value as never, token);
}

/** One decision on one open document: `make` builds the annotation; it replaces overlapping ones of its kind. */
function decide(state: ServerState, uri: string, description: string, make: (doc: Doc) => SidecarAnnotation): SidecarAnnotation {
  const doc = editableDocument(state, uri);
  const ann = make(doc);
  const batch = new DecisionBatch(state, description);
  batch.touch(doc);
  put(doc, ann);
  throwIfFailed(batch.commit());
  return ann;
}

function requireLabel(state: ServerState, label: string | undefined): asserts label is string {
  if (!label) throw new UserError('The command needs a label.');
  if (!state.settings.labels.includes(label)) {
    const where = state.workspace.labels.schema.source === 'file' ? 'labels.json' : 'newsAnnotator.labels (or a .news-annotator/labels.json)';
    throw new UserError(`"${label.slice(0, 40)}" is not one of the labels (${state.settings.labels.join(', ')}); add it to ${where} first.`);
  }
}

const CATEGORY = /^[\p{L}\p{N}_\-.]+$/u;

function category(c: string | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (!CATEGORY.test(c)) throw new UserError(`"${c.slice(0, 40)}" is not a boilerplate category name (letters, digits, _ - .).`);
  return c;
}

/**
 * Finds the span a command refers to. A diagnostic's offsets may be stale if
 * the user typed after it was published, so the expected text is searched
 * near the given place before giving up.
 */
function locate(doc: Doc, start: number, end: number, text: string): { start: number; end: number } {
  if (end <= doc.index.codePointLength && start < end && doc.index.sliceCodePoints(start, end) === text) return { start, end };
  let best = -1;
  let bestDistance = Infinity;
  const s16 = doc.index.toUtf16(Math.min(start, doc.index.codePointLength));
  for (let i = doc.text.indexOf(text); i >= 0; i = doc.text.indexOf(text, i + 1)) {
    const d = Math.abs(i - s16);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  if (best < 0) throw new UserError(`"${text.slice(0, 60)}" is not in the document at ${start}–${end} nor anywhere else.`);
  return { start: doc.index.toCodePoint(best), end: doc.index.toCodePoint(best + text.length) };
}

function rangeToSpan(doc: Doc, range: CommandArgs<typeof Command.annotateRange>['range']): { start: number; end: number } {
  let s = doc.index.offsetAt(range.start);
  let e = doc.index.offsetAt(range.end);
  if (e < s) [s, e] = [e, s];
  // Selections often catch a space or line break at either end; the annotation should not.
  while (s < e && /\s/.test(doc.text[s])) s++;
  while (e > s && /\s/.test(doc.text[e - 1])) e--;
  if (s === e) throw new UserError('Select some text to annotate.');
  return { start: doc.index.toCodePoint(s), end: doc.index.toCodePoint(e) };
}

/** The document's open suggestions of a kind, as annotations with the given status (boilerplate "rejected" = article text). */
function suggestionAnnotations(doc: Doc, kind: AnnotationKind, status: 'accepted' | 'rejected', minConfidence: number): SidecarAnnotation[] {
  const out: SidecarAnnotation[] = [];
  const idx = doc.index;
  if (kind === 'entity') {
    for (const c of doc.suggestions.entities) {
      if (c.confidence < minConfidence) continue;
      out.push(createAnnotation(doc.text, idx.toCodePoint(c.start), idx.toCodePoint(c.end), { kind, label: c.label, status, source: c.source, confidence: c.confidence }));
    }
  } else {
    for (const b of doc.suggestions.boilerplate) {
      if (b.confidence < minConfidence) continue;
      const accepted = status === 'accepted';
      out.push(createAnnotation(doc.text, idx.toCodePoint(b.start), idx.toCodePoint(b.end), { kind, category: accepted ? b.category : 'none', status: 'accepted', source: accepted ? 'boilerplate' : 'user', confidence: b.confidence }));
    }
  }
  return out;
}

/**
 * Writes the same boilerplate decision into every document of the corpus
 * that contains the block (its lines matched by their normalised keys), so a
 * footer decided once is decided everywhere, and survives restarts in the sidecars.
 */
async function applyEverywhere(state: ServerState, a: CommandArgs<typeof Command.applyEverywhere>, stop?: CancellationToken): Promise<CommandResult<typeof Command.applyEverywhere>> {
  const keys = lineKeys(a.text);
  const cat = a.boilerplate ? category(a.category) ?? 'user' : 'none';
  // First where the block is, giving way between time slices. The open files in their buffers. The
  // others from the corpus memory, which holds the line keys of every file it indexed: a file that
  // lacks one of the block's cannot hold it, and is not read (reading 100,000 articles takes a
  // minute; a decision on a footer in all of them then reads each once, not twice). A file the
  // memory cannot answer for (not indexed yet, changed on disk since) is read.
  const hashes = indexedHashes(keys);
  const holding: string[] = [];
  const slices = new TimeSlices();
  const files = await state.workspace.listFilesAsync();
  const progress = await documentProgress(state, 'Looking for the block in the corpus', files.length, stop);
  try {
    for (let i = 0; i < files.length; i++) {
      await slices.pause();
      // Stopped while looking: nothing was written.
      if (progress.cancelled) return { batch: null, documents: 0, annotations: 0, cancelled: true };
      const open = state.findDocByPath(files[i]);
      // true: it may hold it (a hash can collide), which the decision below checks on the text.
      const known = open || !hashes.length ? undefined : state.workspace.mayHoldBlock(files[i], hashes);
      if (known === true) holding.push(files[i]);
      else if (known === undefined) {
        const read = open ? { ok: true as const, text: open.text } : readTextFile(files[i], state.maxBytes);
        if (read.ok && blocksWithKeys(read.text, keys).length) holding.push(files[i]);
      }
      progress.step(i + 1);
    }
  } finally {
    progress.end();
  }
  // Then the decisions, a document at a time (each read, changed and written in one turn, so a
  // decision the user makes meanwhile is never part of this batch, nor of its undo step).
  const what = a.boilerplate ? 'Mark a block as boilerplate everywhere' : 'Keep a block as article text everywhere';
  const batch = new DecisionBatch(state, what);
  await batch.eachInSlices(holding, (file) => {
    const doc = documentForFile(state, file);
    if (!doc || doc.sidecar.status === 'damaged' || doc.sidecar.status === 'newer') return null;
    const blocks = blocksWithKeys(doc.text, keys);
    if (!blocks.length) return null;
    batch.touch(doc);
    for (const block of blocks) {
      const start = doc.index.toCodePoint(block.start);
      const end = doc.index.toCodePoint(block.end);
      const existing = doc.annotations.find((x) => x.kind === 'boilerplate' && !x.orphaned && x.start < end && start < x.end);
      if (existing && existing.status === 'accepted' && existing.category === cat) continue;
      put(doc, createAnnotation(doc.text, start, end, { kind: 'boilerplate', category: cat, status: 'accepted', source: 'user' }));
    }
    return doc;
  }, what, stop);
  return batch.commit();
}

