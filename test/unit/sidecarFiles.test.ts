/** Sidecar files on disk: read states, atomic writes with merge, damaged/newer protection, renames. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sidecar } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar, sha256Hex } from '../../server/src/core/annotations/sidecar';
import {
  moveSidecar,
  readSidecar,
  runExclusive,
  sidecarOfDeletedText,
  sidecarPath,
  SidecarFileError,
  writeSidecarAtomic,
} from '../../server/src/host/sidecarFiles';

const TEXT = 'Ann met 😀 Bob in Rome.\r\n';
const T0 = new Date('2026-01-01T00:00:00.000Z');

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-files-'));
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));

function tmpDoc(name = 'article.txt', text = TEXT): string {
  const dir = fs.mkdtempSync(path.join(ROOT, 'case-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}
function withAnn(s: Sidecar, word: string, id: string, label = 'PER'): Sidecar {
  const start = Array.from(TEXT.slice(0, TEXT.indexOf(word))).length;
  const a = createAnnotation(TEXT, start, start + Array.from(word).length, { kind: 'entity', label, status: 'accepted', source: 'user' }, T0, id);
  return { ...s, annotations: [...s.annotations, a] };
}
function okState(textPath: string) {
  const st = readSidecar(textPath);
  assert.equal(st.status, 'ok');
  return st as Extract<typeof st, { status: 'ok' }>;
}
function refusal(fn: () => unknown): SidecarFileError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SidecarFileError, String(e));
    return e;
  }
  assert.fail('expected a SidecarFileError');
}
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.tmp-') || n.endsWith('.lock'));

test('sidecarPath and absent sidecar', () => {
  assert.equal(sidecarPath('/x/dir/article.txt'), '/x/dir/article.txt.ann.json');
  assert.deepEqual(readSidecar(tmpDoc()), { status: 'absent' });
});

test('write then read: canonical bytes, fingerprint of the bytes, no temp or lock files left', () => {
  const doc = tmpDoc();
  const s = withAnn(emptySidecar(doc, TEXT), 'Bob', 'b');
  const w = writeSidecarAtomic(doc, s, { fingerprint: null, sidecar: null });
  const bytes = fs.readFileSync(sidecarPath(doc));
  assert.equal(bytes.toString('utf8'), serializeSidecar(s));
  assert.equal(w.fingerprint, sha256Hex(bytes.toString('utf8')));
  assert.deepEqual(w.conflicts, []);
  const st = okState(doc);
  assert.equal(st.fingerprint, w.fingerprint);
  assert.deepEqual(st.sidecar, w.sidecar);
  assert.equal(st.sidecar.annotations[0].text, 'Bob');
  assert.deepEqual(leftovers(path.dirname(doc)), []);
  // Writing the same content again does not touch the file.
  const mtime = fs.statSync(sidecarPath(doc)).mtimeMs;
  const again = writeSidecarAtomic(doc, st.sidecar, { fingerprint: st.fingerprint, sidecar: st.sidecar });
  assert.equal(again.fingerprint, st.fingerprint);
  assert.equal(fs.statSync(sidecarPath(doc)).mtimeMs, mtime);
});

test('two writers from the same base adding different annotations: both survive (merge)', () => {
  const doc = tmpDoc();
  const first = writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null });
  const base = { fingerprint: first.fingerprint, sidecar: first.sidecar };
  const a = writeSidecarAtomic(doc, withAnn(first.sidecar, 'Ann', 'ann'), base);
  assert.deepEqual(a.conflicts, []);
  const b = writeSidecarAtomic(doc, withAnn(first.sidecar, 'Rome', 'rome', 'LOC'), base); // stale base
  assert.deepEqual(b.conflicts, []);
  assert.deepEqual(okState(doc).sidecar.annotations.map((x) => x.id).sort(), ['ann', 'rome']);
  assert.deepEqual(b.sidecar.annotations.map((x) => x.id).sort(), ['ann', 'rome']);
});

test('two writers that both created the file (no base): both annotations survive', () => {
  const doc = tmpDoc();
  writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Ann', 'x'), { fingerprint: null, sidecar: null });
  const r = writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Bob', 'y'), { fingerprint: null, sidecar: null });
  assert.deepEqual(r.sidecar.annotations.map((x) => x.id).sort(), ['x', 'y']);
});

test('same id changed differently by two writers: conflict reported, newer modification kept', () => {
  const doc = tmpDoc();
  const first = writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Bob', 'b'), { fingerprint: null, sidecar: null });
  const base = { fingerprint: first.fingerprint, sidecar: first.sidecar };
  const orig = first.sidecar.annotations[0];
  writeSidecarAtomic(doc, { ...first.sidecar, annotations: [{ ...orig, label: 'ORG', modified: '2026-05-01T00:00:00.000Z' }] }, base);
  const r = writeSidecarAtomic(doc, { ...first.sidecar, annotations: [{ ...orig, label: 'LOC', modified: '2026-04-01T00:00:00.000Z' }] }, base);
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0].type, 'both-modified');
  assert.equal(r.conflicts[0].id, 'b');
  assert.equal(okState(doc).sidecar.annotations[0].label, 'ORG');
});

test('damaged sidecar: backup kept (once), original never overwritten, writes refused', () => {
  const doc = tmpDoc();
  const p = sidecarPath(doc);
  const garbage = '{"version": 1, "document": {"path": "article.txt", "sha2';
  fs.writeFileSync(p, garbage);
  const st = readSidecar(doc);
  assert.equal(st.status, 'damaged');
  if (st.status !== 'damaged') return;
  assert.equal(st.reason, 'damaged');
  assert.ok(st.backupPath && path.basename(st.backupPath).startsWith('article.txt.ann.json.damaged-') && st.backupPath.endsWith('.bak'));
  assert.equal(fs.readFileSync(st.backupPath, 'utf8'), garbage);
  assert.match(st.message, /damaged.*A copy was saved as .*read-only until it is fixed or removed/s);
  const again = readSidecar(doc);
  assert.equal(again.status === 'damaged' && again.backupPath, st.backupPath, 'no second backup of the same bytes');
  assert.equal(fs.readdirSync(path.dirname(doc)).filter((n) => n.endsWith('.bak')).length, 1);
  const e = refusal(() => writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Ann', 'a'), { fingerprint: null, sidecar: null }));
  assert.equal(e.code, 'damaged');
  assert.equal(fs.readFileSync(p, 'utf8'), garbage, 'original untouched');
  // Valid JSON of the wrong shape is treated the same way.
  fs.writeFileSync(p, '{"version": 1, "annotations": 3}');
  const inv = readSidecar(doc);
  assert.ok(inv.status === 'damaged' && inv.reason === 'invalid' && /document: required object/.test(inv.message));
  assert.equal(refusal(() => writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null })).code, 'damaged');
  // Invalid UTF-8.
  fs.writeFileSync(p, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
  const bin = readSidecar(doc);
  assert.ok(bin.status === 'damaged' && /UTF-8/.test(bin.message));
  // Once the user removes it, writing works again.
  fs.unlinkSync(p);
  writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null });
  okState(doc);
});

test('newer version: read-only, never overwritten', () => {
  const doc = tmpDoc();
  const p = sidecarPath(doc);
  const future = JSON.stringify({ version: 2, document: { path: 'article.txt' }, spans: [] });
  fs.writeFileSync(p, future);
  const st = readSidecar(doc);
  assert.ok(st.status === 'newer' && st.version === 2 && /newer|version 2/.test(st.message));
  const e = refusal(() => writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null }));
  assert.equal(e.code, 'newer');
  assert.equal(fs.readFileSync(p, 'utf8'), future);
  assert.equal(fs.readdirSync(path.dirname(doc)).filter((n) => n.endsWith('.bak')).length, 0);
});

test('an invalid sidecar object is never written', () => {
  const doc = tmpDoc();
  const bad = { ...emptySidecar(doc, TEXT), offsets: 'utf16' } as unknown as Sidecar;
  assert.equal(refusal(() => writeSidecarAtomic(doc, bad, { fingerprint: null, sidecar: null })).code, 'invalid-sidecar');
  assert.equal(fs.existsSync(sidecarPath(doc)), false);
});

test('version-0 sidecar: read with migratedFrom, the next write upgrades it', () => {
  const doc = tmpDoc();
  fs.writeFileSync(sidecarPath(doc), JSON.stringify({ version: 0, path: 'article.txt', sha256: sha256Hex(TEXT), annotations: [] }));
  const st = okState(doc);
  assert.equal(st.migratedFrom, 0);
  writeSidecarAtomic(doc, st.sidecar, { fingerprint: st.fingerprint, sidecar: st.sidecar });
  assert.equal(JSON.parse(fs.readFileSync(sidecarPath(doc), 'utf8')).version, 1);
  assert.equal(okState(doc).migratedFrom, undefined);
});

test('sidecar deleted since the base: recreated from ours (nothing lost)', () => {
  const doc = tmpDoc();
  const w = writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Ann', 'a'), { fingerprint: null, sidecar: null });
  fs.unlinkSync(sidecarPath(doc));
  const r = writeSidecarAtomic(doc, withAnn(w.sidecar, 'Bob', 'b'), { fingerprint: w.fingerprint, sidecar: w.sidecar });
  assert.deepEqual(r.sidecar.annotations.map((x) => x.id).sort(), ['a', 'b']);
});

test('a stale lock and temp file left by a dead process are cleaned up on the next write', () => {
  const doc = tmpDoc();
  const lock = path.join(path.dirname(doc), '.article.txt.ann.json.lock');
  fs.writeFileSync(lock, '999999999\nabc\n'); // no such pid
  fs.writeFileSync(path.join(path.dirname(doc), '.article.txt.ann.json.tmp-999999999-abcdef'), 'half');
  writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null });
  assert.deepEqual(leftovers(path.dirname(doc)), [], 'stale lock and dead temp file removed');
});

test('a lock left empty by a writer killed between creating it and writing its owner is taken over, not waited on', () => {
  // kill -9 right after open(O_EXCL) and before write(): an empty lock. It names no process, so only its age tells.
  const doc = tmpDoc();
  const lock = path.join(path.dirname(doc), '.article.txt.ann.json.lock');
  fs.writeFileSync(lock, '');
  const past = new Date(Date.now() - 3_000);
  fs.utimesSync(lock, past, past);
  // Before, this lock counted as held for 15 s, and the write gave up after 10 s (lock-timeout).
  writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null });
  assert.equal(readSidecar(doc).status, 'ok');
  assert.deepEqual(leftovers(path.dirname(doc)), []);
});

test('moveSidecar follows a rename and updates document.path; refuses to replace; moves damaged bytes as they are', () => {
  const doc = tmpDoc();
  const w = writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Ann', 'a'), { fingerprint: null, sidecar: null });
  const newDoc = path.join(path.dirname(doc), 'renamed 😀.txt');
  fs.renameSync(doc, newDoc);
  assert.equal(sidecarOfDeletedText(doc), sidecarPath(doc));
  const m = moveSidecar(doc, newDoc);
  assert.ok(m.moved);
  assert.equal(fs.existsSync(sidecarPath(doc)), false);
  const st = okState(newDoc);
  assert.equal(st.sidecar.document.path, 'renamed 😀.txt');
  assert.deepEqual(st.sidecar.annotations, w.sidecar.annotations);
  assert.equal(sidecarOfDeletedText(newDoc), null);
  assert.equal(sidecarOfDeletedText(doc), null);
  assert.deepEqual(moveSidecar(doc, newDoc).moved, false, 'nothing to move');
  // Target exists → refused, both untouched.
  const third = path.join(path.dirname(doc), 'third.txt');
  fs.writeFileSync(third, TEXT);
  writeSidecarAtomic(third, emptySidecar(third, TEXT), { fingerprint: null, sidecar: null });
  assert.equal(refusal(() => moveSidecar(newDoc, third)).code, 'target-exists');
  assert.equal(okState(newDoc).sidecar.annotations.length, 1);
  // Damaged: moved byte for byte.
  fs.writeFileSync(sidecarPath(doc), '{broken');
  const target = path.join(path.dirname(doc), 'fourth.txt');
  moveSidecar(doc, target);
  assert.equal(fs.readFileSync(sidecarPath(target), 'utf8'), '{broken');
});

test('runExclusive serialises async read-modify-write sequences per file', async () => {
  const doc = tmpDoc();
  writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null });
  const order: string[] = [];
  const job = (name: string, word: string) =>
    runExclusive(doc, async () => {
      order.push(`${name}:start`);
      const st = okState(doc);
      await new Promise((r) => setTimeout(r, 5));
      writeSidecarAtomic(doc, withAnn(st.sidecar, word, name), { fingerprint: st.fingerprint, sidecar: st.sidecar });
      order.push(`${name}:end`);
    });
  const failing = runExclusive(doc, async () => {
    throw new Error('boom');
  });
  await Promise.all([job('x', 'Ann'), assert.rejects(failing, /boom/), job('y', 'Bob')]);
  assert.deepEqual(order, ['x:start', 'x:end', 'y:start', 'y:end']);
  assert.deepEqual(okState(doc).sidecar.annotations.map((a) => a.id).sort(), ['x', 'y']);
});

test('merge with annotations written for another text version: re-anchored when the current text is given', () => {
  const doc = tmpDoc();
  const first = writeSidecarAtomic(doc, withAnn(emptySidecar(doc, TEXT), 'Ann', 'ann'), { fingerprint: null, sidecar: null });
  const base = { fingerprint: first.fingerprint, sidecar: first.sidecar };
  // Another writer (still on the old text) adds Rome.
  writeSidecarAtomic(doc, withAnn(first.sidecar, 'Rome', 'rome', 'LOC'), base);
  // We edited the text (two code points inserted at the start) and shifted our annotation.
  const newText = '𝕏 ' + TEXT;
  const ours = first.sidecar.annotations.map((a) => ({ ...a, start: a.start + 2, end: a.end + 2, prefix: '𝕏 ' + a.prefix }));
  const mine: Sidecar = { ...emptySidecar(doc, newText), annotations: ours };
  // Without the text: merged, but a document conflict says offsets from the other side may be stale.
  const dry = writeSidecarAtomic(tmpCopy(doc), mine, base);
  assert.ok(dry.conflicts.some((c) => c.type === 'document'));
  const r = writeSidecarAtomic(doc, mine, base, { text: newText });
  assert.deepEqual(r.conflicts, []);
  assert.equal(r.sidecar.document.sha256, sha256Hex(newText));
  const chars = Array.from(newText);
  for (const a of r.sidecar.annotations) {
    assert.ok(!a.orphaned);
    assert.equal(chars.slice(a.start, a.end).join(''), a.text);
  }
  assert.deepEqual(r.sidecar.annotations.map((a) => a.id).sort(), ['ann', 'rome']);
});

/** Copy of a document and its sidecar into a fresh folder (same names). */
function tmpCopy(doc: string): string {
  const copy = tmpDoc(path.basename(doc), fs.readFileSync(doc, 'utf8'));
  fs.copyFileSync(sidecarPath(doc), sidecarPath(copy));
  return copy;
}
