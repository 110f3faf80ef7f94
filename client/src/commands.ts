/**
 * Client commands: the UI in front of server commands (pickers, progress,
 * opening results). Each accepts an optional argument object so tests and
 * keybindings can run it without prompts.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
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
import type { LabelSchemaStore } from './labels';
import type { EntitiesView } from './views/entitiesView';

const FORMAT_DESCRIPTIONS: Record<ExportFormat, string> = {
  jsonl: 'doccano JSONL (one document per line, code point offsets)',
  conll: 'CoNLL, one token per line with IOB2 tags',
  brat: 'brat standoff (.txt + .ann)',
  w3c: 'W3C Web Annotation JSON-LD',
  text: 'cleaned text (boilerplate removed)',
  labelstudio: 'Label Studio tasks JSON',
  spacy: 'spaCy-compatible JSONL',
};

export function registerCommands(client: LanguageClient, entities: EntitiesView, labelStore: LabelSchemaStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ClientCommand.annotateSelection, (arg?: { label?: string }) => annotateSelection(arg)),
    vscode.commands.registerCommand(ClientCommand.exportAnnotations, (arg?: ExportRequest) => exportAnnotations(arg)),
    vscode.commands.registerCommand(ClientCommand.showEntities, async () => {
      entities.refresh();
      await vscode.commands.executeCommand('newsAnnotator.entities.focus');
    }),
    vscode.commands.registerCommand(ClientCommand.refreshEntities, () => entities.refresh()),
    vscode.commands.registerCommand(ClientCommand.learnFromAnnotations, () => learn()),
    vscode.commands.registerCommand('newsAnnotator.revealMention', (uri: string, text: string) => revealMention(uri, text)),
  ];

  async function annotateSelection(arg?: { label?: string }): Promise<SidecarAnnotation | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showWarningMessage('Select the text to annotate first.');
      return undefined;
    }
    const label = arg?.label ?? (await labelStore.pick(vscode.l10n.t('Label for "{0}"', editor.document.getText(editor.selection).slice(0, 40))));
    if (!label) return undefined;
    const s = editor.selection;
    const args: AnnotateRangeArgs = {
      uri: client.code2ProtocolConverter.asUri(editor.document.uri),
      range: { start: { line: s.start.line, character: s.start.character }, end: { line: s.end.line, character: s.end.character } },
      label,
    };
    return vscode.commands.executeCommand<SidecarAnnotation>(Command.annotateRange, args);
  }

  async function exportAnnotations(arg?: ExportRequest): Promise<ExportResult | undefined> {
    const format =
      arg?.format ??
      (await vscode.window.showQuickPick(
        EXPORT_FORMATS.map((f) => ({ label: f, description: FORMAT_DESCRIPTIONS[f] })),
        { placeHolder: 'Export format' },
      ))?.label;
    if (!format) return undefined;
    const editor = vscode.window.activeTextEditor;
    let scope = arg?.scope;
    if (!scope) {
      const picks: { label: string; value: 'file' | 'workspace' }[] = [{ label: 'Whole workspace', value: 'workspace' }];
      if (editor) picks.unshift({ label: `This file (${vscode.workspace.asRelativePath(editor.document.uri)})`, value: 'file' });
      scope = (await vscode.window.showQuickPick(picks, { placeHolder: 'What to export' }))?.value;
    }
    if (!scope) return undefined;
    const args: ExportArgs = { format: format as ExportFormat, outDir: arg?.outDir, scheme: arg?.scheme, includeSuggestions: arg?.includeSuggestions, includeExcluded: arg?.includeExcluded };
    if (scope === 'file') {
      if (!editor) throw new Error('No active file to export.');
      args.uri = client.code2ProtocolConverter.asUri(editor.document.uri);
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting annotations as ${format}…`, cancellable: false },
      () => vscode.commands.executeCommand<ExportResult>(Command.export, args),
    );
    if (!result) return undefined;
    if (arg?.open !== false && result.files.length) {
      const first = vscode.Uri.file(result.files[0]);
      const excluded = result.excluded ? vscode.l10n.t(' {0} documents tagged exclude were left out.', result.excluded) : '';
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Exported {0} annotations from {1} documents ({2} files).', result.annotations, result.documents, result.files.length) + excluded,
        'Open',
        'Reveal in Explorer',
      ).then((choice) => {
        if (choice === 'Open') void vscode.window.showTextDocument(first);
        if (choice === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', first);
      });
      await vscode.window.showTextDocument(first, { preview: true, preserveFocus: true });
    }
    return result;
  }

  async function learn(): Promise<LearnResult | undefined> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Learning from your annotations…' },
      () => vscode.commands.executeCommand<LearnResult>(Command.learn),
    );
    if (!result) return undefined;
    if (!result.documents) {
      void vscode.window.showInformationMessage('No accepted entity annotations in the workspace yet: accept some suggestions first.');
    } else {
      const check = result.before !== undefined && result.after !== undefined
        ? ` On documents set aside: F1 ${(result.before * 100).toFixed(1)} → ${(result.after * 100).toFixed(1)}.`
        : '';
      const learned = result.learnedLabels?.length ? vscode.l10n.t(' New labels learned: {0}.', result.learnedLabels.join(', ')) : '';
      const notYet = result.notYetLearned?.length
        ? vscode.l10n.t(' Not learned yet (suggested from accepted names only): {0}.', result.notYetLearned.map((n) => vscode.l10n.t('{0} ({1} of {2} examples)', n.label, n.mentions, n.needed)).join(', '))
        : '';
      void vscode.window.showInformationMessage(vscode.l10n.t('Learned from {0} annotations in {1} documents.', result.annotations, result.documents) + check + learned + notYet);
    }
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
