/**
 * Integration suite: runs inside a real VS Code (extension host) with the fixture workspace
 * (test/fixtures/workspace, copied to a temp folder) open. Entry point of the
 * @vscode/test-electron / smoke-test-driver contract: `run()` resolves when every test passed.
 *
 * Only what the editor alone shows is tested here (diagnostics as VS Code holds them, code
 * actions, commands, hovers, views); the detectors and the sidecar logic have their own unit
 * and protocol tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ClientCommand,
  Command,
  DiagnosticCode,
  LANGUAGE_ID,
  Request,
  SIDECAR_SUFFIX,
  SIDECAR_VERSION,
  type BatchResult,
  type ExportResult,
  type FindMentionsResult,
  type ReviewQueueResult,
  type Sidecar,
  type SidecarAnnotation,
} from '../../../server/src/protocol';
import { adjudicationTests } from './adjudication';
import { annotationViewTests } from './annotationView';
import { assert, assertEqual, pressKeys, requestScreenshot, runAll, sleep, waitFor, type TestCase } from './harness';
import type { ExtensionApi } from '../../../client/src/extension';
import { codeOf, dataOf, extension, ours, workspaceRoot } from './vscodeHelpers';

const SAMPLE = '000_f74c9c0780b14a3d.txt';
/** 0-based line of "اثنان × خمسة =" (the CAPTCHA of the comment form). */
const CAPTCHA_LINE = 36;
/** 0-based line of "… تنظيم يسمي نفسه “جيش العدل” …". */
const JAISH_LINE = 22;
const IRAN = 'إيران';
const JILANI = 'جيلاني';
const JAISH = 'جيش العدل';
const FOLLOWUP = '001_pakistan_iran_followup.txt';

/** The extension's API (its LanguageClient and review commands). */
async function activeApi(): Promise<{ client: { sendRequest<R>(method: string, params: unknown): Promise<R> }; review: { inReviewMode: boolean } }> {
  const api = (await extension().activate()) as { session?: { client: unknown; review: unknown } };
  assert(api.session, 'the extension is active but not serving (no corpus folder?)');
  return api.session as never;
}

/** Accepted annotations of `text` with `label` in every sidecar of the workspace. */
function countAccepted(text: string, label: string): number {
  let n = 0;
  for (const f of fs.readdirSync(workspaceRoot()).filter((x) => x.endsWith(SIDECAR_SUFFIX))) {
    const sc = JSON.parse(fs.readFileSync(path.join(workspaceRoot(), f), 'utf8')) as Sidecar;
    n += sc.annotations.filter((a) => a.status === 'accepted' && a.label === label && a.text === text).length;
  }
  return n;
}

// ------------------------------------------------------------------------------------------ helpers

const sampleUri = () => vscode.Uri.file(path.join(workspaceRoot(), SAMPLE));
const sidecarPath = () => sampleUri().fsPath + SIDECAR_SUFFIX;

function describeDiagnostics(uri: vscode.Uri, doc?: vscode.TextDocument): string {
  const all = vscode.languages.getDiagnostics(uri);
  const lines = all.slice(0, 40).map((d) => `  [${d.source}] ${codeOf(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`
    + `${doc ? ` "${doc.getText(d.range).slice(0, 40)}"` : ''} data=${JSON.stringify(dataOf(d) ?? null)?.slice(0, 120)}`);
  return `${all.length} diagnostics for ${path.basename(uri.fsPath)}:\n${lines.join('\n')}`;
}

function entityDiagnostics(doc: vscode.TextDocument): vscode.Diagnostic[] {
  return ours(doc.uri).filter((d) => codeOf(d) === DiagnosticCode.entity);
}

function findEntity(doc: vscode.TextDocument, text: string, label: string, exact: boolean): vscode.Diagnostic | undefined {
  return entityDiagnostics(doc).find((d) => {
    const covered = doc.getText(d.range);
    return (exact ? covered === text : covered.includes(text)) && dataOf<{ label?: string }>(d)?.label === label;
  });
}

function readSidecar(): Sidecar {
  const p = sidecarPath();
  assert(fs.existsSync(p), `sidecar ${p} does not exist`);
  return JSON.parse(fs.readFileSync(p, 'utf8')) as Sidecar;
}

/** The document text as stored on disk (without a BOM), sliced in Unicode code points. */
function codePointSlice(start: number, end: number): string {
  const text = fs.readFileSync(sampleUri().fsPath, 'utf8').replace(/^\uFEFF/, '');
  return Array.from(text).slice(start, end).join('');
}

function findAccepted(sidecar: Sidecar, label: string, text: string): SidecarAnnotation | undefined {
  return sidecar.annotations.find((a) => a.kind === 'entity' && a.status === 'accepted' && a.label === label && a.text === text);
}

function assertCodePointSpan(a: SidecarAnnotation): void {
  assert(Number.isInteger(a.start) && Number.isInteger(a.end) && a.start < a.end, `bad span ${a.start}..${a.end}`);
  const covered = codePointSlice(a.start, a.end);
  assertEqual(covered, a.text, `file text at code points ${a.start}..${a.end}`);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

async function openSample(): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument(sampleUri());
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Searches every JSON value of an export line for the span (object or [start, end, label] tuple). */
function containsSpan(value: unknown, a: SidecarAnnotation): boolean {
  if (Array.isArray(value)) {
    if (value.length >= 3 && value[0] === a.start && value[1] === a.end && value[2] === a.label) return true;
    return value.some((v) => containsSpan(v, a));
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const label = o.label ?? o.type ?? o.entity;
    if (label === a.label && ((o.start === a.start && o.end === a.end) || o.text === a.text)) return true;
    return Object.values(o).some((v) => containsSpan(v, a));
  }
  return false;
}

/** Runs the JSONL export of the workspace into `outDir` and checks the result holds `accepted`. */
async function checkJsonlExport(outDir: string, accepted: SidecarAnnotation): Promise<void> {
  const result = await vscode.commands.executeCommand<ExportResult>(ClientCommand.exportAnnotations,
    { format: 'jsonl', scope: 'workspace', outDir, open: false });
  assert(result && Array.isArray(result.files), `${ClientCommand.exportAnnotations} returned ${JSON.stringify(result)} instead of an ExportResult`);
  assert(result.documents >= 1 && result.annotations >= 1, `export counted ${result.documents} documents, ${result.annotations} annotations`);
  const jsonl = result.files.filter((f) => f.endsWith('.jsonl'));
  assert(jsonl.length > 0, `no .jsonl among the exported files ${JSON.stringify(result.files)}`);
  let found = false;
  for (const f of jsonl) {
    const file = path.isAbsolute(f) ? f : path.join(outDir, f);
    assert(fs.existsSync(file), `exported file ${file} does not exist`);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    assert(lines.length > 0, `${file} is empty`);
    lines.forEach((l, i) => {
      let value: unknown;
      try { value = JSON.parse(l); } catch (e) { throw new Error(`${path.basename(file)} line ${i + 1} is not JSON: ${String(e)}`); }
      if (containsSpan(value, accepted)) found = true;
    });
  }
  assert(found, `no exported line contains the accepted LOC ${IRAN} at ${accepted.start}..${accepted.end}; first line: ${fs.readFileSync(path.isAbsolute(jsonl[0]) ? jsonl[0] : path.join(outDir, jsonl[0]), 'utf8').split('\n')[0].slice(0, 600)}`);
}

// ------------------------------------------------------------------------------------------ state shared by the tests

let acceptedIran: SidecarAnnotation | undefined;

// ------------------------------------------------------------------------------------------ tests

const tests = [
  {
    name: 'the extension is present and activates in the corpus folder (it holds the .news-annotator marker)',
    fn: async () => {
      const ext = extension();
      await waitFor(() => ext.isActive, () => 'the workspaceContains:.news-annotator activation event did not activate the extension', 30_000);
    },
  },
  {
    name: 'an article of the corpus opens as a News Article document',
    fn: async () => {
      const { doc } = await openSample();
      await waitFor(() => doc.languageId === LANGUAGE_ID, () => `the sample's language is ${doc.languageId}`, 15_000);
    },
  },
  {
    name: 'the sample gets entity diagnostics (إيران LOC, جيلاني PER) and boilerplate on the CAPTCHA line',
    fn: async () => {
      const { doc } = await openSample();
      await waitFor(
        () => findEntity(doc, IRAN, 'LOC', true) && findEntity(doc, JILANI, 'PER', false)
          && ours(doc.uri).some((d) => codeOf(d) === DiagnosticCode.boilerplate),
        () => `entity diagnostics for ${IRAN} (LOC) and ${JILANI} (PER) plus a boilerplate diagnostic; got ${describeDiagnostics(doc.uri, doc)}`,
        60_000,
      );
      const iran = findEntity(doc, IRAN, 'LOC', true)!;
      const iranData = dataOf<{ kind?: string; text?: string; start?: number; end?: number }>(iran)!;
      assertEqual(iranData.kind, 'entity', 'data.kind of the إيران diagnostic');
      assert(Number.isInteger(iranData.start) && Number.isInteger(iranData.end), `the إيران diagnostic data lacks code point offsets: ${JSON.stringify(iranData)}`);
      assertEqual(codePointSlice(iranData.start!, iranData.end!), IRAN, 'code point span in the إيران diagnostic data');
      const captcha = ours(doc.uri).filter((d) => codeOf(d) === DiagnosticCode.boilerplate
        && d.range.start.line <= CAPTCHA_LINE && d.range.end.line >= CAPTCHA_LINE
        && !(d.range.end.line === CAPTCHA_LINE && d.range.end.character === 0));
      assert(captcha.length > 0, `no boilerplate diagnostic covers line ${CAPTCHA_LINE + 1} ("${doc.lineAt(CAPTCHA_LINE).text}"); ${describeDiagnostics(doc.uri, doc)}`);
      assert(captcha.some((d) => d.tags?.includes(vscode.DiagnosticTag.Unnecessary)),
        `the boilerplate diagnostic on line ${CAPTCHA_LINE + 1} lacks DiagnosticTag.Unnecessary (tags: ${JSON.stringify(captcha.map((d) => d.tags ?? []))})`);
    },
  },
  {
    name: 'the quick fix "accept" on إيران writes the sidecar and the suggestion disappears',
    fn: async () => {
      const { doc } = await openSample();
      const iran = findEntity(doc, IRAN, 'LOC', true);
      assert(iran, `no LOC diagnostic on ${IRAN}; ${describeDiagnostics(doc.uri, doc)}`);
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider', doc.uri, iran.range, vscode.CodeActionKind.QuickFix.value);
      const quickFixes = (actions ?? []).filter((a): a is vscode.CodeAction =>
        'kind' in a && !!a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind));
      const describe = () => JSON.stringify((actions ?? []).map((a) => ({ title: a.title, kind: 'kind' in a ? a.kind?.value : undefined,
        command: 'command' in a && typeof a.command === 'object' ? a.command.command : (a as vscode.Command).command })));
      assert(quickFixes.length > 0, `no quickfix code actions at the إيران diagnostic: ${describe()}`);
      const accept = quickFixes.find((a) => a.command?.command === Command.accept
        && (a.command.arguments?.[0] as { label?: string } | undefined)?.label === 'LOC')
        ?? quickFixes.find((a) => a.command?.command === Command.accept);
      assert(accept?.command, `no quick fix runs ${Command.accept}: ${describe()}`);
      await vscode.commands.executeCommand(accept.command.command, ...(accept.command.arguments ?? []));

      const sidecar = await waitFor(() => {
        try { const s = readSidecar(); return findAccepted(s, 'LOC', IRAN) ? s : undefined; } catch { return undefined; }
      }, () => `sidecar ${sidecarPath()} with an accepted LOC ${IRAN}: ${fs.existsSync(sidecarPath()) ? fs.readFileSync(sidecarPath(), 'utf8').slice(0, 800) : 'missing'}`, 15_000);
      assertEqual(sidecar.version, SIDECAR_VERSION, 'sidecar version');
      assertEqual(sidecar.offsets, 'codepoint', 'sidecar offsets');
      acceptedIran = findAccepted(sidecar, 'LOC', IRAN)!;
      assertCodePointSpan(acceptedIran);

      const range = iran.range;
      await waitFor(() => !entityDiagnostics(doc).some((d) => d.range.isEqual(range)),
        () => `the entity diagnostic at ${range.start.line}:${range.start.character} is still reported after accepting; ${describeDiagnostics(doc.uri, doc)}`, 20_000);
    },
  },
  {
    name: 'hovering an entity suggestion shows its label',
    fn: async () => {
      const { doc } = await openSample();
      const jilani = findEntity(doc, JILANI, 'PER', false);
      assert(jilani, `no PER diagnostic on ${JILANI}; ${describeDiagnostics(doc.uri, doc)}`);
      const at = jilani.range.start.translate(0, 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const text = hoverText(hovers ?? []);
      assert(text.includes('PER'), `hover at ${at.line}:${at.character} does not mention PER: ${JSON.stringify(text.slice(0, 500))}`);
    },
  },
  {
    name: 'annotateSelection {label: ORG} on "جيش العدل" stores an accepted ORG annotation',
    fn: async () => {
      const { doc, editor } = await openSample();
      const line = doc.lineAt(JAISH_LINE).text;
      const col = line.indexOf(JAISH);
      assert(col >= 0, `"${JAISH}" not found on line ${JAISH_LINE + 1}: ${line}`);
      editor.selection = new vscode.Selection(JAISH_LINE, col, JAISH_LINE, col + JAISH.length);
      await vscode.commands.executeCommand(ClientCommand.annotateSelection, { label: 'ORG' });
      const ann = await waitFor(() => {
        try { return findAccepted(readSidecar(), 'ORG', JAISH); } catch { return undefined; }
      }, () => `accepted ORG "${JAISH}" in ${sidecarPath()}: ${fs.existsSync(sidecarPath()) ? fs.readFileSync(sidecarPath(), 'utf8').slice(0, 1200) : 'missing'}`, 15_000);
      assertEqual(ann.source, 'user', 'source of a user annotation');
      assertCodePointSpan(ann);
      assert(readSidecar().annotations.some((a) => a.status === 'accepted' && a.label === 'LOC' && a.text === IRAN),
        'the earlier accepted إيران annotation was lost');
    },
  },
  {
    name: 'exportAnnotations (jsonl, workspace) writes parseable JSONL with the accepted annotation',
    fn: async () => {
      assert(acceptedIran, 'depends on the accept test, which failed');
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-it-export-'));
      try {
        await checkJsonlExport(outDir, acceptedIran);
      } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'showEntities (the Entities view) runs',
    fn: async () => {
      await vscode.commands.executeCommand(ClientCommand.showEntities);
    },
  },
  {
    name: 'reviewing a document with the keyboard only: Review Mode, accept (a), reject (x), accept as label 2, undo (u), mark done (d), next document (])',
    fn: async () => {
      const file = path.join(workspaceRoot(), FOLLOWUP);
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      await waitFor(() => entityDiagnostics(doc).length >= 3, () => `suggestions in ${FOLLOWUP}: ${describeDiagnostics(doc.uri, doc)}`, 60_000);
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      const api = await activeApi();
      const key = async (keys: string[], fallback: () => Thenable<unknown>) => {
        if (!(await pressKeys(keys))) await fallback();
      };
      await key(['Control+Alt+m'], () => vscode.commands.executeCommand(ClientCommand.toggleReviewMode, true));
      await waitFor(() => api.review.inReviewMode, () => 'Review Mode did not turn on with Ctrl+Alt+M', 10_000);
      const layer = () => (fs.existsSync(file + SIDECAR_SUFFIX) ? (JSON.parse(fs.readFileSync(file + SIDECAR_SUFFIX, 'utf8')) as Sidecar) : null);
      // Review Mode selects the first suggestion; "a" accepts it as suggested.
      await waitFor(() => !editor.selection.isEmpty, () => 'Review Mode did not select the first suggestion', 10_000);
      const first = doc.getText(editor.selection);
      await key(['a'], () => vscode.commands.executeCommand(ClientCommand.acceptSuggestion));
      await waitFor(() => layer()?.annotations.some((a) => a.status === 'accepted' && a.text === first), () => `"${first}" accepted with "a": ${JSON.stringify(layer())}`, 15_000);
      assertEqual(layer()!.review?.status, 'in-progress', 'review status after the first decision');
      // The cursor moved on to the next suggestion: "x" rejects it.
      await waitFor(() => !editor.selection.isEmpty && doc.getText(editor.selection) !== first, () => 'the selection did not move to the next suggestion', 10_000);
      const second = doc.getText(editor.selection);
      await key(['x'], () => vscode.commands.executeCommand(ClientCommand.rejectSuggestion));
      await waitFor(() => layer()?.annotations.some((a) => a.status === 'rejected' && a.text === second), () => `"${second}" rejected with "x": ${JSON.stringify(layer()?.annotations.map((a) => [a.text, a.status]))}`, 15_000);
      // "2" accepts the next one as the second label of the set (ORG), whatever was suggested.
      await waitFor(() => !editor.selection.isEmpty && doc.getText(editor.selection) !== second, () => 'the selection did not move after the rejection', 10_000);
      const third = doc.getText(editor.selection);
      await key(['2'], () => vscode.commands.executeCommand(ClientCommand.acceptAsLabel, 2));
      await waitFor(() => layer()?.annotations.some((a) => a.status === 'accepted' && a.text === third && a.label === 'ORG'), () => `"${third}" accepted as ORG with "2"`, 15_000);
      // "u" undoes that last decision, in the sidecar too.
      await key(['u'], () => vscode.commands.executeCommand(ClientCommand.undoAnnotation));
      await waitFor(() => !layer()?.annotations.some((a) => a.text === third && a.label === 'ORG'), () => `undo with "u" left ${JSON.stringify(layer()?.annotations.map((a) => [a.text, a.label]))}`, 15_000);
      // "d" marks the document done; "]" opens the next document of the queue.
      await key(['d'], () => vscode.commands.executeCommand(ClientCommand.markDocumentDone));
      await waitFor(() => layer()?.review?.status === 'done', () => `review status after "d": ${JSON.stringify(layer()?.review)}`, 15_000);
      await key(['BracketRight'], () => vscode.commands.executeCommand(ClientCommand.nextDocument));
      await waitFor(() => vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.fsPath !== file, () => 'Next Document did not open another document', 20_000);
      await key(['Escape'], () => vscode.commands.executeCommand(ClientCommand.toggleReviewMode, false));
      await waitFor(() => !api.review.inReviewMode, () => 'Escape did not leave Review Mode', 10_000);
    },
  },
  {
    name: 'the Review Queue lists the documents not done first and the done one last (screenshot)',
    fn: async () => {
      const api = await activeApi();
      const q = await api.client.sendRequest<ReviewQueueResult>(Request.reviewQueue.method, {});
      assert(q.documents.length >= 3, `queue of ${q.documents.length} documents`);
      const last = q.documents.at(-1)!;
      assertEqual(last.status, 'done', 'status of the last document of the queue');
      assert(last.uri.endsWith(encodeURIComponent(FOLLOWUP).replace(/%2F/g, '/')) || decodeURIComponent(last.uri).endsWith(FOLLOWUP), `the done document ${FOLLOWUP} is last: ${last.uri}`);
      assertEqual(q.progress.done, 1, 'documents done');
      await openSample();
      await vscode.commands.executeCommand('newsAnnotator.reviewQueue.focus');
      // A wider side bar, so the rows' counts are readable in the screenshot.
      await vscode.commands.executeCommand('workbench.action.focusSideBar');
      for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
      await sleep(1500);
      await requestScreenshot('review-queue');
      await vscode.commands.executeCommand('workbench.view.explorer');
    },
  },
  {
    name: 'the Review Queue view lists the top of the queue a page at a time, and "Show more" adds the next page',
    fn: async () => {
      type Row = { kind: string; doc?: { uri: string }; docs?: unknown[] };
      const api = (await activeApi()) as unknown as {
        client: { sendRequest<R>(method: string, params: unknown): Promise<R> };
        queue: { page: number; firstPage(): void; getChildren(): Promise<Row[]>; getTreeItem(n: Row): vscode.TreeItem };
      };
      const whole = await api.client.sendRequest<ReviewQueueResult>(Request.reviewQueue.method, {});
      assert(whole.matching === whole.documents.length && whole.matching >= 3, `the whole queue: ${whole.matching} documents, ${whole.documents.length} sent`);
      const top = await api.client.sendRequest<ReviewQueueResult>(Request.reviewQueue.method, { limit: 2 });
      assertEqual(JSON.stringify(top.documents.map((d) => d.uri)), JSON.stringify(whole.documents.slice(0, 2).map((d) => d.uri)), 'the top two of the queue');
      assertEqual(top.matching, whole.matching, 'a limited queue still counts every document');
      const page = api.queue.page;
      try {
        api.queue.page = 1;
        api.queue.firstPage();
        let rows = await api.queue.getChildren();
        const more = rows.find((r) => r.kind === 'more');
        assert(more, `no "Show more" row: ${JSON.stringify(rows.map((r) => r.kind))}`);
        assertEqual(rows.filter((r) => r.kind === 'doc').length, 1, 'documents listed on the first page');
        const item = api.queue.getTreeItem(more!);
        assert(/1/.test(String(item.label)) && String(item.description).includes(String(whole.matching)), `the row says how many: ${String(item.label)} · ${String(item.description)}`);
        // Its click is the command on the row.
        await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
        rows = await api.queue.getChildren();
        const listed = rows.filter((r) => r.kind === 'doc').map((r) => r.doc!.uri);
        // (The order itself may move meanwhile: exact figures replace estimates in the background.)
        const notDone = new Set(whole.documents.filter((d) => d.status !== 'done').map((d) => d.uri));
        assert(listed.length === 2 && new Set(listed).size === 2 && listed.every((u) => notDone.has(u)), `two documents not done after "Show more": ${JSON.stringify(listed)}`);
      } finally {
        api.queue.page = page;
        api.queue.firstPage();
      }
      const rows = await api.queue.getChildren();
      assert(!rows.some((r) => r.kind === 'more'), 'a queue shorter than a page has no "Show more" row');
    },
  },
  {
    name: 'Annotate All Mentions in the Workspace shows a preview; an unticked mention is left alone; undo reverts the batch',
    fn: async () => {
      const name = 'باكستان';
      const before = countAccepted(name, 'LOC');
      // What the preview will list: every mention not already accepted as LOC.
      const api = await activeApi();
      const found = await api.client.sendRequest<FindMentionsResult>(Request.findMentions.method, { text: name, label: 'LOC' });
      const open = found.files.flatMap((f) => f.mentions.filter((m) => !(m.existing?.status === 'accepted' && m.existing.label === 'LOC')));
      assert(open.length >= 2, `undecided mentions of ${name}: ${open.length} (${JSON.stringify(found.files.map((f) => [f.uri, f.mentions.length]))})`);
      const pending = vscode.commands.executeCommand<BatchResult>(ClientCommand.annotateAllInWorkspace, { text: name, label: 'LOC' });
      // The preview: every mention ticked; untick the first one, then apply.
      await sleep(2500);
      await requestScreenshot('corpus-preview');
      const keyed = await pressKeys(['ArrowDown', 'Space', 'Enter']);
      if (!keyed) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const result = await waitFor(async () => {
        const r = await Promise.race([pending, sleep(200).then(() => undefined)]);
        return r ?? undefined;
      }, () => 'the corpus-wide annotation did not finish', 60_000);
      assertEqual(result.annotations, keyed ? open.length - 1 : open.length, 'mentions annotated (all but the unticked one)');
      const after = countAccepted(name, 'LOC');
      assertEqual(after - before, result.annotations, 'accepted mentions added across the corpus sidecars');
      await vscode.commands.executeCommand(ClientCommand.undoAnnotation);
      await waitFor(() => countAccepted(name, 'LOC') === before, () => `after undo: ${countAccepted(name, 'LOC')} accepted (before: ${before})`, 20_000);
    },
  },
  {
    name: 'the quick fix "mark this block as boilerplate in every document" on a comment form runs through the client\'s notification, returns what it did, and undo reverts it',
    fn: async () => {
      const { doc } = await openSample();
      // The comment form ("اترك تعليقاً", a blank line, "لن يتم نشر عنوان بريدك…"): a block the detector merged from several lines.
      const form = await waitFor(
        () => ours(doc.uri).find((d) => codeOf(d) === DiagnosticCode.boilerplate && dataOf<{ category?: string }>(d)?.category === 'comment-form' && doc.getText(d.range).includes('\n')),
        () => `no comment form flagged as one block of several lines; ${describeDiagnostics(doc.uri, doc)}`,
        30_000,
      );
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, form.range, vscode.CodeActionKind.QuickFix.value);
      const everywhere = (actions ?? []).find((a): a is vscode.CodeAction => 'command' in a && typeof a.command === 'object' && a.command.command === Command.applyEverywhere
        && (a.command.arguments?.[0] as { boilerplate?: boolean } | undefined)?.boilerplate === true);
      assert(everywhere?.command, `no quick fix runs ${Command.applyEverywhere}: ${JSON.stringify((actions ?? []).map((a) => a.title))}`);
      const text = (everywhere.command.arguments![0] as { text: string }).text;
      const marked = () => {
        let n = 0;
        for (const f of fs.readdirSync(workspaceRoot()).filter((x) => x.endsWith(SIDECAR_SUFFIX))) {
          const sc = JSON.parse(fs.readFileSync(path.join(workspaceRoot(), f), 'utf8')) as Sidecar;
          n += sc.annotations.filter((a) => a.kind === 'boilerplate' && a.status === 'accepted' && a.text === text).length;
        }
        return n;
      };
      const before = marked();
      // VS Code runs a quick fix's command as the client registered it: through corpusCommands.ts (a notification with Cancel).
      const result = await vscode.commands.executeCommand<BatchResult>(everywhere.command.command, ...(everywhere.command.arguments ?? []));
      assert(result && result.documents >= 1 && result.cancelled === undefined, `Apply Everywhere's result: ${JSON.stringify(result)}`);
      assertEqual(marked() - before, result.annotations, 'blocks marked across the corpus sidecars');
      await vscode.commands.executeCommand(ClientCommand.undoAnnotation);
      await waitFor(() => marked() === before, () => `after undo: ${marked()} marked (before: ${before})`, 20_000);
    },
  },
  {
    name: 'screenshot: the sample with suggestions, accepted annotations and a hover',
    fn: async () => {
      const { doc, editor } = await openSample();
      const jilani = findEntity(doc, JILANI, 'PER', false);
      const at = jilani ? jilani.range.start.translate(0, 1) : new vscode.Position(2, 0);
      editor.selection = new vscode.Selection(at, at);
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      await sleep(500);
      await vscode.commands.executeCommand('editor.action.showHover');
      await sleep(1000);
      await requestScreenshot('readme');
    },
  },
];

/**
 * Run last. The first changes files.exclude (the corpus is listed again when it is put back);
 * the second adds 300 documents to the workspace for the while of the test (an export that
 * lasts seconds), and the scan they start would slow the tests after it.
 */
const stopTests: TestCase[] = [
  {
    name: "files.exclude's conditional entry leaves out a text beside its HTML page; deleting the page lets the text in (VS Code's own file watcher)",
    fn: async () => {
      const api = await activeApi();
      const root = workspaceRoot();
      const files = vscode.workspace.getConfiguration('files');
      const before = files.inspect<Record<string, unknown>>('exclude')?.workspaceValue;
      const sample = fs.readFileSync(path.join(root, SAMPLE), 'utf8');
      const page = path.join(root, 'zz-paged.html');
      const texts = ['zz-paged.txt', 'zz-alone.txt'].map((n) => path.join(root, n));
      const listed = async (): Promise<string[]> =>
        (await api.client.sendRequest<ReviewQueueResult>(Request.reviewQueue.method, {})).documents.map((d) => path.basename(vscode.Uri.parse(d.uri).fsPath));
      let last: string[] = [];
      const until = (want: (names: string[]) => boolean, what: string) =>
        waitFor(async () => want((last = await listed())), () => `${what}: the corpus lists ${JSON.stringify(last.filter((n) => n.startsWith('zz-')))}`, 30_000);
      try {
        await files.update('exclude', { ...(before ?? {}), '**/zz-*.txt': { when: '$(basename).html' } }, vscode.ConfigurationTarget.Workspace);
        // Written outside the editor, as a scraper would: the server hears of them through VS Code's watcher.
        fs.writeFileSync(page, '<p>the page</p>');
        for (const t of texts) fs.writeFileSync(t, `${sample}\n${path.basename(t)}\n`);
        await until((n) => n.includes('zz-alone.txt') && !n.includes('zz-paged.txt'), 'the text beside its page is left out, the other one read');
        fs.rmSync(page);
        await until((n) => n.includes('zz-alone.txt') && n.includes('zz-paged.txt'), 'the text whose page went is read');
      } finally {
        fs.rmSync(page, { force: true });
        for (const t of texts) fs.rmSync(t, { force: true });
        await files.update('exclude', before, vscode.ConfigurationTarget.Workspace);
      }
    },
  },
  {
    name: 'Stop the Running Corpus-Wide Command stops an export of the whole workspace before its end, as the notification\'s Cancel does; what it wrote is whole',
    fn: async () => {
      const api = (await extension().activate()) as ExtensionApi;
      const extra = path.join(workspaceRoot(), 'stop-test');
      const sample = fs.readFileSync(path.join(workspaceRoot(), SAMPLE), 'utf8');
      fs.mkdirSync(extra);
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-it-stop-'));
      try {
        for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(extra, `copy${String(i).padStart(3, '0')}.txt`), `${sample}\nنسخة رقم ${i}\n`);
        assertEqual(await vscode.commands.executeCommand<number>(ClientCommand.stopCorpusCommand), 0, 'commands stopped while none runs');
        // With the suggestions of every document: seconds of work for the server, one document after another.
        const exporting = vscode.commands.executeCommand<ExportResult>(ClientCommand.exportAnnotations, { format: 'jsonl', scope: 'workspace', outDir, open: false, includeSuggestions: true });
        await waitFor(() => api.corpusCommandsRunning > 0, () => 'the export never showed as a running corpus-wide command', 30_000, 5);
        assertEqual(await vscode.commands.executeCommand<number>(ClientCommand.stopCorpusCommand), 1, 'commands stopped');
        const result = await exporting;
        assert(result?.cancelled === true, `the export was not stopped: ${JSON.stringify(result)}`);
        assert(result.documents < 300, `the export wrote all ${result.documents} documents before it stopped`);
        // One record a document, as many as it says it wrote (none if it stopped before the first).
        const records = result.files.filter((f) => f.endsWith('.jsonl')).map((f) => (path.isAbsolute(f) ? f : path.join(outDir, f)))
          .filter((f) => fs.existsSync(f)).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== ''));
        records.forEach((l) => JSON.parse(l));
        assertEqual(records.length, result.documents, 'records written by the stopped export');
        assertEqual(api.corpusCommandsRunning, 0, 'corpus-wide commands running after the stop');
      } finally {
        fs.rmSync(extra, { recursive: true, force: true });
        fs.rmSync(outDir, { recursive: true, force: true });
      }
    },
  },
];

export async function run(): Promise<void> {
  await runAll([...tests, ...adjudicationTests, ...annotationViewTests, ...stopTests]);
}
