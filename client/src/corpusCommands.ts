/**
 * Corpus-wide decisions the server offers as quick fixes (Apply Everywhere on a
 * boilerplate block, relabelling every mention of a name): VS Code runs a quick
 * fix's command without showing anything, and on 100,000 articles such a command
 * runs for minutes. Here they run in a notification with a Cancel button (sent
 * as a request of their own, so that Cancel reaches the server, which stops at the
 * next document) and end with what they did. Wired in as the language client's
 * executeCommand middleware, so the quick fixes stay the server's commands and
 * other editors run them as they are.
 */
import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import { Command, type ApplyEverywhereArgs, type BatchResult, type RelabelNameArgs } from '../../server/src/protocol';
import { withStoppableProgress } from './stoppable';

/** What a corpus-wide decision stopped by the user left behind. */
export function stoppedMessage(r: BatchResult): string {
  return vscode.l10n.t('Stopped: {0} decisions were written in {1} documents before it stopped; Undo takes them back.', r.annotations, r.documents);
}

/** The notification's title while `command` runs, or undefined for a command that is not corpus-wide. */
function titleOf(command: string, args: unknown[]): string | undefined {
  if (command === Command.applyEverywhere) {
    const a = args[0] as ApplyEverywhereArgs | undefined;
    return a?.boilerplate === false ? vscode.l10n.t('Keeping the block as article text in every document…') : vscode.l10n.t('Marking the block as boilerplate in every document…');
  }
  if (command === Command.relabelName) {
    const a = args[0] as RelabelNameArgs | undefined;
    // One document's relabelling is instant: it needs no notification.
    return a && !a.uri ? vscode.l10n.t('Relabelling "{0}" as {1} in every document…', a.text, a.to) : undefined;
  }
  return undefined;
}

function doneMessage(command: string, r: BatchResult): string {
  return command === Command.applyEverywhere
    ? vscode.l10n.t('The block was decided in {0} documents.', r.documents)
    : vscode.l10n.t('{0} mentions relabelled in {1} documents.', r.annotations, r.documents);
}

export function corpusCommandMiddleware(client: () => LanguageClient | undefined): Pick<Middleware, 'executeCommand'> {
  return {
    executeCommand: async (command, args, next) => {
      const title = titleOf(command, args);
      const c = client();
      if (!title || !c) return next(command, args);
      const result = await withStoppableProgress(title, (token) => c.sendRequest<BatchResult>('workspace/executeCommand', { command, arguments: args }, token));
      if (result?.cancelled) void vscode.window.showWarningMessage(stoppedMessage(result));
      else if (result) void vscode.window.showInformationMessage(doneMessage(command, result));
      return result;
    },
  };
}
