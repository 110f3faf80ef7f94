/**
 * The summary cache on disk (host/summaryCache.ts): summaries come back as
 * they were put, strings once per shard in a table that keeps only what its
 * entries use, and a damaged entry is never trusted (its document is read
 * again) nor does it stop the rest of the shard from being used or written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { summarizeDocument, type DocumentSummary } from '../../server/src/core/corpus/summary';
import { SummaryCache } from '../../server/src/host/summaryCache';

const TEXTS = [
  'قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .\nتابعونا على تلغرام',
  'التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني في بكين .\nتابعونا على تلغرام',
  'أعلنت الأمم المتحدة في جنيف أن المساعدات وصلت إلى غزة .',
];

function summaries(): Map<string, DocumentSummary> {
  const out = new Map<string, DocumentSummary>();
  TEXTS.forEach((t, i) => {
    const decided = i === 0 ? [createAnnotation(t, 0, 3, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' })] : [];
    out.set(`/corpus/doc${i}.txt`, summarizeDocument(t, decided, {}, i === 1 ? 'done' : 'todo', undefined, i === 2 ? { genre: 'news' } : {}));
  });
  return out;
}

function shardLines(root: string): string[][] {
  const dir = fs.readdirSync(root).find((d) => d.startsWith('v'))!;
  return fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.startsWith('shard-') && f.endsWith('.ndjson'))
    .map((f) => fs.readFileSync(path.join(root, dir, f), 'utf8').trim().split('\n'));
}

/** A cache folder holding the summaries of TEXTS (stamp `stamp-<file>`, hash `hash-<file>`), written and removed around `fn`. */
async function withWrittenCache(fn: (root: string, cache: SummaryCache, all: Map<string, DocumentSummary>) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-summary-cache-'));
  try {
    const all = summaries();
    const cache = new SummaryCache(root, 'key');
    await cache.load();
    for (const [file, s] of all) cache.put(file, `stamp-${file}`, `hash-${file}`, s);
    await cache.flush();
    await fn(root, cache, all);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function reload(root: string): Promise<SummaryCache> {
  const c = new SummaryCache(root, 'key');
  await c.load();
  return c;
}

describe('summary cache', () => {
  it('gives back every summary as it was put, after a write and a fresh load', () =>
    withWrittenCache(async (root, _cache, all) => {
      assert.ok([...all.values()].some((s) => s.found.normalized.length > 0), 'the detector found names to cache');
      const again = await reload(root);
      for (const [file, s] of all) {
        assert.deepEqual(again.get(file, `stamp-${file}`), s);
        assert.equal(again.get(file, 'another stamp'), undefined);
        assert.equal(again.earlier(file)?.hash, `hash-${file}`);
      }
      // Another key (another analysis) sees nothing.
      const other = new SummaryCache(root, 'other key');
      await other.load();
      assert.equal(other.get('/corpus/doc0.txt', 'stamp-/corpus/doc0.txt'), undefined);
    }));

  it('keeps in a shard table only the strings its documents use', () =>
    withWrittenCache(async (root, cache, all) => {
      const before = shardLines(root).reduce((n, lines) => n + (JSON.parse(lines[1]) as string[]).length, 0);
      cache.retain(new Set(['/corpus/doc2.txt']));
      // The journal folded into the shards: they are written anew.
      await cache.flush({ compact: true });
      const lines = shardLines(root).find((l) => l.length > 2)!;
      const table = JSON.parse(lines[1]) as string[];
      const doc2 = all.get('/corpus/doc2.txt')!;
      assert.ok(table.length < before);
      assert.deepEqual(new Set(table), new Set([...doc2.found.normalized, ...doc2.found.text, ...doc2.found.labels, ...doc2.found.sources]));
      assert.deepEqual((await reload(root)).get('/corpus/doc2.txt', 'stamp-/corpus/doc2.txt'), doc2);
    }));

  it('never uses an entry that points outside its table, and writes the rest of the shard', () =>
    withWrittenCache(async (root, _cache, all) => {
      const stamp = (file: string) => `stamp-${file}`;
      const dir = path.join(root, fs.readdirSync(root).find((d) => d.startsWith('v'))!);
      let damaged = '';
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
        const lines = fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n');
        for (let k = 2; k < lines.length && !damaged; k++) {
          const v = JSON.parse(lines[k]) as [string, string, string, [string, number[][]]];
          if (!v[3][1][2].length) continue;
          v[3][1][2][0] = 99999;
          lines[k] = JSON.stringify(v);
          damaged = v[0];
          fs.writeFileSync(path.join(dir, f), lines.join('\n') + '\n');
        }
      }
      assert.ok(damaged, 'an entry with names was damaged');
      const again = await reload(root);
      assert.equal(again.get(damaged, stamp(damaged)), undefined, 'the damaged entry is read again from the document');
      for (const [file, s] of all) if (file !== damaged) assert.deepEqual(again.get(file, stamp(file)), s);
      // Every shard written again (documents added): the damaged entry is left out, the others kept.
      for (let k = 0; k < 200; k++) again.put(`/corpus/new${k}.txt`, 's', 'h', all.get('/corpus/doc1.txt')!);
      await again.flush();
      const third = await reload(root);
      assert.equal(third.get(damaged, stamp(damaged)), undefined);
      for (const [file, s] of all) if (file !== damaged) assert.deepEqual(third.get(file, stamp(file)), s);
      assert.deepEqual(third.get('/corpus/new7.txt', 's'), all.get('/corpus/doc1.txt'));
      const entries = shardLines(root).reduce((n, lines) => n + lines.length - 2, 0);
      assert.equal(entries, 200 + all.size - 1, 'the damaged entry is no longer on disk');
    }));

  it('reads entries whose paths and stamps hold quotes, backslashes, commas, brackets and Arabic', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-summary-cache-'));
    try {
      const s = summaries().get('/corpus/doc0.txt')!;
      const files = ['/c/a "quoted", \\back\\slash.txt', '/c/[brackets],["x"].txt', '/c/مقال ١.txt', '/c/tab\there.txt', '/c/\\".txt'];
      const cache = new SummaryCache(root, 'key');
      await cache.load();
      for (const f of files) cache.put(f, `s"${f}",[`, `h\\${f}`, s);
      await cache.flush();
      const again = await reload(root);
      for (const f of files) {
        assert.deepEqual(again.get(f, `s"${f}",[`), s, f);
        assert.equal(again.earlier(f)?.hash, `h\\${f}`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('drops an entry whose summary does not read back, keeps the rest of its shard, and writes the shard without it', () =>
    withWrittenCache(async (root, _cache, all) => {
      const dir = path.join(root, fs.readdirSync(root).find((d) => d.startsWith('v'))!);
      const shard = fs.readdirSync(dir).find((f) => f.endsWith('.ndjson') && fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').length > 2)!;
      const lines = fs.readFileSync(path.join(dir, shard), 'utf8').trim().split('\n');
      const [file] = JSON.parse(lines[2]) as [string];
      lines[2] = JSON.stringify([file, `stamp-${file}`, `hash-${file}`, { not: 'a summary' }]);
      fs.writeFileSync(path.join(dir, shard), lines.join('\n') + '\n');
      const again = await reload(root);
      assert.equal(again.get(file, `stamp-${file}`), undefined);
      assert.equal(again.earlier(file), undefined, 'dropped once found damaged');
      for (const [f, s] of all) if (f !== file) assert.deepEqual(again.get(f, `stamp-${f}`), s);
      await again.flush();
      assert.ok(!fs.readFileSync(path.join(dir, shard), 'utf8').includes(JSON.stringify(file)), 'the shard was written again without it');
    }));

  it('never uses an entry whose block keys or mention numbers are damaged (not base64, cut, not hashes, impossible spans)', async () => {
    const nanBytes = Buffer.alloc(8);
    nanBytes.writeDoubleLE(NaN);
    const f64 = (...xs: number[]) => Buffer.from(new Float64Array(xs).buffer).toString('base64');
    /** Mention numbers as the cache stores them: confidences (64-bit), start and end (32-bit), label and source (16-bit). */
    const mentions = (rows: [start: number, end: number, confidence: number, labelSource: number][]) => {
      const n = rows.length;
      const b = Buffer.alloc(18 * n);
      rows.forEach(([start, end, confidence, ls], i) => {
        b.writeDoubleLE(confidence, 8 * i);
        b.writeUInt32LE(start, 8 * n + 8 * i);
        b.writeUInt32LE(end, 8 * n + 8 * i + 4);
        b.writeUInt16LE(ls, 16 * n + 2 * i);
      });
      return b.toString('base64');
    };
    const damages: [string, (c: [string, [number[], number[], number[], number[], string]]) => void][] = [
      ['block keys not base64', (c) => (c[0] = 'not base64!')],
      ['block keys cut short', (c) => (c[0] = c[0].slice(0, 8))],
      ['a block key that is NaN', (c) => (c[0] = nanBytes.toString('base64'))],
      ['a negative block key', (c) => (c[0] = f64(-5))],
      ['numbers of another length', (c) => (c[1][4] = f64(1, 2, 0.9, 0))],
      ['numbers of one mention fewer', (c) => (c[1][4] = mentions(Array.from({ length: c[1][2].length - 1 }, () => [0, 3, 0.9, 0])))],
      ['a mention ending before it starts', (c) => (c[1][4] = mentions(Array.from({ length: c[1][2].length }, () => [9, 3, 0.9, 0])))],
      ['a label index out of range', (c) => (c[1][4] = mentions(Array.from({ length: c[1][2].length }, () => [0, 3, 0.9, 200 * 256])))],
    ];
    for (const [what, damage] of damages) {
      await withWrittenCache(async (root, _cache, all) => {
        const dir = path.join(root, fs.readdirSync(root).find((d) => d.startsWith('v'))!);
        let damaged = '';
        for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
          const lines = fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n');
          for (let k = 2; k < lines.length && !damaged; k++) {
            const v = JSON.parse(lines[k]) as [string, string, string, [string, [number[], number[], number[], number[], string]]];
            if (!v[3][1][2].length) continue;
            damage(v[3]);
            lines[k] = JSON.stringify(v);
            damaged = v[0];
            fs.writeFileSync(path.join(dir, f), lines.join('\n') + '\n');
          }
        }
        assert.ok(damaged, what);
        const again = await reload(root);
        assert.equal(again.get(damaged, `stamp-${damaged}`), undefined, what);
        for (const [file, s] of all) if (file !== damaged) assert.deepEqual(again.get(file, `stamp-${file}`), s, what);
      });
    }
  });

  it('reads its string tables through `intern` when given one: the summaries hold those very strings', () =>
    withWrittenCache(async (root, _cache, all) => {
      const canonical = new Map<string, string>();
      const c = new SummaryCache(root, 'key');
      c.intern = (x) => {
        if (!canonical.has(x)) canonical.set(x, x);
        return canonical.get(x)!;
      };
      await c.load();
      const s = c.get('/corpus/doc0.txt', 'stamp-/corpus/doc0.txt')!;
      assert.deepEqual(s, all.get('/corpus/doc0.txt'));
      for (const x of [...s.found.normalized, ...s.found.text, ...s.found.labels, ...s.found.sources]) assert.equal(canonical.get(x), x);
      assert.ok(s.found.normalized.length > 0);
    }));

  it('a summary put and asked for again is the same object: the cache holds no second copy', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-summary-cache-'));
    try {
      const s = summaries().get('/corpus/doc1.txt')!;
      const cache = new SummaryCache(root, 'key');
      await cache.load();
      cache.put('/c/x.txt', 'st', 'h', s);
      assert.equal(cache.get('/c/x.txt', 'st'), s);
      await cache.flush();
      const again = await reload(root);
      const read = again.get('/c/x.txt', 'st');
      assert.deepEqual(read, s);
      assert.equal(again.get('/c/x.txt', 'st'), read, 'parsed once');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

/** The shard files' texts by name, and the journal's (undefined when there is none). */
function files(root: string): { shards: Map<string, string>; journal: string | undefined } {
  const dir = path.join(root, fs.readdirSync(root).find((d) => d.startsWith('v'))!);
  const shards = new Map<string, string>();
  for (const f of fs.readdirSync(dir)) if (f.startsWith('shard-')) shards.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  const j = path.join(dir, 'journal.ndjson');
  return { shards, journal: fs.existsSync(j) ? fs.readFileSync(j, 'utf8') : undefined };
}

const OTHER = 'أعلن وزير الخارجية التركي في أنقرة أن الاجتماع المقبل سيعقد في إسطنبول .\nتابعونا على تلغرام';

describe('summary cache journal', () => {
  it('writes a few changes to the journal, the shards untouched; a fresh load reads them over the shards', () =>
    withWrittenCache(async (root, cache, all) => {
      const before = files(root);
      assert.equal(before.journal, undefined);
      const changed = summarizeDocument(OTHER, [], {});
      cache.put('/corpus/doc0.txt', 'stamp-2', 'hash-2', changed);
      cache.retain(new Set(['/corpus/doc0.txt', '/corpus/doc2.txt']));
      assert.equal(cache.changed, true);
      await cache.flush();
      const after = files(root);
      assert.deepEqual(after.shards, before.shards, 'no shard written again');
      assert.equal(after.journal!.trim().split('\n').length, 3, 'a header and two lines: one entry put, one deleted');
      const again = await reload(root);
      assert.deepEqual(again.get('/corpus/doc0.txt', 'stamp-2'), changed);
      assert.equal(again.get('/corpus/doc0.txt', 'stamp-/corpus/doc0.txt'), undefined);
      assert.equal(again.earlier('/corpus/doc1.txt'), undefined, 'deleted');
      assert.deepEqual(again.get('/corpus/doc2.txt', 'stamp-/corpus/doc2.txt'), all.get('/corpus/doc2.txt'));
    }));

  it('folds the journal into the shards when it would pass a fifth of their size, and removes it', () =>
    withWrittenCache(async (root, cache, all) => {
      const put: string[] = [];
      let folded = false;
      for (let i = 0; i < 50 && !folded; i++) {
        const file = `/corpus/new${i}.txt`;
        cache.put(file, `stamp-${file}`, `hash-${file}`, summarizeDocument(OTHER, [], {}));
        put.push(file);
        await cache.flush();
        folded = put.length > 1 && files(root).journal === undefined;
      }
      assert.ok(folded, 'folded within 50 changes');
      const shards = [...files(root).shards.values()].join('\n');
      for (const f of put) assert.ok(shards.includes(JSON.stringify(f)), `${f} is in a shard`);
      const again = await reload(root);
      for (const f of put) assert.ok(again.get(f, `stamp-${f}`));
      for (const [f, s] of all) assert.deepEqual(again.get(f, `stamp-${f}`), s);
    }));

  it('rewriting the shards leaves the entries nobody read as text: a fold does not hold every summary at once', () =>
    withWrittenCache(async (root, _cache, all) => {
      const loaded = await reload(root);
      const [first, ...rest] = [...all.keys()];
      const read = loaded.get(first!, `stamp-${first}`);
      assert.ok(read);
      // New documents in every shard (64 over 32 shards), so that every shard is written again.
      const other = summarizeDocument(OTHER, [], {});
      for (let i = 0; i < 64; i++) loaded.put(`/corpus/new${i}.txt`, 'stamp-new', 'hash-new', other);
      await loaded.flush({ compact: true });
      assert.equal(files(root).journal, undefined, 'the shards were rewritten');
      assert.equal(loaded.held(first!)!.summary, read, 'an entry read before keeps its summary object');
      for (const f of rest) assert.equal(loaded.held(f)!.summary, undefined, `${f}: read only to be written, and back to text`);
      // …and the text reads back as the summary put, in this cache and in a fresh one.
      for (const f of rest) assert.deepEqual(loaded.get(f, `stamp-${f}`), all.get(f));
      const again = await reload(root);
      for (const [f, s] of all) assert.deepEqual(again.get(f, `stamp-${f}`), s);
    }));

  it('while the shards are being rewritten, every entry reads back as it was put (text entries keep the table that numbers them)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-summary-cache-'));
    try {
      // Other documents first in every shard, so their strings come first in each table; removing
      // them renumbers the rest, and an entry still in text must be read with the table it was written in.
      const cache = new SummaryCache(root, 'key');
      await cache.load();
      const other = summarizeDocument(OTHER, [], {});
      for (let i = 0; i < 64; i++) cache.put(`/corpus/other${i}.txt`, 'stamp-o', 'hash-o', other);
      const all = summaries();
      for (const [file, s] of all) cache.put(file, `stamp-${file}`, `hash-${file}`, s);
      await cache.flush();
      // A write a line: each entry asked for while its shard is being written (its temporary file there),
      // once its line is out: text numbered in the new table while the shard's table is still the old one.
      const loaded = new SummaryCache(root, 'key', 1);
      await loaded.load();
      for (let i = 0; i < 64; i++) loaded.delete(`/corpus/other${i}.txt`);
      const dir = path.join(root, fs.readdirSync(root).find((d) => d.startsWith('v'))!);
      let done = false;
      const flushing = loaded.flush({ compact: true }).then(() => (done = true));
      const checked = new Set<string>();
      while (!done) {
        const tmp = fs.readdirSync(dir).find((n) => n.includes('.tmp-'));
        // The write goes on in libuv's threads: the file listed may be renamed before it is read.
        let writing = '';
        try {
          if (tmp) writing = fs.readFileSync(path.join(dir, tmp), 'utf8');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
        for (const [f, s] of all) {
          if (checked.has(f) || !writing.includes(JSON.stringify(f))) continue;
          assert.equal(loaded.held(f)!.summary, undefined, `${f}: still text`);
          assert.deepEqual(loaded.get(f, `stamp-${f}`), s, `${f}, read while its shard is written`);
          checked.add(f);
        }
        await new Promise((r) => setImmediate(r));
      }
      await flushing;
      assert.ok(checked.size >= all.size - 1, `entries read between the writes: ${checked.size} of ${all.size}`);
      for (const [f, s] of all) assert.deepEqual(loaded.get(f, `stamp-${f}`), s);
      const again = await reload(root);
      for (const [f, s] of all) assert.deepEqual(again.get(f, `stamp-${f}`), s);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a journal cut short or damaged: its whole lines are read, the rest left out, and the next flush writes the shards anew', () =>
    withWrittenCache(async (root, cache, all) => {
      // Shards large enough for two changes to go to the journal.
      const fill = [...all.values()];
      for (let i = 0; i < 40; i++) cache.put(`/corpus/fill${i}.txt`, 'stamp', 'hash', fill[i % fill.length]);
      await cache.flush({ compact: true });
      const a = summarizeDocument(OTHER, [], {});
      cache.put('/corpus/doc0.txt', 'stamp-a', 'hash-a', a);
      await cache.flush();
      cache.put('/corpus/doc1.txt', 'stamp-b', 'hash-b', a);
      await cache.flush();
      const dir = path.join(root, fs.readdirSync(root).find((d) => d.startsWith('v'))!);
      const journal = path.join(dir, 'journal.ndjson');
      const text = fs.readFileSync(journal, 'utf8');
      // The last line cut in the middle (a crash while appending), a line of garbage before it.
      const lines = text.trim().split('\n');
      fs.writeFileSync(journal, [...lines.slice(0, 2), '["/corpus/doc2.txt", 3, {]', lines[2].slice(0, 40)].join('\n'));
      const again = await reload(root);
      assert.deepEqual(again.get('/corpus/doc0.txt', 'stamp-a'), a, 'a whole line is read');
      assert.equal(again.get('/corpus/doc1.txt', 'stamp-b'), undefined, 'the cut line is not');
      assert.ok(again.get('/corpus/doc1.txt', 'stamp-/corpus/doc1.txt'), "its shard's entry is left");
      assert.ok(again.get('/corpus/doc2.txt', 'stamp-/corpus/doc2.txt'), 'the garbage line changes nothing');
      await again.flush();
      assert.equal(files(root).journal, undefined, 'folded into the shards');
      const third = await reload(root);
      assert.deepEqual(third.get('/corpus/doc0.txt', 'stamp-a'), a);
      // A journal of another cache (another key) is not read.
      fs.writeFileSync(journal, JSON.stringify({ format: 'news-annotator/summary-cache', version: 4, key: 'other', journal: true }) + '\n' + JSON.stringify(['/corpus/doc0.txt', null]) + '\n');
      assert.deepEqual((await reload(root)).get('/corpus/doc0.txt', 'stamp-a'), a);
    }));
});
