/** applyEdits (LSP incremental edits) and reanchor (text changed outside the editor): hand-made cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SidecarAnnotation } from '../../server/src/protocol';
import { applyEdits, applyTextEdits, reanchor, type TextEdit } from '../../server/src/core/annotations/anchoring';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { approximateMatches, levenshtein, similarity } from '../../server/src/core/annotations/similarity';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-06-01T00:00:00.000Z');

const cps = (s: string): string[] => Array.from(s);
function cpIndexOf(text: string, needle: string, nth = 0): number {
  let u = -1;
  for (let i = 0; i <= nth; i++) {
    u = text.indexOf(needle, u + 1);
    assert.ok(u >= 0, `${needle} #${nth} not in text`);
  }
  return cps(text.slice(0, u)).length;
}
function ann(text: string, needle: string, label = 'PER', nth = 0, id = needle + nth): SidecarAnnotation {
  const s = cpIndexOf(text, needle, nth);
  return createAnnotation(text, s, s + cps(needle).length, { kind: 'entity', label, status: 'accepted', source: 'user' }, T0, id);
}
const slice = (text: string, a: SidecarAnnotation): string => cps(text).slice(a.start, a.end).join('');
function assertCovered(text: string, list: SidecarAnnotation[]): void {
  for (const a of list) if (!a.orphaned) assert.equal(slice(text, a), a.text, `annotation ${a.id} does not cover its text`);
}
/** Edit helper: replace code points [s,e) of the current text. */
const ed = (start: number, end: number, newText: string): TextEdit => ({ start, end, newText });

const TEXT = '😀 Barack Obama met 𝕏 Angela Merkel in Berlin.';

test('applyTextEdits: sequential code point edits over astral text', () => {
  assert.equal(applyTextEdits('a😀b', [ed(1, 2, 'X'), ed(0, 0, '𝕏')]), '𝕏aXb');
  assert.equal(applyTextEdits('a😀b', [ed(3, 3, '!')]), 'a😀b!');
});

test('applyEdits: edits before shift, after do nothing, at the boundaries stay outside', () => {
  const o = ann(TEXT, 'Obama');
  const s = o.start;
  const e = o.end;
  let r = applyEdits([o], TEXT, [ed(0, 1, '🎉🎉')]);
  assert.deepEqual([r.annotations[0].start, r.annotations[0].end], [s + 1, e + 1]);
  assert.deepEqual(r.changed, []);
  r = applyEdits([o], TEXT, [ed(s, s, 'X')]); // insertion right before
  assert.deepEqual([r.annotations[0].start, r.annotations[0].text], [s + 1, 'Obama']);
  r = applyEdits([o], TEXT, [ed(e, e, 'X')]); // insertion right after
  assert.deepEqual([r.annotations[0].start, r.annotations[0].end, r.annotations[0].text], [s, e, 'Obama']);
  r = applyEdits([o], TEXT, [ed(e + 1, e + 4, '')]);
  assert.deepEqual([r.annotations[0].start, r.annotations[0].end], [s, e]);
  assert.equal(r.annotations[0].modified, T0.toISOString(), 'shifts do not touch modified');
  assertCovered(r.text, r.annotations);
});

test('applyEdits: an edit inside rewrites the text and marks it modified', () => {
  const o = ann(TEXT, 'Barack Obama');
  const r = applyEdits([o], TEXT, [ed(o.start + 6, o.start + 6, ' H.')], T1);
  const a = r.annotations[0];
  assert.equal(a.text, 'Barack H. Obama');
  assert.equal(a.modified, T1.toISOString());
  assert.equal(a.created, T0.toISOString());
  assert.deepEqual(r.changed.map((x) => x.id), [o.id]);
  assertCovered(r.text, r.annotations);
  // Replacing the first characters (touching the start, from inside).
  const r2 = applyEdits([o], TEXT, [ed(o.start, o.start + 1, 'b')], T1);
  assert.equal(r2.annotations[0].text, 'barack Obama');
});

test('applyEdits: crossing a boundary shrinks to the surviving part (trimmed); covering orphans', () => {
  const o = ann(TEXT, 'Barack Obama');
  // Delete "😀 Barack " → "Obama" survives.
  let r = applyEdits([o], TEXT, [ed(0, o.start + 7, '')], T1);
  assert.equal(r.annotations[0].text, 'Obama');
  assert.equal(r.annotations[0].start, 0);
  assert.ok(!r.annotations[0].orphaned);
  // Replace "Obama met" → "Ob" + "XX": crosses the end, head "Barack Ob" survives.
  r = applyEdits([o], TEXT, [ed(o.start + 9, o.end + 4, 'XX')], T1);
  assert.equal(r.annotations[0].text, 'Barack Ob');
  // Delete " Obama met": crosses the end at the space → trailing space trimmed.
  r = applyEdits([o], TEXT, [ed(o.start + 6, o.end + 4, '')], T1);
  assert.equal(r.annotations[0].text, 'Barack');
  assertCovered(r.text, r.annotations);
  // Replace exactly the annotated text: nothing of it survives → orphan, kept with its old text.
  r = applyEdits([o], TEXT, [ed(o.start, o.end, 'Joe Biden')], T1);
  const a = r.annotations[0];
  assert.equal(a.orphaned, true);
  assert.equal(a.text, 'Barack Obama');
  assert.equal(r.annotations.length, 1);
  assert.deepEqual(r.changed.map((x) => x.id), [o.id]);
  // Delete a range covering it.
  r = applyEdits([o], TEXT, [ed(0, o.end + 2, '')]);
  assert.equal(r.annotations[0].orphaned, true);
  assert.ok(r.annotations[0].start <= r.annotations[0].end);
  // Edit leaving only whitespace inside → orphan.
  const sp = createAnnotation('a  xy  b', 1, 5, { kind: 'boilerplate', category: 'nav', status: 'accepted', source: 'user' });
  r = applyEdits([sp], 'a  xy  b', [ed(3, 5, '')]);
  assert.equal(r.annotations[0].orphaned, true);
});

test('applyEdits: several edits in LSP order, each against the previous result; orphans are shifted as hints', () => {
  const text = 'A 😀 Bob and 𝕏 Carl\r\nand Dana.';
  const list = [ann(text, 'Bob'), ann(text, 'Carl'), ann(text, 'Dana')];
  const edits = [ed(0, 0, '👋'), ed(cpIndexOf(text, 'Bob') + 1, cpIndexOf(text, 'Bob') + 5, ''), ed(3, 3, 'x')];
  // After edit 1 Bob starts at +1; edit 2 deletes "Bob " partially: starts inside Bob (B|ob a) crossing its end.
  const r = applyEdits(list, text, edits, T1);
  assert.equal(r.text, applyTextEdits(text, edits));
  assertCovered(r.text, r.annotations);
  assert.equal(r.annotations.length, 3);
  const dana = r.annotations.find((a) => a.text === 'Dana');
  assert.ok(dana && !dana.orphaned);
  const orphan = { ...list[0], orphaned: true };
  const r2 = applyEdits([orphan], text, [ed(0, 0, '123')]);
  assert.equal(r2.annotations[0].start, orphan.start + 3);
  assert.equal(r2.annotations[0].orphaned, true);
  assert.deepEqual(r2.changed, [], 'an existing orphan is not reported again');
});

test('applyEdits: an annotation that did not match the text before is orphaned, never mislabelled', () => {
  const stale = { ...ann(TEXT, 'Obama'), text: 'Trump' };
  const r = applyEdits([stale], TEXT, [ed(0, 0, 'x')]);
  assert.equal(r.annotations[0].orphaned, true);
  assert.equal(r.changed.length, 1);
});

test('applyEdits: context is refreshed from the new text', () => {
  const o = ann(TEXT, 'Obama');
  const r = applyEdits([o], TEXT, [ed(0, 1, 'Z')]);
  assert.ok(r.annotations[0].prefix.startsWith('Z Barack'));
});

// ---------------------------------------------------------------------------
// reanchor

test('reanchor: unchanged text keeps everything; nothing moved', () => {
  const list = [ann(TEXT, 'Obama'), ann(TEXT, 'Berlin', 'LOC')];
  const r = reanchor(TEXT, list);
  assert.equal(r.moved, 0);
  assert.deepEqual(r.orphans, []);
  assert.deepEqual(r.annotations, list);
});

test('reanchor: text inserted before → found again at the shifted place', () => {
  const list = [ann(TEXT, 'Obama'), ann(TEXT, 'Berlin', 'LOC')];
  const t2 = 'BREAKING 🔥🔥\r\n' + TEXT;
  const r = reanchor(t2, list);
  assert.equal(r.moved, 2);
  assertCovered(t2, r.annotations);
  assert.equal(r.annotations[0].start, list[0].start + cps('BREAKING 🔥🔥\r\n').length);
});

test('reanchor: repeated text — context picks the right mention, not the nearest', () => {
  const text = 'The minister said yes. Later the minister said no. Finally the minister left.';
  const second = ann(text, 'minister', 'PER', 1);
  // Prepend text and also remove the first sentence: the old offset now points into another mention.
  const t2 = 'Update: ' + text.replace('The minister said yes. ', 'Something else happened here. ');
  const r = reanchor(t2, [second]);
  assert.equal(r.orphans.length, 0);
  const a = r.annotations[0];
  assert.equal(a.start, cpIndexOf(t2, 'minister', 0)); // the first mention left in t2 is the one that "said no"
  assert.equal(a.prefix, cps(t2.slice(0, t2.indexOf('minister said no'))).slice(-32).join(''));
  assert.ok(a.suffix.startsWith(' said no'));
});

test('reanchor: identical mentions with identical context are not guessed when ambiguous → orphan', () => {
  const unit = 'aaaa Bob bbbb. ';
  const text = unit.repeat(3);
  const mid = ann(text, 'Bob', 'PER', 1);
  // Old offset gone (text shortened so the middle Bob is half way between two remaining ones).
  const t2 = unit + 'xxxxxxx' + unit;
  const r = reanchor(t2, [{ ...mid, start: mid.start + 0, end: mid.end }]);
  // Either confidently placed on a real "Bob" or orphaned; never on something else.
  assertCovered(t2, r.annotations);
  assert.equal(r.annotations.length + r.orphans.length, 1);
});

test('reanchor: the annotated text itself was slightly edited → fuzzy match near the expected place, text updated', () => {
  const o = ann(TEXT, 'Angela Merkel');
  const t2 = '📰 ' + TEXT.replace('Angela Merkel', 'Angela D. Merkel');
  const r = reanchor(t2, [o], { now: T1 });
  assert.deepEqual(r.orphans, []);
  const a = r.annotations[0];
  assert.equal(a.text, 'Angela D. Merkel');
  assert.equal(a.modified, T1.toISOString());
  assert.deepEqual(r.fuzzy, [o.id]);
  assertCovered(t2, r.annotations);
});

test('reanchor: text gone → orphaned and kept (with its data); later re-attached when it returns', () => {
  const o = ann(TEXT, 'Angela Merkel', 'PER');
  const t2 = TEXT.replace('Angela Merkel', 'the chancellor');
  const r = reanchor(t2, [o]);
  assert.equal(r.annotations.length, 0);
  assert.equal(r.orphans.length, 1);
  const orphan = r.orphans[0];
  assert.equal(orphan.orphaned, true);
  assert.equal(orphan.text, 'Angela Merkel');
  assert.equal(orphan.id, o.id);
  assert.ok(orphan.end <= cps(t2).length);
  const back = reanchor(TEXT, [orphan]);
  assert.equal(back.orphans.length, 0);
  assert.equal(back.annotations[0].orphaned, undefined);
  assert.equal(back.annotations[0].start, o.start);
  assert.equal(back.moved, 1);
});

test('reanchor: two annotations never collapse onto one span of the same label', () => {
  const text = 'Alice said Bob was here. Then Carl said Bob was there.';
  const a = ann(text, 'Bob', 'PER', 0);
  const b = ann(text, 'Bob', 'PER', 1);
  const t2 = 'Then Carl said Bob was there.';
  const r = reanchor(t2, [a, b]);
  assert.equal(r.annotations.length, 1);
  assert.equal(r.orphans.length, 1);
  assert.equal(r.annotations[0].id, b.id, 'the one whose context matches wins');
});

test('reanchor: migrated annotations without context are placed and get context', () => {
  const o = { ...ann(TEXT, 'Berlin', 'LOC'), prefix: '', suffix: '' };
  const r = reanchor(TEXT, [o]);
  assert.equal(r.annotations[0].start, o.start);
  assert.ok(r.annotations[0].prefix.endsWith(' in '));
  const moved = reanchor('x' + TEXT, [o]);
  assert.equal(moved.annotations[0].start, o.start + 1);
});

test('reanchor: astral and bidi characters around the annotation', () => {
  const text = '\u202Bقال 😀 محمد 𝕏\u202C في القاهرة\u2067 نعم\u2069';
  const m = ann(text, 'محمد');
  const c = ann(text, 'القاهرة', 'LOC');
  const t2 = '🔴 عاجل: ' + text;
  const r = reanchor(t2, [m, c]);
  assert.deepEqual(r.orphans, []);
  assertCovered(t2, r.annotations);
  assert.equal(r.annotations[1].start, c.start + cps('🔴 عاجل: ').length);
});

test('applyEdits: undo of a deletion re-attaches the orphan in place', () => {
  const o = ann(TEXT, 'Angela Merkel');
  const del = applyEdits([o], TEXT, [ed(o.start, o.end, '')], T1);
  assert.equal(del.annotations[0].orphaned, true);
  const undo = applyEdits(del.annotations, del.text, [ed(o.start, o.start, 'Angela Merkel')], T1);
  assert.equal(undo.text, TEXT);
  const a = undo.annotations[0];
  assert.equal(a.orphaned, undefined);
  assert.deepEqual([a.start, a.end, a.text], [o.start, o.end, 'Angela Merkel']);
  assert.deepEqual(undo.changed.map((x) => x.id), [o.id], 're-attachment is reported');
  // Replace-then-undo (the text was overtyped, then restored).
  const over = applyEdits([o], TEXT, [ed(o.start, o.end, 'someone')], T1);
  assert.equal(over.annotations[0].orphaned, true);
  const back = applyEdits(over.annotations, over.text, [ed(o.start, o.start + 7, 'Angela Merkel')], T1);
  assert.equal(back.annotations[0].orphaned, undefined);
  assert.equal(back.annotations[0].start, o.start);
});

test('applyEdits: a replacement of a whole line with the same content keeps the annotation', () => {
  const text = 'line one\r\nBob met Alice\r\nline three';
  const bob = ann(text, 'Bob');
  const alice = ann(text, 'Alice');
  const s = cpIndexOf(text, 'Bob');
  const r = applyEdits([bob, alice], text, [ed(s, s + cps('Bob met Alice').length, 'Bob met Alice')], T1);
  assert.equal(r.annotations.filter((a) => a.orphaned).length, 0);
  assert.deepEqual(r.annotations.map((a) => a.start), [bob.start, alice.start]);
  // A different content does orphan it.
  const r2 = applyEdits([bob], text, [ed(s, s + 13, 'Rob met Alice')], T1);
  assert.equal(r2.annotations[0].orphaned, true);
});

test('similarity helpers: edit distance on code points, approximate substring search', () => {
  assert.equal(levenshtein(cps('kitten'), cps('sitting')), 3);
  assert.equal(levenshtein(cps('😀a'), cps('a')), 1, 'an astral character is one edit, not two');
  assert.equal(similarity('', ''), 1);
  assert.equal(similarity('abcd', 'abcd'), 1);
  assert.equal(similarity('abcd', 'wxyz'), 0);
  const hits = approximateMatches(cps('Merkel'), cps('xx Angela Merkle yy Merkel'), 2);
  assert.deepEqual(hits.map((h) => [h.start, h.end, h.distance]).sort((a, b) => a[0] - b[0]), [
    [10, 15, 1], // "Merkl" (one deletion) beats "Merkle" (two edits)
    [20, 26, 0],
  ]);
  assert.deepEqual(approximateMatches(cps('abc'), cps('zzz'), 1), []);
});
