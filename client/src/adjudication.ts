/**
 * Adjudication in VS Code: Adjudicate Document (from the palette, the
 * editor's context menu, the Agreement view or the Review Queue) asks the
 * server to compare the annotators' layers, says what it wrote and how much
 * is left, and puts the cursor on the first disagreement; the quick fixes on
 * the `disagreement` diagnostics do the rest. Stop Adjudicating goes back to
 * the user's own layer. The context key `newsAnnotator.adjudicating` follows
 * the active editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ClientCommand,
  Command,
  DiagnosticCode,
  PRODUCT_NAME,
  type AdjudicateArgs,
  type AdjudicateResult,
  type DocumentAnnotationsResult,
  type StopAdjudicatingArgs,
} from '../../server/src/protocol';
import { uriOfNode } from './views/agreementView';

/** Context key: the active document is being adjudicated. */
export const ADJUDICATING_CONTEXT = 'newsAnnotator.adjudicating';

/** What the commands accept: a URI string, a view row (Agreement view, Review Queue), or nothing (the active editor). */
type Target = string | vscode.Uri | { doc?: { uri?: string } } | undefined;

export interface AdjudicateOptions {
  /** Restrict to these annotators' layers. */
  annotators?: string[];
}

export class Adjudication {
  constructor(private readonly client: LanguageClient) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(ClientCommand.adjudicateDocument, (target?: Target, options?: AdjudicateOptions) => this.adjudicate(target, options)),
      vscode.commands.registerCommand(ClientCommand.stopAdjudicating, (target?: Target) => this.stop(target)),
    ];
  }

  /** Follows the active document (the status bar and the context menu show whether it is being adjudicated). */
  onDocumentAnnotations(result: DocumentAnnotationsResult | null): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (result && result.uri !== active) return;
    void vscode.commands.executeCommand('setContext', ADJUDICATING_CONTEXT, !!result?.adjudicating);
  }

  private async editorFor(target: Target): Promise<vscode.TextEditor | undefined> {
    const raw = target instanceof vscode.Uri ? target : typeof target === 'string' ? target : uriOfNode(target);
    if (raw === undefined) {
      const e = vscode.window.activeTextEditor;
      if (!e) void vscode.window.showInformationMessage(vscode.l10n.t('Open the article to adjudicate first.'));
      return e;
    }
    const uri = raw instanceof vscode.Uri ? raw : this.client.protocol2CodeConverter.asUri(raw);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  async adjudicate(target?: Target, options: AdjudicateOptions = {}): Promise<AdjudicateResult | undefined> {
    const editor = await this.editorFor(target);
    if (!editor) return undefined;
    const args: AdjudicateArgs = { uri: this.client.code2ProtocolConverter.asUri(editor.document.uri), ...(options.annotators?.length ? { annotators: options.annotators } : {}) };
    const result = await vscode.commands.executeCommand<AdjudicateResult>(Command.adjudicate, args);
    if (!result) return undefined;
    await vscode.commands.executeCommand('setContext', ADJUDICATING_CONTEXT, true);
    const name = path.basename(editor.document.uri.fsPath);
    const parts = [
      vscode.l10n.t('Adjudicating {0} ({1}).', name, result.annotators.join(', ')),
      result.agreed ? vscode.l10n.t('Wrote {0} span(s) every annotator agrees on.', result.agreed) : '',
      result.disagreements ? vscode.l10n.t('{0} disagreement(s) to resolve (quick fixes on each).', result.disagreements) : vscode.l10n.t('Nothing left to decide: the document is done.'),
      result.notDone.length ? vscode.l10n.t('Not marked done by: {0}.', result.notDone.join(', ')) : '',
      result.skipped.length ? vscode.l10n.t('Left out (unreadable): {0}.', result.skipped.map((s) => s.annotator).join(', ')) : '',
    ];
    const message = parts.filter(Boolean).join(' ');
    if (result.notDone.length || result.skipped.length) void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
    if (result.disagreements) await this.revealFirst(editor);
    return result;
  }

  async stop(target?: Target): Promise<boolean> {
    const editor = await this.editorFor(target);
    if (!editor) return false;
    const args: StopAdjudicatingArgs = { uri: this.client.code2ProtocolConverter.asUri(editor.document.uri) };
    await vscode.commands.executeCommand(Command.stopAdjudicating, args);
    await vscode.commands.executeCommand('setContext', ADJUDICATING_CONTEXT, false);
    return true;
  }

  /** Puts the cursor on the first disagreement once its diagnostic has arrived (a few seconds at most). */
  private async revealFirst(editor: vscode.TextEditor): Promise<void> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const first = disagreements(editor.document.uri)[0];
      if (first) {
        editor.selection = new vscode.Selection(first.range.start, first.range.start);
        editor.revealRange(first.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The `disagreement` diagnostics of a document, in text order. */
export function disagreements(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === PRODUCT_NAME && (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code) === DiagnosticCode.disagreement)
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}
