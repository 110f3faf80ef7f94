/**
 * Corpus documents open as News Article documents. The language server serves that language,
 * and the editor defaults Arabic text needs (word wrap, no "ambiguous Unicode" box around every
 * letter: `configurationDefaults["[news-article]"]` in package.json) apply to those documents and
 * to nothing else: the user's plain-text settings stay as they are everywhere, and no file of the
 * folder (not even .vscode/settings.json) is written for it.
 *
 * A document is switched once per session, so a user who sets one back to Plain Text (to leave
 * it out) keeps it that way until the window reloads.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../server/src/protocol';
import { matchesInclude, type CorpusFolders } from './corpusFolders';

export class ArticleLanguage implements vscode.Disposable {
  private readonly switched = new Set<string>();
  private readonly subscription = vscode.workspace.onDidOpenTextDocument((doc) => void this.apply(doc));

  constructor(private readonly corpora: CorpusFolders) {}

  /** Switches the documents already open (at start, or when a folder became a corpus). */
  async applyToOpenDocuments(): Promise<void> {
    await Promise.all(vscode.workspace.textDocuments.map((doc) => this.apply(doc)));
  }

  private async apply(doc: vscode.TextDocument): Promise<void> {
    if (doc.languageId !== 'plaintext' || doc.uri.scheme !== 'file') return;
    const key = doc.uri.toString();
    if (this.switched.has(key)) return;
    const folder = this.corpora.folderOf(doc.uri);
    if (!folder || !matchesInclude(doc, folder)) return;
    this.switched.add(key);
    try {
      await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    } catch {
      // The document was closed meanwhile: it is switched when opened again.
      this.switched.delete(key);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
