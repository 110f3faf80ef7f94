/** Counts for the active file: accepted annotations, open suggestions, boilerplate blocks. */
import * as vscode from 'vscode';
import { ClientCommand, type DocumentAnnotationsResult } from '../../server/src/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('newsAnnotator.counts', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = vscode.l10n.t('News Annotator');
    this.item.command = ClientCommand.showEntities;
  }

  show(result: DocumentAnnotationsResult | null): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (!result || result.uri !== active) {
      if (!result && active) this.item.hide();
      return;
    }
    const c = result.counts;
    this.item.text = `$(tag) ${c.accepted} $(lightbulb) ${c.suggestions} $(archive) ${c.boilerplate}`;
    this.item.tooltip = vscode.l10n.t(
      'News Annotator — {0} accepted entities, {1} suggestions to review, {2} rejected, {3} boilerplate blocks',
      c.accepted,
      c.suggestions,
      c.rejected,
      c.boilerplate,
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
