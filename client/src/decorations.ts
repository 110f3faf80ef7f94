/**
 * Accepted annotations stay visible after they stop being suggestions:
 * entities get their label's colour (the team's schema, light and dark),
 * boilerplate the user confirmed is faded.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Request, type DocumentAnnotationsResult } from '../../server/src/protocol';
import { backgroundOf, type LabelSchemaStore } from './labels';
import { sendRequest } from './lsp';

/**
 * Theme colours of the standard labels (declared in package.json, so a theme
 * or the user's colour customisations can change them), used when the labels
 * come from the settings; a labels.json's colours are the team's choice.
 */
const LABEL_COLOURS: Record<string, string> = {
  PER: 'newsAnnotator.person',
  ORG: 'newsAnnotator.organisation',
  LOC: 'newsAnnotator.location',
  MISC: 'newsAnnotator.misc',
};

export class AnnotationDecorations implements vscode.Disposable {
  private types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly boilerplate = vscode.window.createTextEditorDecorationType({ opacity: '0.45', fontStyle: 'italic' });
  private latest = new Map<string, DocumentAnnotationsResult>();

  private readonly schemaChanged: vscode.Disposable;

  constructor(
    private readonly client: LanguageClient,
    private readonly labels: LabelSchemaStore,
  ) {
    // New colours: the decoration types are made again.
    this.schemaChanged = labels.onDidChange(() => {
      for (const t of this.types.values()) t.dispose();
      this.types.clear();
      this.reapply();
    });
  }

  private typeFor(label: string): vscode.TextEditorDecorationType {
    let t = this.types.get(label);
    if (!t) {
      const schema = this.labels.known;
      const def = schema?.labels.find((l) => l.name === label);
      const themed = schema?.source !== 'file' ? LABEL_COLOURS[label] : undefined;
      const after = { contentText: ` ${label}`, color: new vscode.ThemeColor('descriptionForeground'), fontStyle: 'normal', margin: '0 0 0 2px' };
      if (themed || !def) {
        t = vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor(themed ?? 'editor.wordHighlightBackground'), borderRadius: '2px', after });
      } else {
        t = vscode.window.createTextEditorDecorationType({
          light: { backgroundColor: backgroundOf(def.color.light, false) },
          dark: { backgroundColor: backgroundOf(def.color.dark, true) },
          borderRadius: '2px',
          after,
        });
      }
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
          list.push({ range, hoverMessage: `${a.label} (accepted)` });
          byLabel.set(a.label, list);
        } else if (a.kind === 'boilerplate' && a.category !== 'none') {
          faded.push({ range, hoverMessage: `Boilerplate (${a.category ?? 'user'}), accepted` });
        }
      }
      for (const label of byLabel.keys()) this.typeFor(label);
      for (const [label, type] of this.types) editor.setDecorations(type, byLabel.get(label) ?? []);
      editor.setDecorations(this.boilerplate, faded);
    }
  }

  dispose(): void {
    this.schemaChanged.dispose();
    for (const t of this.types.values()) t.dispose();
    this.boilerplate.dispose();
  }
}
