/**
 * The VS Code client: starts the language server and wires the editor UI
 * (decorations, commands, Entities view, status bar) to it. No detection
 * logic lives here; everything comes from the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommand, LANGUAGE_ID, Notification, PRODUCT_NAME, type ReviewProgress } from '../../server/src/protocol';
import { Adjudication } from './adjudication';
import { registerCommands } from './commands';
import { registerCorpusDecisions } from './corpusDecisions';
import { AnnotationDecorations } from './decorations';
import { onNotification } from './lsp';
import { Review } from './review';
import { StatusBar } from './statusBar';
import { AgreementView } from './views/agreementView';
import { EntitiesView } from './views/entitiesView';
import { ReviewQueueView } from './views/reviewQueueView';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient; review: Review; agreement: AgreementView }> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'file', language: LANGUAGE_ID },
    ],
    // File watching is registered by the server itself, the same way for every editor.
    synchronize: { configurationSection: 'newsAnnotator' },
    diagnosticCollectionName: 'newsAnnotator',
  };
  const lc = new LanguageClient('newsAnnotator', PRODUCT_NAME, serverOptions, clientOptions);
  client = lc;
  await lc.start();

  const decorations = new AnnotationDecorations(client);
  const statusBar = new StatusBar();
  const entities = new EntitiesView(client);
  const queue = new ReviewQueueView(client);
  const review = new Review(client);
  const agreement = new AgreementView(client);
  const adjudication = new Adjudication(client);
  queue.view = vscode.window.createTreeView('newsAnnotator.reviewQueue', { treeDataProvider: queue, showCollapseAll: true });
  agreement.view = vscode.window.createTreeView('newsAnnotator.agreement', { treeDataProvider: agreement, showCollapseAll: true });
  let progress: ReviewProgress | undefined;
  context.subscriptions.push(
    decorations,
    statusBar,
    entities,
    queue,
    queue.view,
    agreement,
    agreement.view,
    review,
    vscode.window.registerTreeDataProvider('newsAnnotator.entities', entities),
    onNotification(client, Notification.annotationsChanged, (p) => {
      void decorations.refresh(p.uri).then((r) => {
        statusBar.show(r);
        adjudication.onDocumentAnnotations(r);
      });
      entities.scheduleRefresh();
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
    vscode.commands.registerCommand(ClientCommand.openQueueDocument, async (uri: string) => {
      const doc = await vscode.workspace.openTextDocument(lc.protocol2CodeConverter.asUri(uri));
      await vscode.window.showTextDocument(doc);
      await review.move(0);
    }),
    ...registerCommands(client, entities),
    ...review.register(),
    ...queue.register(),
    ...agreement.register(),
    ...adjudication.register(),
    ...registerCorpusDecisions(client, review),
  );
  void queue.queue();
  const active = vscode.window.activeTextEditor;
  if (active) void decorations.refresh(active.document.uri.toString()).then((r) => statusBar.show(r));
  return { client, review, agreement };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
