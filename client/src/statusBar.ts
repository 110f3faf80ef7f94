/**
 * The status bar: the active file's counts (accepted entities, open
 * suggestions, boilerplate blocks) and its review status; beside it the
 * corpus' progress (412 / 3,080 done) and whether Review Mode is on.
 */
import * as vscode from 'vscode';
import { ClientCommand, type DocumentAnnotationsResult, type ReviewProgress } from '../../server/src/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('newsAnnotator.counts', vscode.StatusBarAlignment.Right, 100);
  private readonly progress = vscode.window.createStatusBarItem('newsAnnotator.progress', vscode.StatusBarAlignment.Right, 99);

  constructor() {
    this.item.name = vscode.l10n.t('News Annotator: this document');
    this.item.command = ClientCommand.showEntities;
    this.progress.name = vscode.l10n.t('News Annotator: corpus progress');
    this.progress.command = 'newsAnnotator.reviewQueue.focus';
  }

  show(result: DocumentAnnotationsResult | null): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (!result || result.uri !== active) {
      if (!result && active) this.item.hide();
      return;
    }
    const c = result.counts;
    const review = result.review === 'done' ? ' $(pass-filled)' : result.review === 'in-progress' ? ' $(record)' : '';
    // Whose decisions these are: while adjudicating, the open disagreements; in an annotator's layer, the name.
    const layer = result.adjudicating ? ` $(law) ${result.disagreements}` : result.layer ? ` $(person) ${result.layer}` : '';
    this.item.text = `$(tag) ${c.accepted} $(lightbulb) ${c.suggestions} $(archive) ${c.boilerplate}${review}${layer}`;
    this.item.tooltip = vscode.l10n.t(
      'News Annotator — {0} accepted entities, {1} suggestions to review, {2} rejected, {3} boilerplate blocks; review: {4}',
      c.accepted,
      c.suggestions,
      c.rejected,
      c.boilerplate,
      result.review,
    ) + (result.adjudicating
      ? ' — ' + vscode.l10n.t('adjudicating: {0} open disagreements, decisions go to the adjudicated sidecar', result.disagreements)
      : result.layer
        ? ' — ' + vscode.l10n.t('annotating as {0}: decisions go to {1}', result.layer, `*.ann.${result.layer}.json`)
        : '');
    this.item.show();
  }

  showProgress(p: ReviewProgress, reviewMode: boolean): void {
    if (!p.total) return this.progress.hide();
    const mode = reviewMode ? `$(keyboard) ${vscode.l10n.t('REVIEW')} ` : '';
    this.progress.text = `${mode}$(checklist) ${vscode.l10n.t('{0} / {1} done', p.done.toLocaleString('en'), p.total.toLocaleString('en'))}`;
    this.progress.tooltip = vscode.l10n.t('Corpus review: {0} done, {1} in progress, {2} to do. Click for the Review Queue.', p.done, p.inProgress, p.todo);
    this.progress.show();
  }

  dispose(): void {
    this.item.dispose();
    this.progress.dispose();
  }
}
