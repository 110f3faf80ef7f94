/** Annotation model: creation with code point offsets and context, lookup, upsert, removal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAnnotation,
  findById,
  findBySpan,
  findOverlapping,
  isAnchored,
  newAnnotationId,
  removeAnnotation,
  upsertAnnotation,
} from '../../server/src/core/annotations/model';

const NOW = new Date('2026-02-01T00:00:00.000Z');
const PER = { kind: 'entity' as const, label: 'PER', status: 'accepted' as const, source: 'user' };

test('createAnnotation: code point offsets over astral characters, combining marks and bidi controls', () => {
  const text = '😀😀 𝕏 José\u0301 \u202Bعمرو\u202C said';
  const cps = Array.from(text);
  const s = cps.indexOf('J');
  const a = createAnnotation(text, s, s + 5, PER, NOW);
  assert.equal(a.text, 'José\u0301');
  assert.equal(a.prefix, '😀😀 𝕏 ');
  assert.equal(a.suffix, ' \u202Bعمرو\u202C said');
  assert.equal(a.created, '2026-02-01T00:00:00.000Z');
  assert.equal(a.modified, a.created);
  assert.equal(a.label, 'PER');
  assert.equal(a.category, undefined);
  const e = cps.indexOf('\u202B');
  const b = createAnnotation(text, e, e + 6, { kind: 'boilerplate', category: 'none', status: 'rejected', source: 'rules', confidence: 0.5 }, NOW);
  assert.equal(b.text, '\u202Bعمرو\u202C');
  assert.equal(b.category, 'none');
  assert.equal(b.confidence, 0.5);
  assert.ok(isAnchored(text, a) && isAnchored(text, b));
});

test('createAnnotation: context is at most 32 code points (not UTF-16 units), CRLF kept', () => {
  const before = '𝕏'.repeat(40) + '\r\n';
  const text = before + 'Name' + '\r\n' + '😀'.repeat(50);
  const s = Array.from(before).length;
  const a = createAnnotation(text, s, s + 4, PER, NOW);
  assert.equal(Array.from(a.prefix).length, 32);
  assert.equal(a.prefix, '𝕏'.repeat(30) + '\r\n');
  assert.equal(a.suffix, '\r\n' + '😀'.repeat(30));
});

test('createAnnotation: refuses empty, reversed, out-of-range spans and missing label/category', () => {
  assert.throws(() => createAnnotation('abc', 1, 1, PER), RangeError);
  assert.throws(() => createAnnotation('abc', 2, 1, PER), RangeError);
  assert.throws(() => createAnnotation('a😀', 0, 3, PER), RangeError); // 2 code points
  assert.throws(() => createAnnotation('abc', -1, 1, PER), RangeError);
  assert.throws(() => createAnnotation('abc', 0, 1, { ...PER, label: undefined }), /label/);
  assert.throws(() => createAnnotation('abc', 0, 1, { kind: 'boilerplate', status: 'accepted', source: 'user' }), /category/);
  assert.throws(() => createAnnotation('abc', 0, 1, { ...PER, confidence: 3 }), /confidence/);
  assert.equal(createAnnotation('a😀', 1, 2, PER).text, '😀');
});

test('ids are unique', () => {
  const ids = new Set(Array.from({ length: 5000 }, newAnnotationId));
  assert.equal(ids.size, 5000);
  const a = createAnnotation('abc', 0, 1, PER);
  const b = createAnnotation('abc', 0, 1, PER);
  assert.notEqual(a.id, b.id);
});

test('find / upsert / remove', () => {
  const text = 'Ann met Bob in Rome';
  const ann = createAnnotation(text, 0, 3, PER, NOW, 'i1');
  const bob = createAnnotation(text, 8, 11, PER, NOW, 'i2');
  const rome = createAnnotation(text, 15, 19, { ...PER, label: 'LOC' }, NOW, 'i3');
  let list = [ann, bob, rome];
  assert.deepEqual(findBySpan(list, { start: 8, end: 11 }).map((a) => a.id), ['i2']);
  assert.deepEqual(findBySpan(list, { start: 8, end: 11, label: 'LOC' }), []);
  assert.deepEqual(findOverlapping(list, 2, 9).map((a) => a.id), ['i1', 'i2']);
  assert.deepEqual(findOverlapping(list, 3, 8), [], 'touching is not overlapping');
  assert.equal(findById(list, 'i3'), rome);

  // Re-deciding the same span and label replaces the old decision, keeping id and created.
  const later = new Date('2026-03-01T00:00:00.000Z');
  const rejectBob = createAnnotation(text, 8, 11, { ...PER, status: 'rejected' }, later, 'new');
  list = upsertAnnotation(list, rejectBob);
  assert.equal(list.length, 3);
  const b2 = findById(list, 'i2');
  assert.equal(b2?.status, 'rejected');
  assert.equal(b2?.created, NOW.toISOString());
  assert.equal(b2?.modified, later.toISOString());
  // Another label on the same span coexists.
  list = upsertAnnotation(list, createAnnotation(text, 8, 11, { ...PER, label: 'ORG' }, later, 'org'));
  assert.equal(list.length, 4);
  // Same id replaces.
  list = upsertAnnotation(list, { ...rome, note: 'capital' });
  assert.equal(findById(list, 'i3')?.note, 'capital');
  assert.equal(list.length, 4);
  // Orphans are not found by span unless asked.
  list = upsertAnnotation(list, { ...ann, orphaned: true });
  assert.deepEqual(findBySpan(list, { start: 0, end: 3 }), []);
  assert.equal(findBySpan(list, { start: 0, end: 3, includeOrphans: true }).length, 1);
  const removed = removeAnnotation(list, 'i1');
  assert.equal(removed.length, 3);
  assert.equal(removeAnnotation(removed, 'nope'), removed);
});
