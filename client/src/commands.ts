/**
 * Client commands: the UI in front of server commands (pickers, progress,
 * opening results). Each accepts an optional argument object so tests and
 * keybindings can run it without prompts. Run before the server has started
 * (no folder is a corpus yet), they offer Annotate This Folder instead.
 */
import * as vscode from 'vscode';
import {
  ClientCommand,
  Command,
  EXPORT_FORMATS,
  type AnnotateRangeArgs,
  type ExportArgs,
  type ExportFormat,
  type ExportResult,
  type LearnResult,
  type SidecarAnnotation,
} from '../../server/src/protocol';
import type { Session } from './extension';
import { withStoppableProgress } from './stoppable';

const formatDescriptions = (): Record<ExportFormat, string> => ({
  jsonl: vscode.l10n.t('doccano JSONL (one document per line, code point offsets)'),
  conll: vscode.l10n.t('CoNLL, one token per line with IOB2 tags'),
  brat: vscode.l10n.t('brat standoff (.txt + .ann)'),
  w3c: vscode.l10n.t('W3C Web Annotation JSON-LD'),
  text: vscode.l10n.t('cleaned text (boilerplate removed)'),
  labelstudio: vscode.l10n.t('Label Studio tasks JSON'),
  spacy: vscode.l10n.t('spaCy-compatible JSONL'),
});

/**
 * `current()`: the session being started or running, undefined before any; `notServing()` tells
 * the user how to start one.
 */
export function registerCommands(current: () => Promise<Session> | undefined, notServing: () => Promise<void>): vscode.Disposable[] {
  /** Runs `fn` with the session, or offers to start one. */
  const withSession =
    <A extends unknown[], R>(fn: (s: Session, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      const pending = current();
      if (!pending) {
        await notServing();
        return undefined;
      }
      return fn(await pending, ...args);
    };
  return [
    vscode.commands.registerCommand(ClientCommand.annotateSelection, withSession((s, arg?: { label?: string }) => annotateSelection(s, arg))),
    vscode.commands.registerCommand(ClientCommand.exportAnnotations, withSession((s, arg?: ExportRequest) => exportAnnotations(s, arg))),
    vscode.commands.registerCommand(
      ClientCommand.showEntities,
      withSession(async (s) => {
        s.entities.refresh();
        await vscode.commands.executeCommand('newsAnnotator.entities.focus');
      }),
    ),
    vscode.commands.registerCommand(ClientCommand.refreshEntities, withSession(async (s) => s.entities.refresh())),
    vscode.commands.registerCommand(ClientCommand.learnFromAnnotations, withSession((s) => learn(s))),
    vscode.commands.registerCommand('newsAnnotator.revealMention', (uri: string, text: string) => revealMention(uri, text)),
  ];

  async function annotateSelection({ client, labels }: Session, arg?: { label?: string }): Promise<SidecarAnnotation | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Select the text to annotate first.'));
      return undefined;
    }
    const selected = editor.document.getText(editor.selection).slice(0, 40);
    // The schema's labels, with their descriptions, keys and colours.
    const label = arg?.label ?? (await labels.pick(vscode.l10n.t('Label for "{0}"', selected)));
    if (!label) return undefined;
    const s = editor.selection;
    const args: AnnotateRangeArgs = {
      uri: client.code2ProtocolConverter.asUri(editor.document.uri),
      range: { start: { line: s.start.line, character: s.start.character }, end: { line: s.end.line, character: s.end.character } },
      label,
    };
    return vscode.commands.executeCommand<SidecarAnnotation>(Command.annotateRange, args);
  }

  async function exportAnnotations({ client }: Session, arg?: ExportRequest): Promise<ExportResult | undefined> {
    const descriptions = formatDescriptions();
    const format =
      arg?.format ??
      (await vscode.window.showQuickPick(
        EXPORT_FORMATS.map((f) => ({ label: f, description: descriptions[f] })),
        { placeHolder: vscode.l10n.t('Export format') },
      ))?.label;
    if (!format) return undefined;
    const editor = vscode.window.activeTextEditor;
    let scope = arg?.scope;
    if (!scope) {
      const picks: { label: string; value: 'file' | 'workspace' }[] = [{ label: vscode.l10n.t('Whole workspace'), value: 'workspace' }];
      if (editor) picks.unshift({ label: vscode.l10n.t('This file ({0})', vscode.workspace.asRelativePath(editor.document.uri)), value: 'file' });
      scope = (await vscode.window.showQuickPick(picks, { placeHolder: vscode.l10n.t('What to export') }))?.value;
    }
    if (!scope) return undefined;
    const args: ExportArgs = { format: format as ExportFormat, outDir: arg?.outDir, scheme: arg?.scheme, includeSuggestions: arg?.includeSuggestions, includeExcluded: arg?.includeExcluded };
    if (scope === 'file') {
      if (!editor) throw new Error(vscode.l10n.t('No active file to export.'));
      args.uri = client.code2ProtocolConverter.asUri(editor.document.uri);
    }
    // Sent as a request of its own (not through vscode.commands) so that Cancel reaches the server, which stops at the next document.
    const result = await withStoppableProgress(vscode.l10n.t('Exporting annotations as {0}…', format), (token) =>
      client.sendRequest<ExportResult>('workspace/executeCommand', { command: Command.export, arguments: [args] }, token),
    );
    if (!result) return undefined;
    if (result.cancelled) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Export cancelled: {0} documents were written to {1} files before it stopped.', result.documents, result.files.length));
      return result;
    }
    if (arg?.open !== false && result.files.length) {
      const first = vscode.Uri.file(result.files[0]);
      const open = vscode.l10n.t('Open');
      const reveal = vscode.l10n.t('Reveal in Explorer');
      const excluded = result.excluded ? vscode.l10n.t(' {0} documents tagged exclude were left out.', result.excluded) : '';
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Exported {0} annotations from {1} documents ({2} files).', result.annotations, result.documents, result.files.length) + excluded,
        open,
        reveal,
      ).then((choice) => {
        if (choice === open) void vscode.window.showTextDocument(first);
        if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', first);
      });
      await vscode.window.showTextDocument(first, { preview: true, preserveFocus: true });
    }
    return result;
  }

  async function learn({ client }: Session): Promise<LearnResult | undefined> {
    // Sent as a request of its own so that Cancel reaches the server, which ends the training and keeps the tagger it had.
    const result = await withStoppableProgress(vscode.l10n.t('Learning from your annotations…'), (token) =>
      client.sendRequest<LearnResult>('workspace/executeCommand', { command: Command.learn, arguments: [] }, token),
    );
    if (!result) return undefined;
    if (result.cancelled) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Learning stopped: the tagger in use is unchanged.'));
      return result;
    }
    if (!result.documents) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No accepted entity annotations in the workspace yet: accept some suggestions first.'));
      return result;
    }
    // A label of the team's schema is learned once it has enough examples; until then it is only suggested from the dictionary.
    const learned = result.learnedLabels?.length ? vscode.l10n.t(' New labels learned: {0}.', result.learnedLabels.join(', ')) : '';
    const notYet = result.notYetLearned?.length
      ? vscode.l10n.t(' Not learned yet (suggested from accepted names only): {0}.', result.notYetLearned.map((n) => vscode.l10n.t('{0} ({1} of {2} examples)', n.label, n.mentions, n.needed)).join(', '))
      : '';
    const learnedFrom =
      result.before !== undefined && result.after !== undefined
        ? vscode.l10n.t(
            'Learned from {0} annotations in {1} documents. On documents set aside: F1 {2} → {3}.',
            result.annotations,
            result.documents,
            (result.before * 100).toFixed(1),
            (result.after * 100).toFixed(1),
          )
        : vscode.l10n.t('Learned from {0} annotations in {1} documents.', result.annotations, result.documents);
    void vscode.window.showInformationMessage(learnedFrom + learned + notYet);
    return result;
  }
}

export interface ExportRequest {
  format?: ExportFormat;
  scope?: 'file' | 'workspace';
  outDir?: string;
  scheme?: ExportArgs['scheme'];
  includeSuggestions?: boolean;
  /** Also export documents tagged exclude (default: not, except for "this file"). */
  includeExcluded?: boolean;
  /** false: do not open the result (for tests and scripts). */
  open?: boolean;
}

async function revealMention(uri: string, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editor = await vscode.window.showTextDocument(doc);
  const at = doc.getText().indexOf(text);
  if (at >= 0) {
    const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }
}
