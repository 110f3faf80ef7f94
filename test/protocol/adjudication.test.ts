/**
 * Teams through the bundled server and CLI: adjudicating a document with two
 * annotator layers (`disagreement` diagnostics and their quick fixes, the
 * agreed spans written once, undo, the adjudicated review status), the
 * adjudication mode of the Review Queue, the agreement report equal to
 * `agree --json`, a server that annotates in its user's layer only (blind
 * by default), and `--annotator` for the CLI's export, stats and import.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import {
  Command,
  DiagnosticCode,
  Request,
  type AdjudicateResult,
  type AgreementResult,
  type DisagreementData,
  type DocumentAnnotationsResult,
  type LearnResult,
  type ResolveDisagreementResult,
  type ReviewQueueResult,
  type Sidecar,
  type SidecarAnnotation,
  type UndoResult,
} from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { cli, codeOf, command, indexed, makeWorkspace, open, type Session, startServer, uriOf } from './lspClient';

const SUMMIT = 'Leaders of NATO met in Vilnius with Volodymyr Zelensky on Tuesday.\nShare this story on Facebook.\n';
const SPORT = 'Arsenal beat Chelsea at the Emirates Stadium in London.\n';
const DONE = { status: 'done' as const, modified: '2026-05-01T00:00:00.000Z' };

type Mark = [word: string, label: string];

/** A layer file (or the adjudicated sidecar, annotator null) with accepted marks; `#category` marks boilerplate. */
function writeLayer(file: string, annotator: string | null, marks: Mark[], done = true): void {
  const text = fs.readFileSync(file, 'utf8');
  const annotations: SidecarAnnotation[] = marks.map(([word, label]) => {
    const at = text.indexOf(word);
    assert.ok(at >= 0, word);
    const fields = label.startsWith('#')
      ? { kind: 'boilerplate' as const, category: label.slice(1), status: 'accepted' as const, source: 'user' }
      : { kind: 'entity' as const, label, status: 'accepted' as const, source: 'user' };
    return createAnnotation(text, at, at + word.length, fields);
  });
  const s: Sidecar = { ...emptySidecar(path.basename(file), text), ...(annotator ? { annotator } : {}), annotations, ...(done ? { review: DONE } : {}) };
  fs.writeFileSync(file + (annotator ? `.ann.${annotator}.json` : '.ann.json'), serializeSidecar(s));
}

function readJson(p: string): Sidecar | null {
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as Sidecar) : null;
}

/** alice and bob on the summit article: agree on NATO; Vilnius (label), Zelensky (boundaries), Tuesday (only alice), the share line (only bob) differ. */
function teamCorpus(): string {
  const folder = makeWorkspace({ 'summit.txt': SUMMIT, 'sport.txt': SPORT });
  const summit = path.join(folder, 'summit.txt');
  writeLayer(summit, 'alice', [['NATO', 'ORG'], ['Vilnius', 'LOC'], ['Volodymyr Zelensky', 'PER'], ['Tuesday', 'MISC']]);
  writeLayer(summit, 'bob', [['NATO', 'ORG'], ['Vilnius', 'ORG'], ['Zelensky', 'PER'], ['Share this story on Facebook.', '#share']]);
  const sport = path.join(folder, 'sport.txt');
  writeLayer(sport, 'alice', [['Arsenal', 'ORG'], ['Chelsea', 'ORG'], ['London', 'LOC']]);
  writeLayer(sport, 'bob', [['Arsenal', 'ORG'], ['Chelsea', 'ORG'], ['London', 'LOC']]);
  return folder;
}

const disagreementsOf = (d: Diagnostic[]) => d.filter((x) => codeOf(x) === DiagnosticCode.disagreement);
const dataOf = (d: Diagnostic) => d.data as DisagreementData;
const byText = (d: Diagnostic[], text: string) => disagreementsOf(d).find((x) => dataOf(x).text === text);

async function fixesAt(s: Session, uri: string, d: Diagnostic): Promise<CodeAction[]> {
  return (await s.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: d.range.start, end: d.range.start },
    context: { diagnostics: [d] },
  })) as CodeAction[];
}

async function run(s: Session, a: CodeAction): Promise<unknown> {
  return command(s, a.command!.command, a.command!.arguments![0]);
}

describe('adjudicating a document with two annotator layers', () => {
  let folder: string;
  let s: Session;
  let uri: string;
  let summit: string;
  before(async () => {
    folder = teamCorpus();
    summit = path.join(folder, 'summit.txt');
    s = await startServer(folder);
    await indexed(s, 300);
    uri = await open(s, summit);
    await s.waitForDiagnostics(uri);
  });
  after(async () => s.close());

  it('shows no disagreement before Adjudicate Document, and never writes the adjudicated sidecar on its own', async () => {
    const d = await s.waitForDiagnostics(uri);
    assert.equal(disagreementsOf(d).length, 0);
    assert.equal(fs.existsSync(summit + '.ann.json'), false);
  });

  it('Adjudicate Document writes what both agree on (once) and shows every disagreement with each reading', async () => {
    const r = await command<AdjudicateResult>(s, Command.adjudicate, { uri });
    assert.deepEqual(r.annotators, ['alice', 'bob']);
    assert.deepEqual(r.notDone, []);
    assert.equal(r.agreed, 1, 'NATO ORG');
    assert.equal(r.disagreements, 4);
    assert.ok(r.batch !== null, 'one undoable batch');
    const gold = readJson(summit + '.ann.json')!;
    assert.equal(gold.annotator, undefined, 'the adjudicated sidecar names no annotator');
    assert.deepEqual(gold.annotations.map((a) => [a.text, a.label, a.status, a.source]), [['NATO', 'ORG', 'accepted', 'agreement']]);

    const d = await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 4);
    const texts = disagreementsOf(d).map((x) => dataOf(x).text);
    assert.deepEqual(texts, ['Vilnius', 'Volodymyr Zelensky', 'Tuesday', 'Share this story on Facebook.']);
    const vilnius = dataOf(byText(d, 'Vilnius')!);
    assert.equal(vilnius.annotationKind, 'entity');
    assert.deepEqual(vilnius.readings.map((x) => [x.annotator, x.spans.map((sp) => `${sp.label} ${sp.text}`)]), [['alice', ['LOC Vilnius']], ['bob', ['ORG Vilnius']]]);
    const boundaries = dataOf(byText(d, 'Volodymyr Zelensky')!);
    assert.deepEqual(boundaries.readings.map((x) => x.spans.map((sp) => sp.text)), [['Volodymyr Zelensky'], ['Zelensky']], 'different boundaries: one disagreement');
    assert.deepEqual(dataOf(byText(d, 'Tuesday')!).readings.map((x) => x.spans.length), [1, 0], 'missing in bob');
    assert.equal(dataOf(byText(d, 'Share this story on Facebook.')!).annotationKind, 'boilerplate');
    const cp = [...SUMMIT];
    for (const x of disagreementsOf(d)) assert.equal(cp.slice(dataOf(x).start, dataOf(x).end).join(''), dataOf(x).text, 'code point offsets');
    assert.match(String(byText(d, 'Vilnius')!.message), /alice: LOC "Vilnius"; bob: ORG "Vilnius"/);

    const annotations = (await s.connection.sendRequest(Request.documentAnnotations.method, { uri })) as DocumentAnnotationsResult;
    assert.equal(annotations.layer, null);
    assert.equal(annotations.adjudicating, true);
    assert.equal(annotations.disagreements, 4);
    assert.deepEqual(annotations.otherLayers?.map((l) => l.annotator), ['alice', 'bob'], 'the adjudicator sees the layers');
  });

  it("offers Take <annotator>'s, Reject all and Annotate selection; taking alice's writes the adjudicated sidecar", async () => {
    const d = await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 4);
    const actions = await fixesAt(s, uri, byText(d, 'Vilnius')!);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Take alice's: LOC "Vilnius"`), titles.join(' | '));
    assert.ok(titles.includes(`Take bob's: ORG "Vilnius"`));
    assert.ok(titles.includes('Reject all'));
    assert.ok(titles.some((t) => /^Annotate "Vilnius" as PER \(a third reading\)$/.test(t)), titles.join(' | '));
    assert.ok(!titles.some((t) => t.startsWith('Take both')), 'the readings overlap: no "Take both"');
    const r = (await run(s, actions.find((a) => a.title.startsWith("Take alice's"))!)) as ResolveDisagreementResult;
    assert.equal(r.remaining, 3);
    const gold = readJson(summit + '.ann.json')!;
    const v = gold.annotations.find((a) => a.text === 'Vilnius')!;
    assert.deepEqual([v.label, v.status, v.source], ['LOC', 'accepted', 'adjudication:alice']);
    await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 3 && !byText(x, 'Vilnius'));
  });

  it('the agreed spans are written once: adjudicating again writes nothing', async () => {
    const r = await command<AdjudicateResult>(s, Command.adjudicate, { uri });
    assert.equal(r.agreed, 0);
    assert.equal(r.batch, null);
    assert.equal(r.disagreements, 3);
    const gold = readJson(summit + '.ann.json')!;
    assert.equal(gold.annotations.filter((a) => a.text === 'NATO').length, 1);
  });

  it('undo and redo a resolution', async () => {
    const u = await command<UndoResult>(s, Command.undo);
    assert.match(u.description ?? '', /Take alice's reading/);
    assert.equal(readJson(summit + '.ann.json')!.annotations.some((a) => a.text === 'Vilnius'), false);
    await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 4);
    await command<UndoResult>(s, Command.redo);
    assert.equal(readJson(summit + '.ann.json')!.annotations.find((a) => a.text === 'Vilnius')?.label, 'LOC');
    await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 3);
  });

  it('a third reading settles a disagreement; the last one makes the adjudicated review status done', async () => {
    let d = await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 3);
    // Zelensky: a third reading through "Annotate selection".
    const zel = byText(d, 'Volodymyr Zelensky')!;
    const third = (await fixesAt(s, uri, zel)).find((a) => a.title === 'Annotate "Volodymyr Zelensky" as MISC (a third reading)')!;
    assert.ok(third, 'annotate the extent as MISC');
    await run(s, third);
    d = await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 2);
    assert.notEqual(readJson(summit + '.ann.json')!.review?.status, 'done');
    // Tuesday: reject all (bob marked nothing there).
    const tue = (await fixesAt(s, uri, byText(d, 'Tuesday')!)).find((a) => a.title.startsWith('Reject all'))!;
    assert.equal(tue.title, 'Reject all (as bob: nothing here)');
    await run(s, tue);
    d = await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 1);
    // The share line: take bob's (boilerplate).
    const share = (await fixesAt(s, uri, byText(d, 'Share this story on Facebook.')!)).find((a) => a.title.startsWith("Take bob's"))!;
    const r = (await run(s, share)) as ResolveDisagreementResult;
    assert.equal(r.remaining, 0);
    assert.equal(r.review, 'done');
    await s.waitForDiagnostics(uri, (x) => disagreementsOf(x).length === 0);
    const gold = readJson(summit + '.ann.json')!;
    assert.equal(gold.review?.status, 'done');
    const by = new Map(gold.annotations.map((a) => [a.text, a]));
    assert.deepEqual([by.get('Volodymyr Zelensky')?.label, by.get('Volodymyr Zelensky')?.source], ['MISC', 'user']);
    assert.deepEqual([by.get('Tuesday')?.status, by.get('Tuesday')?.label], ['rejected', 'MISC']);
    assert.deepEqual([by.get('Share this story on Facebook.')?.kind, by.get('Share this story on Facebook.')?.category], ['boilerplate', 'share']);
    // The annotators' layers are untouched.
    assert.equal(readJson(summit + '.ann.alice.json')!.annotations.length, 4);
    assert.equal(readJson(summit + '.ann.bob.json')!.annotations.length, 4);
    // Undoing the last resolution takes the status back.
    await command<UndoResult>(s, Command.undo);
    assert.equal(readJson(summit + '.ann.json')!.review?.status, 'in-progress');
    await command<UndoResult>(s, Command.redo);
    assert.equal(readJson(summit + '.ann.json')!.review?.status, 'done');
  });

  it('a layer changed on disk (a colleague pulled) is compared again: a new agreement is pending, not written behind the user', async () => {
    // bob now marks "Monday"-less text differently: he also marks "Tuesday" as MISC (already decided) and "Leaders" (new) as MISC with alice.
    writeLayer(summit, 'alice', [['NATO', 'ORG'], ['Vilnius', 'LOC'], ['Volodymyr Zelensky', 'PER'], ['Tuesday', 'MISC'], ['Leaders', 'MISC']]);
    writeLayer(summit, 'bob', [['NATO', 'ORG'], ['Vilnius', 'ORG'], ['Zelensky', 'PER'], ['Share this story on Facebook.', '#share'], ['Leaders', 'MISC']]);
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(summit + '.ann.alice.json'), type: 2 }, { uri: uriOf(summit + '.ann.bob.json'), type: 2 }] });
    const q = await waitForQueue(s, (x) => x.documents.some((doc) => doc.uri.endsWith('summit.txt') && doc.adjudication?.pendingAgreements === 1));
    const row = q.documents.find((doc) => doc.uri.endsWith('summit.txt'))!;
    assert.equal(row.adjudication!.disagreements, 0);
    assert.equal(readJson(summit + '.ann.json')!.annotations.some((a) => a.text === 'Leaders'), false, 'nothing written without the user');
    const r = await command<AdjudicateResult>(s, Command.adjudicate, { uri });
    assert.equal(r.agreed, 1);
    assert.equal(readJson(summit + '.ann.json')!.annotations.find((a) => a.text === 'Leaders')?.source, 'agreement');
  });

  it('Stop Adjudicating takes the document back to the layer worked in', async () => {
    await command(s, Command.stopAdjudicating, { uri });
    const annotations = (await s.connection.sendRequest(Request.documentAnnotations.method, { uri })) as DocumentAnnotationsResult;
    assert.equal(annotations.adjudicating, false);
    assert.equal(annotations.otherLayers, undefined, 'blind again: the layers are not shown');
    await assert.rejects(command(s, Command.resolveDisagreement, { uri, annotationKind: 'entity', start: 0, end: 1, action: 'reject-all' }), /not being adjudicated/);
  });

  it('refuses to adjudicate a document with fewer than two layers', async () => {
    const solo = path.join(folder, 'solo.txt');
    fs.writeFileSync(solo, 'Ann met Bob.\n');
    writeLayer(solo, 'alice', [['Ann', 'PER']]);
    const u = await open(s, solo);
    await assert.rejects(command(s, Command.adjudicate, { uri: u }), /two or more annotators; solo\.txt has only alice's/);
    await assert.rejects(command(s, Command.adjudicate, { uri, annotators: ['alice', 'nobody'] }), /no layer of nobody/);
  });
});

async function waitForQueue(s: Session, until: (q: ReviewQueueResult) => boolean): Promise<ReviewQueueResult> {
  let last: ReviewQueueResult | undefined;
  for (let i = 0; i < 100; i++) {
    last = (await s.connection.sendRequest(Request.reviewQueue.method, { mode: 'adjudication' })) as ReviewQueueResult;
    if (until(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the adjudication queue never matched: ${JSON.stringify(last)}`);
}

describe('the adjudication queue and the agreement report', () => {
  let folder: string;
  let s: Session;
  before(async () => {
    folder = teamCorpus();
    s = await startServer(folder);
    await indexed(s, 300);
  });
  after(async () => s.close());

  it('adjudication mode lists the documents with open disagreements first, with their counts', async () => {
    const q = await waitForQueue(s, () => true);
    assert.equal(q.mode, 'adjudication');
    assert.deepEqual(q.documents.map((d) => path.basename(new URL(d.uri).pathname)), ['summit.txt', 'sport.txt']);
    assert.deepEqual(q.documents.map((d) => [d.adjudication?.disagreements, d.adjudication?.pendingAgreements]), [[4, 1], [0, 3]]);
    assert.deepEqual(q.documents[0].adjudication?.annotators, ['alice', 'bob']);
    assert.deepEqual(q.progress, { done: 0, inProgress: 0, todo: 2, total: 2 });
    const review = (await s.connection.sendRequest(Request.reviewQueue.method, { mode: 'review' })) as ReviewQueueResult;
    assert.equal(review.mode, 'review');
    assert.equal(review.documents[0].adjudication, undefined);
  });

  it('the agreement report equals agree --json on the same corpus, with a URI per document', async () => {
    const report = (await s.connection.sendRequest(Request.agreement.method, {})) as AgreementResult;
    const r = cli('agree', '--json', folder);
    assert.equal(r.status, 0, r.stderr);
    const fromCli = JSON.parse(r.stdout) as AgreementResult;
    assert.deepEqual(report.entity, fromCli.entity);
    assert.deepEqual(report.boilerplate, fromCli.boilerplate);
    assert.deepEqual(report.documents, fromCli.documents);
    assert.deepEqual(report.perDocument.map((d) => d.document).sort(), ['sport.txt', 'summit.txt']);
    for (const d of report.perDocument) assert.equal(d.uri, uriOf(path.join(folder, d.document)));
    // summit: NATO of 4 and 4 spans; sport: 3 of 3.
    assert.deepEqual([report.entity.spans.allPairs.micro.matched, report.entity.spans.allPairs.micro.spansA, report.entity.spans.allPairs.micro.spansB], [4, 7, 6]);
    const onlyOrg = (await s.connection.sendRequest(Request.agreement.method, { labels: ['ORG'], all: true })) as AgreementResult;
    assert.deepEqual(onlyOrg.labels, ['ORG']);
    assert.equal(onlyOrg.selection, 'all');
  });
});

describe('a server that annotates as one annotator', () => {
  let folder: string;
  let summit: string;
  before(() => {
    folder = teamCorpus();
    summit = path.join(folder, 'summit.txt');
    writeLayer(summit, null, [['NATO', 'ORG']], false);
  });

  it('writes only its layer (with "annotator"), keeps its own review status, and hides the other layers', async () => {
    const goldBefore = fs.readFileSync(summit + '.ann.json', 'utf8');
    const aliceBefore = fs.readFileSync(summit + '.ann.alice.json', 'utf8');
    const settings: Record<string, unknown> = { annotator: 'carol' };
    const s = await startServer(folder, settings);
    try {
      await indexed(s, 300);
      const uri = await open(s, summit);
      await s.waitForDiagnostics(uri);
      let annotations = (await s.connection.sendRequest(Request.documentAnnotations.method, { uri })) as DocumentAnnotationsResult;
      assert.equal(annotations.layer, 'carol');
      assert.deepEqual(annotations.annotations, [], "carol sees her (empty) layer, not the adjudicated sidecar's NATO");
      assert.equal(annotations.otherLayers, undefined, 'blind annotation');
      await command(s, Command.annotateRange, { uri, label: 'LOC', range: { start: { line: 0, character: 23 }, end: { line: 0, character: 30 } } });
      await command(s, Command.setReviewStatus, { uri, status: 'done' });
      const carol = readJson(summit + '.ann.carol.json')!;
      assert.equal(carol.annotator, 'carol');
      assert.deepEqual(carol.annotations.map((a) => [a.text, a.label]), [['Vilnius', 'LOC']]);
      assert.equal(carol.review?.status, 'done');
      assert.equal(fs.readFileSync(summit + '.ann.json', 'utf8'), goldBefore, 'the adjudicated sidecar is untouched');
      assert.equal(fs.readFileSync(summit + '.ann.alice.json', 'utf8'), aliceBefore, "alice's layer is untouched");
      // Suggestions hide what carol decided: no entity suggestion on Vilnius any more.
      const d = await s.waitForDiagnostics(uri, (x) => !x.some((y) => codeOf(y) === DiagnosticCode.entity && (y.data as { text?: string }).text === 'Vilnius'));
      assert.ok(d);
      annotations = (await s.connection.sendRequest(Request.documentAnnotations.method, { uri })) as DocumentAnnotationsResult;
      assert.equal(annotations.review, 'done');
      // The Review Queue counts carol's status, not the adjudicated one.
      const q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
      assert.equal(q.documents.find((x) => x.uri === uri)?.status, 'done');
      // Showing the other layers is a setting (the test client answers configuration requests with this object).
      settings.showOtherAnnotators = true;
      await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { newsAnnotator: settings } });
      for (let i = 0; i < 50 && !annotations.otherLayers; i++) {
        await new Promise((r) => setTimeout(r, 100));
        annotations = (await s.connection.sendRequest(Request.documentAnnotations.method, { uri })) as DocumentAnnotationsResult;
      }
      assert.deepEqual(annotations.otherLayers?.map((l) => l.annotator), ['alice', 'bob', null]);
      assert.deepEqual(annotations.otherLayers?.[2].annotations.map((a) => a.text), ['NATO']);
    } finally {
      await s.close();
    }
  });

  it('a refused annotator name writes nothing at all (not the adjudicated sidecar), and says why', async () => {
    const goldBefore = fs.readFileSync(summit + '.ann.json', 'utf8');
    const s = await startServer(folder, { annotator: 'carol smith' });
    try {
      await indexed(s, 300);
      const uri = await open(s, summit);
      await s.waitForDiagnostics(uri);
      await assert.rejects(
        command(s, Command.annotateRange, { uri, label: 'LOC', range: { start: { line: 0, character: 23 }, end: { line: 0, character: 30 } } }),
        /newsAnnotator\.annotator "carol smith" is not an annotator name/,
      );
      assert.equal(fs.readFileSync(summit + '.ann.json', 'utf8'), goldBefore);
      assert.ok(s.messages.some((m) => /annotator: "carol smith" is not an annotator name/.test(m.message)), 'the refused setting is reported');
    } finally {
      await s.close();
    }
  });
});

describe('Learn from Annotations and the layers', () => {
  it('learns from the layer worked in, and from the annotators\' layers only when asked', async () => {
    const folder = teamCorpus();
    writeLayer(path.join(folder, 'sport.txt'), null, [['London', 'LOC']], false);
    const s = await startServer(folder);
    try {
      await indexed(s, 300);
      const own = await command<LearnResult>(s, Command.learn);
      assert.deepEqual([own.documents, own.annotations], [1, 1], 'the adjudicated layer: London in sport.txt');
      const all = await command<LearnResult>(s, Command.learn, { includeAnnotatorLayers: true });
      // sport.txt: the adjudicated London + alice's 3 + bob's 3; summit.txt: alice's 4 + bob's 3 entities.
      assert.deepEqual([all.documents, all.annotations], [2, 14]);
    } finally {
      await s.close();
    }
  });
});

describe('the CLI reads the layer asked for', () => {
  let folder: string;
  before(() => {
    folder = teamCorpus();
  });

  const exported = (dir: string): { label: [number, number, string][] }[] =>
    fs.readFileSync(path.join(dir, 'annotations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  it('export --annotator NAME exports that layer; without an adjudicated sidecar and two annotators it warns', () => {
    const out = makeWorkspace({});
    const r = cli('export', '--format', 'jsonl', '--annotator', 'bob', '--json', '--out', out, folder);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).annotator, 'bob');
    const summit = exported(out).find((d) => JSON.stringify(d).includes('Leaders of NATO'))!;
    const vil = SUMMIT.indexOf('Vilnius');
    assert.ok(summit.label.some(([st, en, l]) => st === vil && en === vil + 7 && l === 'ORG'), "bob's label for Vilnius");

    const def = makeWorkspace({});
    const d = cli('export', '--format', 'jsonl', '--out', def, folder);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stderr, /no adjudicated sidecar among the inputs, and layers of 2 annotators \(alice, bob\)/);
    assert.ok(exported(def).every((x) => x.label.length === 0), 'the adjudicated layer is empty');
    assert.equal(cli('export', '--format', 'jsonl', '--annotator', 'a b', '--out', def, folder).status, 2);
    assert.equal(cli('export', '--format', 'jsonl', '--annotator', 'bob', '--adjudicated', '--out', def, folder).status, 2);
  });

  it('the default is the adjudicated layer when there is one, or the only layer there is', () => {
    const solo = makeWorkspace({ 'a.txt': SPORT });
    writeLayer(path.join(solo, 'a.txt'), 'alice', [['Arsenal', 'ORG']]);
    const out = makeWorkspace({});
    const r = cli('export', '--format', 'jsonl', '--json', '--out', out, solo);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).annotator, 'alice');
    assert.match(r.stderr, /reading the only annotator layer there is, alice's/);
    assert.deepEqual(exported(out)[0].label, [[0, 7, 'ORG']]);
    writeLayer(path.join(solo, 'a.txt'), null, [['London', 'LOC']]);
    const gold = makeWorkspace({});
    const g = cli('export', '--format', 'jsonl', '--json', '--out', gold, solo);
    assert.equal(JSON.parse(g.stdout).annotator, null);
    assert.equal(g.stderr, '');
    assert.deepEqual(exported(gold)[0].label.map((x) => x[2]), ['LOC']);
  });

  it('stats --annotator counts that layer; --adjudicated the adjudicated one', () => {
    const r = cli('stats', '--json', '--annotator', 'alice', folder);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.annotator, 'alice');
    assert.deepEqual(s.entities.accepted, { ORG: 3, LOC: 2, PER: 1, MISC: 1 });
    assert.equal(s.documents.done, 2);
    const b = JSON.parse(cli('stats', '--json', '--annotator', 'bob', folder).stdout);
    assert.deepEqual(b.boilerplate.accepted, { share: 1 });
    const g = JSON.parse(cli('stats', '--json', '--adjudicated', folder).stdout);
    assert.equal(g.annotator, null);
    assert.deepEqual(g.entities.accepted, {});
  });

  it('import --annotator writes into that layer', () => {
    const at = SPORT.indexOf('London');
    const brat = makeWorkspace({ 'sport.txt': SPORT, 'sport.ann': `T1\tLOC ${at} ${at + 6}\tLondon\n` });
    const r = cli('import', '--format', 'brat', '--into', folder, '--annotator', 'dave', '--json', brat);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).annotator, 'dave');
    const dave = readJson(path.join(folder, 'sport.txt.ann.dave.json'))!;
    assert.equal(dave.annotator, 'dave');
    assert.deepEqual(dave.annotations.map((a) => [a.text, a.label, a.source]), [['London', 'LOC', 'import:brat']]);
    assert.equal(fs.existsSync(path.join(folder, 'sport.txt.ann.json')), false, 'no adjudicated sidecar written');
  });
});
