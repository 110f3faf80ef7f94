/**
 * The VS Code client: starts the language server and wires the editor UI
 * (decorations, commands, Entities view, status bar) to it. No detection
 * logic lives here; everything comes from the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommand, LABEL_SCHEMA_PATH, LANGUAGE_ID, Notification, PRODUCT_NAME, type ReviewProgress } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { registerCorpusDecisions } from './corpusDecisions';
import { AnnotationDecorations } from './decorations';
import { registerDocumentTags, TagFilterState } from './documentTags';
import { registerLabelSchemaCommands } from './labelSchemaCommands';
import { LabelSchemaStore } from './labels';
import { onNotification } from './lsp';
import { Review } from './review';
import { StatusBar } from './statusBar';
import { AnnotationView, isArticle } from './views/annotationView';
import { EntitiesView } from './views/entitiesView';
import { ReviewQueueView } from './views/reviewQueueView';

let client: LanguageClient | undefined;

/** What the extension hands to other extensions and to the integration suite. */
export interface NewsAnnotatorApi {
  client: LanguageClient;
  review: Review;
  view: AnnotationView;
  labels: LabelSchemaStore;
}

export async function activate(context: vscode.ExtensionContext): Promise<NewsAnnotatorApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'file', language: LANGUAGE_ID },
      // The team's label schema: the server checks it as it is typed (problems on the file itself).
      { scheme: 'file', language: 'json', pattern: `**/${LABEL_SCHEMA_PATH}` },
      { scheme: 'file', language: 'jsonc', pattern: `**/${LABEL_SCHEMA_PATH}` },
    ],
    // File watching is registered by the server itself, the same way for every editor.
    synchronize: { configurationSection: 'newsAnnotator' },
    diagnosticCollectionName: 'newsAnnotator',
  };
  const lc = new LanguageClient('newsAnnotator', PRODUCT_NAME, serverOptions, clientOptions);
  client = lc;
  await lc.start();

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
  queue.view = vscode.window.createTreeView('newsAnnotator.reviewQueue', { treeDataProvider: queue, showCollapseAll: true });
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
    review,
    view,
    onNotification(client, Notification.annotationsChanged, (p) => {
      void decorations.refresh(p.uri).then((r) => statusBar.show(r));
      entities.scheduleRefresh();
      view.documentChanged(p.uri);
    }),
    onNotification(client, Notification.queueChanged, () => queue.scheduleRefresh()),
    queue.onDidChangeProgress((p) => statusBar.showProgress((progress = p), review.inReviewMode)),
    review.onDidChangeMode((on) => progress && statusBar.showProgress(progress, on)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (!editor) return statusBar.show(null);
      void decorations.refresh(editor.document.uri.toString()).then((r) => statusBar.show(r));
    }),
    vscode.window.onDidChangeVisibleTextEditors(() => decorations.reapply()),
    vscode.commands.registerCommand(ClientCommand.refreshReviewQueue, () => queue.refresh()),
    vscode.commands.registerCommand(ClientCommand.openAnnotationView, async (uri?: vscode.Uri | string) => {
      const target = uri ? await vscode.workspace.openTextDocument(typeof uri === 'string' ? lc.protocol2CodeConverter.asUri(uri) : uri) : undefined;
      if (target && !isArticle(target)) return void vscode.window.showInformationMessage(vscode.l10n.t('The annotation view shows the articles of the corpus (.txt files).'));
      await view.open(target);
    }),
    vscode.commands.registerCommand(ClientCommand.openQueueDocument, async (uri: string) => {
      const doc = await vscode.workspace.openTextDocument(lc.protocol2CodeConverter.asUri(uri));
      await vscode.window.showTextDocument(doc);
      await review.move(0);
    }),
    ...registerCommands(client, entities, labels),
    ...review.register(),
    ...registerCorpusDecisions(client, review, labels),
    ...registerDocumentTags(client, labels, tagFilter),
    ...registerLabelSchemaCommands(client, labels),
  );
  void queue.queue();
  const active = vscode.window.activeTextEditor;
  if (active) void decorations.refresh(active.document.uri.toString()).then((r) => statusBar.show(r));
  return { client, review, view, labels };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
