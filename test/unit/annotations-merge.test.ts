/** Three-way merge of sidecars by annotation id. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { mergeSidecars } from '../../server/src/core/annotations/merge';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, sha256Hex } from '../../server/src/core/annotations/sidecar';

const TEXT = 'Ann met 😀 Bob in Rome and Cairo.';
const t = (iso: string) => new Date(iso);
const T0 = t('2026-01-01T00:00:00.000Z');
const T1 = '2026-02-01T00:00:00.000Z';
const T2 = '2026-03-01T00:00:00.000Z';
const cpAt = (s: string) => Array.from(TEXT.slice(0, TEXT.indexOf(s))).length;
function ann(word: string, id: string, label = 'PER'): SidecarAnnotation {
  const s = cpAt(word);
  return createAnnotation(TEXT, s, s + Array.from(word).length, { kind: 'entity', label, status: 'accepted', source: 'user' }, T0, id);
}
function sc(annotations: SidecarAnnotation[]): Sidecar {
  return { ...emptySidecar('a.txt', TEXT), annotations };
}
const ids = (s: Sidecar) => s.annotations.map((a) => a.id).sort();
const byId = (s: Sidecar, id: string) => s.annotations.find((a) => a.id === id);

test('both added different ids → both kept, no conflict; output sorted', () => {
  const base = sc([ann('Ann', 'a')]);
  const r = mergeSidecars(base, sc([ann('Ann', 'a'), ann('Rome', 'r', 'LOC')]), sc([ann('Ann', 'a'), ann('Bob', 'b')]));
  assert.deepEqual(ids(r.merged), ['a', 'b', 'r']);
  assert.deepEqual(r.merged.annotations.map((a) => a.id), ['a', 'b', 'r']);
  assert.deepEqual(r.conflicts, []);
});

test('changed on one side only → that change wins silently', () => {
  const a = ann('Ann', 'a');
  const base = sc([a]);
  const r = mergeSidecars(base, sc([a]), sc([{ ...a, label: 'ORG', modified: T1 }]));
  assert.equal(byId(r.merged, 'a')?.label, 'ORG');
  assert.deepEqual(r.conflicts, []);
  const r2 = mergeSidecars(base, sc([{ ...a, note: 'n', modified: T1 }]), sc([a]));
  assert.equal(byId(r2.merged, 'a')?.note, 'n');
});

test('different fields changed on both sides → field-level merge, no conflict', () => {
  const a = ann('Ann', 'a');
  const mine = { ...a, note: 'checked', modified: T1 };
  const theirs = { ...a, label: 'ORG', modified: T2 };
  const r = mergeSidecars(sc([a]), sc([mine]), sc([theirs]));
  const m = byId(r.merged, 'a');
  assert.equal(m?.note, 'checked');
  assert.equal(m?.label, 'ORG');
  assert.equal(m?.modified, T2);
  assert.deepEqual(r.conflicts, []);
});

test('same field changed differently on both sides → conflict reported, newer modified wins', () => {
  const a = ann('Ann', 'a');
  const mine = { ...a, label: 'LOC', modified: T1 };
  const theirs = { ...a, label: 'ORG', modified: T2 };
  let r = mergeSidecars(sc([a]), sc([mine]), sc([theirs]));
  assert.equal(byId(r.merged, 'a')?.label, 'ORG');
  assert.equal(r.conflicts.length, 1);
  const c = r.conflicts[0];
  assert.equal(c.type, 'both-modified');
  assert.equal(c.id, 'a');
  assert.deepEqual(c.fields, ['label']);
  assert.equal(c.mine?.label, 'LOC');
  assert.equal(c.theirs?.label, 'ORG');
  assert.match(c.message, /changed on both sides/);
  // Newer on my side → mine.
  r = mergeSidecars(sc([a]), sc([{ ...mine, modified: T2 }]), sc([{ ...theirs, modified: T1 }]));
  assert.equal(byId(r.merged, 'a')?.label, 'LOC');
  // Tie → mine.
  r = mergeSidecars(sc([a]), sc([{ ...mine, modified: T1 }]), sc([{ ...theirs, modified: T1 }]));
  assert.equal(byId(r.merged, 'a')?.label, 'LOC');
});

test('deleted on one side, changed on the other → changed kept and reported', () => {
  const a = ann('Ann', 'a');
  const b = ann('Bob', 'b');
  let r = mergeSidecars(sc([a, b]), sc([b]), sc([{ ...a, status: 'rejected', modified: T1 }, b]));
  assert.equal(byId(r.merged, 'a')?.status, 'rejected');
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0].type, 'deleted-vs-modified');
  assert.equal(r.conflicts[0].deletedBy, 'mine');
  assert.equal(r.conflicts[0].kept, 'theirs');
  r = mergeSidecars(sc([a, b]), sc([{ ...a, note: 'x', modified: T1 }, b]), sc([b]));
  assert.equal(byId(r.merged, 'a')?.note, 'x');
  assert.equal(r.conflicts[0].deletedBy, 'theirs');
});

test('deleted on one side, unchanged (or only re-anchored) on the other → deleted', () => {
  const a = ann('Ann', 'a');
  const b = ann('Bob', 'b');
  let r = mergeSidecars(sc([a, b]), sc([a, b]), sc([b]));
  assert.deepEqual(ids(r.merged), ['b']);
  assert.deepEqual(r.conflicts, []);
  r = mergeSidecars(sc([a, b]), sc([{ ...a, start: a.start + 2, end: a.end + 2, prefix: 'xx' }, b]), sc([b]));
  assert.deepEqual(ids(r.merged), ['b'], 'an offset shift does not resurrect a deleted annotation');
  r = mergeSidecars(sc([a, b]), sc([b]), sc([a]));
  assert.deepEqual(ids(r.merged), []);
});

test('no base: same decision added on both sides is not duplicated; contradicting ones are a same-span conflict', () => {
  const mine = ann('Rome', 'm1', 'LOC');
  const theirs = { ...ann('Rome', 't1', 'LOC') };
  const other = ann('Cairo', 't2', 'LOC');
  const r = mergeSidecars(null, sc([mine]), sc([theirs, other]));
  assert.deepEqual(ids(r.merged), ['m1', 't2']);
  // LOC here, ORG there on the same span: one label survives (the newer; mine on a tie), reported.
  const r2 = mergeSidecars(null, sc([mine]), sc([{ ...theirs, label: 'ORG' }]));
  assert.deepEqual(ids(r2.merged), ['m1']);
  assert.deepEqual(r2.conflicts.map((c) => c.type), ['same-span']);
  // Rejecting ORG there does not contradict accepting LOC here: both kept.
  const r3 = mergeSidecars(null, sc([mine]), sc([{ ...theirs, label: 'ORG', status: 'rejected' }]));
  assert.deepEqual(ids(r3.merged), ['m1', 't1']);
  assert.deepEqual(r3.conflicts, []);
});

test('same id created on both sides with different content (no base) → conflict, newer kept', () => {
  const a = ann('Ann', 'a');
  const r = mergeSidecars(null, sc([{ ...a, label: 'X', modified: T1 }]), sc([{ ...a, label: 'Y', modified: T2 }]));
  assert.equal(byId(r.merged, 'a')?.label, 'Y');
  assert.equal(r.conflicts[0].type, 'both-modified');
  assert.equal(r.conflicts[0].kept, 'theirs');
});

test('different document text on the two sides → document conflict; mine describes the document', () => {
  const mine = sc([ann('Ann', 'a')]);
  const theirs = { ...sc([ann('Bob', 'b')]), document: { path: 'a.txt', sha256: sha256Hex('other') } };
  const r = mergeSidecars(mine, mine, theirs);
  assert.equal(r.merged.document.sha256, mine.document.sha256);
  assert.ok(r.conflicts.some((c) => c.type === 'document'));
  assert.deepEqual(ids(r.merged), ['b'], 'theirs deleted a (unchanged in mine) and added b');
});

test('unknown top-level and annotation fields survive the merge', () => {
  const a = { ...ann('Ann', 'a'), reviewer: 'x' } as SidecarAnnotation;
  const theirs = { ...sc([a]), extra: 1 } as Sidecar;
  const r = mergeSidecars(null, sc([]), theirs);
  assert.equal((r.merged as unknown as Record<string, unknown>).extra, 1);
  assert.equal((byId(r.merged, 'a') as unknown as Record<string, unknown>).reviewer, 'x');
});
