/**
 * Document tags through the bundled server (set, refused, shown, filtered on,
 * undone), then a custom label and tags through every export of the CLI and
 * back through every import, `exclude` leaving a document out unless asked,
 * and `stats` counting tags.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import {
  Command,
  DiagnosticCode,
  LABEL_SCHEMA_PATH,
  Request,
  type DocumentAnnotationsResult,
  type DocumentTags,
  type ReviewQueueResult,
  type UndoResult,
  type WorkspaceEntitiesResult,
} from '../../server/src/protocol';
import { cli, codeOf, command, indexed, makeWorkspace, open, type Session, sidecar, startServer, uriOf } from './lspClient';


const SCHEMA = {
  labels: ['PER', 'ORG', 'LOC', { name: 'GPE', parent: 'LOC', description: 'A country or state' }],
  tags: [
    { name: 'topic', type: 'multiple', values: ['politics', 'economy', 'sport'] },
    { name: 'genre', values: ['news', 'opinion'] },
    { name: 'note', type: 'text' },
  ],
};

const DOCS: Record<string, string> = {
  'a.txt': 'قالت باكستان إن المحادثات مع إيران كانت مثمرة.\nوأكد الوزير أن البلدين سيواصلان الحوار.\n',
  'b.txt': 'رأي: على باكستان أن تحمي حدودها مع إيران.\n',
  'c.txt': 'نص تجريبي لا ينبغي تصديره: باكستان.\n',
};

function lspRange(text: string, sub: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const u = text.indexOf(sub);
  const before = text.slice(0, u).split('\n');
  const line = before.length - 1;
  return { start: { line, character: before[line].length }, end: { line, character: before[line].length + sub.length } };
}

const TAGS_A: DocumentTags = { topic: ['politics'], genre: 'news' };
const TAGS_B: DocumentTags = { genre: 'opinion', note: 'an op-ed' };

let folder: string;

describe('document tags through the server', () => {
  let s: Session;
  before(async () => {
    folder = makeWorkspace({ ...DOCS, [LABEL_SCHEMA_PATH]: JSON.stringify(SCHEMA) });
    s = await startServer(folder);
    await indexed(s);
  });
  after(() => s.close());

  it('sets tags checked against the schema, writes them to the sidecar, refuses what the schema does not allow', async () => {
    const a = path.join(folder, 'a.txt');
    const uri = await open(s, a);
    await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.entity));
    await command(s, Command.annotateRange, { uri, range: lspRange(DOCS['a.txt'], 'باكستان'), label: 'GPE' });
    const tags = await command<DocumentTags>(s, Command.setTags, { uri, tags: { topic: ['politics'], genre: 'news' } });
    assert.deepEqual(tags, TAGS_A);
    assert.deepEqual(sidecar(a)!.tags, { genre: 'news', topic: ['politics'] });
    await assert.rejects(command(s, Command.setTags, { uri, tags: { genre: 'satire' } }), /"satire" is not a value of genre/);
    await assert.rejects(command(s, Command.setTags, { uri, tags: { colour: 'red' } }), /"colour" is not a declared tag/);
    await assert.rejects(command(s, Command.setTags, { uri, tags: { genre: 5 } }), /Invalid arguments/);
    const b = await open(s, path.join(folder, 'b.txt'));
    await command(s, Command.setTags, { uri: b, tags: TAGS_B });
    const c = await open(s, path.join(folder, 'c.txt'));
    await command(s, Command.setTags, { uri: c, tags: { exclude: true } });
    assert.deepEqual(sidecar(path.join(folder, 'c.txt'))!.tags, { exclude: true });
  });

  it('shows tags in documentAnnotations (status bar) and in the first line\'s hover (in the schema\'s order)', async () => {
    const uri = uriOf(path.join(folder, 'a.txt'));
    const r = (await s.connection.sendRequest(Request.documentAnnotations.method, { uri })) as DocumentAnnotationsResult;
    assert.deepEqual(r.tags, { genre: 'news', topic: ['politics'] });
    const hover = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /\*\*Document tags\*\* · topic: politics · genre: news/);
  });

  it('filters the Review Queue and the Entities view by tag', async () => {
    const q = (await s.connection.sendRequest(Request.reviewQueue.method, { tags: { genre: 'news' } })) as ReviewQueueResult;
    assert.deepEqual(q.documents.map((d) => path.basename(new URL(d.uri).pathname)), ['a.txt']);
    assert.deepEqual(q.documents[0].tags, { genre: 'news', topic: ['politics'] });
    assert.equal(q.progress.total, 3, 'progress counts the whole corpus');
    const excluded = (await s.connection.sendRequest(Request.reviewQueue.method, { tags: { exclude: true } })) as ReviewQueueResult;
    assert.deepEqual(excluded.documents.map((d) => path.basename(new URL(d.uri).pathname)), ['c.txt']);
    const all = (await s.connection.sendRequest(Request.workspaceEntities.method, {})) as WorkspaceEntitiesResult;
    const opinion = (await s.connection.sendRequest(Request.workspaceEntities.method, { tags: { genre: 'opinion' } })) as WorkspaceEntitiesResult;
    const docsOf = (r: WorkspaceEntitiesResult) => new Set(r.entities.flatMap((e) => e.documents.map((d) => path.basename(new URL(d.uri).pathname))));
    assert.deepEqual([...docsOf(opinion)], ['b.txt']);
    assert.ok(docsOf(all).size >= 2);
  });

  it('undo puts the previous tags back; redo sets them again', async () => {
    const b = path.join(folder, 'b.txt');
    await command(s, Command.setTags, { uri: uriOf(b), tags: { genre: 'news', note: null } });
    assert.deepEqual(sidecar(b)!.tags, { genre: 'news' });
    const u = await command<UndoResult>(s, Command.undo, {});
    assert.match(u.description ?? '', /Set tags of b\.txt/);
    assert.deepEqual(sidecar(b)!.tags, { genre: 'opinion', note: 'an op-ed' });
    await command(s, Command.redo, {});
    assert.deepEqual(sidecar(b)!.tags, { genre: 'news' });
    await command(s, Command.undo, {});
  });
});

describe('a custom label and tags through every export and import', () => {
  let out: string;
  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-tags-export-'));
  });

  function exported(format: string, ...extra: string[]): { dir: string; summary: { documents: number; excluded: number; files: string[] } } {
    const dir = path.join(out, format + extra.join(''));
    const r = cli('export', '--format', format, '--out', dir, '--json', ...extra, folder);
    assert.equal(r.status, 0, r.stderr);
    return { dir, summary: JSON.parse(r.stdout) };
  }

  it('doccano JSONL: label GPE and "tags"; the excluded document is left out unless asked', () => {
    const { dir, summary } = exported('jsonl');
    assert.equal(summary.documents, 2);
    assert.equal(summary.excluded, 1);
    const lines = fs.readFileSync(path.join(dir, 'annotations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.name), ['a.txt', 'b.txt']);
    assert.ok(lines[0].label.some((x: unknown[]) => x[2] === 'GPE'));
    assert.deepEqual(lines[0].tags, { genre: 'news', topic: ['politics'] });
    assert.deepEqual(lines[1].tags, { genre: 'opinion', note: 'an op-ed' });
    const all = exported('jsonl', '--include-excluded');
    assert.equal(all.summary.documents, 3);
    const withC = fs.readFileSync(path.join(all.dir, 'annotations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(withC[2].tags, { exclude: true });
  });

  it('Label Studio: GPE in results, tags in data', () => {
    const { dir } = exported('labelstudio');
    const tasks = JSON.parse(fs.readFileSync(path.join(dir, 'labelstudio.json'), 'utf8'));
    assert.equal(tasks.length, 2);
    assert.deepEqual(tasks[0].data.tags, { genre: 'news', topic: ['politics'] });
    assert.ok(tasks[0].annotations[0].result.some((r: { value: { labels: string[] } }) => r.value.labels[0] === 'GPE'));
  });

  it('spaCy: GPE entities, tags as cats (every declared value) and in meta', () => {
    const { dir } = exported('spacy');
    const lines = fs.readFileSync(path.join(dir, 'spacy.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines[0].entities.some((e: unknown[]) => e[2] === 'GPE'));
    assert.deepEqual(lines[0].cats, { 'topic=politics': 1, 'topic=economy': 0, 'topic=sport': 0, 'genre=news': 1, 'genre=opinion': 0, exclude: 0 });
    assert.deepEqual(lines[0].meta.tags, { genre: 'news', topic: ['politics'] });
    assert.equal(lines[1].cats['genre=opinion'], 1);
    assert.equal(lines[1].cats['note=an op-ed'], undefined, 'free text is no category');
  });

  it('W3C: a GPE tagging body, and a classifying annotation of the whole document with its tags', () => {
    const { dir } = exported('w3c');
    const coll = JSON.parse(fs.readFileSync(path.join(dir, 'annotations.jsonld'), 'utf8'));
    const items = coll.first.items as { motivation: string; body: unknown; target: unknown; id: string }[];
    assert.equal(coll.total, items.length);
    assert.ok(items.some((i) => (i.body as { value?: string }).value === 'GPE'));
    const tags = items.find((i) => i.id === 'a.txt#tags')!;
    assert.equal(tags.motivation, 'classifying');
    assert.equal(tags.target, 'a.txt');
    assert.deepEqual((tags.body as { value: string }[]).map((b) => b.value), ['genre=news', 'topic=politics']);
  });

  it('brat: a GPE text-bound annotation and the DocumentTags note', () => {
    const { dir } = exported('brat');
    const ann = fs.readFileSync(path.join(dir, 'a.ann'), 'utf8');
    assert.match(ann, /^T\d+\tGPE \d+ \d+\tباكستان$/m);
    assert.match(ann, /^#1\tDocumentTags \*\t\{"genre":"news","topic":\["politics"\]\}$/m);
    assert.ok(!fs.existsSync(path.join(dir, 'c.ann')), 'the excluded document is not exported');
  });

  it('CoNLL: B-GPE tokens and a # tags: comment', () => {
    const { dir } = exported('conll');
    const conll = fs.readFileSync(path.join(dir, 'annotations.conll'), 'utf8');
    assert.match(conll, /^باكستان\tB-GPE$/m);
    assert.match(conll, /^# doc: a\.txt\n# tags: \{"genre":"news","topic":\["politics"\]\}$/m);
  });

  it('cleaned text: the excluded document is left out', () => {
    const { dir } = exported('text');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.txt', 'b.txt']);
  });

  for (const [format, file, importFormat] of [
    ['jsonl', 'annotations.jsonl', 'jsonl'],
    ['spacy', 'spacy.jsonl', 'jsonl'],
    ['labelstudio', 'labelstudio.json', 'labelstudio'],
    ['brat', '', 'brat'],
    ['conll', 'annotations.conll', 'conll'],
  ] as const) {
    it(`${format} imports back: the GPE annotation and the tags land in a fresh corpus' sidecars`, () => {
      const { dir } = exported(format);
      const fresh = makeWorkspace({ 'a.txt': DOCS['a.txt'], 'b.txt': DOCS['b.txt'], [LABEL_SCHEMA_PATH]: JSON.stringify(SCHEMA) });
      const input = file ? path.join(dir, file) : dir;
      const r = cli('import', '--format', importFormat, '--into', fresh, '--json', input);
      assert.equal(r.status, 0, r.stderr);
      const summary = JSON.parse(r.stdout);
      assert.equal(summary.tagged, 2, r.stdout);
      const a = sidecar(path.join(fresh, 'a.txt'))!;
      assert.ok(a.annotations.some((x) => x.label === 'GPE' && x.text === 'باكستان'), JSON.stringify(a.annotations));
      assert.deepEqual(a.tags, { genre: 'news', topic: ['politics'] });
      const b = sidecar(path.join(fresh, 'b.txt'))!;
      // spaCy's cats cannot carry free text: meta.tags does (our export writes both).
      assert.deepEqual(b.tags, { genre: 'opinion', note: 'an op-ed' });
    });
  }

  it('spaCy cats alone (another tool\'s file) become tags shaped by the schema', () => {
    const fresh = makeWorkspace({ 'a.txt': DOCS['a.txt'], [LABEL_SCHEMA_PATH]: JSON.stringify(SCHEMA) });
    const line = JSON.stringify({ text: DOCS['a.txt'], meta: { name: 'a.txt' }, entities: [], cats: { 'topic=economy': 0.9, 'topic=sport': 0.1, 'genre=news': 1, exclude: 0 } });
    const f = path.join(fresh, '..', `${path.basename(fresh)}-cats.jsonl`);
    fs.writeFileSync(f, line + '\n');
    const r = cli('import', '--format', 'jsonl', '--into', fresh, f);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sidecar(path.join(fresh, 'a.txt'))!.tags, { genre: 'news', topic: ['economy'] });
  });

  it('stats counts documents per tag value', () => {
    const r = cli('stats', '--json', folder);
    assert.equal(r.status, 0, r.stderr);
    const st = JSON.parse(r.stdout);
    assert.deepEqual(st.tags, { untagged: 0, byTag: { genre: { news: 1, opinion: 1 }, topic: { politics: 1 }, note: { 'an op-ed': 1 }, exclude: { true: 1 } } });
    assert.equal(st.entities.accepted.GPE, 1);
    const text = cli('stats', folder).stdout;
    assert.match(text, /Document tags \(documents per value; 0 untagged\):/);
    assert.match(text, /genre: news 1, opinion 1/);
  });
});
