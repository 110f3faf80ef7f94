/**
 * The annotation view's host: a webview panel beside the editor that shows
 * the active article paragraph by paragraph with each paragraph's own
 * direction (an Arabic line right-to-left and right-aligned, which VS Code's
 * editor cannot do), its annotations and suggestions, and takes decisions by
 * click, selection and key. Every decision is the same server command a quick
 * fix runs; the page (client/webview/main.ts) only draws and reports.
 *
 * Kept in sync both ways: the server's annotationsChanged (a decision, an
 * edit after the typing pause) redraws it; the editor's scrolling and cursor
 * move it, and its scrolling and clicks move the editor; switching editors
 * follows the active article.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ClientCommand,
  Command,
  LANGUAGE_ID,
  LABEL_SCHEMA_PATH,
  Request,
  type AcceptArgs,
  type AnnotateRangeArgs,
  type DocumentViewResult,
  type LabelSchema,
  type MarkBoilerplateArgs,
  type RejectArgs,
  type ReviewQueueResult,
  type ViewMark,
} from '../../../server/src/protocol';
import type { HostMessage, PageMessage, ViewColor } from '../../webview/messages';
import { backgroundOf, type LabelSchemaStore } from '../labels';
import { sendRequest } from '../lsp';

export const VIEW_TYPE = 'newsAnnotator.annotationView';

/** Theme colours of the standard labels (package.json), offered to the page as CSS variables. */
const THEME_VARS: Record<string, string> = {
  PER: '--vscode-newsAnnotator-person',
  ORG: '--vscode-newsAnnotator-organisation',
  LOC: '--vscode-newsAnnotator-location',
  MISC: '--vscode-newsAnnotator-misc',
};

/** How the page measured its last drawing (logged, and read by the integration suite). */
export interface RenderFigure {
  uri: string;
  /** From the data's arrival to the first screen laid out. */
  ms: number;
  /** …to the whole document laid out (long articles are drawn in slices after the first screen). */
  allMs: number;
  paragraphs: number;
  marks: number;
  chars: number;
}

/** Is this a document the annotation view shows (an article, not labels.json or an untitled buffer)? */
export function isArticle(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && doc.languageId === LANGUAGE_ID && !doc.uri.path.endsWith('/' + LABEL_SCHEMA_PATH);
}

/** Code point offset of a UTF-16 offset in a text (what the server's span commands take). */
function codePointOffset(text: string, u16: number): number {
  let n = 0;
  for (let i = 0; i < u16 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < u16) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export class AnnotationView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private doc: vscode.TextDocument | undefined;
  private data: DocumentViewResult | undefined;
  private ready = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Editor scroll events caused by the view's own scrolling are not sent back. */
  private ignoreEditorScrollUntil = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly rendered = new vscode.EventEmitter<RenderFigure>();
  /** Fires whenever the page has drawn a document, with the time it took. */
  readonly onDidRender = this.rendered.event;
  /** Every drawing measured in this session, newest last. */
  readonly renders: RenderFigure[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly labels: LabelSchemaStore,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.panel && e && isArticle(e.document) && e.document !== this.doc) void this.show(e.document);
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        if (!this.panel || e.textEditor.document !== this.doc || Date.now() < this.ignoreEditorScrollUntil) return;
        const top = e.visibleRanges[0]?.start.line;
        if (top !== undefined) this.post({ type: 'scrollTo', line: top });
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.panel && e.textEditor.document === this.doc) this.post({ type: 'cursor', offset16: e.textEditor.document.offsetAt(e.selections[0].active) });
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) this.post({ type: 'empty', reason: vscode.l10n.t('The document was closed. Open an article to see it here.') });
      }),
      labels.onDidChange(() => this.init()),
    );
  }

  get isOpen(): boolean {
    return !!this.panel;
  }

  /** The document shown, if any. */
  get document(): vscode.TextDocument | undefined {
    return this.doc;
  }

  /** Opens (or reveals) the view beside the editor, showing `doc` (default: the active article). */
  async open(doc?: vscode.TextDocument): Promise<void> {
    const target = doc ?? (vscode.window.activeTextEditor && isArticle(vscode.window.activeTextEditor.document) ? vscode.window.activeTextEditor.document : this.doc);
    if (!this.panel) this.createPanel();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    if (target) await this.show(target);
    else this.post({ type: 'empty', reason: vscode.l10n.t('Open an article (a .txt file of the corpus) to see it here.') });
  }

  private createPanel(): void {
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('Annotation View'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      // No network and no file outside the view's own bundle.
      localResourceRoots: [root],
      // The page keeps its scroll position and current suggestion while hidden behind another tab.
      retainContextWhenHidden: true,
    });
    panel.webview.html = this.html(panel.webview, root);
    panel.webview.onDidReceiveMessage((m: PageMessage) => this.handle(m), undefined, this.subscriptions);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    }, undefined, this.subscriptions);
    this.panel = panel;
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'view.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'view.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>${escapeHtml(vscode.l10n.t('Annotation View'))}</title>
</head>
<body data-nca-view>
<header id="head"></header>
<section id="orphans" hidden></section>
<main id="doc" tabindex="0"></main>
<div id="menu" role="menu" hidden></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  /** Shows a document: fetches its layout from the server and draws it. */
  async show(doc: vscode.TextDocument): Promise<void> {
    this.doc = doc;
    if (this.panel) this.panel.title = vscode.l10n.t('Annotate: {0}', vscode.workspace.asRelativePath(doc.uri));
    await this.refresh();
  }

  /** The server republished this document (a decision, an edit after the typing pause): redraw soon. */
  documentChanged(uri: string): void {
    if (!this.panel || !this.doc || this.protocolUri(this.doc) !== uri) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 30);
  }

  private protocolUri(doc: vscode.TextDocument): string {
    return this.client.code2ProtocolConverter.asUri(doc.uri);
  }

  async refresh(): Promise<void> {
    const doc = this.doc;
    if (!this.panel || !doc || !this.ready) return;
    let data: DocumentViewResult | null = null;
    try {
      data = await sendRequest(this.client, Request.documentView, { uri: this.protocolUri(doc) });
    } catch (err) {
      this.post({ type: 'empty', reason: String((err as Error).message ?? err) });
      return;
    }
    if (doc !== this.doc) return;
    if (!data) {
      this.post({ type: 'empty', reason: vscode.l10n.t('{0} is not analysed by News Annotator (open a .txt article of the corpus).', vscode.workspace.asRelativePath(doc.uri)) });
      return;
    }
    this.data = data;
    this.post({ type: 'document', data, fileName: vscode.workspace.asRelativePath(doc.uri) });
  }

  private post(m: HostMessage): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  private async init(): Promise<void> {
    if (!this.panel || !this.ready) return;
    const schema = await this.labels.schema();
    this.post({ type: 'init', strings: strings(), schema, colors: colors(schema) });
    await this.refresh();
  }

  private editor(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
  }

  private async handle(m: PageMessage): Promise<void> {
    try {
      await this.dispatch(m);
    } catch (err) {
      // The server has already told the user (a refused decision, a read-only sidecar); the page just redraws.
      void this.refresh();
      this.client.outputChannel.appendLine(`Annotation view: ${(err as Error).message ?? String(err)}`);
    }
  }

  private async dispatch(m: PageMessage): Promise<void> {
    const doc = this.doc;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        return this.init();
      case 'rendered': {
        if (!doc) return;
        const figure = { uri: doc.uri.toString(), ms: m.ms, allMs: m.allMs, paragraphs: m.paragraphs, marks: m.marks, chars: m.chars };
        this.renders.push(figure);
        if (this.renders.length > 100) this.renders.shift();
        this.client.outputChannel.appendLine(`Annotation view: ${vscode.workspace.asRelativePath(doc.uri)}: first screen in ${m.ms.toFixed(1)} ms, all of it in ${m.allMs.toFixed(1)} ms (${m.paragraphs} paragraphs, ${m.marks} marks, ${Math.round(m.chars / 1024)} K characters)`);
        this.rendered.fire(figure);
        return;
      }
      case 'scrolled': {
        const editor = this.editor();
        // Already there (blank lines are no paragraphs: the line before counts too): nothing to move.
        const top = editor?.visibleRanges[0]?.start.line;
        if (!editor || top === m.line || top === m.line + 1) return;
        this.ignoreEditorScrollUntil = Date.now() + 400;
        editor.revealRange(new vscode.Range(m.line, 0, m.line, 0), vscode.TextEditorRevealType.AtTop);
        return;
      }
      case 'cursor': {
        const editor = this.editor();
        if (!editor || !doc) return;
        const at = doc.positionAt(m.offset16);
        editor.selection = new vscode.Selection(at, at);
        editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'annotate': {
        if (!doc || !this.current(m.version)) return;
        const range = new vscode.Range(doc.positionAt(m.start16), doc.positionAt(m.end16));
        if (doc.getText(range) !== m.text) return this.stale();
        const args: AnnotateRangeArgs = { uri: this.protocolUri(doc), range: { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } }, label: m.label };
        await vscode.commands.executeCommand(Command.annotateRange, args);
        return;
      }
      case 'markBoilerplate': {
        if (!doc || !this.current(m.version)) return;
        const text = doc.getText();
        if (text.slice(m.start16, m.end16) !== m.text) return this.stale();
        const args: MarkBoilerplateArgs = { uri: this.protocolUri(doc), start: codePointOffset(text, m.start16), end: codePointOffset(text, m.end16), text: m.text, category: m.category };
        await vscode.commands.executeCommand(Command.markBoilerplate, args);
        return;
      }
      case 'accept':
        return this.decide(m.mark, m.version, 'accept', m.label);
      case 'reject':
        return this.decide(m.mark, m.version, 'reject');
      case 'remove':
        if (doc) await vscode.commands.executeCommand(Command.removeAnnotation, { uri: this.protocolUri(doc), id: m.id });
        return;
      case 'review':
        return this.review(m.action);
    }
  }

  /** Is the page's drawing of the current version of the document? If not, it is redrawn and the action dropped. */
  private current(version: number): boolean {
    if (this.doc && this.data && this.data.version === version && this.doc.version === version) return true;
    this.stale();
    return false;
  }

  private stale(): void {
    vscode.window.setStatusBarMessage(vscode.l10n.t('The document changed meanwhile: the view is redrawn, try again.'), 4000);
    void this.refresh();
  }

  /** A decision on a mark of the page (a suggestion or an accepted annotation), through the quick fixes' server commands. */
  private async decide(id: string, version: number, what: 'accept' | 'reject', label?: string): Promise<void> {
    const doc = this.doc;
    if (!doc || !this.current(version)) return;
    const mark: ViewMark | undefined = this.data?.marks.find((x) => x.id === id);
    if (!mark) return this.stale();
    const uri = this.protocolUri(doc);
    const span = { uri, start: mark.start, end: mark.end, text: mark.text };
    if (mark.status === 'accepted') {
      if (what === 'reject') await vscode.commands.executeCommand(Command.removeAnnotation, { uri, id: mark.id });
      else if (mark.kind === 'entity' && label && label !== mark.label) {
        await vscode.commands.executeCommand(Command.accept, { ...span, kind: 'entity', label, source: 'user' } satisfies AcceptArgs);
      }
      return;
    }
    if (mark.kind === 'boilerplate') {
      const args: MarkBoilerplateArgs = { ...span, category: mark.category };
      await vscode.commands.executeCommand(what === 'accept' ? Command.markBoilerplate : Command.unmarkBoilerplate, args);
      return;
    }
    if (what === 'reject') {
      await vscode.commands.executeCommand(Command.reject, { ...span, kind: 'entity', label: mark.label, source: mark.source } satisfies RejectArgs);
      return;
    }
    const as = label ?? mark.label;
    await vscode.commands.executeCommand(Command.accept, {
      ...span,
      kind: 'entity',
      label: as,
      source: as === mark.label ? mark.source : 'user',
      ...(mark.confidence !== undefined ? { confidence: mark.confidence } : {}),
    } satisfies AcceptArgs);
  }

  private async review(action: Extract<PageMessage, { type: 'review' }>['action']): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const uri = this.protocolUri(doc);
    switch (action) {
      case 'markDone':
        await vscode.commands.executeCommand(Command.setReviewStatus, { uri, status: 'done' });
        vscode.window.setStatusBarMessage(vscode.l10n.t('Marked {0} as done.', vscode.workspace.asRelativePath(doc.uri)), 4000);
        return;
      case 'markDoneAndNext':
        await vscode.commands.executeCommand(Command.setReviewStatus, { uri, status: 'done' });
        return this.nextDocument();
      case 'nextDocument':
        return this.nextDocument();
      case 'undo':
      case 'redo':
        await vscode.commands.executeCommand(action === 'undo' ? ClientCommand.undoAnnotation : ClientCommand.redoAnnotation);
        return;
      case 'editTags':
        await vscode.commands.executeCommand(ClientCommand.setDocumentTags, { uri });
        return;
      case 'openGuidelines':
        await vscode.commands.executeCommand(ClientCommand.openGuidelines);
        return;
    }
  }

  /** The first document of the Review Queue other than this one, opened in the editor beside (the view keeps the focus and follows it). */
  private async nextDocument(): Promise<void> {
    // The top two are enough: this one may be the first, and done documents come last.
    const q: ReviewQueueResult = await sendRequest(this.client, Request.reviewQueue, { limit: 2 });
    const current = this.doc ? this.protocolUri(this.doc) : undefined;
    const next = q.documents.find((d) => d.status !== 'done' && d.uri !== current);
    if (!next) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every document of the corpus is done ({0}).', q.progress.total));
      return;
    }
    const doc = await vscode.workspace.openTextDocument(this.client.protocol2CodeConverter.asUri(next.uri));
    const column = this.editor()?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: true, preview: false });
    await this.show(doc);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.rendered.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Colours for the page: the schema's, translucent backgrounds; the standard labels follow their theme colours unless labels.json sets them. */
function colors(schema: LabelSchema): Record<string, { light: ViewColor; dark: ViewColor }> {
  const out: Record<string, { light: ViewColor; dark: ViewColor }> = {};
  for (const d of [...schema.labels, ...schema.boilerplate]) {
    const themeVar = schema.source !== 'file' ? THEME_VARS[d.name] : undefined;
    const bg = (c: string, dark: boolean) => (themeVar ? `var(${themeVar}, ${backgroundOf(c, dark)})` : backgroundOf(c, dark));
    out[d.name] = { light: { fg: d.color.light, bg: bg(d.color.light, false) }, dark: { fg: d.color.dark, bg: bg(d.color.dark, true) } };
  }
  return out;
}

/** The page's strings, localised here (the page has no access to vscode.l10n). */
function strings(): Record<string, string> {
  return {
    accept: vscode.l10n.t('Accept'),
    acceptAs: vscode.l10n.t('Accept as'),
    relabel: vscode.l10n.t('Change label to'),
    reject: vscode.l10n.t('Reject'),
    remove: vscode.l10n.t('Remove'),
    annotateAs: vscode.l10n.t('Annotate as'),
    markBoilerplate: vscode.l10n.t('Mark as boilerplate'),
    notBoilerplate: vscode.l10n.t('Not boilerplate: keep as article text'),
    boilerplate: vscode.l10n.t('Boilerplate'),
    suggestion: vscode.l10n.t('suggestion'),
    accepted: vscode.l10n.t('accepted'),
    orphans: vscode.l10n.t('Annotations whose text was not found again (orphans): select the text in the editor and use Re-attach, or delete them here.'),
    delete: vscode.l10n.t('Delete'),
    tags: vscode.l10n.t('Tags'),
    noTags: vscode.l10n.t('no tags'),
    editTags: vscode.l10n.t('Set document tags (T)'),
    guidelines: vscode.l10n.t('Guidelines'),
    done: vscode.l10n.t('done'),
    inProgress: vscode.l10n.t('in progress'),
    todo: vscode.l10n.t('to do'),
    markDone: vscode.l10n.t('Mark done (d)'),
    next: vscode.l10n.t('Next document (])'),
    suggestions: vscode.l10n.t('{0} suggestions'),
    noSuggestion: vscode.l10n.t('No suggestions left in this document.'),
    readOnly: vscode.l10n.t('Read-only: {0}'),
    keysHelp: vscode.l10n.t('Click a name or select text to annotate it. Keys: a accept · x reject · 1–9 or a label\'s key: accept as that label · n/p next/previous · d done · D done and next · ] next document · u/U undo/redo · T tags'),
    line: vscode.l10n.t('line {0}'),
    confidence: vscode.l10n.t('confidence {0}%'),
    close: vscode.l10n.t('Close'),
  };
}
