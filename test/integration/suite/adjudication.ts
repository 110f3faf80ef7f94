/**
 * Integration tests of teams in the real VS Code: two annotators' layers on
 * the Arabic follow-up article, Adjudicate Document, the `disagreement`
 * diagnostics as VS Code holds them, taking one side through the quick fix
 * (the adjudicated sidecar on disk), and the Agreement view's report.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ClientCommand,
  DiagnosticCode,
  PRODUCT_NAME,
  type AdjudicateResult,
  type AgreementResult,
  type DisagreementData,
  type Sidecar,
  type SidecarAnnotation,
} from '../../../server/src/protocol';
import { assert, assertEqual, requestScreenshot, sleep, waitFor, type TestCase } from './harness';

/**
 * A copy of the follow-up article made for these tests: the tests before them
 * (keyboard review, corpus-wide mentions) decide on the original, and the
 * adjudicated sidecar must start empty for the agreed spans to be counted.
 */
const SOURCE = '001_pakistan_iran_followup.txt';
const FOLLOWUP = '005_adjudicated_followup.txt';
const DONE = { status: 'done' as const, modified: '2026-05-01T00:00:00.000Z' };

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}
const followup = () => path.join(root(), FOLLOWUP);

/** A layer of `annotator` with accepted entities (the first occurrence of each word), marked done; code point offsets. */
function writeLayer(annotator: string, marks: [string, string][]): void {
  const file = followup();
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const cps = Array.from(text);
  const stamp = '2026-05-01T00:00:00.000Z';
  const annotations: SidecarAnnotation[] = marks.map(([word, label], i) => {
    const at16 = text.indexOf(word);
    assert(at16 >= 0, `${word} not in ${FOLLOWUP}`);
    const start = Array.from(text.slice(0, at16)).length;
    const end = start + Array.from(word).length;
    return {
      id: `a${annotator}${i}`,
      kind: 'entity',
      label,
      start,
      end,
      text: word,
      prefix: cps.slice(Math.max(0, start - 32), start).join(''),
      suffix: cps.slice(end, end + 32).join(''),
      status: 'accepted',
      source: 'user',
      created: stamp,
      modified: stamp,
    };
  });
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const layer: Sidecar = { version: 1, annotator, document: { path: FOLLOWUP, sha256, length: cps.length }, offsets: 'codepoint', review: DONE, annotations };
  fs.writeFileSync(`${file}.ann.${annotator}.json`, JSON.stringify(layer, null, 2) + '\n');
}

function disagreements(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === PRODUCT_NAME && (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code) === DiagnosticCode.disagreement);
}
const dataOf = (d: vscode.Diagnostic) => (d as vscode.Diagnostic & { data?: DisagreementData }).data;

function gold(): Sidecar | undefined {
  const p = followup() + '.ann.json';
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as Sidecar) : undefined;
}

export const adjudicationTests: TestCase[] = [
  {
    name: 'Adjudicate Document shows the annotators\' disagreements and writes what they agree on',
    fn: async () => {
      fs.copyFileSync(path.join(root(), SOURCE), followup());
      writeLayer('alice', [['باكستان', 'LOC'], ['إيران', 'LOC'], ['جليل عباس جيلاني', 'PER'], ['جيش العدل', 'ORG'], ['إسلام آباد', 'LOC']]);
      writeLayer('bob', [['باكستان', 'LOC'], ['إيران', 'LOC'], ['جيلاني', 'PER'], ['جيش العدل', 'MISC']]);
      const uri = vscode.Uri.file(followup());
      const result = await vscode.commands.executeCommand<AdjudicateResult>(ClientCommand.adjudicateDocument, uri.toString());
      assert(result, 'Adjudicate Document returned nothing');
      assertEqual(result.annotators.join(','), 'alice,bob', 'annotators taking part');
      assertEqual(result.agreed, 2, 'spans both agree on (باكستان, إيران)');
      assertEqual(result.disagreements, 3, 'open disagreements');
      const written = gold();
      assert(written, 'the adjudicated sidecar was not written');
      assertEqual(written.annotations.filter((a) => a.source === 'agreement').map((a) => a.text).sort().join(' | '), ['إيران', 'باكستان'].sort().join(' | '), 'agreed spans');
      await waitFor(() => disagreements(uri).length === 3, () => `three disagreement diagnostics; got ${JSON.stringify(disagreements(uri).map((d) => d.message))}`, 30_000);
      const texts = disagreements(uri).map((d) => dataOf(d)?.text).sort();
      assertEqual(texts.join(' | '), ['إسلام آباد', 'جيش العدل', 'جليل عباس جيلاني'].sort().join(' | '), 'the disagreements');
      const editor = vscode.window.activeTextEditor;
      assert(editor && editor.document.uri.fsPath === uri.fsPath, 'the adjudicated document is the active editor');
    },
  },
  {
    name: "taking alice's reading through the quick fix writes it to the adjudicated sidecar",
    fn: async () => {
      const uri = vscode.Uri.file(followup());
      const jaish = disagreements(uri).find((d) => dataOf(d)?.text === 'جيش العدل');
      assert(jaish, 'no disagreement on جيش العدل');
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, jaish.range, vscode.CodeActionKind.QuickFix.value);
      const fixes = (actions ?? []).filter((a): a is vscode.CodeAction => 'kind' in a && !!a.command);
      const titles = fixes.map((a) => a.title);
      const take = fixes.find((a) => a.title.startsWith("Take alice's"));
      assert(take?.command, `no "Take alice's" quick fix: ${JSON.stringify(titles)}`);
      assert(titles.some((t) => t.startsWith("Take bob's")) && titles.includes('Reject all'), `quick fixes: ${JSON.stringify(titles)}`);
      await vscode.commands.executeCommand(take.command.command, ...(take.command.arguments ?? []));
      const taken = await waitFor(() => gold()?.annotations.find((a) => a.text === 'جيش العدل'), () => `جيش العدل in ${followup()}.ann.json: ${JSON.stringify(gold())}`, 15_000);
      assertEqual(taken.label, 'ORG', "alice's label");
      assertEqual(taken.source, 'adjudication:alice', 'source of a taken reading');
      assertEqual(taken.status, 'accepted', 'status');
      await waitFor(() => disagreements(uri).length === 2, () => `two disagreements left; got ${disagreements(uri).length}`, 20_000);
      assertEqual(fs.readFileSync(followup() + '.ann.alice.json', 'utf8').includes('"annotator": "alice"'), true, "alice's layer is untouched");
    },
  },
  {
    name: 'the Agreement view reports the pair, its figures and the document',
    fn: async () => {
      const report = await vscode.commands.executeCommand<AgreementResult>(ClientCommand.showAgreement);
      assert(report, 'showAgreement returned nothing');
      assertEqual(report.annotators.join(','), 'alice,bob', 'annotators');
      assertEqual(report.documents.compared, 1, 'documents compared');
      const pair = report.entity.spans.pairs[0];
      assertEqual(`${pair.micro.matched}/${pair.micro.spansA}/${pair.micro.spansB}`, '2/5/4', 'matched / spans of alice / spans of bob');
      assert(report.entity.tokens.cohen[0].kappa !== null, "Cohen's κ is computed");
      assertEqual(report.perDocument[0].document, FOLLOWUP, 'per-document row');
      assert(report.perDocument[0].uri?.endsWith(encodeURIComponent(FOLLOWUP).replace(/%2F/g, '/')) || report.perDocument[0].uri?.endsWith(FOLLOWUP), `uri of the row: ${report.perDocument[0].uri}`);
    },
  },
  {
    name: 'screenshot: adjudication with the Agreement view',
    fn: async () => {
      const uri = vscode.Uri.file(followup());
      const doc = await vscode.workspace.openTextDocument(uri);
      // Room for the Agreement view: the other views of the Explorer out of the way, the side bar wider.
      for (const view of ['outline', 'timeline', 'newsAnnotator.entities', 'newsAnnotator.reviewQueue']) {
        await vscode.commands.executeCommand(`${view}.removeView`).then(undefined, () => undefined);
      }
      await vscode.commands.executeCommand('newsAnnotator.agreement.focus');
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      // The editor has the focus: making it narrower widens the side bar.
      for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth').then(undefined, () => undefined);
      // The cursor on the last disagreement, its hover open (the readings), the top of the article in view.
      const last = disagreements(uri).sort((a, b) => a.range.start.compareTo(b.range.start)).pop();
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      if (last) editor.selection = new vscode.Selection(last.range.start.translate(0, 1), last.range.start.translate(0, 1));
      await sleep(800);
      if (last) await vscode.commands.executeCommand('editor.action.showHover');
      await sleep(1000);
      await requestScreenshot('adjudication');
    },
  },
];
