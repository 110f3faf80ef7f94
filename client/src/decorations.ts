/**
 * Accepted annotations stay visible after they stop being suggestions:
 * entities get their label's colour, boilerplate the user confirmed is faded.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Request, type DocumentAnnotationsResult } from '../../server/src/protocol';
import { sendRequest } from './lsp';

/** Colours of the default labels (theme colours declared in package.json); other labels cycle through a palette. */
const LABEL_COLOURS: Record<string, string> = {
  PER: 'newsAnnotator.person',
  ORG: 'newsAnnotator.organisation',
  LOC: 'newsAnnotator.location',
  MISC: 'newsAnnotator.misc',
};
const PALETTE = ['#e6194b55', '#3cb44b55', '#4363d855', '#f5823155', '#911eb455', '#46f0f055', '#f032e655', '#bcf60c55'];

export class AnnotationDecorations implements vscode.Disposable {
  private types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly boilerplate = vscode.window.createTextEditorDecorationType({ opacity: '0.45', fontStyle: 'italic' });
  private latest = new Map<string, DocumentAnnotationsResult>();

  constructor(private readonly client: LanguageClient) {}

  private typeFor(label: string): vscode.TextEditorDecorationType {
    let t = this.types.get(label);
    if (!t) {
      const themed = LABEL_COLOURS[label];
      const colour = themed ? new vscode.ThemeColor(themed) : PALETTE[this.types.size % PALETTE.length];
      t = vscode.window.createTextEditorDecorationType({
        backgroundColor: colour,
        borderRadius: '2px',
        after: { contentText: ` ${label}`, color: new vscode.ThemeColor('descriptionForeground'), fontStyle: 'normal', margin: '0 0 0 2px' },
      });
      this.types.set(label, t);
    }
    return t;
  }

  async refresh(uri: string): Promise<DocumentAnnotationsResult | null> {
    let result: DocumentAnnotationsResult | null = null;
    try {
      result = await sendRequest(this.client, Request.documentAnnotations, { uri });
    } catch {
      return null;
    }
    if (result) this.latest.set(uri, result);
    else this.latest.delete(uri);
    this.apply(uri);
    return result;
  }

  reapply(): void {
    for (const uri of this.latest.keys()) this.apply(uri);
  }

  private apply(uri: string): void {
    const result = this.latest.get(uri);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== uri) continue;
      const byLabel = new Map<string, vscode.DecorationOptions[]>();
      const faded: vscode.DecorationOptions[] = [];
      for (const a of result?.annotations ?? []) {
        if (a.status !== 'accepted') continue;
        const range = new vscode.Range(a.range.start.line, a.range.start.character, a.range.end.line, a.range.end.character);
        if (a.kind === 'entity' && a.label) {
          const list = byLabel.get(a.label) ?? [];
          list.push({ range, hoverMessage: vscode.l10n.t('{0} (accepted)', a.label) });
          byLabel.set(a.label, list);
        } else if (a.kind === 'boilerplate' && a.category !== 'none') {
          faded.push({ range, hoverMessage: vscode.l10n.t('Boilerplate ({0}), accepted', a.category ?? 'user') });
        }
      }
      for (const label of byLabel.keys()) this.typeFor(label);
      for (const [label, type] of this.types) editor.setDecorations(type, byLabel.get(label) ?? []);
      editor.setDecorations(this.boilerplate, faded);
    }
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    this.boilerplate.dispose();
  }
}
