/**
 * The corpus as the unit of work, through the bundled server and CLI: the
 * CLI and the editor flag the same spans; review status; the review queue;
 * inconsistent labels and their fixes; corpus-wide decisions with undo and
 * redo; document-wide accept and reject; command arguments checked at the door.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import {
  Command,
  DiagnosticCode,
  Request,
  type BatchResult,
  type BoilerplateDiagnosticData,
  type EntityDiagnosticData,
  type FindMentionsResult,
  type InconsistentLabelData,
  type ReviewQueueResult,
  type UndoResult,
} from '../../server/src/protocol';
import { cli, codeOf, command, indexed, makeWorkspace, open, ROOT, SAMPLE, SAMPLE_NAME, type Session, sidecar, startServer, uriOf } from './lspClient';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'workspace');
const FOOTER = 'تابعونا على تلغرام للمزيد من الأخبار العاجلة';

/** The fixture corpus plus three short articles sharing a site footer with the others (a `repeated` block). */
function corpus(): string {
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.txt'))) files[f] = fs.readFileSync(path.join(FIXTURES, f), 'utf8') + `\n${FOOTER}\n`;
  files['010_tehran.txt'] = `قال متحدث باسم الخارجية في طهران إن إيران ترحب بالحوار مع باكستان.\n\n${FOOTER}\n`;
  files['011_talks.txt'] = `التقى وزير خارجية إيران بنظيره الباكستاني جليل عباس جيلاني في إسلام آباد.\n\n${FOOTER}\n`;
  files['012_border.txt'] = `أعلنت إيران وباكستان عن دوريات مشتركة على الحدود.\n\n${FOOTER}\n`;
  return makeWorkspace(files);
}

const entitiesOf = (d: Diagnostic[]) => d.filter((x) => codeOf(x) === DiagnosticCode.entity).map((x) => x.data as EntityDiagnosticData);
const boilerplateOf = (d: Diagnostic[]) => d.filter((x) => codeOf(x) === DiagnosticCode.boilerplate).map((x) => x.data as BoilerplateDiagnosticData);
const key = (xs: { start: number; end: number; label?: string; category?: string }[]) => xs.map((x) => `${x.start}-${x.end}:${x.label ?? x.category}`).sort();

describe('one Workspace: the CLI and the server flag the same spans', () => {
  let folder: string;
  before(async () => {
    folder = corpus();
    // Decisions made through the server: an accepted and a rejected entity, and a corpus-wide boilerplate decision.
    const s = await startServer(folder);
    try {
      await indexed(s);
      const sample = path.join(folder, SAMPLE_NAME);
      const uri = await open(s, sample);
      const d = await s.waitForDiagnostics(uri, (x) => entitiesOf(x).length > 3);
      const iran = entitiesOf(d).find((e) => e.text === 'إيران')!;
      await command(s, Command.accept, { uri, ...iran, kind: 'entity' });
      const other = entitiesOf(d).find((e) => e.text !== 'إيران' && e.label === 'PER')!;
      await command(s, Command.reject, { uri, ...other, kind: 'entity' });
      const line = fs.readFileSync(sample, 'utf8').split('\n').find((l) => l.includes('اثنان × خمسة'))!.trim();
      const r = await command<BatchResult>(s, Command.applyEverywhere, { text: line, boilerplate: false });
      assert.ok(r.documents >= 1);
    } finally {
      await s.close();
    }
  });

  it('annotate --json, export --include-suggestions and the server agree on every file', async () => {
    const annotate = cli('annotate', '--json', folder);
    assert.equal(annotate.status, 0, annotate.stderr);
    const byCli = new Map<string, { entities: { start: number; end: number; label: string }[]; boilerplate: { start: number; end: number; category: string }[] }>();
    for (const line of annotate.stdout.trim().split('\n')) {
      const r = JSON.parse(line);
      byCli.set(path.basename(r.file), r);
    }
    const out = makeWorkspace({});
    const exp = cli('export', '--format', 'jsonl', '--include-suggestions', '--out', out, folder);
    assert.equal(exp.status, 0, exp.stderr);
    const exported = new Map<string, { label: [number, number, string][]; boilerplate: [number, number, string][] }>();
    for (const line of fs.readFileSync(path.join(out, 'annotations.jsonl'), 'utf8').trim().split('\n')) {
      const r = JSON.parse(line);
      exported.set(path.basename(r.name ?? r.id), r);
    }
    const s = await startServer(folder);
    try {
      await indexed(s);
      const names = fs.readdirSync(folder).filter((n) => n.endsWith('.txt')).sort();
      assert.equal(byCli.size, names.length);
      let repeated = 0;
      for (const name of names) {
        const file = path.join(folder, name);
        const uri = await open(s, file);
        const d = await s.waitForDiagnostics(uri);
        const c = byCli.get(name)!;
        assert.deepEqual(key(entitiesOf(d)), key(c.entities), `${name}: entity suggestions, server vs annotate`);
        assert.deepEqual(key(boilerplateOf(d)), key(c.boilerplate), `${name}: boilerplate, server vs annotate`);
        repeated += boilerplateOf(d).filter((b) => b.category === 'repeated').length;
        const accepted = (sidecar(file)?.annotations ?? []).filter((a) => a.status === 'accepted');
        const ex = exported.get(name)!;
        const expectedEntities = [...entitiesOf(d), ...accepted.filter((a) => a.kind === 'entity')];
        assert.deepEqual(ex.label.map(([st, en, l]) => `${st}-${en}:${l}`).sort(), key(expectedEntities), `${name}: export entities = accepted + server suggestions`);
      }
      assert.ok(repeated >= 3, 'the footer shared by the corpus is flagged as repeated');
    } finally {
      await s.close();
    }
  });
});

describe('the review loop through the server', () => {
  let s: Session;
  let folder: string;
  before(async () => {
    folder = corpus();
    s = await startServer(folder);
    await indexed(s);
  });
  after(() => s.close());

  it('a first decision makes a document in-progress; Mark Done makes it done; the queue puts it last', async () => {
    const file = path.join(folder, '010_tehran.txt');
    const uri = await open(s, file);
    const d = await s.waitForDiagnostics(uri, (x) => entitiesOf(x).length > 0);
    assert.equal(sidecar(file), null);
    const first = entitiesOf(d)[0];
    await command(s, Command.accept, { uri, ...first, kind: 'entity' });
    assert.equal(sidecar(file)!.review?.status, 'in-progress');
    assert.match(sidecar(file)!.review!.modified ?? "", /^\d{4}-\d\d-\d\dT/);
    const state = await command<{ status: string }>(s, Command.setReviewStatus, { uri, status: 'done' });
    assert.equal(state.status, 'done');
    assert.equal(sidecar(file)!.review?.status, 'done');
    const q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
    assert.equal(q.documents.at(-1)!.uri, uri, 'the done document comes last');
    assert.equal(q.progress.done, 1);
    assert.equal(q.progress.total, 6);
    const notDone = q.documents.filter((x) => x.status !== 'done');
    for (let i = 1; i < notDone.length; i++) assert.ok(notDone[i - 1].priority >= notDone[i].priority, 'queue order: most in need first');
    assert.equal(q.matching, 6);
  });

  it("an open document's queue counts are the suggestions the editor shows", async () => {
    const file = path.join(folder, SAMPLE_NAME);
    const uri = await open(s, file);
    const d = await s.waitForDiagnostics(uri, (x) => entitiesOf(x).length > 0);
    const q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
    const row = q.documents.find((x) => x.uri === uri)!;
    assert.equal(row.exact, true);
    assert.equal(row.openSuggestions, entitiesOf(d).length + boilerplateOf(d).length);
    // In the background the other documents get exact figures too.
    for (let i = 0; i < 100; i++) {
      const again = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
      if (again.documents.filter((x) => x.status !== 'done').every((x) => x.exact)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail('the queue never became exact for every document');
  });

  it('sends the top of the queue alone when asked for a limit, with the count of the whole queue', async () => {
    // Exact figures everywhere by now (previous test): the order holds still between requests.
    const q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
    for (const limit of [1, 2, 5, 6, 50]) {
      const top = (await s.connection.sendRequest(Request.reviewQueue.method, { limit })) as ReviewQueueResult;
      assert.deepEqual(
        top.documents.map((x) => x.uri),
        q.documents.slice(0, limit).map((x) => x.uri),
        `the first ${limit}`,
      );
      assert.equal(top.matching, q.documents.length);
    }
  });

  it('finds every mention of a name across the corpus, accepts them in one batch, undoes and redoes it', async () => {
    const found = (await s.connection.sendRequest(Request.findMentions.method, { text: 'إيران', label: 'LOC' })) as FindMentionsResult;
    assert.ok(found.files.length >= 4, `mentions in ${found.files.length} files`);
    const mentions = found.files.flatMap((f) => f.mentions.filter((m) => !m.existing).map((m) => ({ uri: f.uri, start: m.start, end: m.end, text: m.text })));
    for (const m of mentions) assert.equal(m.text.replace(/[أإآ]/g, 'ا'), 'ايران', 'proclitics are left outside');
    const r = await command<BatchResult>(s, Command.applyMentions, { action: 'accept', label: 'LOC', mentions });
    assert.equal(r.annotations, mentions.length);
    const tehran = path.join(folder, '012_border.txt');
    const has = () => (sidecar(tehran)?.annotations ?? []).some((a) => a.text === 'إيران' && a.label === 'LOC' && a.status === 'accepted');
    assert.ok(has(), 'written to a document that is not open');
    const u = await command<UndoResult>(s, Command.undo);
    assert.equal(u.batch, r.batch);
    assert.match(u.description!, /Annotate \d+ mention/);
    assert.ok(!has(), 'undone in the sidecar');
    await command<UndoResult>(s, Command.redo);
    assert.ok(has(), 'redone');
    // Every sidecar stays valid JSON of the schema's shape.
    for (const n of fs.readdirSync(folder).filter((x) => x.endsWith('.ann.json'))) JSON.parse(fs.readFileSync(path.join(folder, n), 'utf8'));
  });

  it('flags a minority label with inconsistent-label, and its fixes relabel here or everywhere', async () => {
    const file = path.join(folder, '011_talks.txt');
    const uri = await open(s, file);
    const d = await s.waitForDiagnostics(uri);
    const accepted = (sidecar(file)?.annotations ?? []).find((a) => a.text === 'إيران' && a.status === 'accepted');
    assert.ok(accepted, 'accepted as LOC by the corpus batch');
    await command(s, Command.accept, { uri, start: accepted.start, end: accepted.end, text: accepted.text, kind: 'entity', label: 'ORG' });
    const flagged = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.inconsistentLabel));
    const diag = flagged.find((y) => codeOf(y) === DiagnosticCode.inconsistentLabel)!;
    const data = diag.data as InconsistentLabelData;
    assert.equal(data.label, 'ORG');
    assert.equal(data.majority, 'LOC');
    assert.ok(data.counts.LOC.mentions >= 3 && data.counts.ORG.mentions === 1, JSON.stringify(data.counts));
    const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string; command?: { command: string; arguments: unknown[] } }[];
    assert.ok(actions.some((a) => a.title === 'Relabel as LOC here'));
    const all = actions.find((a) => a.command?.command === Command.relabelName)!;
    assert.match(all.title, /Relabel all 1 ORG mention of "إيران" as LOC/);
    await s.connection.sendRequest('workspace/executeCommand', all.command!);
    await s.waitForDiagnostics(uri, (x) => !x.some((y) => codeOf(y) === DiagnosticCode.inconsistentLabel));
    assert.equal(cli('check', folder).status, 0, 'consistent again for the CLI check');
    void d;
  });

  it('accepts all suggestions of a document above a confidence, and rejects all remaining, each as one undo step', async () => {
    const file = path.join(folder, '001_pakistan_iran_followup.txt');
    const uri = await open(s, file);
    const d = await s.waitForDiagnostics(uri, (x) => entitiesOf(x).length > 2);
    const sure = entitiesOf(d).filter((e) => e.confidence >= 0.9).length;
    const r = await command<BatchResult>(s, Command.acceptAll, { uri, minConfidence: 0.9 });
    assert.equal(r.annotations, sure);
    const left = await s.waitForDiagnostics(uri, (x) => entitiesOf(x).every((e) => e.confidence < 0.9));
    const rest = entitiesOf(left).length;
    const rj = await command<BatchResult>(s, Command.rejectAll, { uri });
    assert.equal(rj.annotations, rest);
    await s.waitForDiagnostics(uri, (x) => entitiesOf(x).length === 0);
    await command(s, Command.undo);
    await s.waitForDiagnostics(uri, (x) => entitiesOf(x).length === rest);
  });

  it('refuses malformed command arguments and labels from nowhere with a clear error, writing nothing', async () => {
    const file = path.join(folder, '002_border_talks_en.txt');
    const uri = await open(s, file);
    await s.waitForDiagnostics(uri);
    const before = sidecar(file);
    const attempts: [string, unknown, RegExp][] = [
      [Command.accept, { uri, start: 0, end: 5, text: 'Talks', kind: 'entity', label: 'NOTALABEL' }, /not one of the labels/],
      [Command.accept, { uri, start: 0, end: 5, text: 'Talks', kind: 'entity', label: 'L'.repeat(1001) }, /label: expected a string of 1–40/],
      [Command.accept, { uri, start: 'x', end: 5, text: 'Talks', kind: 'entity', label: 'PER' }, /start: expected a whole number/],
      [Command.annotateRange, { uri, label: 'PER' }, /range: required/],
      [Command.annotateRange, 'hello', /expected an object/],
      [Command.accept, { uri, start: 100000, end: 100005, text: 'nowhere-in-this-text', kind: 'entity', label: 'PER' }, /not in the document/],
      [Command.applyMentions, { action: 'accept', label: 'PER', mentions: [{ uri, start: -1, end: 2, text: 'x' }] }, /start: expected a whole number/],
      [Command.setReviewStatus, { uri, status: 'finished' }, /status: expected one of/],
    ];
    for (const [cmd, arg, message] of attempts) {
      await assert.rejects(command(s, cmd, arg), (e: Error) => message.test(e.message), `${cmd} ${JSON.stringify(arg).slice(0, 80)}`);
    }
    assert.deepEqual(sidecar(file), before, 'nothing written');
  });

  it('stats --json counts what the sidecars hold', () => {
    const r = cli('stats', '--json', folder);
    assert.equal(r.status, 0, r.stderr);
    const st = JSON.parse(r.stdout);
    let accepted = 0;
    let rejected = 0;
    const statuses = { todo: 0, inProgress: 0, done: 0 };
    for (const n of fs.readdirSync(folder).filter((x) => x.endsWith('.txt'))) {
      const sc = sidecar(path.join(folder, n));
      const status = sc?.review?.status ?? 'todo';
      statuses[status === 'in-progress' ? 'inProgress' : status]++;
      for (const a of sc?.annotations ?? []) {
        if (a.kind !== 'entity') continue;
        if (a.status === 'accepted') accepted++;
        else rejected++;
      }
    }
    const sum = (o: Record<string, number>) => Object.values(o).reduce((x, y) => x + y, 0);
    assert.equal(sum(st.entities.accepted), accepted);
    assert.equal(sum(st.entities.rejected), rejected);
    assert.deepEqual({ todo: st.documents.todo, inProgress: st.documents.inProgress, done: st.documents.done }, statuses);
    assert.equal(st.documents.total, 6);
    assert.ok(st.sources.tagger || st.sources.gazetteer, 'per-detector precision from the users’ decisions');
  });
});

describe('check', () => {
  it('exits 1 and names the minority mentions of an inconsistent name; --json for CI', async () => {
    const folder = corpus();
    const s = await startServer(folder);
    try {
      await indexed(s);
      for (const [name, label] of [['010_tehran.txt', 'LOC'], ['012_border.txt', 'LOC'], ['011_talks.txt', 'ORG']] as const) {
        const file = path.join(folder, name);
        const uri = await open(s, file);
        await s.waitForDiagnostics(uri);
        const text = fs.readFileSync(file, 'utf8');
        const at = [...text.slice(0, text.indexOf('إيران'))].length;
        await command(s, Command.accept, { uri, start: at, end: at + 5, text: 'إيران', kind: 'entity', label });
      }
    } finally {
      await s.close();
    }
    const r = cli('check', '--json', folder);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.inconsistencies.length, 1);
    assert.equal(out.inconsistencies[0].majority, 'LOC');
    assert.equal(path.basename(out.inconsistencies[0].minority[0].file), '011_talks.txt');
    assert.match(cli('check', folder).stdout, /ORG 1× in 1 file/);
    void uriOf;
    void SAMPLE;
  });
});
