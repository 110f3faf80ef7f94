/**
 * The language server: wires LSP requests onto the core. Runs over stdio
 * (`node dist/server.js --stdio`, for any LSP editor) or IPC (VS Code).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  Request,
  SIDECAR_SUFFIX,
  type DocumentAnnotationsParams,
  type DocumentAnnotationsResult,
  type WorkspaceEntitiesResult,
} from './protocol';
import { loadModel } from './core/detect/entities';
import { listTextFiles } from './host/corpus';
import { moveSidecar, sidecarPath } from './host/sidecarFiles';
import { codeActions } from './lsp/codeActions';
import { executeCommand, SERVER_COMMANDS } from './lsp/commands';
import { applyChanges, loadSidecar, openDoc, persist, recheckInput, uriToPath, UserError } from './lsp/documents';
import { hover } from './lsp/hover';
import { adaptedModelPath } from './lsp/learning';
import { SEMANTIC_LEGEND, semanticTokens } from './lsp/semanticTokens';
import { notify } from './lsp/notify';
import { readInitializationOptions, restrictUntrusted } from './lsp/initOptions';
import { resolveSettings } from './lsp/settings';
import { ServerState } from './lsp/state';
import { VERSION } from './version';

const connection = createConnection(ProposedFeatures.all);
// A failed reply from an editor must not end the session (and lose the user's unsaved state).
process.on('unhandledRejection', (err) => connection.console.error(`Unhandled: ${(err as Error)?.stack ?? String(err)}`));
const state = new ServerState(connection);
let canPullConfiguration = false;
let canWatchFiles = false;
let settingsLoaded = false;
let initOptions: unknown;
/** Trust and corpus folders, as the client said at initialize (lsp/initOptions.ts). */
let policy = readInitializationOptions(undefined);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  state.semanticRefresh = !!params.capabilities.workspace?.semanticTokens?.refreshSupport;
  initOptions = params.initializationOptions;
  state.folders = (params.workspaceFolders ?? [])
    .map((f) => uriToPath(f.uri))
    .filter((p): p is string => !!p);
  if (!state.folders.length && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) state.folders.push(p);
  }
  policy = readInitializationOptions(params.initializationOptions);
  if (policy.corpusFolders) state.folders = policy.corpusFolders.map(uriToPath).filter((p): p is string => !!p);
  const txtFilter = { scheme: 'file', pattern: { glob: '**/*.txt', matches: 'file' as const } };
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor'], resolveProvider: false },
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
    const watchers = [{ globPattern: '**/*.txt' }, { globPattern: `**/*.txt${SIDECAR_SUFFIX}` }];
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined);
  }
  await loadSettings();
  try {
    await state.rescan();
  } finally {
    state.scanFinished();
  }
});

async function loadSettings(fromNotification?: unknown): Promise<void> {
  let raw: unknown = fromNotification ?? initOptions;
  if (canPullConfiguration) {
    try {
      raw = await connection.workspace.getConfiguration('newsAnnotator');
    } catch {
      // Editors that advertise but do not answer configuration requests keep the defaults.
    }
  }
  const first = !settingsLoaded;
  const previous = state.settings.entities.modelPath;
  const settings = resolveSettings(raw);
  if (!policy.trusted && (settings.entities.modelPath || Object.keys(settings.boilerplate.extraCues).length)) {
    connection.console.info('Restricted Mode: entities.modelPath and boilerplate.extraCues are not used until the workspace is trusted.');
  }
  state.settings = policy.trusted ? settings : restrictUntrusted(settings);
  settingsLoaded = true;
  const modelPath = state.settings.entities.modelPath;
  if (modelPath === previous && !first) return;
  // The tagger in use: the configured model file, else one adapted by Learn from Annotations, else the shipped one.
  state.model = undefined;
  const adapted = policy.trusted ? adaptedModelPath(state) : undefined;
  const file = modelPath ? path.resolve(state.folders[0] ?? process.cwd(), modelPath) : adapted && fs.existsSync(adapted) ? adapted : undefined;
  if (!file) return;
  try {
    state.model = loadModel(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const setting = modelPath ? 'newsAnnotator.entities.modelPath' : 'the adapted model';
    notify(connection, 'error', `${setting}: cannot load ${modelPath ?? file} (${(err as Error).message}); using the shipped model.`);
  }
}

// Scans run one after another: a second request (the tagger changed again) waits for the first.
let scans: Promise<void> = Promise.resolve();
state.rescan = () => (scans = scans.then(scanWorkspace, scanWorkspace));

/**
 * Reads the corpus with progress: once at start-up, so cross-document signals work from
 * the first file, and again when the tagger changes (modelPath, Learn from Annotations),
 * since the names the corpus remembers came from the previous one.
 */
async function scanWorkspace(): Promise<void> {
  if (!state.folders.length) return;
  const files = listTextFiles(state.folders, state.settings.workspace.include, state.settings.workspace.maxFiles);
  const progress = await connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin('News Annotator: indexing corpus', 0, `${files.length} files`, false);
  let lastReport = 0;
  await state.index.scan(files, state.maxBytes, (done, total) => {
    if (Date.now() - lastReport < 250) return;
    lastReport = Date.now();
    progress?.report(total ? Math.round((done / total) * 100) : 100, `${done} / ${total} files`);
  });
  progress?.done();
  state.refreshAll();
}

connection.onDidChangeConfiguration(async (change) => {
  const raw = (change.settings as Record<string, unknown> | undefined)?.newsAnnotator;
  const model = state.model;
  await loadSettings(raw);
  state.refreshAll();
  if (state.model !== model) await state.rescan();
});

connection.onDidOpenTextDocument(({ textDocument: td }) => {
  const doc = openDoc(td.uri, td.text, td.version, state.maxBytes);
  state.docs.set(td.uri, doc);
  state.refreshWhenIndexed(doc);
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
  const doc = state.docs.get(td.uri);
  if (!doc) return;
  applyChanges(doc, contentChanges, td.version ?? doc.version + 1);
  recheckInput(doc, state.maxBytes);
  state.scheduleRefresh(doc);
});

connection.onDidSaveTextDocument(({ textDocument: td }) => {
  const doc = state.docs.get(td.uri);
  if (!doc) return;
  // Annotations that followed the edits are written now that the text on disk matches them.
  if (doc.unsaved && doc.path && doc.sidecar.status !== 'absent' && !doc.refused) {
    try {
      persist(doc);
    } catch (err) {
      notify(connection, 'warning', (err as Error).message);
    }
  }
  if (doc.path) state.index.update(doc.path, doc.text, doc.annotations);
  state.refresh(doc);
});

connection.onDidCloseTextDocument(({ textDocument: td }) => {
  const doc = state.close(td.uri);
  if (doc?.path) state.index.indexFile(doc.path, state.maxBytes);
  connection.sendDiagnostics({ uri: td.uri, diagnostics: [] }).catch(() => undefined);
});

connection.workspace.onDidRenameFiles(({ files }) => {
  for (const f of files) {
    const from = uriToPath(f.oldUri);
    const to = uriToPath(f.newUri);
    if (!from || !to) continue;
    try {
      if (fs.existsSync(sidecarPath(from))) moveSidecar(from, to);
    } catch (err) {
      notify(connection, 'error', `Could not move the annotations of ${path.basename(from)}: ${(err as Error).message}`);
      continue;
    }
    state.index.remove(from);
    state.index.indexFile(to, state.maxBytes);
    const doc = state.findDoc(f.newUri);
    if (doc && doc.path) {
      loadSidecar(doc, doc.path);
      state.refresh(doc);
    }
  }
});

connection.workspace.onDidDeleteFiles(({ files }) => {
  for (const f of files) {
    const p = uriToPath(f.uri);
    if (!p) continue;
    state.index.remove(p);
    if (fs.existsSync(sidecarPath(p))) {
      notify(connection, 'info', 
        `${path.basename(p)} was deleted; its annotations are kept in ${path.basename(sidecarPath(p))}. Restore the text file to use them again.`,
      );
    }
  }
});

/**
 * Files changed outside the editor (a scraper re-run, the CLI writing
 * sidecars): keep the corpus index current and reload the sidecars of open
 * documents, so what the user sees is what is on disk.
 */
let watchedRefresh: NodeJS.Timeout | undefined;
connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const c of changes) {
    const p = uriToPath(c.uri);
    if (!p) continue;
    const textPath = p.endsWith(SIDECAR_SUFFIX) ? p.slice(0, -SIDECAR_SUFFIX.length) : p;
    const open = state.findDocByPath(textPath);
    if (p.endsWith(SIDECAR_SUFFIX)) {
      // Our own writes arrive here too; reloading an unchanged sidecar is harmless.
      if (open && !open.refused && !open.unsaved) loadSidecar(open, textPath);
    }
    if (open) continue; // an open document's buffer is newer than the disk
    if (c.type === FileChangeType.Deleted && !p.endsWith(SIDECAR_SUFFIX)) state.index.remove(textPath);
    else state.index.indexFile(textPath, state.maxBytes);
  }
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
  return doc && !doc.refused ? semanticTokens(doc) : { data: [] };
});

connection.onHover((params) => {
  const doc = state.findDoc(params.textDocument.uri);
  if (!doc || doc.refused) return null;
  return hover(state, doc, params.position);
});

connection.onExecuteCommand(async (params) => {
  try {
    return await executeCommand(state, params.command, params.arguments ?? []);
  } catch (err) {
    const message = err instanceof UserError ? err.message : `Command failed: ${(err as Error).message}`;
    notify(connection, 'error', message);
    if (!(err instanceof UserError)) connection.console.error((err as Error).stack ?? String(err));
    throw err;
  }
});

connection.onRequest(Request.documentAnnotations, (params: DocumentAnnotationsParams): DocumentAnnotationsResult | null => {
  const doc = state.findDoc(params.uri);
  return doc ? state.documentAnnotations(doc) : null;
});

connection.onRequest(Request.workspaceEntities, async (): Promise<WorkspaceEntitiesResult> => {
  await state.scanned;
  return { entities: state.index.entities(ServerState.fileUri) };
});

connection.listen();
