/**
 * The VS Code client. The extension is opt-in (client/src/corpusFolders.ts): the language server
 * starts only for corpus folders or a document the user set to News Article, and the editor UI
 * (decorations, commands, Entities view, status bar) is wired to it then. No detection logic
 * lives here; everything comes from the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommand, LABEL_SCHEMA_PATH, LANGUAGE_ID, Notification, PRODUCT_NAME, type InitializationOptions, type ReviewProgress } from '../../server/src/protocol';
import { Adjudication } from './adjudication';
import { ArticleLanguage } from './articleLanguage';
import { registerCommands } from './commands';
import { corpusCommandMiddleware } from './corpusCommands';
import { registerCorpusDecisions } from './corpusDecisions';
import { CorpusFolders } from './corpusFolders';
import { AnnotationDecorations } from './decorations';
import { registerDocumentTags, TagFilterState } from './documentTags';
import { registerLabelSchemaCommands } from './labelSchemaCommands';
import { LabelSchemaStore } from './labels';
import { onNotification } from './lsp';
import { Review } from './review';
import { StatusBar } from './statusBar';
import { AgreementView } from './views/agreementView';
import { AnnotationView, isArticle } from './views/annotationView';
import { EntitiesView } from './views/entitiesView';
import { ReviewQueueView } from './views/reviewQueueView';
import { corpusCommandsRunning, registerStopCommand } from './stoppable';

/** The running language server and the UI that shows what it says. */
export interface Session {
  client: LanguageClient;
  entities: EntitiesView;
  /** The keyboard review commands (and whether Review Mode is on). */
  review: Review;
  /** The Agreement view (annotators' agreement, adjudication). */
  agreement: AgreementView;
  /** The annotation view (the document laid out paragraph by paragraph, right-to-left where it is Arabic). */
  view: AnnotationView;
  /** The label schema in force (labels.json, else the settings). */
  labels: LabelSchemaStore;
  /** The document tag filter of the Review Queue and the Entities view. */
  tagFilter: TagFilterState;
  /** The Review Queue view (it lists the top of the queue, a page at a time). */
  queue: ReviewQueueView;
}

/** What `activate` returns (used by the integration tests). */
export interface ExtensionApi {
  /** The running session, once a corpus folder or a News Article document is open. */
  readonly session: Session | undefined;
  /** How many corpus-wide commands (export, Learn, decisions over the corpus) are running now. */
  readonly corpusCommandsRunning: number;
}

/** Context key: true while the language server runs (menus, the Entities view, the walkthrough). */
const SERVING_CONTEXT = 'newsAnnotator.serving';

let session: Session | undefined;
let starting: Promise<Session> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const corpora = new CorpusFolders();
  const articles = new ArticleLanguage(corpora);
  context.subscriptions.push(corpora, articles);

  const start = (): Promise<Session> => (starting ??= startSession(context, corpora));
  const restart = async () => {
    if (!session) return;
    // Read again at start: the initialization options are a function of the workspace's state.
    await session.client.restart();
  };

  await corpora.refresh();
  await articles.applyToOpenDocuments();
  const articleOpen = vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID && d.uri.scheme === 'file');
  if (corpora.list.length || articleOpen) void start();

  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommand.annotateFolder, (folder?: vscode.WorkspaceFolder | vscode.Uri) =>
      annotateFolder(corpora, folder, start),
    ),
    ...registerCommands(() => starting, () => offerAnnotateFolder()),
    registerStopCommand(),
    corpora.onDidChange(async () => {
      if (!corpora.list.length) return restart();
      await articles.applyToOpenDocuments();
      if (session) await restart();
      else await start();
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file') void start();
    }),
    // Trusting the folder lifts Restricted Mode: the server starts again with the workspace's model and patterns.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
  );

  if (starting) await starting;
  return {
    get session() {
      return session;
    },
    get corpusCommandsRunning() {
      return corpusCommandsRunning();
    },
  };
}

async function startSession(context: vscode.ExtensionContext, corpora: CorpusFolders): Promise<Session> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Corpus documents are switched to this language (articleLanguage.ts); nothing else is served but
    // the team's label schema, which the server checks as it is typed (problems on the file itself).
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'file', language: 'json', pattern: `**/${LABEL_SCHEMA_PATH}` },
      { scheme: 'file', language: 'jsonc', pattern: `**/${LABEL_SCHEMA_PATH}` },
    ],
    // File watching is registered by the server itself, the same way for every editor.
    synchronize: { configurationSection: 'newsAnnotator' },
    diagnosticCollectionName: 'newsAnnotator',
    // Corpus-wide quick fixes run in a notification the user can cancel (corpusCommands.ts).
    middleware: corpusCommandMiddleware(() => client),
    initializationOptions: (): InitializationOptions => ({
      trusted: vscode.workspace.isTrusted,
      corpusFolders: corpora.list.map((f) => f.uri.toString()),
      // The summary cache lives in the extension's storage for this workspace, never in the corpus.
      ...(context.storageUri?.scheme === 'file' ? { cacheFolder: path.join(context.storageUri.fsPath, 'summary-cache') } : {}),
    }),
  };
  // The id makes the client read `newsAnnotator.trace.server` (declared in package.json).
  const client = new LanguageClient('newsAnnotator', PRODUCT_NAME, serverOptions, clientOptions);
  await client.start();

  const labels = new LabelSchemaStore(client);
  // Colours and keys come from the schema: have it before the first decoration.
  await labels.schema();
  const decorations = new AnnotationDecorations(client, labels);
  const statusBar = new StatusBar();
  const tagFilter = new TagFilterState();
  const entities = new EntitiesView(client, tagFilter);
  const queue = new ReviewQueueView(client, tagFilter);
  const review = new Review(client, labels);
  const view = new AnnotationView(context.extensionUri, client, labels);
  const agreement = new AgreementView(client);
  const adjudication = new Adjudication(client);
  queue.view = vscode.window.createTreeView('newsAnnotator.reviewQueue', { treeDataProvider: queue, showCollapseAll: true });
  agreement.view = vscode.window.createTreeView('newsAnnotator.agreement', { treeDataProvider: agreement, showCollapseAll: true });
  entities.view = vscode.window.createTreeView('newsAnnotator.entities', { treeDataProvider: entities });
  let progress: ReviewProgress | undefined;
  context.subscriptions.push(
    labels,
    decorations,
    statusBar,
    tagFilter,
    entities,
    entities.view,
    queue,
    queue.view,
    agreement,
    agreement.view,
    review,
    view,
    onNotification(client, Notification.annotationsChanged, (p) => {
      void decorations.refresh(p.uri).then((r) => {
        statusBar.show(r);
        adjudication.onDocumentAnnotations(r);
      });
      entities.scheduleRefresh();
      view.documentChanged(p.uri);
    }),
    onNotification(client, Notification.queueChanged, () => queue.scheduleRefresh()),
    onNotification(client, Notification.layersChanged, () => agreement.scheduleRefresh()),
    queue.onDidChangeProgress((p) => statusBar.showProgress((progress = p), review.inReviewMode)),
    review.onDidChangeMode((on) => progress && statusBar.showProgress(progress, on)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (!editor) {
        adjudication.onDocumentAnnotations(null);
        return statusBar.show(null);
      }
      void decorations.refresh(editor.document.uri.toString()).then((r) => {
        statusBar.show(r);
        adjudication.onDocumentAnnotations(r);
      });
    }),
    vscode.window.onDidChangeVisibleTextEditors(() => decorations.reapply()),
    vscode.commands.registerCommand(ClientCommand.refreshReviewQueue, () => queue.refresh()),
    vscode.commands.registerCommand(ClientCommand.openAnnotationView, async (uri?: vscode.Uri | string) => {
      const target = uri ? await vscode.workspace.openTextDocument(typeof uri === 'string' ? client.protocol2CodeConverter.asUri(uri) : uri) : undefined;
      if (target && !isArticle(target)) return void vscode.window.showInformationMessage(vscode.l10n.t('The annotation view shows the articles of the corpus (.txt files).'));
      await view.open(target);
    }),
    vscode.commands.registerCommand(ClientCommand.openQueueDocument, async (uri: string) => {
      const doc = await vscode.workspace.openTextDocument(client.protocol2CodeConverter.asUri(uri));
      await vscode.window.showTextDocument(doc);
      await review.move(0);
    }),
    ...review.register(),
    ...queue.register(),
    ...agreement.register(),
    ...adjudication.register(),
    ...registerCorpusDecisions(client, review, labels),
    ...registerDocumentTags(client, labels, tagFilter),
    ...registerLabelSchemaCommands(client, labels),
  );
  void queue.queue();
  const active = vscode.window.activeTextEditor;
  if (active) void decorations.refresh(active.document.uri.toString()).then((r) => statusBar.show(r));
  session = { client, entities, review, agreement, view, labels, tagFilter, queue };
  await vscode.commands.executeCommand('setContext', SERVING_CONTEXT, true);
  return session;
}

/** Annotate This Folder: the folder given (Explorer, walkthrough), the only one, or the one the user picks. */
async function annotateFolder(corpora: CorpusFolders, arg: vscode.WorkspaceFolder | vscode.Uri | undefined, start: () => Promise<Session>): Promise<boolean> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let folder = arg instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(arg) : arg;
  if (!folder && folders.length === 1) folder = folders[0];
  if (!folder && folders.length > 1) folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Folder to annotate') });
  if (!folder) {
    if (!folders.length) void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder of articles first.'));
    return false;
  }
  if (folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not on the local file system: the annotator cannot read and write its files.', folder.name));
    return false;
  }
  const created = await corpora.optIn(folder);
  await start();
  void vscode.window.showInformationMessage(
    created
      ? vscode.l10n.t('{0} is now a corpus: its articles open as News Article documents with suggestions. Annotations are saved next to each article.', folder.name)
      : vscode.l10n.t('{0} is already a corpus.', folder.name),
  );
  return true;
}

/** For commands run before any folder is a corpus (walkthrough links, the Command Palette). */
async function offerAnnotateFolder(): Promise<void> {
  const annotate = vscode.l10n.t('Annotate This Folder');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('The annotator is not running: no folder of this window is a corpus yet.'),
    annotate,
  );
  if (choice === annotate) await vscode.commands.executeCommand(ClientCommand.annotateFolder);
}

export async function deactivate(): Promise<void> {
  await session?.client.stop();
  session = undefined;
  starting = undefined;
}
