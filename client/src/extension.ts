/**
 * The VS Code client: starts the language server and wires the editor UI
 * (decorations, commands, Entities view, status bar) to it. No detection
 * logic lives here; everything comes from the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_ID, Notification, PRODUCT_NAME } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { AnnotationDecorations } from './decorations';
import { StatusBar } from './statusBar';
import { EntitiesView } from './views/entitiesView';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient }> {
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
  client = new LanguageClient('newsAnnotator', PRODUCT_NAME, serverOptions, clientOptions);
  await client.start();

  const decorations = new AnnotationDecorations(client);
  const statusBar = new StatusBar();
  const entities = new EntitiesView(client);
  context.subscriptions.push(
    decorations,
    statusBar,
    entities,
    vscode.window.registerTreeDataProvider('newsAnnotator.entities', entities),
    client.onNotification(Notification.annotationsChanged, (p: { uri: string }) => {
      void decorations.refresh(p.uri).then((r) => statusBar.show(r));
      entities.scheduleRefresh();
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (!editor) return statusBar.show(null);
      void decorations.refresh(editor.document.uri.toString()).then((r) => statusBar.show(r));
    }),
    vscode.window.onDidChangeVisibleTextEditors(() => decorations.reapply()),
    ...registerCommands(client, entities),
  );
  const active = vscode.window.activeTextEditor;
  if (active) void decorations.refresh(active.document.uri.toString()).then((r) => statusBar.show(r));
  return { client };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
