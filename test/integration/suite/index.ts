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
  PRODUCT_NAME,
  SIDECAR_SUFFIX,
  SIDECAR_VERSION,
  type ExportResult,
  type Sidecar,
  type SidecarAnnotation,
} from '../../../server/src/protocol';
import { annotationViewTests } from './annotationView';
import { assert, assertEqual, requestScreenshot, runAll, sleep, waitFor } from './harness';

const EXTENSION_ID = 'news-corpus-annotator.news-corpus-annotator';
const SAMPLE = '000_f74c9c0780b14a3d.txt';
/** 0-based line of "اثنان × خمسة =" (the CAPTCHA of the comment form). */
const CAPTCHA_LINE = 36;
/** 0-based line of "… تنظيم يسمي نفسه “جيش العدل” …". */
const JAISH_LINE = 22;
const IRAN = 'إيران';
const JILANI = 'جيلاني';
const JAISH = 'جيش العدل';

// ------------------------------------------------------------------------------------------ helpers

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

const sampleUri = () => vscode.Uri.file(path.join(workspaceRoot(), SAMPLE));
const sidecarPath = () => sampleUri().fsPath + SIDECAR_SUFFIX;

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

/** `data` as the language client keeps it on the diagnostic (vscode-languageclient's ProtocolDiagnostic). */
function dataOf<T = Record<string, unknown>>(d: vscode.Diagnostic): T | undefined {
  return (d as vscode.Diagnostic & { data?: T }).data;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === PRODUCT_NAME);
}

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
    name: 'the extension is present and activates',
    fn: async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert(ext, `extension ${EXTENSION_ID} is not installed in the test instance`);
      await ext.activate();
      assert(ext.isActive, 'extension did not activate');
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

export async function run(): Promise<void> {
  await runAll([...tests, ...annotationViewTests]);
}
