/**
 * The server on a corpus, through the bundled server: the start-up scan reads
 * and tags documents in worker threads; document summaries are cached, so a
 * restart reads only what changed; a damaged cache is rebuilt, never trusted;
 * the cache never lands in a corpus that did not ask for it.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { DiagnosticCode, LABEL_SCHEMA_PATH, Request, SIDECAR_SUFFIX, type BoilerplateDiagnosticData, type DocumentTags, type ReviewQueueResult, type WorkspaceEntitiesResult } from '../../server/src/protocol';
import { codeOf, makeWorkspace, open, ROOT, startServer, uriOf, type Session } from './lspClient';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'workspace');
const FOOTER = 'تابعونا على تلغرام للمزيد من الأخبار العاجلة';
const DOCS = 24;

/** 24 articles from the fixtures, each with a line of its own, all ending with the same footer (a `repeated` block). */
function corpus(): string {
  const texts = fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.txt')).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
  const files: Record<string, string> = {};
  for (let i = 0; i < DOCS; i++) files[`doc_${String(i).padStart(2, '0')}.txt`] = `${texts[i % texts.length]}\nسطر خاص بالمقال رقم ${i} من المدونة.\n${FOOTER}\n`;
  return makeWorkspace(files);
}

async function indexed(s: Session, timeoutMs = 60_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const line = s.logs.find((l) => l.startsWith('Indexed '));
    if (line) return line;
    if (Date.now() - t0 > timeoutMs) throw new Error(`no "Indexed" line in the server log within ${timeoutMs} ms: ${JSON.stringify(s.logs)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the editor shows for a document, in a comparable form. */
const shown = (ds: Diagnostic[]) => ds.map((d) => `${codeOf(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`).sort();

async function run(folder: string, cacheFolder: string | undefined, doc = 'doc_00.txt'): Promise<{ line: string; diagnostics: string[] }> {
  const s = await startServer(folder, { workspace: { workers: 2 } }, { initializationOptions: cacheFolder ? { cacheFolder } : {} });
  try {
    const line = await indexed(s);
    const uri = await open(s, path.join(folder, doc));
    // The footer is a corpus-wide signal: it is there only once the corpus is known.
    const ds = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.boilerplate && (x.data as BoilerplateDiagnosticData).category === 'repeated'));
    return { line, diagnostics: shown(ds) };
  } finally {
    await s.close();
  }
}

function shardFiles(cacheFolder: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(cacheFolder, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(cacheFolder, d.name))) if (f.endsWith('.ndjson')) out.push(path.join(cacheFolder, d.name, f));
  }
  return out;
}

describe('the start-up scan: worker threads and the summary cache', () => {
  it('tags in worker threads; a restart takes unchanged documents from the cache and re-reads the changed ones, with the same diagnostics', async () => {
    const folder = corpus();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-cache-'));
    const first = await run(folder, cache);
    assert.match(first.line, new RegExp(`^Indexed ${DOCS} files in [0-9.]+ s: 0 from the cache, ${DOCS} read and tagged in 2 worker threads`));
    assert.ok(shardFiles(cache).length > 0, 'the cache was written');

    const second = await run(folder, cache);
    assert.match(second.line, new RegExp(`: ${DOCS} from the cache, 0 read and tagged.*; ${DOCS} counted by the snapshot of corpus totals$`));
    assert.deepEqual(second.diagnostics, first.diagnostics, 'a document shows the same diagnostics with the corpus read from the cache');

    // Two articles change on disk (a git pull): only those two are read again.
    fs.appendFileSync(path.join(folder, 'doc_05.txt'), 'فقرة جديدة أضيفت بعد التحديث.\n');
    fs.appendFileSync(path.join(folder, 'doc_17.txt'), 'فقرة أخرى أضيفت بعد التحديث.\n');
    const third = await run(folder, cache);
    assert.match(third.line, new RegExp(`: ${DOCS - 2} from the cache, 2 read and tagged.*; ${DOCS - 2} counted by the snapshot of corpus totals$`));
    assert.deepEqual(third.diagnostics, first.diagnostics);

    // Files touched (checked out again) but not changed: read and hashed, not tagged again.
    const later = new Date(Date.now() + 5000);
    for (const f of ['doc_01.txt', 'doc_02.txt', 'doc_03.txt']) fs.utimesSync(path.join(folder, f), later, later);
    const touched = await run(folder, cache);
    assert.match(touched.line, new RegExp(`: ${DOCS} from the cache, 0 read and tagged`));
    // Every file touched (more than the few read in the server thread anyway): they are read there
    // all the same, and no worker starts, since none needs tagging.
    const later2 = new Date(Date.now() + 10000);
    for (const f of fs.readdirSync(folder).filter((n) => n.endsWith('.txt'))) fs.utimesSync(path.join(folder, f), later2, later2);
    const allTouched = await run(folder, cache);
    assert.match(allTouched.line, new RegExp(`: ${DOCS} from the cache, 0 read and tagged in the server thread`));
    assert.deepEqual(allTouched.diagnostics, first.diagnostics);

    // A damaged cache (torn, or written by something else) is thrown away and rebuilt.
    for (const f of shardFiles(cache)) fs.writeFileSync(f, '{"format": "news-annotator/summary-cache", "version": 1, "key": "x"}\n[broken');
    const fourth = await run(folder, cache);
    assert.match(fourth.line, new RegExp(`: 0 from the cache, ${DOCS} read and tagged`));
    assert.doesNotMatch(fourth.line, /snapshot/, 'the snapshot counts entries the damaged cache no longer has: not used');
    assert.deepEqual(fourth.diagnostics, first.diagnostics);
    for (const f of shardFiles(cache)) {
      const lines = fs.readFileSync(f, 'utf8').trim().split('\n');
      assert.equal((JSON.parse(lines[0]) as { format: string }).format, 'news-annotator/summary-cache');
      for (const l of lines.slice(1)) JSON.parse(l);
    }
    const fifth = await run(folder, cache);
    assert.match(fifth.line, new RegExp(`: ${DOCS} from the cache, 0 read and tagged`));
  });

  it("keeps the Review Queue's exact figures for the next start, and takes them back only over the same corpus and settings", async () => {
    const folder = corpus();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-cache-'));
    const KEPT = /^Review Queue: exact figures of (\d+) documents kept for the next start$/;
    const TAKEN = /^Review Queue: exact figures of (\d+) documents taken from the last start/;
    /** A start: `opened` is opened before the scan ends (an editor restoring its window); returns the queue once every figure is exact. */
    const start = async (opened?: { name: string; text: string }, settings: Record<string, unknown> = {}) => {
      const s = await startServer(folder, { workspace: { workers: 2 }, ...settings }, { initializationOptions: { cacheFolder: cache } });
      try {
        if (opened) await open(s, path.join(folder, opened.name), opened.text);
        await indexed(s);
        let q: ReviewQueueResult;
        for (let i = 0; ; i++) {
          q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
          if (q.documents.length === DOCS && q.documents.every((d) => d.exact)) break;
          if (i > 600) throw new Error(`the queue never became exact: ${JSON.stringify(s.logs)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        // The figures are kept once the refinement is over: a moment after the last one is exact.
        const t0 = Date.now();
        while (!s.logs.some((l) => KEPT.test(l)) && Date.now() - t0 < 1500) await new Promise((r) => setTimeout(r, 50));
        const count = (re: RegExp) => s.logs.map((l) => re.exec(l)?.[1]).find((x) => x !== undefined);
        const rows = q.documents.map((d) => JSON.stringify({ ...d, uri: path.basename(decodeURIComponent(d.uri)) }));
        return { kept: count(KEPT), taken: count(TAKEN), rows };
      } finally {
        await s.close();
      }
    };
    const first = await start();
    assert.equal(first.kept, String(DOCS), 'the first start computes every figure, and keeps them');
    assert.equal(first.taken, undefined);

    // A restart on the same corpus, with a document open as it is on disk: nothing is analysed again.
    const doc0 = fs.readFileSync(path.join(folder, 'doc_00.txt'), 'utf8');
    const second = await start({ name: 'doc_00.txt', text: doc0 });
    assert.equal(second.taken, String(DOCS - 1), 'every figure but the open document’s (it has its own) comes from the last start');
    assert.equal(second.kept, undefined, 'no document was analysed again, so nothing was written');
    assert.deepEqual(second.rows, first.rows, 'the same queue, the same figures');

    // Other settings make other suggestions: the figures are computed again.
    const third = await start(undefined, { boilerplate: { threshold: 0.9 } });
    assert.equal(third.taken, undefined, 'figures of other settings are not taken back');
    assert.equal(third.kept, String(DOCS));

    // A document open with text that is not on disk: the corpus is not the one on disk, nothing is taken or kept.
    const fourth = await start({ name: 'doc_00.txt', text: `${doc0}\nفقرة لم تحفظ بعد في الملف.\n` });
    assert.equal(fourth.taken, undefined);
    assert.equal(fourth.kept, undefined);

    // A file changed on disk (and, before that, the figures' file damaged): computed again, and kept again.
    const figuresFile = fs.readdirSync(cache, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(cache, d.name, 'queue-figures.json')).find((f) => fs.existsSync(f))!;
    fs.writeFileSync(figuresFile, '{"format": "news-annotator/queue-figures", "version": 1, "files": ["x"], "numb');
    const fifth = await start();
    assert.equal(fifth.taken, undefined, 'a damaged file is not trusted');
    assert.equal(fifth.kept, String(DOCS));
    assert.deepEqual(fifth.rows, first.rows, 'computed again, the same as the first time');
    fs.appendFileSync(path.join(folder, 'doc_05.txt'), 'فقرة جديدة أضيفت بعد التحديث.\n');
    const sixth = await start();
    assert.equal(sixth.taken, undefined, 'one file changed: every figure may have');
    assert.equal(sixth.kept, String(DOCS));
    const seventh = await start();
    assert.equal(seventh.taken, String(DOCS));
    assert.deepEqual(seventh.rows, sixth.rows);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('a setting that changes the suggestions makes the exact figures stale; the top is refined again, as a start with it gives', async () => {
    const folder = corpus();
    const queue = async (s: Session, done: (q: ReviewQueueResult) => boolean): Promise<string[]> => {
      for (let i = 0; ; i++) {
        const q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
        if (!q.indexing && done(q)) return q.documents.map((d) => JSON.stringify({ ...d, uri: path.basename(decodeURIComponent(d.uri)) }));
        if (i > 600) throw new Error('the queue never got there');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const allExact = (q: ReviewQueueResult) => q.documents.length === DOCS && q.documents.every((d) => d.exact);
    const stricter = { workspace: { workers: 2 }, boilerplate: { threshold: 0.9 }, entities: { minConfidence: 0.8 } };
    const fresh = await startServer(folder, stricter);
    let expected: string[];
    try {
      expected = await queue(fresh, allExact);
    } finally {
      await fresh.close();
    }
    // The client answers the server's configuration requests from this object.
    const settings: Record<string, unknown> = { workspace: { workers: 2 } };
    const s = await startServer(folder, settings);
    try {
      const before = await queue(s, allExact);
      assert.notDeepEqual(before, expected, 'the stricter settings give other figures');
      Object.assign(settings, stricter);
      await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { newsAnnotator: settings } });
      await queue(s, (q) => q.documents.some((d) => !d.exact));
      assert.deepEqual(await queue(s, allExact), expected);
    } finally {
      await s.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a label taken out of labels.json leaves the corpus: it is read again, as a start with that schema reads it', async () => {
    const folder = corpus();
    const schemaFile = path.join(folder, ...LABEL_SCHEMA_PATH.split('/'));
    fs.mkdirSync(path.dirname(schemaFile), { recursive: true });
    const schema = (labels: string[]) => fs.writeFileSync(schemaFile, JSON.stringify({ labels: labels.map((name) => ({ name })) }));
    const labelsOf = async (s: Session) => {
      const r = (await s.connection.sendRequest(Request.workspaceEntities.method, {})) as WorkspaceEntitiesResult;
      return [...new Set(r.entities.map((e) => e.label))].sort();
    };
    schema(['PER', 'ORG', 'LOC', 'MISC']);
    const s = await startServer(folder, { workspace: { workers: 2 } });
    try {
      await indexed(s);
      assert.ok((await labelsOf(s)).includes('LOC'), 'the fixtures name places');
      schema(['PER', 'ORG', 'MISC']);
      await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(schemaFile), type: 2 }] });
      // The scan runs again (a second "Indexed" line): the names found with LOC are gone from the corpus.
      for (let i = 0; s.logs.filter((l) => l.startsWith('Indexed ')).length < 2; i++) {
        if (i > 600) throw new Error(`the corpus was not read again: ${JSON.stringify(s.logs)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const after = await labelsOf(s);
      assert.ok(!after.includes('LOC'), JSON.stringify(after));
      const fresh = await startServer(folder, { workspace: { workers: 2 } });
      try {
        await indexed(fresh);
        assert.deepEqual(after, await labelsOf(fresh));
      } finally {
        await fresh.close();
      }
    } finally {
      await s.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps document tags: a restart from the cache filters by tag as before, and a tag changed on disk is read again', async () => {
    const folder = corpus();
    fs.mkdirSync(path.join(folder, '.news-annotator'), { recursive: true });
    fs.writeFileSync(path.join(folder, ...LABEL_SCHEMA_PATH.split('/')), JSON.stringify({ labels: ['PER', 'ORG', 'LOC', 'MISC'], tags: [{ name: 'genre', values: ['news', 'opinion'] }] }));
    const tag = (name: string, tags: DocumentTags) => {
      const file = path.join(folder, name);
      fs.writeFileSync(file + SIDECAR_SUFFIX, serializeSidecar({ ...emptySidecar(name, fs.readFileSync(file, 'utf8')), tags }));
    };
    tag('doc_03.txt', { genre: 'opinion' });
    tag('doc_04.txt', { genre: 'news' });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-cache-'));
    const opinion = async (): Promise<{ line: string; files: string[] }> => {
      const s = await startServer(folder, { workspace: { workers: 2 } }, { initializationOptions: { cacheFolder: cache } });
      try {
        const line = await indexed(s);
        const q = (await s.connection.sendRequest(Request.reviewQueue.method, { tags: { genre: 'opinion' } })) as ReviewQueueResult;
        return { line, files: q.documents.map((d) => path.basename(decodeURIComponent(d.uri))).sort() };
      } finally {
        await s.close();
      }
    };
    const first = await opinion();
    assert.match(first.line, /: 0 from the cache/);
    assert.deepEqual(first.files, ['doc_03.txt']);
    const second = await opinion();
    assert.match(second.line, new RegExp(`: ${DOCS} from the cache, 0 read and tagged`));
    assert.deepEqual(second.files, ['doc_03.txt'], 'the tags come back from the cache');
    // Another writer retags two documents (their texts unchanged): their sidecars are read again, not the texts tagged.
    tag('doc_03.txt', { genre: 'news' });
    tag('doc_04.txt', { genre: 'opinion' });
    const third = await opinion();
    assert.deepEqual(third.files, ['doc_04.txt'], 'the tags changed on disk are the ones used');
  });

  it('writes no cache into a corpus that did not opt in, and keeps it under .news-annotator/ (git-ignored) in one that did', async () => {
    const plain = corpus();
    const r = await run(plain, undefined);
    assert.match(r.line, /: 0 from the cache/);
    assert.equal(fs.existsSync(path.join(plain, '.news-annotator')), false, 'nothing was added to the corpus');

    const marked = corpus();
    fs.mkdirSync(path.join(marked, '.news-annotator'));
    await run(marked, undefined);
    const again = await run(marked, undefined);
    assert.match(again.line, new RegExp(`: ${DOCS} from the cache`));
    assert.equal(fs.readFileSync(path.join(marked, '.news-annotator', 'cache', '.gitignore'), 'utf8').split('\n').includes('*'), true);
    // The cache folder is not part of the corpus: no .ndjson or cache file is indexed as a document.
    assert.match(again.line, new RegExp(`^Indexed ${DOCS} files`));
  });

  it('a worker that dies (its heap too small for the models here) is replaced, then given up on; its documents are read on the main thread, the same', async () => {
    const folder = corpus();
    try {
      const normal = await run(folder, undefined);
      process.env.NCA_WORKER_HEAP_MB = '16';
      let starved: { line: string; diagnostics: string[] };
      try {
        starved = await run(folder, undefined);
      } finally {
        delete process.env.NCA_WORKER_HEAP_MB;
      }
      assert.match(starved.line, new RegExp(`^Indexed ${DOCS} files .*: 0 from the cache, ${DOCS} read and tagged`));
      assert.deepEqual(starved.diagnostics, normal.diagnostics, 'the corpus-wide flags are the same');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
