/**
 * The snapshot of corpus totals (core/corpus/totals.ts, kept with the summary
 * cache): a restart that installs it holds exactly the corpus a restart that
 * counts every document holds, before and after documents change, leave or
 * arrive; a snapshot that no longer matches the cache, or is damaged, is not
 * used, and the documents are counted one by one.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { CorpusMemory } from '../../server/src/core/corpus/memory';
import { summarizeDocument, type DocumentSummary } from '../../server/src/core/corpus/summary';
import type { CorpusTotals } from '../../server/src/core/corpus/totals';
import { Workspace } from '../../server/src/host/workspace';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'workspace');
const FOOTER = 'تابعونا على تلغرام للمزيد من الأخبار العاجلة';

/** Paragraphs of the fixture articles, two by two, each document ending with the shared footer (a repeated block). */
function texts(): string[] {
  const paras = fs
    .readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8').split(/\n\s*\n/))
    .map((p) => p.trim())
    .filter((p) => p.length > 40);
  const out: string[] = [];
  for (let i = 0; i + 1 < paras.length; i += 2) out.push(`${paras[i]}\n\n${paras[i + 1]}\n\n${FOOTER}\n`);
  return out;
}

/** Everything the corpus memory tells about the corpus, in a comparable form (document order aside). */
function fingerprint(m: CorpusMemory): unknown {
  const stats = m.toStats('x');
  const mentions: Record<string, unknown> = {};
  for (const e of m.entities((id) => id, 100_000)) mentions[`${e.label} ${e.normalized}`] = [m.mentions(e.label, e.normalized), e.count, [...e.documents].sort((a, b) => (a.uri < b.uri ? -1 : 1))];
  const lookups: Record<string, unknown> = {};
  const ids = [...m.docIds()].sort();
  // Sums of confidences in another order differ in the last bits (as after any removal): compared to 1e-9.
  const hit = (h: ReturnType<CorpusMemory['names']['lookup']>) => h && { ...h, confidence: Math.round(h.confidence * 1e9) / 1e9 };
  for (const key of Object.keys(stats.names).sort()) lookups[key] = [hit(m.names.lookup(key)), ...ids.slice(0, 4).map((id) => hit(m.names.lookup(key, id)))];
  return { stats, mentions, lookups, ids, blocks: m.blocks.size, progress: m.progress() };
}

function summaries(): Map<string, DocumentSummary> {
  const out = new Map<string, DocumentSummary>();
  texts().forEach((t, i) => {
    const at = t.indexOf('إيران');
    const decided = i === 1 && at >= 0 ? [createAnnotation(t, [...t.slice(0, at)].length, [...t.slice(0, at)].length + 5, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' })] : [];
    out.set(`doc${i}`, summarizeDocument(t, decided, {}, i === 2 ? 'done' : 'todo'));
  });
  return out;
}

function memoryOf(docs: Iterable<[string, DocumentSummary]>): CorpusMemory {
  const m = new CorpusMemory();
  for (const [id, s] of docs) m.set(id, s);
  return m;
}

describe('corpus totals snapshot: the corpus memory', () => {
  it('installed with their summaries, totals give the memory that counting every document gives, also after changes', () => {
    const all = summaries();
    assert.ok(all.size >= 6, 'enough documents');
    const full = memoryOf(all);
    assert.ok(Object.keys(full.toStats('x').names).length > 5, 'names found across the corpus');
    assert.ok(Object.values(full.toStats('x').blocks).some((n) => n === all.size), 'the footer counted in every document');
    const snap = new CorpusMemory();
    snap.installTotals(full.totals(), all);
    assert.deepEqual(fingerprint(snap), fingerprint(full));
    // A document replaced by another text's summary, one removed: both memories the same again.
    const other = summarizeDocument('قال وزير الخارجية الإيراني في طهران إن باكستان شريك .\n' + FOOTER, [], {});
    for (const m of [full, snap]) {
      m.set('doc0', other);
      m.remove('doc3');
    }
    assert.deepEqual(fingerprint(snap), fingerprint(full));
    // Every document removed: nothing is left of the totals.
    for (const m of [full, snap]) for (const id of [...m.docIds()]) m.remove(id);
    assert.deepEqual(fingerprint(snap), fingerprint(new CorpusMemory()));
  });

  it('totals less some documents count the others only; a document held already keeps its own summary', () => {
    const all = summaries();
    const full = memoryOf(all);
    // doc0 left out of the snapshot: added one by one afterwards.
    const rest = [...all].filter(([id]) => id !== 'doc0');
    const snap = new CorpusMemory();
    snap.installTotals(full.totals(['doc0']), rest);
    snap.set('doc0', all.get('doc0')!);
    assert.deepEqual(fingerprint(snap), fingerprint(full));
    // doc1 held (from an editor buffer, say) before the snapshot comes in: the buffer's summary stays.
    const buffer = summarizeDocument('أعلنت الأمم المتحدة في جنيف أن المساعدات وصلت إلى غزة .\n' + FOOTER, [], {});
    const held = new CorpusMemory();
    held.set('doc1', buffer);
    held.installTotals(full.totals(), all);
    assert.equal(held.summary('doc1'), buffer);
    assert.deepEqual(fingerprint(held), fingerprint(memoryOf([...all].map(([id, s]): [string, DocumentSummary] => [id, id === 'doc1' ? buffer : s]))));
  });

  it('refuses totals no documents could have given, and changes nothing then', () => {
    const all = summaries();
    const good = memoryOf(all).totals();
    const damaged: [string, (t: CorpusTotals) => void][] = [
      ['a block count of 0', (t) => (t.blocks.counts[0] = 0)],
      ['a block key that is not a hash', (t) => (t.blocks.keys[0] = -1)],
      ['block keys and counts of different lengths', (t) => (t.blocks.counts = t.blocks.counts.slice(1))],
      ['more documents than mentions', (t) => (t.names.numbers[0] = t.names.numbers[1] + 1)],
      ['a fractional count', (t) => (t.entities.numbers[1] = 1.5)],
      ['a confidence that is not a number', (t) => (t.names.numbers[2] = NaN)],
      ['an empty name', (t) => (t.entities.keys[0] = '')],
      ['a name and label twice', (t) => {
        t.names.keys.push(t.names.keys[0]);
        t.names.labels.push(t.names.labels[0]);
        t.names.numbers.push(1, 1, 0.9);
      }],
      ['columns of different lengths', (t) => t.entities.numbers.pop()],
    ];
    for (const [what, damage] of damaged) {
      const t: CorpusTotals = structuredClone(good);
      damage(t);
      const m = new CorpusMemory();
      assert.throws(() => m.installTotals(t, all), Error, what);
      assert.deepEqual(fingerprint(m), fingerprint(new CorpusMemory()), what);
    }
  });
});

/** A corpus folder of the test texts, a sidecar with an accepted name in one, and a cache folder. */
function corpus(): { dir: string; cache: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-snapshot-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-snapshot-cache-'));
  texts().forEach((t, i) => fs.writeFileSync(path.join(dir, `doc${String(i).padStart(2, '0')}.txt`), t));
  const a = path.join(dir, 'doc01.txt');
  const text = fs.readFileSync(a, 'utf8');
  const at = [...text.slice(0, Math.max(0, text.indexOf('إيران')))].length;
  const sc = emptySidecar(a, text);
  sc.annotations.push(createAnnotation(text, at, at + 5, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' }));
  fs.writeFileSync(a + '.ann.json', serializeSidecar(sc));
  return { dir, cache, files: fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort().map((n) => path.join(dir, n)) };
}

/** Runs `fn` on a fresh corpus(), removing its folders afterwards. */
async function withCorpus(fn: (c: ReturnType<typeof corpus>) => Promise<void>): Promise<void> {
  const c = corpus();
  try {
    await fn(c);
  } finally {
    fs.rmSync(c.dir, { recursive: true, force: true });
    fs.rmSync(c.cache, { recursive: true, force: true });
  }
}

async function scanned(dir: string, cache: string | null): Promise<{ ws: Workspace; report: Awaited<ReturnType<Workspace['scan']>> }> {
  const ws = new Workspace({ folders: [dir] });
  ws.cacheFolder = cache;
  const report = await ws.scan();
  return { ws, report };
}

function snapshotFile(cache: string): string {
  const dir = fs.readdirSync(cache).find((d) => d.startsWith('v'))!;
  return path.join(cache, dir, 'totals.json');
}

describe('corpus totals snapshot: a restart', () => {
  it('counts the unchanged documents by the snapshot and re-reads the rest, holding what a full count holds', async () => {
    await withCorpus(async ({ dir, cache, files }) => {
      const first = await scanned(dir, cache);
      assert.equal(first.report.fromSnapshot, 0);
      assert.ok(fs.existsSync(snapshotFile(cache)), 'a snapshot is written with the cache');
      const again = await scanned(dir, cache);
      assert.equal(again.report.fromSnapshot, files.length);
      assert.equal(again.report.analysed, 0);
      assert.deepEqual(fingerprint(again.ws.memory), fingerprint(first.ws.memory));
      // A text changed, a document deleted, one added, a decision taken in another's sidecar.
      fs.appendFileSync(files[0], 'وأضاف الرئيس الباكستاني أن إسلام آباد لن تقبل بذلك .\n');
      fs.rmSync(files[3]);
      fs.writeFileSync(path.join(dir, 'new.txt'), `أعلنت الأمم المتحدة في جنيف أن المساعدات وصلت إلى غزة .\n\n${FOOTER}\n`);
      const b = files[4];
      const bt = fs.readFileSync(b, 'utf8');
      const sc = emptySidecar(b, bt);
      sc.annotations.push(createAnnotation(bt, 0, 4, { kind: 'entity', label: 'ORG', status: 'rejected', source: 'user' }));
      fs.writeFileSync(b + '.ann.json', serializeSidecar(sc));
      const changed = await scanned(dir, cache);
      assert.equal(changed.report.fromSnapshot, files.length - 3, 'all but the changed, deleted and re-decided documents');
      const fresh = await scanned(dir, null);
      assert.deepEqual(fingerprint(changed.ws.memory), fingerprint(fresh.ws.memory));
      // The snapshot written then counts the new state: the next restart takes every document from it.
      const next = await scanned(dir, cache);
      assert.equal(next.report.fromSnapshot, files.length);
      assert.deepEqual(fingerprint(next.ws.memory), fingerprint(fresh.ws.memory));
    });
  });

  it('a document held before the scan (an editor restored with the window) keeps the snapshot from being wasted', async () => {
    await withCorpus(async ({ dir, cache, files }) => {
      await scanned(dir, cache);
      const fresh = fingerprint((await scanned(dir, null)).ws.memory);
      const ws = new Workspace({ folders: [dir] });
      ws.cacheFolder = cache;
      // The buffer differs from the disk; the scan reads that document as it would without a snapshot.
      ws.indexText(files[2], fs.readFileSync(files[2], 'utf8') + 'وأضاف أن بغداد ستستضيف الاجتماع .\n', [], 'todo');
      const report = await ws.scan();
      assert.equal(report.fromSnapshot, files.length - 1);
      assert.equal(report.fromCache, files.length);
      assert.deepEqual(fingerprint(ws.memory), fresh);
      // A memory that holds the whole corpus already (a scan again) takes no snapshot, and holds the same.
      const again = await ws.scan();
      assert.equal(again.fromSnapshot, 0);
      assert.deepEqual(fingerprint(ws.memory), fresh);
    });
  });

  it('does not use a snapshot that is damaged, or counts entries the cache no longer has, and writes a good one', async () => {
    await withCorpus(async ({ dir, cache, files }) => {
      await scanned(dir, cache);
      const file = snapshotFile(cache);
      const good = fs.readFileSync(file, 'utf8');
      const fresh = fingerprint((await scanned(dir, null)).ws.memory);
      const parsed = () => JSON.parse(good) as { blocks: [string, string]; names: [string[], string[], number[]]; stamps: string[]; version: number };
      const damaged: [string, string][] = [
        ['cut short', good.slice(0, good.length / 2)],
        ['not JSON', 'garbage'],
        ['another version', JSON.stringify({ ...parsed(), version: 99 })],
        ['block counts not base64', JSON.stringify({ ...parsed(), blocks: [parsed().blocks[0], '@@@@'] })],
        ['negative name counts', JSON.stringify((() => {
          const v = parsed();
          v.names[2] = v.names[2].map((x) => -x);
          return v;
        })())],
      ];
      for (const [what, text] of damaged) {
        fs.writeFileSync(file, text);
        const r = await scanned(dir, cache);
        assert.equal(r.report.fromSnapshot, 0, what);
        assert.deepEqual(fingerprint(r.ws.memory), fresh, what);
        assert.equal(fs.readFileSync(file, 'utf8'), good, `${what}: written again`);
      }
      // A stale snapshot: the cache was written again since (a document changed), the snapshot put back.
      fs.appendFileSync(files[1], 'وأضاف أن المحادثات ستستمر .\n');
      await scanned(dir, cache);
      fs.writeFileSync(file, good);
      const stale = await scanned(dir, cache);
      assert.equal(stale.report.fromSnapshot, 0);
      assert.deepEqual(fingerprint(stale.ws.memory), fingerprint((await scanned(dir, null)).ws.memory));
    });
  });
});
