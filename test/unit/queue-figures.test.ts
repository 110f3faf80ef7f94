/**
 * The Review Queue's exact figures kept for the next start (host/queueFigures.ts): they are
 * taken back only over the very corpus, settings and analysis they were computed over. What
 * that rests on: the corpus memory's content version moves when what it holds changes, and
 * only then (core/corpus/memory.ts, summary.ts sameSummary); the figures' file is refused when
 * it is of another basis or damaged; a workspace offers them only while its corpus is as its
 * last scan left it.
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { CorpusMemory } from '../../server/src/core/corpus/memory';
import type { QueueStats } from '../../server/src/core/corpus/queue';
import { sameSummary, summarizeDocument } from '../../server/src/core/corpus/summary';
import { CorpusPrint, readFigures, writeFigures, type FiguresBasis } from '../../server/src/host/queueFigures';
import { Workspace } from '../../server/src/host/workspace';

const A = 'قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .\n\nتابعونا على تلغرام للمزيد من الأخبار العاجلة\n';
const B = 'أعلنت الأمم المتحدة في جنيف أن المساعدات وصلت إلى غزة .\n\nتابعونا على تلغرام للمزيد من الأخبار العاجلة\n';

const stats = (n: number): QueueStats => ({ openSuggestions: n, uncertain: 1, newNames: 2, fromDictionary: 0, accepted: 3, priority: n + 0.25 });

describe('what the corpus holds: sameSummary and the content version', () => {
  it('a document summarised again from the same text says the same; other text, decisions or tags do not', () => {
    const a = summarizeDocument(A, [], {});
    assert.ok(sameSummary(a, summarizeDocument(A, [], {})));
    assert.ok(!sameSummary(a, summarizeDocument(B, [], {})));
    const decided = [createAnnotation(A, 20, 29, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' })];
    assert.ok(!sameSummary(a, summarizeDocument(A, decided, {})));
    assert.ok(!sameSummary(a, summarizeDocument(A, [], {}, 'done')));
    assert.ok(!sameSummary(a, summarizeDocument(A, [], {}, 'todo', undefined, { genre: 'news' })));
    // The same names found, with one confidence another: another summary.
    const other = summarizeDocument(A, [], {});
    other.found.numbers.setUint8(other.found.numbers.byteLength - 1, other.found.numbers.getUint8(other.found.numbers.byteLength - 1) ^ 1);
    assert.ok(!sameSummary(a, other));
  });

  it('moves when a document is added, replaced by something else, or removed; not when the same is set again', () => {
    const m = new CorpusMemory();
    const v0 = m.contentVersion;
    m.set('a', summarizeDocument(A, [], {}));
    const v1 = m.contentVersion;
    assert.ok(v1 > v0);
    m.set('a', summarizeDocument(A, [], {}));
    assert.equal(m.contentVersion, v1, 'the same text summarised again (an editor opening the file)');
    m.set('a', summarizeDocument(A, [createAnnotation(A, 20, 29, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' })], {}));
    const v2 = m.contentVersion;
    assert.ok(v2 > v1, 'a decision');
    m.remove('nothing-held');
    assert.equal(m.contentVersion, v2);
    m.remove('a');
    assert.ok(m.contentVersion > v2);
  });
});

describe('the figures file', () => {
  const basis: FiguresBasis = { key: 'k', corpus: 'c', settings: '[]' };
  const made: string[] = [];
  const tmp = () => made[made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'nca-figures-'))) - 1];
  after(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads back what was written, for the same basis only', async () => {
    const dir = tmp();
    const rows: [string, QueueStats][] = [
      ['/x/a.txt', stats(4)],
      ['/x/b.txt', stats(0)],
    ];
    assert.equal(await writeFigures(dir, basis, rows), true);
    assert.deepEqual([...(await readFigures(dir, basis))!], rows);
    for (const other of [{ ...basis, key: 'k2' }, { ...basis, corpus: 'c2' }, { ...basis, settings: '[1]' }]) assert.equal(await readFigures(dir, other), undefined);
    assert.deepEqual(fs.readdirSync(dir), ['queue-figures.json'], 'no temporary file left');
  });

  it('refuses a file that is missing, torn, or holds what no queue could', async () => {
    const dir = tmp();
    assert.equal(await readFigures(dir, basis), undefined);
    await writeFigures(dir, basis, [['/x/a.txt', stats(4)]]);
    const file = path.join(dir, 'queue-figures.json');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.slice(0, good.length - 5));
    assert.equal(await readFigures(dir, basis), undefined, 'torn');
    const v = JSON.parse(good) as { numbers: number[]; files: unknown[]; version: number };
    for (const bad of [
      { ...v, numbers: [-1, 1, 2, 0, 3, 4.25] },
      { ...v, numbers: [1.5, 1, 2, 0, 3, 4.25] },
      { ...v, numbers: [4, 1, 2, 0, 3] },
      { ...v, files: [7] },
      { ...v, version: 99 },
    ]) {
      fs.writeFileSync(file, JSON.stringify(bad));
      assert.equal(await readFigures(dir, basis), undefined, JSON.stringify(bad));
    }
  });

  it('a corpus print tells documents and stamps apart', () => {
    const print = (rows: [string, string][]) => {
      const p = new CorpusPrint();
      for (const [f, s] of rows) p.add(f, s);
      return p.digest();
    };
    const base = print([['a', '1:2:3:4'], ['b', '5:6:7:8']]);
    assert.equal(print([['a', '1:2:3:4'], ['b', '5:6:7:8']]), base);
    assert.notEqual(print([['a', '1:2:3:4'], ['b', '5:6:7:9']]), base);
    assert.notEqual(print([['a', '1:2:3:4']]), base);
    assert.notEqual(print([['a', '1:2:3:4'], ['b', '5:6:7:8'], ['c', '1']]), base);
    assert.notEqual(print([['a\u00001:2:3:4\nb', '5:6:7:8']]), base);
  });
});

/** A folder of two articles and an empty cache folder, removed when the tests end. */
function twoArticles(): { dir: string; cache: string; a: string; b: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-figures-ws-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-figures-cache-'));
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });
  const a = path.join(dir, 'a.txt');
  const b = path.join(dir, 'b.txt');
  fs.writeFileSync(a, A);
  fs.writeFileSync(b, B);
  return { dir, cache, a, b };
}

describe('a workspace offers the figures over the corpus its last scan read', () => {
  it('keeps and reads them while the corpus is as scanned, and across a restart; not after a change', async () => {
    const { dir, cache, a, b } = twoArticles();
    const start = async () => {
      const ws = new Workspace({ folders: [dir] });
      ws.cacheFolder = cache;
      await ws.scan();
      return ws;
    };
    const rows: [string, QueueStats][] = [
      [a, stats(3)],
      [b, stats(1)],
    ];
    const ws = await start();
    assert.equal(await ws.readQueueFigures(), undefined, 'none kept yet');
    assert.equal(await ws.keepQueueFigures(rows), true);
    assert.deepEqual([...(await ws.readQueueFigures())!], rows);
    // An editor opens a document as it is on disk: nothing changed.
    ws.indexText(a, A, [], 'todo');
    assert.deepEqual([...(await ws.readQueueFigures())!], rows);
    // …and with text not saved yet: the corpus is not the one the figures were of.
    ws.indexText(a, `${A}فقرة لم تحفظ.\n`, [], 'todo');
    assert.equal(await ws.readQueueFigures(), undefined);
    assert.equal(await ws.keepQueueFigures(rows), false, 'figures of a corpus that is not on disk are not kept');

    const again = await start();
    assert.deepEqual([...(await again.readQueueFigures())!], rows, 'a restart over the same files');
    // Other settings, another reading of the same corpus.
    again.configure({ boilerplate: { threshold: 0.9 } });
    assert.equal(await again.readQueueFigures(), undefined);

    fs.appendFileSync(b, 'وأضاف الرئيس أن المحادثات ستستمر .\n');
    const changed = await start();
    assert.equal(await changed.readQueueFigures(), undefined, 'a file changed since');
  });
});

describe('the corpus print', () => {
  it('is taken only when every document is held as its cache entry says, whatever the version says', async () => {
    const { dir, cache, a, b } = twoArticles();
    const ws = new Workspace({ folders: [dir] });
    ws.cacheFolder = cache;
    await ws.scan();
    // What the end of a scan does, with the cache's entries loaded again (the scan released them).
    type Cache = { load(): Promise<void>; held(f: string): { stamp: string } | undefined; get(f: string, stamp: string): unknown };
    type Printer = { summaryCache(): Cache; printCorpus(c: Cache, files: string[]): Promise<{ corpus: string } | undefined> };
    const w = ws as unknown as Printer;
    const c = w.summaryCache();
    await c.load();
    const files = [a, b];
    // Each entry read back (its own objects: the print compares the summaries' content).
    for (const f of files) assert.ok(c.get(f, c.held(f)!.stamp));
    const printed = await w.printCorpus(c, files);
    assert.ok(printed, 'the memory holds what the cache says');
    // An editor's buffer, the same as on disk: the same print.
    ws.indexText(a, A, [], 'todo');
    assert.equal((await w.printCorpus(c, files))?.corpus, printed.corpus);
    // A buffer that is not on disk, held before the print is taken (an editor indexed between the
    // scan's reading of the file and the print): no print, though nothing moved since it began.
    ws.indexText(a, `${A}فقرة لم تحفظ.\n`, [], 'todo');
    assert.equal(await w.printCorpus(c, files), undefined);
  });
});

