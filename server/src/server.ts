/**
 * The language server: wires LSP messages onto the lsp/ handlers and the
 * Workspace. Runs over stdio (`node dist/server.js --stdio`, for any LSP
 * editor) or IPC (VS Code).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type CancellationToken,
  type Disposable,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { LABEL_SCHEMA_PATH, Notification, Request, SIDECAR_SUFFIX, type RequestDef } from './protocol';
import { parseLayerPath } from './core/annotations/layers';
import { describeProblems } from './core/settings';
import { readTextFile } from './host/corpus';
import { listLayers } from './host/layers';
import { AnalysisPool } from './host/analysisPool';
import { Workspace } from './host/workspace';
import { FileSelection, type SiblingCondition } from './core/text/glob';
import { knownFingerprintOf, moveSidecar, sidecarPath } from './host/sidecarFiles';
import { AdjudicationQueue } from './lsp/adjudicationQueue';
import { agreementReport } from './lsp/agreement';
import { codeActions } from './lsp/codeActions';
import { executeCommand, SERVER_COMMANDS } from './lsp/commands';
import { uriToPath } from './lsp/convert';
import { applyChanges, loadSidecar, openDoc, persist, recheckInput, switchLayer, UserError } from './lsp/documents';
import { tagFilterOf, viewOf } from './lsp/documentView';
import { previewLabelMigration } from './lsp/labelMigration';
import { changeSchemaDocument, closeSchemaDocument, isLabelSchemaUri, openSchemaDocument, reloadLabelSchema } from './lsp/labelSchema';
import { hover } from './lsp/hover';
import { resynchronizingFrames } from './lsp/framing';
import { findMentions } from './lsp/mentions';
import { readInitializationOptions, type WorkspacePolicy } from './lsp/initOptions';
import { notify } from './lsp/notify';
import { REFINE_AFTER_SCAN } from './lsp/queue';
import { SEMANTIC_LEGEND, semanticTokens } from './lsp/semanticTokens';
import { ServerState } from './lsp/state';
import { VERSION } from './version';


// On stdio, frames pass a guard first: one malformed message must not silence the server for the rest of the session.
const connection = process.argv.includes('--stdio')
  ? createConnection(
      ProposedFeatures.all,
      new StreamMessageReader(resynchronizingFrames(process.stdin, (m) => process.stderr.write(`news-annotator: ${m}\n`))),
      new StreamMessageWriter(process.stdout),
    )
  : createConnection(ProposedFeatures.all);
// A failed reply from an editor must not end the session (and lose the user's unsaved state).
process.on('unhandledRejection', (err) => connection.console.error(`Unhandled: ${(err as Error)?.stack ?? String(err)}`));
const state = new ServerState(connection);
const adjudicationQueue = new AdjudicationQueue(state);
let canPullConfiguration = false;
let canWatchFiles = false;
let initOptions: unknown;
let policy: WorkspacePolicy = { trusted: true };
let reportedProblems = '';

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  state.semanticRefresh = !!params.capabilities.workspace?.semanticTokens?.refreshSupport;
  initOptions = params.initializationOptions;
  const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (!folders.length && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) folders.push(p);
  }
  // What the client says: Restricted Mode (an untrusted folder: nothing that loads a file or compiles a
  // pattern from the workspace), and which workspace folders are corpora (the others are not read).
  policy = readInitializationOptions(params.initializationOptions);
  const corpora = policy.corpusFolders?.map(uriToPath).filter((p): p is string => !!p);
  state.workspace = new Workspace({ folders: corpora ?? folders, trusted: policy.trusted });
  if (!policy.trusted) connection.console.info('Restricted Mode: entities.modelPath, the adapted model and re: cue patterns are not used until the workspace is trusted.');
  const txtFilter = { scheme: 'file', pattern: { glob: '**/*.txt', matches: 'file' as const } };
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor', 'source'], resolveProvider: false },
      hoverProvider: true,
      semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: false },
      executeCommandProvider: { commands: SERVER_COMMANDS },
      workspace: {
        workspaceFolders: { supported: true },
        fileOperations: { didRename: { filters: [txtFilter] }, didDelete: { filters: [txtFilter] } },
      },
    },
    serverInfo: { name: 'news-corpus-annotator', version: VERSION },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) {
    connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  }
  if (canWatchFiles) {
    // The texts, the adjudicated sidecars, every annotator's layer (a colleague's, after a git pull) and the label schema.
    const watchers = [
      { globPattern: '**/*.txt' },
      { globPattern: `**/*.txt${SIDECAR_SUFFIX}` },
      { globPattern: '**/*.txt.ann.*.json' },
      { globPattern: `**/${LABEL_SCHEMA_PATH}` },
    ];
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined);
  }
  try {
    await loadSettings();
    // The team's labels (labels.json) before anything is analysed with the settings' ones.
    reloadLabelSchema(state, true);
  } finally {
    state.settingsRead();
  }
  // Documents opened before the settings arrived were opened in the adjudicated sidecar.
  applyLayer();
  // The corpus is read in worker threads (every core), with summaries cached on disk for the next start.
  state.workspace.workers = (documents) => AnalysisPool.create(state.settings.workspace.workers, documents);
  state.workspace.cacheFolder = cacheFolder(policy);
  try {
    await state.rescan();
  } finally {
    state.scanFinished();
  }
});

/**
 * Reads the settings (pulled from the editor, or pushed, or the
 * initialization options), reports refused values once, and chooses the
 * tagger. Returns whether the tagger changed.
 */
async function loadSettings(fromNotification?: unknown): Promise<boolean> {
  let raw: unknown = fromNotification ?? (initOptions as { settings?: unknown } | undefined)?.settings ?? initOptions;
  if (canPullConfiguration) {
    try {
      raw = await connection.workspace.getConfiguration('newsAnnotator');
    } catch {
      // Editors that advertise but do not answer configuration requests keep the defaults.
    }
    try {
      const editor = filesExclude(await connection.workspace.getConfiguration('files.exclude'));
      state.workspace.editorExclude = editor.patterns;
      state.workspace.editorExcludeBySibling = editor.bySibling;
    } catch {
      // no files.exclude from this editor
    }
    watchSiblings();
  }
  const problems = state.workspace.configure(raw);
  const described = problems.length ? describeProblems(problems) : '';
  if (described && described !== reportedProblems) notify(connection, 'warning', described);
  reportedProblems = described;
  const tagger = await state.workspace.chooseTagger();
  if (tagger.problem) notify(connection, 'error', tagger.problem);
  return tagger.changed;
}

/** The watcher of the siblings that files.exclude's conditional entries look for, and what it watches. */
let siblingWatch: { key: string; registration?: Promise<Disposable | undefined> } = { key: '[]' };

/**
 * Watches the files a conditional `files.exclude` entry decides by (`**\/*.html` for
 * `{"when": "$(basename).html"}`): a page saved or deleted beside a text takes the text out
 * of the corpus or puts it back, as VS Code's Explorer does. Registered again when they change.
 */
function watchSiblings(): void {
  if (!canWatchFiles) return;
  const globs = state.workspace.selection().siblingGlobPatterns();
  const key = JSON.stringify(globs);
  if (key === siblingWatch.key) return;
  const previous = siblingWatch.registration;
  const watchers = globs.map((globPattern) => ({ globPattern }));
  siblingWatch = { key, registration: globs.length ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined) : undefined };
  void previous?.then((d) => d?.dispose());
}

/**
 * The patterns of VS Code's `files.exclude` that are switched on (`true`), and
 * its conditional entries (`{"when": "$(basename).html"}`: excluded only beside
 * that sibling). Entries whose pattern cannot be read are left out (the
 * selection reports nothing for settings that are not ours).
 */
function filesExclude(x: unknown): { patterns: string[]; bySibling: SiblingCondition[] } {
  const patterns: string[] = [];
  const bySibling: SiblingCondition[] = [];
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { patterns, bySibling };
  for (const [pattern, value] of Object.entries(x)) {
    if (!pattern || pattern.length > 200 || patterns.length + bySibling.length >= 256) continue;
    const when = typeof value === 'object' && value !== null ? (value as { when?: unknown }).when : undefined;
    if (value !== true && (typeof when !== 'string' || !when || when.length > 200)) continue;
    if (new FileSelection([], [pattern]).problems.length) continue;
    if (value === true) patterns.push(pattern);
    else bySibling.push({ pattern, when: when as string });
  }
  return { patterns, bySibling };
}

connection.onDidChangeConfiguration(async (change) => {
  const raw = (change.settings as Record<string, unknown> | undefined)?.newsAnnotator;
  const layerBefore = state.workspace.layer;
  const filesBefore = JSON.stringify(state.workspace.selectionKey());
  const suggestionsBefore = state.workspace.suggestionsKey();
  const analysisBefore = state.workspace.analysisKey();
  const taggerChanged = await loadSettings(raw);
  // The corpus' summaries hold what the detector found with the labels and minimum confidence it had.
  const analysisChanged = state.workspace.analysisKey() !== analysisBefore;
  const filesChanged = JSON.stringify(state.workspace.selectionKey()) !== filesBefore;
  const layerChanged = state.workspace.layer !== layerBefore;
  // Shown or hidden other layers, or another layer to work in: read again.
  for (const doc of state.docs.values()) doc.others = null;
  if (layerChanged) {
    applyLayer();
    state.queue.forgetAll();
  }
  state.refreshAll();
  // Suggestions made another way: the queue's exact figures are stale, and its top is refined again.
  if (state.workspace.suggestionsKey() !== suggestionsBefore) state.queue.changed(REFINE_AFTER_SCAN);
  // Without a labels.json the settings' labels are the schema: the client re-reads it.
  connection.sendNotification(Notification.labelSchemaChanged.method, {}).catch(() => undefined);
  // Other files in the corpus (include, exclude, files.exclude), another analysis: the corpus is listed and read again.
  if (taggerChanged || analysisChanged || layerChanged || filesChanged) await state.rescan();
});

/**
 * Every open document shows the layer the user works in (their own, or the
 * adjudicated sidecar), except those being adjudicated.
 */
function applyLayer(): void {
  for (const doc of state.docs.values()) {
    const layer = state.layerFor(doc.path);
    if (doc.layer === layer) continue;
    if (doc.refused) {
      // Nothing is read or written for a refused document; the layer matters once an edit makes it acceptable.
      doc.layer = layer;
      continue;
    }
    switchLayer(doc, layer);
    doc.others = null;
    state.refresh(doc);
  }
}

connection.onDidOpenTextDocument(({ textDocument: td }) => {
  if (isLabelSchemaUri(td.uri)) return openSchemaDocument(state, td.uri, td.text, td.version);
  const doc = openDoc(td.uri, td.text, td.version, state.maxBytes, state.layerFor(uriToPath(td.uri)));
  state.docs.set(td.uri, doc);
  state.refreshWhenIndexed(doc);
  // A journal left by a server that did not stop cleanly is folded into the sidecar at the next pause.
  state.journals.schedule();
  const { moved, orphans } = doc.reanchored;
  if (moved || orphans) {
    notify(
      connection,
      orphans ? 'warning' : 'info',
      `${path.basename(doc.path ?? td.uri)} changed since it was annotated: ${moved} annotation(s) moved with the text` +
        (orphans ? `, ${orphans} could not be placed and are kept as orphans (see the warnings on line 1).` : '.'),
    );
  }
});

connection.onDidChangeTextDocument(({ textDocument: td, contentChanges }) => {
  if (isLabelSchemaUri(td.uri)) return changeSchemaDocument(state, td.uri, contentChanges, td.version ?? 0);
  const doc = state.docs.get(td.uri);
  if (!doc) return;
  applyChanges(doc, contentChanges, td.version ?? doc.version + 1);
  recheckInput(doc, state.maxBytes);
  state.scheduleRefresh(doc);
});

connection.onDidSaveTextDocument(({ textDocument: td }) => {
  // The schema in force follows the saved labels.json (as the CLI reads it).
  if (isLabelSchemaUri(td.uri)) return void reloadLabelSchema(state);
  const doc = state.docs.get(td.uri);
  if (!doc) return;
  // Annotations that followed the edits are written now that the text on disk matches them.
  if (doc.unsaved && doc.path && doc.sidecar.status !== 'damaged' && doc.sidecar.status !== 'newer' && !doc.refused) {
    try {
      persist(doc);
      state.journals.schedule();
    } catch (err) {
      notify(connection, 'warning', (err as Error).message);
    }
  }
  state.refresh(doc);
});

connection.onDidCloseTextDocument(({ textDocument: td }) => {
  if (isLabelSchemaUri(td.uri)) return closeSchemaDocument(state, td.uri);
  const doc = state.close(td.uri);
  connection.sendDiagnostics({ uri: td.uri, diagnostics: [] }).catch(() => undefined);
  if (doc) state.journals.closed(doc);
  if (!doc?.path || !state.workspace.contains(doc.path)) return;
  // The corpus memory goes back to what is on disk. Usually the buffer was saved and the memory
  // already holds it: nothing to do. Otherwise the file is read again after the close is answered.
  const file = doc.path;
  state.workspace.forgetBuffer(file);
  const onDisk = readTextFile(file, state.maxBytes);
  if (onDisk.ok && onDisk.text === doc.text && state.workspace.memory.has(file)) return;
  setImmediate(() => {
    if (!state.findDocByPath(file)) state.workspace.indexFile(file);
  });
});

connection.workspace.onDidRenameFiles(({ files }) => {
  for (const f of files) {
    const from = uriToPath(f.oldUri);
    const to = uriToPath(f.newUri);
    if (!from || !to) continue;
    // The adjudicated sidecar and every annotator's layer move with the text.
    const layers: (string | undefined)[] = [undefined, ...listLayers(from).map((e) => e.annotator)];
    let moved = true;
    for (const annotator of layers) {
      try {
        if (fs.existsSync(sidecarPath(from, annotator))) moveSidecar(from, to, annotator);
      } catch (err) {
        notify(connection, 'error', `Could not move the annotations of ${path.basename(from)}${annotator ? ` (layer of ${annotator})` : ''}: ${(err as Error).message}`);
        moved = false;
      }
    }
    if (!moved) continue;
    if (state.adjudications.stop(from)) state.adjudications.start(to);
    state.workspace.remove(from);
    state.queue.forget(from);
    if (state.workspace.contains(to)) state.workspace.indexFile(to);
    const doc = state.findDoc(f.newUri);
    if (doc && doc.path) {
      doc.others = null;
      loadSidecar(doc, doc.path);
      state.refresh(doc);
    }
  }
  state.queue.changed();
});

connection.workspace.onDidDeleteFiles(({ files }) => {
  for (const f of files) {
    const p = uriToPath(f.uri);
    if (!p) continue;
    state.workspace.remove(p);
    state.queue.forget(p);
    if (fs.existsSync(sidecarPath(p))) {
      notify(connection, 'info', `${path.basename(p)} was deleted; its annotations are kept in ${path.basename(sidecarPath(p))}. Restore the text file to use them again.`);
    }
  }
  state.queue.changed();
});

/**
 * Files changed outside the editor (a scraper re-run, the CLI writing
 * sidecars, a colleague's layers after a git pull): keep the corpus memory
 * current and reload the layers of open documents, so what the user sees is
 * what is on disk. The corpus memory follows the texts and the layer the user
 * works in; another annotator's layer changes only what adjudication and the
 * agreement figures show.
 */
let watchedRefresh: NodeJS.Timeout | undefined;
connection.onDidChangeWatchedFiles(({ changes }) => {
  let layersChanged = false;
  let relist = false;
  for (const c of changes) {
    const p = uriToPath(c.uri);
    if (!p) continue;
    // A page beside texts (files.exclude's conditional entries): those texts in or out.
    if (state.workspace.siblingChanged(p) === 'rescan') relist = true;
    if (p === state.workspace.labelSchemaPath()) {
      reloadLabelSchema(state);
      continue;
    }
    const layerFile = parseLayerPath(p);
    const textPath = layerFile ? layerFile.textPath : p;
    const layer = layerFile ? layerFile.annotator : undefined;
    if (layer) layersChanged = true;
    const open = state.findDocByPath(textPath);
    if (open && layer !== undefined) {
      // Our own writes arrive here too; reloading an unchanged layer is harmless.
      if (layer === open.layer) {
        // (Skipped when the file is as this process last wrote it: re-reading a 90 MB sidecar takes seconds.)
        if (!open.refused && !open.unsaved && (!open.sidecar.fingerprint || knownFingerprintOf(textPath, layer ?? undefined) !== open.sidecar.fingerprint)) loadSidecar(open, textPath);
      } else open.others = null;
    }
    if (open || !state.workspace.contains(textPath)) continue; // an open document's buffer is newer than the disk
    if (layer !== undefined && layer !== state.workspace.layer) continue;
    state.queue.forget(textPath);
    if (c.type === FileChangeType.Deleted && layer === undefined) state.workspace.remove(textPath);
    else state.workspace.indexFile(textPath);
  }
  if (layersChanged) connection.sendNotification(Notification.layersChanged.method, {}).catch(() => undefined);
  if (relist) void state.rescan();
  if (watchedRefresh) clearTimeout(watchedRefresh);
  watchedRefresh = setTimeout(() => state.refreshAll(), 300);
});

connection.onCodeAction((params) => {
  const doc = state.findDoc(params.textDocument.uri);
  if (!doc || doc.refused) return [];
  return codeActions(state, doc, params);
});

connection.languages.semanticTokens.on((params) => {
  const doc = state.findDoc(params.textDocument.uri);
  return doc && !doc.refused ? semanticTokens(doc, state.workspace.labels.schema) : { data: [] };
});

connection.onHover((params) => {
  const doc = state.findDoc(params.textDocument.uri);
  if (!doc || doc.refused) return null;
  return hover(state, doc, params.position);
});

connection.onExecuteCommand(async (params, token) => {
  // The annotator setting decides which file a decision is written to.
  await state.settingsLoaded;
  try {
    return await executeCommand(state, params.command, params.arguments ?? [], token);
  } catch (err) {
    const message = err instanceof UserError ? err.message : `Command failed: ${(err as Error).message}`;
    notify(connection, 'error', message);
    if (!(err instanceof UserError)) connection.console.error((err as Error).stack ?? String(err));
    throw err;
  }
});

/** Registers a typed request handler (params and result checked against protocol.ts at compile time). */
function onRequest<P, R>(def: RequestDef<P, R>, handler: (params: P, token: CancellationToken) => R | Promise<R>): void {
  connection.onRequest(def.method, (params: unknown, token: CancellationToken): Promise<unknown> => Promise.resolve(handler(params as P, token)));
}

onRequest(Request.documentAnnotations, (params) => {
  const doc = typeof params?.uri === 'string' ? state.findDoc(params.uri) : undefined;
  return doc ? state.documentAnnotations(doc) : null;
});

onRequest(Request.workspaceEntities, async (params) => {
  await state.scanned;
  return { entities: state.workspace.memory.entities(ServerState.fileUri, undefined, tagFilterOf(params?.tags)) };
});

onRequest(Request.reviewQueue, (params) => {
  const limit = typeof params?.limit === 'number' && params.limit > 0 ? params.limit : undefined;
  return params?.mode === 'adjudication' ? adjudicationQueue.result(limit) : state.queue.result(limit, tagFilterOf(params?.tags));
});

onRequest(Request.agreement, (params) => agreementReport(state, params ?? {}));

onRequest(Request.labelSchema, () => state.workspace.labels.schema);

onRequest(Request.documentView, (params) => viewOf(state, params?.uri));

onRequest(Request.labelMigration, (params) => {
  const renames = Array.isArray(params?.renames) ? params.renames.filter((r) => r && (r.kind === 'entity' || r.kind === 'boilerplate') && typeof r.from === 'string' && typeof r.to === 'string').slice(0, 200) : undefined;
  return previewLabelMigration(state, { renames });
});

onRequest(Request.findMentions, (params, token) => {
  if (typeof params?.text !== 'string' || !params.text.trim() || params.text.length > 1000) throw new UserError('findMentions needs the text of a name (at most 1,000 characters).');
  return findMentions(state, params, token);
});

/**
 * Where the summary cache goes: `.news-annotator/cache/` in a trusted corpus
 * that has `.news-annotator/` (it travels with the corpus, git-ignored); else
 * the folder the client gives for it (VS Code: the extension's storage),
 * since the server never adds `.news-annotator/` unasked (it marks a corpus);
 * else nowhere.
 */
function cacheFolder(p: WorkspacePolicy): string | null {
  const first = state.workspace.folders[0];
  const marker = first && path.join(first, '.news-annotator');
  if (marker && p.trusted && fs.existsSync(marker) && fs.statSync(marker).isDirectory()) return path.join(marker, 'cache');
  return p.cacheFolder ?? null;
}

connection.onShutdown(async () => {
  // Every sidecar self-contained again: the decisions still in journals go into their files.
  state.journals.flush();
  await state.workspace.closeWorkers();
});

connection.listen();
