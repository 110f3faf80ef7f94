/**
 * Corpus-wide commands (export, Learn, Find Mentions, decisions over every document) run in a
 * notification with a Cancel button. That button is out of reach when the notification is not
 * shown (Do Not Disturb hides progress notifications; a closed one only leaves its status-bar
 * item) and it has no key. "Stop the Running Corpus-Wide Command" stops them all: a command that
 * can be bound to a key and called by other extensions. Both ways cancel the same request, so
 * the server stops at the next document and reports what it did, as with Cancel.
 */
import * as vscode from 'vscode';
import { ClientCommand } from '../../server/src/protocol';

const running = new Set<vscode.CancellationTokenSource>();

/** Context key: a corpus-wide command is running (the Stop command is in the palette only then). */
const RUNNING_CONTEXT = 'newsAnnotator.corpusCommandRunning';

function setRunningContext(): void {
  void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, running.size > 0);
}

/** How many corpus-wide commands are running now. */
export function corpusCommandsRunning(): number {
  return running.size;
}

/**
 * Runs `task` in a notification titled `title` with a Cancel button; `token` is cancelled by
 * that button or by the Stop command.
 */
export function withStoppableProgress<T>(title: string, task: (token: vscode.CancellationToken) => Thenable<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, cancel) => {
    const source = new vscode.CancellationTokenSource();
    const link = cancel.onCancellationRequested(() => source.cancel());
    running.add(source);
    setRunningContext();
    try {
      return await task(source.token);
    } finally {
      running.delete(source);
      link.dispose();
      source.dispose();
      setRunningContext();
    }
  });
}

/** The Stop command: cancels every running corpus-wide command and returns how many it stopped. */
export function registerStopCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(ClientCommand.stopCorpusCommand, () => {
    const n = running.size;
    for (const source of running) source.cancel();
    if (!n) void vscode.window.showInformationMessage(vscode.l10n.t('No corpus-wide command is running.'));
    return n;
  });
}
