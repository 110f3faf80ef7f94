/**
 * Accepted annotations stay visible after they stop being suggestions:
 * entities get their label's colour, boilerplate the user confirmed is faded.
 * The other annotators' layers, when shown (newsAnnotator.showOtherAnnotators,
 * or while adjudicating), are a dashed underline with the annotators' names
 * and labels after it where they differ from the layer shown, so they are
 * never taken for the user's own.
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
  private readonly others = vscode.window.createTextEditorDecorationType({
    borderStyle: 'none none dashed none',
    borderWidth: '0 0 1px 0',
    borderColor: new vscode.ThemeColor('editorInfo.foreground'),
  });
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
      editor.setDecorations(this.others, otherLayerDecorations(result));
    }
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    this.boilerplate.dispose();
    this.others.dispose();
  }
}

/**
 * One decoration per span the other layers marked as an entity differently
 * from the layer shown, naming who said what: ` alice:LOC · bob:ORG`. A
 * reading equal to the one shown (same span, same label) is left out: the
 * label is already there, and the hover lists every reading.
 */
function otherLayerDecorations(result: DocumentAnnotationsResult | undefined): vscode.DecorationOptions[] {
  const rangeKey = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): string =>
    `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  const shown = new Set((result?.annotations ?? []).filter((a) => a.kind === 'entity' && a.status === 'accepted').map((a) => `${rangeKey(a.range)} ${a.label}`));
  const bySpan = new Map<string, { range: vscode.Range; readings: string[] }>();
  for (const layer of result?.otherLayers ?? []) {
    const who = layer.annotator ?? vscode.l10n.t('adjudicated');
    for (const a of layer.annotations) {
      if (a.kind !== 'entity' || !a.label) continue;
      const key = rangeKey(a.range);
      if (shown.has(`${key} ${a.label}`)) continue;
      let entry = bySpan.get(key);
      if (!entry) bySpan.set(key, (entry = { range: new vscode.Range(a.range.start.line, a.range.start.character, a.range.end.line, a.range.end.character), readings: [] }));
      entry.readings.push(`${who}:${a.label}`);
    }
  }
  return [...bySpan.values()].map(({ range, readings }) => ({
    range,
    hoverMessage: vscode.l10n.t('Other annotators: {0}', readings.join(', ')),
    renderOptions: { after: { contentText: ` ${readings.join(' · ')}`, color: new vscode.ThemeColor('editorInfo.foreground'), fontStyle: 'italic', margin: '0 0 0 2px' } },
  }));
}
