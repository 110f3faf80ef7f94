/**
 * Reviewing without the mouse: keyboard commands that act on the suggestion
 * under (or after) the cursor, so a correct suggestion costs one key, and
 * the document and corpus flow around them (next suggestion, accept or
 * reject what remains, mark done, next document, undo). Review Mode turns
 * the plain keys into these commands (a, x, 1–9, n, p, d, …); outside it
 * they have Ctrl+Alt chords. Every decision is a server command, the same as
 * the quick fixes other editors use.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ClientCommand,
  Command,
  DiagnosticCode,
  PRODUCT_NAME,
  Request,
  type AcceptAllArgs,
  type AcceptArgs,
  type AnnotateRangeArgs,
  type BatchResult,
  type BoilerplateDiagnosticData,
  type EntityDiagnosticData,
  type MarkBoilerplateArgs,
  type RejectAllArgs,
  type RejectArgs,
  type ReviewQueueResult,
  type ReviewState,
  type SetReviewStatusArgs,
  type UndoResult,
} from '../../server/src/protocol';
import type { LabelSchemaStore } from './labels';
import { sendRequest } from './lsp';

/** Context key set while Review Mode is on (the plain-key bindings in package.json use it). */
export const REVIEW_MODE_CONTEXT = 'newsAnnotator.reviewMode';

type Suggestion = { diagnostic: vscode.Diagnostic; data: EntityDiagnosticData | BoilerplateDiagnosticData };

export interface ReviewOptions {
  /** false: do not ask for confirmation (tests, scripts). */
  confirm?: boolean;
}

export class Review implements vscode.Disposable {
  private reviewMode = false;
  private readonly modeChanged = new vscode.EventEmitter<boolean>();
  readonly onDidChangeMode = this.modeChanged.event;

  constructor(
    private readonly client: LanguageClient,
    private readonly labels: LabelSchemaStore,
  ) {
    void vscode.commands.executeCommand('setContext', REVIEW_MODE_CONTEXT, false);
  }

  get inReviewMode(): boolean {
    return this.reviewMode;
  }

  register(): vscode.Disposable[] {
    const c = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);
    return [
      c(ClientCommand.acceptSuggestion, () => this.acceptSuggestion()),
      c(ClientCommand.rejectSuggestion, () => this.rejectSuggestion()),
      c(ClientCommand.acceptAsLabel, (n?: number) => this.acceptAsLabel(n)),
      c(ClientCommand.acceptAsLabelKey, (key?: string) => this.acceptAsLabelKey(key)),
      c(ClientCommand.nextSuggestion, () => this.move(1)),
      c(ClientCommand.previousSuggestion, () => this.move(-1)),
      c(ClientCommand.acceptAllInDocument, (o?: ReviewOptions & { minConfidence?: number }) => this.acceptAll(o)),
      c(ClientCommand.rejectAllInDocument, (o?: ReviewOptions) => this.rejectAll(o)),
      c(ClientCommand.markDocumentDone, () => this.markDone()),
      c(ClientCommand.nextDocument, () => this.nextDocument()),
      c(ClientCommand.markDoneAndOpenNext, async () => {
        if (await this.markDone()) return this.nextDocument();
        return undefined;
      }),
      c(ClientCommand.undoAnnotation, () => this.undoRedo(Command.undo)),
      c(ClientCommand.redoAnnotation, () => this.undoRedo(Command.redo)),
      c(ClientCommand.toggleReviewMode, (on?: boolean) => this.setReviewMode(on ?? !this.reviewMode)),
    ];
  }

  async setReviewMode(on: boolean): Promise<boolean> {
    this.reviewMode = on;
    await vscode.commands.executeCommand('setContext', REVIEW_MODE_CONTEXT, on);
    this.modeChanged.fire(on);
    if (on) await this.move(0);
    return on;
  }

  private editor(): vscode.TextEditor | undefined {
    const e = vscode.window.activeTextEditor;
    if (!e) void vscode.window.showInformationMessage(vscode.l10n.t('Open an article to review first.'));
    return e;
  }

  private uri(editor: vscode.TextEditor): string {
    return this.client.code2ProtocolConverter.asUri(editor.document.uri);
  }

  /** This product's entity and boilerplate suggestions in a document, in text order. */
  suggestions(doc: vscode.TextDocument): Suggestion[] {
    const out: Suggestion[] = [];
    for (const d of vscode.languages.getDiagnostics(doc.uri)) {
      if (d.source !== PRODUCT_NAME) continue;
      const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
      if (code !== DiagnosticCode.entity && code !== DiagnosticCode.boilerplate) continue;
      const data = (d as vscode.Diagnostic & { data?: Suggestion['data'] }).data;
      if (data && (data.kind === 'entity' || data.kind === 'boilerplate')) out.push({ diagnostic: d, data });
    }
    return out.sort((a, b) => a.diagnostic.range.start.compareTo(b.diagnostic.range.start) || a.diagnostic.range.end.compareTo(b.diagnostic.range.end));
  }

  /** The suggestion under the cursor, else the first one after it (wrapping to the first of the document). */
  current(editor: vscode.TextEditor): Suggestion | undefined {
    const all = this.suggestions(editor.document);
    const pos = editor.selection.active;
    const under = all.find((s) => s.diagnostic.range.contains(pos) && s.data.kind === 'entity') ?? all.find((s) => s.diagnostic.range.contains(pos));
    return under ?? all.find((s) => s.diagnostic.range.start.isAfterOrEqual(pos)) ?? all[0];
  }

  /** Selects and reveals the next (1), previous (-1) or current (0) suggestion. */
  async move(step: -1 | 0 | 1): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return false;
    const all = this.suggestions(editor.document);
    if (!all.length) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('No suggestions left in this document.'), 3000);
      return false;
    }
    const sel = editor.selection;
    let target: Suggestion | undefined;
    if (step === 0) target = this.current(editor);
    else if (step > 0) target = all.find((s) => s.diagnostic.range.start.isAfter(sel.start)) ?? all[0];
    else target = [...all].reverse().find((s) => s.diagnostic.range.start.isBefore(sel.start)) ?? all[all.length - 1];
    if (!target) return false;
    const r = target.diagnostic.range;
    editor.selection = new vscode.Selection(r.start, r.end);
    editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  /** After a decision the cursor goes to the next suggestion, once the server has republished. */
  private async advance(editor: vscode.TextEditor, from: vscode.Position): Promise<void> {
    const uri = editor.document.uri;
    const before = vscode.languages.getDiagnostics(uri);
    await waitForDiagnostics(uri, before, 2000);
    if (vscode.window.activeTextEditor !== editor) return;
    editor.selection = new vscode.Selection(from, from);
    const all = this.suggestions(editor.document);
    const next = all.find((s) => s.diagnostic.range.start.isAfterOrEqual(from)) ?? all[0];
    if (next) {
      editor.selection = new vscode.Selection(next.diagnostic.range.start, next.diagnostic.range.end);
      editor.revealRange(next.diagnostic.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  async acceptSuggestion(): Promise<unknown> {
    const editor = this.editor();
    if (!editor) return undefined;
    const s = this.current(editor);
    if (!s) return vscode.window.setStatusBarMessage(vscode.l10n.t('No suggestion to accept here.'), 3000);
    const uri = this.uri(editor);
    const d = s.data;
    const result =
      d.kind === 'entity'
        ? await vscode.commands.executeCommand(Command.accept, { uri, start: d.start, end: d.end, text: d.text, kind: 'entity', label: d.label, source: d.source, confidence: d.confidence } satisfies AcceptArgs)
        : await vscode.commands.executeCommand(Command.markBoilerplate, { uri, start: d.start, end: d.end, text: d.text, category: d.category } satisfies MarkBoilerplateArgs);
    await this.advance(editor, s.diagnostic.range.end);
    return result;
  }

  async rejectSuggestion(): Promise<unknown> {
    const editor = this.editor();
    if (!editor) return undefined;
    const s = this.current(editor);
    if (!s) return vscode.window.setStatusBarMessage(vscode.l10n.t('No suggestion to reject here.'), 3000);
    const uri = this.uri(editor);
    const d = s.data;
    const result =
      d.kind === 'entity'
        ? await vscode.commands.executeCommand(Command.reject, { uri, start: d.start, end: d.end, text: d.text, kind: 'entity', label: d.label, source: d.source } satisfies RejectArgs)
        : await vscode.commands.executeCommand(Command.unmarkBoilerplate, { uri, start: d.start, end: d.end, text: d.text } satisfies MarkBoilerplateArgs);
    await this.advance(editor, s.diagnostic.range.end);
    return result;
  }

  /**
   * Accept as label N (1-based, in the label set's order): the entity
   * suggestion under the cursor with that label, or — when text is selected
   * that is not a suggestion — the selection.
   */
  async acceptAsLabel(n?: number): Promise<unknown> {
    if (!n) return undefined;
    const label = (await this.labels.labels())[n - 1]?.name;
    if (!label) return vscode.window.setStatusBarMessage(vscode.l10n.t('There is no label number {0}.', n), 3000);
    return this.acceptWithLabel(label);
  }

  /** Accept as the label whose one-key shortcut (labels.json `key`) is `key`. */
  async acceptAsLabelKey(key?: string): Promise<unknown> {
    if (!key) return undefined;
    const label = (await this.labels.labels()).find((l) => l.key === key)?.name;
    if (!label) return vscode.window.setStatusBarMessage(vscode.l10n.t('No label has the key {0} (keys are set in labels.json).', key), 3000);
    return this.acceptWithLabel(label);
  }

  /** The entity suggestion under the cursor with `label`, or — when text is selected that is not a suggestion — the selection. */
  async acceptWithLabel(label: string): Promise<unknown> {
    const editor = this.editor();
    if (!editor) return undefined;
    const uri = this.uri(editor);
    const sel = editor.selection;
    const s = this.current(editor);
    const onSuggestion = s && s.data.kind === 'entity' && (sel.isEmpty || s.diagnostic.range.isEqual(sel) || s.diagnostic.range.contains(sel));
    if (!onSuggestion && !sel.isEmpty) {
      const range = { start: { line: sel.start.line, character: sel.start.character }, end: { line: sel.end.line, character: sel.end.character } };
      return vscode.commands.executeCommand(Command.annotateRange, { uri, range, label } satisfies AnnotateRangeArgs);
    }
    if (!s || s.data.kind !== 'entity') return vscode.window.setStatusBarMessage(vscode.l10n.t('No entity suggestion here: select text to annotate it.'), 3000);
    const d = s.data;
    const result = await vscode.commands.executeCommand(Command.accept, {
      uri,
      start: d.start,
      end: d.end,
      text: d.text,
      kind: 'entity',
      label,
      source: label === d.label ? d.source : 'user',
      confidence: d.confidence,
    } satisfies AcceptArgs);
    await this.advance(editor, s.diagnostic.range.end);
    return result;
  }

  async acceptAll(o: ReviewOptions & { minConfidence?: number } = {}): Promise<BatchResult | undefined> {
    const editor = this.editor();
    if (!editor) return undefined;
    const min = o.minConfidence ?? vscode.workspace.getConfiguration('newsAnnotator').get<number>('review.acceptAllMinConfidence') ?? 0.8;
    const n = this.suggestions(editor.document).filter((s) => s.data.kind === 'entity' && s.data.confidence >= min).length;
    if (!n) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No entity suggestion at {0}% or more in this document.', Math.round(min * 100)));
      return undefined;
    }
    if (o.confirm !== false) {
      const yes = vscode.l10n.t('Accept {0}', n);
      const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Accept all {0} entity suggestions of this document at {1}% confidence or more?', n, Math.round(min * 100)), { modal: true }, yes);
      if (pick !== yes) return undefined;
    }
    const r = await vscode.commands.executeCommand<BatchResult>(Command.acceptAll, { uri: this.uri(editor), minConfidence: min } satisfies AcceptAllArgs);
    if (r) vscode.window.setStatusBarMessage(vscode.l10n.t('Accepted {0} suggestions.', r.annotations), 4000);
    return r;
  }

  async rejectAll(o: ReviewOptions = {}): Promise<BatchResult | undefined> {
    const editor = this.editor();
    if (!editor) return undefined;
    const n = this.suggestions(editor.document).filter((s) => s.data.kind === 'entity').length;
    if (!n) return undefined;
    if (o.confirm !== false) {
      const yes = vscode.l10n.t('Reject {0}', n);
      const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Reject all {0} remaining entity suggestions of this document?', n), { modal: true }, yes);
      if (pick !== yes) return undefined;
    }
    const r = await vscode.commands.executeCommand<BatchResult>(Command.rejectAll, { uri: this.uri(editor) } satisfies RejectAllArgs);
    if (r) vscode.window.setStatusBarMessage(vscode.l10n.t('Rejected {0} suggestions.', r.annotations), 4000);
    return r;
  }

  async markDone(): Promise<ReviewState | undefined> {
    const editor = this.editor();
    if (!editor) return undefined;
    const r = await vscode.commands.executeCommand<ReviewState>(Command.setReviewStatus, { uri: this.uri(editor), status: 'done' } satisfies SetReviewStatusArgs);
    if (r) vscode.window.setStatusBarMessage(vscode.l10n.t('Marked {0} as done.', vscode.workspace.asRelativePath(editor.document.uri)), 4000);
    return r;
  }

  /** Opens the first document of the Review Queue (other than the one in front), at its first suggestion. */
  async nextDocument(): Promise<vscode.TextEditor | undefined> {
    // The top two are enough (the one in front may be the first; done documents come last): a queue of
    // 100,000 documents is not sent for one key press.
    const q = await sendRequest(this.client, Request.reviewQueue, { limit: 2 });
    const current = vscode.window.activeTextEditor?.document.uri.toString();
    const next = firstToReview(q, (uri) => this.client.protocol2CodeConverter.asUri(uri).toString() === current);
    if (!next) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every document of the corpus is done ({0}).', q.progress.total));
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(this.client.protocol2CodeConverter.asUri(next));
    const editor = await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(doc.uri, [], 3000);
    await this.move(0);
    return editor;
  }

  async undoRedo(command: typeof Command.undo | typeof Command.redo): Promise<UndoResult | undefined> {
    const r = await vscode.commands.executeCommand<UndoResult>(command);
    if (!r) return undefined;
    const verb = command === Command.undo ? vscode.l10n.t('Undone') : vscode.l10n.t('Redone');
    if (r.description === null) vscode.window.setStatusBarMessage(command === Command.undo ? vscode.l10n.t('Nothing to undo.') : vscode.l10n.t('Nothing to redo.'), 3000);
    else vscode.window.setStatusBarMessage(vscode.l10n.t('{0}: {1} ({2} documents)', verb, r.description, r.documents), 5000);
    return r;
  }

  dispose(): void {
    this.modeChanged.dispose();
  }
}

function firstToReview(q: ReviewQueueResult, isCurrent: (uri: string) => boolean): string | undefined {
  return q.documents.find((d) => d.status !== 'done' && !isCurrent(d.uri))?.uri;
}

/** Resolves when the diagnostics of `uri` differ from `before` (the server republished), or after `ms`. */
function waitForDiagnostics(uri: vscode.Uri, before: readonly vscode.Diagnostic[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && vscode.languages.getDiagnostics(uri) !== before) done();
    });
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}
