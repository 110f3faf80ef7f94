import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countDocument, micro, spanMatches } from '../../server/src/core/detect/entities/metric';

test('metric: exact span and label, with the leading-proclitic allowance', () => {
  const text = 'وقال وزير خارجية وإسرائيل إن بغداد وفرنسا ستلتقيان في لندن';
  const at = (s: string) => text.indexOf(s);
  const span = (s: string, label: string, from = s) => ({ start: at(from) + from.indexOf(s), end: at(from) + from.length, label });
  const gold = [span('وإسرائيل', 'LOC'), span('بغداد', 'LOC'), span('وفرنسا', 'LOC'), span('لندن', 'LOC')];
  const pred = [
    span('إسرائيل', 'LOC', 'وإسرائيل'), // leaves out و: allowed
    span('غداد', 'LOC', 'بغداد'), // leaves out ب of بغداد: ب is a proclitic letter, so the allowance accepts it
    span('فرنسا', 'ORG', 'وفرنسا'), // wrong label
    { start: at('في لندن'), end: at('لندن') + 4, label: 'LOC' }, // too long
  ];
  assert.ok(spanMatches(text, gold[0], pred[0]));
  assert.ok(!spanMatches(text, gold[2], pred[2]));
  const counts = countDocument(text, gold, pred);
  const loc = counts.get('LOC')!;
  assert.deepEqual(loc, { tp: 2, fp: 1, fn: 2 });
  assert.deepEqual(counts.get('ORG'), { tp: 0, fp: 1, fn: 0 });
  const m = micro(counts);
  assert.equal(m.tp, 2);
  assert.equal(m.precision, 2 / 4);
  assert.equal(m.recall, 2 / 4);
  assert.equal(m.f1, 0.5);
});

test('metric: a predicted span may not drop more than three letters, nor non-proclitic ones', () => {
  const text = 'وبالقاهرة ومصر';
  const g = { start: 0, end: 9, label: 'LOC' };
  assert.ok(spanMatches(text, g, { start: 2, end: 9, label: 'LOC' })); // وب dropped
  assert.ok(!spanMatches(text, g, { start: 3, end: 9, label: 'LOC' })); // ا is not a proclitic
  assert.ok(!spanMatches(text, g, { start: 1, end: 8, label: 'LOC' })); // end differs
});
