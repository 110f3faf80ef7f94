/**
 * The journal of a large sidecar (core/annotations/journal.ts,
 * host/sidecarFiles.ts): decisions appended instead of a rewrite, read back
 * with the file, folded in by compaction or by any full write, and never
 * trusted blindly (torn last line, damaged lines, stale journals, links).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { applyJournal, diffForJournal, journalHeader, journalLines, parseJournal } from '../../server/src/core/annotations/journal';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import {
  compactSidecar,
  JOURNAL_MIN_BYTES,
  journalPathOf,
  moveSidecar,
  readSidecar,
  sidecarPath,
  writeSidecarAtomic,
  SidecarFileError,
} from '../../server/src/host/sidecarFiles';
import { bigDocument, manyAnnotations } from '../reliability/bigSidecar';

const STAMP = new Date('2026-12-01T10:00:00.000Z');

function small(): { text: string; s: Sidecar } {
  const text = 'Ali met Sara in Cairo. علي في القاهرة.';
  const s = emptySidecar('a.txt', text);
  s.annotations = [
    createAnnotation(text, 0, 3, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' }, STAMP, 'id-ali'),
    createAnnotation(text, 8, 12, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' }, STAMP, 'id-sara'),
  ];
  return { text, s };
}

test('diff and apply: puts, removals and the other fields round-trip; odd keys survive', () => {
  const { text, s } = small();
  const cairo = createAnnotation(text, 16, 21, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' }, STAMP, 'id-cairo');
  // An unknown key named like an Object.prototype member must stay data.
  const odd = JSON.parse('{"__proto__": {"x": 1}, "toString": "kept"}') as Record<string, unknown>;
  Object.assign(cairo, { toString: odd.toString });
  Object.defineProperty(cairo, '__proto__', { value: { x: 1 }, enumerable: true, writable: true, configurable: true });
  const relabelled = { ...s.annotations[0], label: 'ORG' };
  const next: Sidecar = { ...s, review: { status: 'in-progress' }, tags: { topic: 'sport' }, annotations: [relabelled, cairo] };
  const ops = diffForJournal(s, next);
  assert.equal(ops.filter((o) => 'put' in o).length, 2, 'the relabel and the new one');
  assert.deepEqual(ops.filter((o) => 'remove' in o), [{ remove: 'id-sara' }]);
  assert.equal(ops.filter((o) => 'top' in o).length, 1);
  // Through the text of a journal file and back.
  const parsed = parseJournal(journalHeader('base') + journalLines(ops));
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  const applied = applyJournal(s, parsed.ops);
  assert.ok(applied.ok);
  if (!applied.ok) return;
  assert.equal(serializeSidecar(applied.sidecar), serializeSidecar(next));
  const c = applied.sidecar.annotations.find((a) => a.id === 'id-cairo')!;
  assert.equal(Object.getPrototypeOf(c) === Object.prototype || Object.getPrototypeOf(c) === null, true, 'no prototype was set from the data');
  assert.ok(Object.prototype.hasOwnProperty.call(c, '__proto__'));
  assert.equal((c as unknown as Record<string, unknown>).toString, 'kept');
  // Nothing changed: no ops.
  assert.deepEqual(diffForJournal(s, { ...s, annotations: [...s.annotations] }), []);
});

test('parse: a torn last line is left out; a damaged line or header is refused; the chain extends line by line', () => {
  const { s } = small();
  const line = journalLines([{ remove: 'id-ali' }]);
  const full = journalHeader('b') + line;
  const torn = parseJournal(full + '{"put":{"id":"x"');
  assert.ok(torn.ok && torn.ops.length === 1);
  const whole = parseJournal(full);
  assert.ok(whole.ok && torn.ok && whole.chain === torn.chain, 'the torn line is not part of the fingerprint');
  assert.equal(parseJournal(journalHeader('b') + 'not json\n' + line).ok, false);
  assert.equal(parseJournal('{"journal":99,"base":"b"}\n').ok, false);
  assert.equal(parseJournal(journalHeader('b') + '{"put":1}\n').ok, false);
  assert.equal(parseJournal(journalHeader('b') + '{"put":{},"remove":"x"}\n').ok, false);
  // A put that is not a valid annotation is refused when applied, naming the journal.
  const bad = applyJournal(s, [{ put: { id: 'z', kind: 'entity' } as unknown as SidecarAnnotation }]);
  assert.ok(!bad.ok && bad.errors.every((e) => e.startsWith('journal: ')));
});

/** A folder with a document and a sidecar just over the journal threshold. */
function largeFixture(): { dir: string; doc: string; text: string; st: Extract<ReturnType<typeof readSidecar>, { status: 'ok' }> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-journal-'));
  const text = bigDocument(120 * 1024, 3);
  const doc = path.join(dir, 'big.txt');
  fs.writeFileSync(doc, text);
  let count = 6000;
  let json = '';
  for (;;) {
    json = serializeSidecar({ ...emptySidecar('big.txt', text), annotations: manyAnnotations(text, count) });
    if (Buffer.byteLength(json) > JOURNAL_MIN_BYTES) break;
    count += 3000;
  }
  fs.writeFileSync(sidecarPath(doc), json);
  const st = readSidecar(doc);
  assert.equal(st.status, 'ok');
  if (st.status !== 'ok') throw new Error('unreachable');
  return { dir, doc, text, st };
}

function accepted(text: string, start: number, end: number, id: string, label = 'LOC'): SidecarAnnotation {
  return createAnnotation(text, start, end, { kind: 'entity', label, status: 'accepted', source: 'user' }, STAMP, id);
}

test('a large sidecar: decisions are appended to the journal, read back with the file, folded in by compaction', () => {
  const { dir, doc, text, st } = largeFixture();
  try {
    const before = fs.readFileSync(sidecarPath(doc));
    const one = accepted(text, 0, 4, 'new-one');
    const w1 = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, one] }, st, { text, journal: true });
    assert.ok(fs.existsSync(journalPathOf(sidecarPath(doc))), 'a journal');
    assert.ok(before.equals(fs.readFileSync(sidecarPath(doc))), 'the sidecar file itself is not rewritten');
    // A removal and a relabel, appended to the same journal.
    const gone = st.sidecar.annotations[10];
    const relabel = { ...st.sidecar.annotations[20], label: 'MISC' };
    const anns2 = w1.sidecar.annotations.filter((a) => a !== gone).map((a) => (a.id === relabel.id ? relabel : a));
    const w2 = writeSidecarAtomic(doc, { ...w1.sidecar, review: { status: 'in-progress', modified: STAMP.toISOString() }, annotations: anns2 }, { fingerprint: w1.fingerprint, sidecar: w1.sidecar }, { text, journal: true });
    const back = readSidecar(doc);
    assert.equal(back.status, 'ok');
    if (back.status !== 'ok') return;
    assert.equal(back.fingerprint, w2.fingerprint, 'the writer knows the fingerprint a reader computes');
    assert.equal(serializeSidecar(back.sidecar), serializeSidecar(w2.sidecar));
    assert.equal(back.sidecar.review?.status, 'in-progress');
    assert.ok(!back.sidecar.annotations.some((a) => a.id === gone.id));
    assert.equal(back.sidecar.annotations.find((a) => a.id === relabel.id)?.label, 'MISC');
    // Folded in: one self-contained file with the same content, no journal.
    const c = compactSidecar(doc, undefined, { fingerprint: w2.fingerprint, sidecar: w2.sidecar });
    assert.ok(c && c.before === w2.fingerprint);
    assert.ok(!fs.existsSync(journalPathOf(sidecarPath(doc))));
    const onDisk = JSON.parse(fs.readFileSync(sidecarPath(doc), 'utf8')) as Sidecar;
    assert.equal(serializeSidecar(onDisk), serializeSidecar(w2.sidecar));
    const after = readSidecar(doc);
    assert.ok(after.status === 'ok' && after.fingerprint === c.after);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('another writer (no journal, an older base) merges with the journal and folds it in; nothing is lost', () => {
  const { dir, doc, text, st } = largeFixture();
  try {
    const mine = accepted(text, 0, 4, 'mine');
    writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, mine] }, st, { text, journal: true });
    const theirs = accepted(text, 5, 9, 'theirs', 'PER');
    const w = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, theirs] }, st, { text });
    assert.equal(w.merged, true);
    assert.ok(!fs.existsSync(journalPathOf(sidecarPath(doc))), 'a full write folds the journal in');
    const onDisk = JSON.parse(fs.readFileSync(sidecarPath(doc), 'utf8')) as Sidecar;
    const ids = new Set(onDisk.annotations.map((a) => a.id));
    assert.ok(ids.has('mine') && ids.has('theirs'));
    assert.equal(onDisk.annotations.length, st.sidecar.annotations.length + 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a stale journal (a crash after the file was rewritten, before the journal was removed) is ignored, then removed', () => {
  const { dir, doc, text, st } = largeFixture();
  try {
    const jp = journalPathOf(sidecarPath(doc));
    const w1 = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, accepted(text, 0, 4, 'first', 'PER')] }, st, { text, journal: true });
    const journal = fs.readFileSync(jp);
    compactSidecar(doc);
    // The later full write relabels `first`; then the old journal comes back (as if its removal had been lost).
    const relabel = w1.sidecar.annotations.map((a) => (a.id === 'first' ? { ...a, label: 'ORG' } : a));
    const cur = readSidecar(doc);
    assert.equal(cur.status, 'ok');
    if (cur.status !== 'ok') return;
    writeSidecarAtomic(doc, { ...cur.sidecar, annotations: relabel }, cur, { text });
    fs.writeFileSync(jp, journal);
    const back = readSidecar(doc);
    assert.equal(back.status, 'ok');
    if (back.status !== 'ok') return;
    assert.equal(back.sidecar.annotations.find((a) => a.id === 'first')?.label, 'ORG', 'the stale PER is not applied again');
    writeSidecarAtomic(doc, { ...back.sidecar, annotations: [...back.sidecar.annotations, accepted(text, 5, 9, 'second')] }, back, { text, journal: true });
    const again = readSidecar(doc);
    assert.ok(again.status === 'ok' && again.sidecar.annotations.some((a) => a.id === 'second'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last journal line is ignored; a damaged or linked journal makes the sidecar read-only and is never touched', () => {
  const { dir, doc, text, st } = largeFixture();
  try {
    const jp = journalPathOf(sidecarPath(doc));
    writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, accepted(text, 0, 4, 'kept')] }, st, { text, journal: true });
    fs.appendFileSync(jp, '{"put":{"id":"half');
    const torn = readSidecar(doc);
    assert.ok(torn.status === 'ok' && torn.sidecar.annotations.some((a) => a.id === 'kept'));
    // A decision after the torn line is not appended to it (it would join the torn half): the file is rewritten.
    if (torn.status === 'ok') {
      const before = fs.readFileSync(jp);
      writeSidecarAtomic(doc, { ...torn.sidecar, annotations: [...torn.sidecar.annotations, accepted(text, 5, 9, 'after-torn')] }, torn, { text, journal: true });
      assert.ok(!fs.existsSync(jp), 'the journal was folded in by a full write');
      const back = readSidecar(doc);
      assert.ok(back.status === 'ok' && ['kept', 'after-torn'].every((id) => back.sidecar.annotations.some((a) => a.id === id)));
      // The same torn journal again, for the damaged-line case below.
      fs.writeFileSync(sidecarPath(doc), serializeSidecar(st.sidecar));
      fs.writeFileSync(jp, before);
    }
    // A damaged line in the middle: refused, kept byte for byte, writes refused.
    fs.appendFileSync(jp, '\n{"remove":"kept"}\n');
    const bytes = fs.readFileSync(jp);
    const damaged = readSidecar(doc);
    assert.equal(damaged.status, 'damaged');
    assert.match(damaged.status === 'damaged' ? damaged.message : '', /journal/);
    assert.throws(() => writeSidecarAtomic(doc, st.sidecar, { fingerprint: null, sidecar: null }, { text }), (e: unknown) => e instanceof SidecarFileError && e.code === 'damaged');
    assert.equal(compactSidecar(doc), null);
    assert.ok(bytes.equals(fs.readFileSync(jp)), 'the damaged journal is untouched');
    // A journal that is a link to a file elsewhere: never read through.
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'private key');
    fs.rmSync(jp);
    fs.symlinkSync(secret, jp);
    const linked = readSidecar(doc);
    assert.equal(linked.status, 'damaged');
    assert.equal(fs.readFileSync(secret, 'utf8'), 'private key');
    assert.ok(fs.lstatSync(jp).isSymbolicLink());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a small sidecar is always written whole (no journal); a renamed text takes its journal\'s decisions along', () => {
  const { text, s } = small();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-journal-small-'));
  try {
    const doc = path.join(dir, 'a.txt');
    fs.writeFileSync(doc, text);
    const w = writeSidecarAtomic(doc, s, { fingerprint: null, sidecar: null }, { text, journal: true });
    writeSidecarAtomic(doc, { ...w.sidecar, annotations: [...w.sidecar.annotations, accepted(text, 16, 21, 'c')] }, w, { text, journal: true });
    assert.ok(!fs.existsSync(journalPathOf(sidecarPath(doc))));
    assert.equal((JSON.parse(fs.readFileSync(sidecarPath(doc), 'utf8')) as Sidecar).annotations.length, 3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const big = largeFixture();
  try {
    writeSidecarAtomic(big.doc, { ...big.st.sidecar, annotations: [...big.st.sidecar.annotations, accepted(big.text, 0, 4, 'moved-along')] }, big.st, { text: big.text, journal: true });
    const to = path.join(big.dir, 'renamed.txt');
    fs.renameSync(big.doc, to);
    assert.ok(moveSidecar(big.doc, to).moved);
    assert.ok(!fs.existsSync(journalPathOf(sidecarPath(big.doc))) && !fs.existsSync(journalPathOf(sidecarPath(to))));
    const onDisk = JSON.parse(fs.readFileSync(sidecarPath(to), 'utf8')) as Sidecar;
    assert.ok(onDisk.annotations.some((a) => a.id === 'moved-along'));
    assert.equal(onDisk.document.path, 'renamed.txt');
  } finally {
    fs.rmSync(big.dir, { recursive: true, force: true });
  }
});
