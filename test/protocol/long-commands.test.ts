/**
 * Commands that go over the whole corpus, through the bundled server: a
 * whole-workspace export, Find Mentions and Apply Everywhere run between
 * other requests (a hover sent while one runs is answered before it ends), and
 * an export, a search, a corpus-wide decision or Learn that the client cancels
 * stops part-way with what it did (a decision: as one undo step; Learn: nothing).
 * Ordering, not timing: nothing here depends on the host's speed.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { Command, Request, type BatchResult, type ExportResult, type FindMentionsResult, type LearnResult, type UndoResult } from '../../server/src/protocol';
import { ADAPTED_MODEL_PATH } from '../../server/src/host/workspace';
import { indexed, makeWorkspace, open, sampleArticles, sidecar, startServer, type Session } from './lspClient';

const DOCS = 150;
const NAME = 'ماريا زاخاروفا';
const FOOTER = 'تابعونا على تيليجرام لمزيد من الأخبار العاجلة';
/** A name in one document of ten (the open one among them). */
const RARE = 'ليونيد سلوتسكي';

/** Distinct articles of ~3 KB made from the sample, each with a name and a footer. */
function corpus(): string {
  return makeWorkspace(sampleArticles(DOCS, 3, (i) => `قالت ${NAME} إن الوزارة سترد.${i % 10 === 0 ? ` وعلق ${RARE} على ذلك.` : ''}`, () => FOOTER));
}

/** Progress reports of the server's work-done progress whose title starts with `title`, as they arrive. */
function progressOf(s: Session, title: string): { reports: number; onReport: (() => void) | undefined; token?: string | number } {
  const tokens = new Set<string | number>();
  const seen: { reports: number; onReport: (() => void) | undefined; token?: string | number } = { reports: 0, onReport: undefined };
  s.connection.onNotification('$/progress', (p: { token: string | number; value: { kind: string; title?: string } }) => {
    if (p.value.kind === 'begin' && p.value.title?.startsWith(title)) tokens.add((seen.token = p.token));
    if (p.value.kind === 'report' && tokens.has(p.token)) {
      seen.reports++;
      const f = seen.onReport;
      seen.onReport = undefined;
      f?.();
    }
  });
  return seen;
}

describe('commands over the whole corpus give way to the editor', () => {
  let folder: string;
  let s: Session;
  let uri: string;
  const hover = () => s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 6 } });

  before(async () => {
    folder = corpus();
    s = await startServer(folder);
    await indexed(s, 1200);
    uri = await open(s, path.join(folder, 'doc000.txt'));
    await s.waitForDiagnostics(uri);
  });
  after(async () => {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('answers a hover sent while a whole-workspace export tags every document, before the export ends', async () => {
    const progress = progressOf(s, 'Exporting annotations');
    const order: string[] = [];
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-long-export-'));
    let hovered: Promise<unknown> | undefined;
    // The hover goes out once the export has reported its first document, so it arrives in the middle of it.
    progress.onReport = () => (hovered = hover().then(() => order.push('hover')));
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.export, arguments: [{ format: 'text', outDir }] }).then((x) => {
      order.push('export');
      return x;
    })) as ExportResult;
    await hovered;
    assert.ok(progress.reports >= 1, 'the export reported its progress');
    assert.deepEqual(order, ['hover', 'export'], 'the hover waited for the whole export');
    assert.equal(r.documents, DOCS);
    assert.equal(r.cancelled, undefined);
    assert.equal(fs.readdirSync(outDir).filter((f) => f.endsWith('.txt')).length, DOCS);
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('refuses a second export while one runs, and stops a cancelled one at the next document with what it wrote', async () => {
    const progress = progressOf(s, 'Exporting annotations');
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-long-cancel-'));
    const cancel = new CancellationTokenSource();
    let second: Promise<unknown> | undefined;
    // Once the export is under way, a second one is asked for; when its answer is in, the first is cancelled.
    progress.onReport = () => {
      second = s.connection
        .sendRequest('workspace/executeCommand', { command: Command.export, arguments: [{ format: 'jsonl', outDir: `${outDir}-second` }] })
        .then(() => 'finished', (e: Error) => e.message)
        .finally(() => cancel.cancel());
    };
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.export, arguments: [{ format: 'text', outDir }] }, cancel.token)) as ExportResult;
    assert.equal(r.cancelled, true);
    assert.ok(r.documents >= 1 && r.documents < DOCS, `stopped part-way (${r.documents} of ${DOCS})`);
    // Every document counted was written whole: a line of its article text is there.
    const written = fs.readdirSync(outDir).filter((f) => f.endsWith('.txt'));
    assert.equal(written.length, r.documents);
    for (const f of written) {
      const cleaned = fs.readFileSync(path.join(outDir, f), 'utf8');
      assert.ok(cleaned.length > 200 && fs.readFileSync(path.join(folder, f), 'utf8').includes(cleaned.split('\n').find((l) => l.length > 100)!), `${f} was written whole`);
    }
    assert.match(String(await second), /already running/);
    assert.equal(fs.existsSync(`${outDir}-second`), false, 'the refused export wrote nothing');
    // Once it has stopped, the next export runs.
    const again = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.export, arguments: [{ format: 'jsonl', outDir: `${outDir}-again` }] })) as ExportResult;
    assert.equal(again.documents, DOCS);
    for (const d of [outDir, `${outDir}-again`]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('answers a hover while Find Mentions reads the corpus, and a cancelled search stops with what it found', async () => {
    const order: string[] = [];
    const found = s.connection.sendRequest(Request.findMentions.method, { text: NAME, label: 'PER' }).then((x) => {
      order.push('find');
      return x as FindMentionsResult;
    });
    await hover().then(() => order.push('hover'));
    const all = await found;
    assert.deepEqual(order, ['hover', 'find']);
    assert.equal(all.total, DOCS);
    assert.equal(all.cancelled, undefined);
    // A name in a tenth of the documents: exactly those, the open one first (read in its buffer).
    const rare = (await s.connection.sendRequest(Request.findMentions.method, { text: RARE, label: 'PER', uri })) as FindMentionsResult;
    assert.deepEqual(rare.files.map((f) => path.basename(new URL(f.uri).pathname)), Array.from({ length: DOCS / 10 }, (_, k) => `doc${String(k * 10).padStart(3, '0')}.txt`));
    assert.ok(rare.files.every((f) => f.mentions.length === 1 && f.mentions[0]!.text === RARE));

    const cancel = new CancellationTokenSource();
    const part = s.connection.sendRequest(Request.findMentions.method, { text: NAME, label: 'PER' }, cancel.token) as Promise<FindMentionsResult>;
    cancel.cancel();
    const r = await part;
    assert.equal(r.cancelled, true);
    assert.ok(r.total < DOCS, `stopped part-way (${r.total} of ${DOCS})`);
  });

  it('answers a hover while Apply Everywhere decides the block; a decision made meanwhile stays out of its undo step', async () => {
    const looking = progressOf(s, 'Looking for the block');
    const order: string[] = [];
    const applied = s.connection.sendRequest('workspace/executeCommand', { command: Command.applyEverywhere, arguments: [{ text: FOOTER, boilerplate: true, category: 'social' }] }).then((x) => {
      order.push('apply');
      return x as BatchResult;
    });
    await hover().then(() => order.push('hover'));
    // A decision of the user's in a document the batch also changes (the open one holds the footer too).
    const nameAt = { start: { line: 0, character: 5 }, end: { line: 0, character: 5 + NAME.length } };
    await s.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri, label: 'PER', range: nameAt }] }).then(() => order.push('decision'));
    const r = await applied;
    assert.deepEqual(order, ['hover', 'decision', 'apply']);
    assert.ok(looking.reports > 0, 'the search for the block showed its progress');
    assert.equal(r.documents, DOCS);
    const footerIn = (f: string) => sidecar(path.join(folder, f))?.annotations.some((a) => a.kind === 'boilerplate' && a.status === 'accepted' && a.category === 'social' && a.text === FOOTER);
    const nameIn = (f: string) => sidecar(path.join(folder, f))?.annotations.some((a) => a.kind === 'entity' && a.label === 'PER' && a.text === NAME);
    assert.ok(footerIn('doc077.txt') && footerIn('doc000.txt'));
    assert.ok(nameIn('doc000.txt'));

    // Undo, asked for at once twice, takes back Apply Everywhere first (a hover is answered meanwhile, the progress
    // shows), then the user's decision.
    const undoing = progressOf(s, 'Undoing Mark a block');
    const undone: string[] = [];
    const first = s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] }).then((x) => undone.push((x as UndoResult).description ?? ''));
    const second = s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] }).then((x) => undone.push((x as UndoResult).description ?? ''));
    await hover().then(() => undone.push('hover'));
    await Promise.all([first, second]);
    assert.equal(undone[0], 'hover');
    assert.ok(undoing.reports > 0, 'the undo showed its progress');
    assert.match(undone[1], /boilerplate everywhere/);
    assert.doesNotMatch(undone[2], /everywhere/);
    assert.ok(!footerIn('doc077.txt') && !footerIn('doc000.txt'));
    assert.ok(!nameIn('doc000.txt'));
  });

  it('stops a cancelled Apply Everywhere: while it looks, nothing is written; part-way, what was written is one undo step', async () => {
    const footerIn = (f: string) => sidecar(path.join(folder, f))?.annotations.some((a) => a.kind === 'boilerplate' && a.status === 'accepted' && a.text === FOOTER) ?? false;
    const files = Array.from({ length: DOCS }, (_, i) => `doc${String(i).padStart(3, '0')}.txt`);
    const apply = (token: CancellationTokenSource['token']) =>
      s.connection.sendRequest('workspace/executeCommand', { command: Command.applyEverywhere, arguments: [{ text: FOOTER, boilerplate: true, category: 'social' }] }, token) as Promise<BatchResult>;

    // Cancelled while it looks for the block: no document is touched, nothing goes on the undo stack.
    const looking = progressOf(s, 'Looking for the block');
    const early = new CancellationTokenSource();
    looking.onReport = () => early.cancel();
    const r1 = await apply(early.token);
    assert.equal(r1.cancelled, true);
    assert.equal(r1.batch, null);
    assert.equal(r1.documents, 0);
    assert.equal(files.filter(footerIn).length, 0);

    // Cancelled once it writes: it stops at the next document, with the documents written so far.
    const writing = progressOf(s, 'Mark a block as boilerplate everywhere');
    const late = new CancellationTokenSource();
    writing.onReport = () => late.cancel();
    const r2 = await apply(late.token);
    assert.equal(r2.cancelled, true);
    assert.ok(r2.documents > 0 && r2.documents < DOCS, `stopped part-way (${r2.documents} of ${DOCS})`);
    assert.equal(files.filter(footerIn).length, r2.documents, 'the sidecars written are the ones it reports');
    // One undo takes back exactly those documents.
    const u = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] })) as UndoResult;
    assert.match(u.description ?? '', /boilerplate everywhere/);
    assert.equal(u.documents, r2.documents);
    assert.equal(files.filter(footerIn).length, 0);

    // An editor without request cancellation cancels the progress instead (window/workDoneProgress/cancel).
    const shown = progressOf(s, 'Mark a block as boilerplate everywhere');
    shown.onReport = () => void s.connection.sendNotification('window/workDoneProgress/cancel', { token: shown.token });
    const r3 = await apply(new CancellationTokenSource().token);
    assert.equal(r3.cancelled, true);
    assert.ok(r3.documents > 0 && r3.documents < DOCS, `stopped part-way (${r3.documents} of ${DOCS})`);
    await s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] });
    assert.equal(files.filter(footerIn).length, 0);
  });

  it('stops a cancelled "accept every mention" at the next document; the documents written are one undo step', async () => {
    const found = (await s.connection.sendRequest(Request.findMentions.method, { text: NAME, label: 'PER' })) as FindMentionsResult;
    const mentions = found.files.flatMap((f) => f.mentions.map((m) => ({ uri: f.uri, start: m.start, end: m.end, text: m.text })));
    assert.equal(found.files.length, DOCS);
    const nameIn = (uri: string) => sidecar(path.join(folder, path.basename(uri)))?.annotations.some((a) => a.kind === 'entity' && a.status === 'accepted' && a.text === NAME) ?? false;
    const progress = progressOf(s, 'News Annotator: Annotate');
    const cancel = new CancellationTokenSource();
    progress.onReport = () => cancel.cancel();
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.applyMentions, arguments: [{ action: 'accept', label: 'PER', mentions }] }, cancel.token)) as BatchResult;
    assert.equal(r.cancelled, true);
    assert.ok(r.documents > 0 && r.documents < DOCS, `stopped part-way (${r.documents} of ${DOCS})`);
    assert.equal(found.files.filter((f) => nameIn(f.uri)).length, r.documents);
    const u = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] })) as UndoResult;
    assert.match(u.description ?? '', /^Annotate/);
    assert.equal(found.files.filter((f) => nameIn(f.uri)).length, 0);
  });

  it('trains Learn from Annotations off the server\'s thread: a hover sent while it trains is answered before it ends', async () => {
    // The name accepted in every document (through the corpus-wide decision), for Learn to learn from.
    const found = (await s.connection.sendRequest(Request.findMentions.method, { text: NAME, label: 'PER' })) as FindMentionsResult;
    const mentions = found.files.flatMap((f) => f.mentions.map((m) => ({ uri: f.uri, start: m.start, end: m.end, text: m.text })));
    await s.connection.sendRequest('workspace/executeCommand', { command: Command.applyMentions, arguments: [{ action: 'accept', label: 'PER', mentions }] });
    const progress = progressOf(s, 'Learning from annotations');
    const order: string[] = [];
    let hovered: Promise<unknown> | undefined;
    // The first report comes after the first pass over the examples: the hover arrives in the middle of the training.
    progress.onReport = () => (hovered = hover().then(() => order.push('hover')));
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] }).then((x) => {
      order.push('learn');
      return x;
    })) as LearnResult;
    await hovered;
    assert.deepEqual(order, ['hover', 'learn'], 'the hover waited for the training');
    assert.equal(r.documents, DOCS);
    assert.ok(r.annotations >= DOCS);
    assert.equal(typeof r.before, 'number');
    assert.equal(typeof r.after, 'number');
    // The adapted tagger, trained in the worker, is kept in the workspace as a model the server reads back.
    const kept = JSON.parse(fs.readFileSync(path.join(folder, ADAPTED_MODEL_PATH), 'utf8')) as { format?: string };
    assert.match(String(kept.format), /^ner-perceptron/);
  });

  it('stops a cancelled Learn from Annotations: the tagger in use and the one kept in the workspace are unchanged', async () => {
    const file = path.join(folder, ADAPTED_MODEL_PATH);
    const kept = fs.readFileSync(file);
    const progress = progressOf(s, 'Learning from annotations');
    const cancel = new CancellationTokenSource();
    // Cancelled after the first training epoch: the worker is ended in the middle of its training.
    progress.onReport = () => cancel.cancel();
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] }, cancel.token)) as LearnResult;
    assert.equal(r.cancelled, true);
    assert.equal(r.before, undefined);
    assert.ok(fs.readFileSync(file).equals(kept), 'the adapted model kept in the workspace was not replaced');
    // Learning is not left "already running": it can be asked for again, and ends.
    const again = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] })) as LearnResult;
    assert.equal(again.cancelled, undefined);
    assert.equal(again.documents, DOCS);
  });
});
