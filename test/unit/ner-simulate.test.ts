import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewDocument } from '../../server/src/core/detect/entities/simulate';

test('the simulated annotator accepts right suggestions, rejects wrong ones and adds what was missed', () => {
  const text = 'وقال وزير خارجية باكستان جليل عباس جيلاني في إسلام آباد';
  const at = (s: string, label: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length, label });
  const gold = [at('باكستان', 'LOC'), at('جليل عباس جيلاني', 'PER'), at('إسلام آباد', 'LOC')];
  const suggestions = [
    at('باكستان', 'LOC'), // right
    at('عباس جيلاني', 'PER'), // wrong span
    at('خارجية', 'ORG'), // not a name
  ];
  const r = reviewDocument(text, gold, suggestions);
  assert.deepEqual(
    r.accepted.map((s) => `${s.label} ${text.slice(s.start, s.end)}`),
    ['LOC باكستان', 'PER جليل عباس جيلاني', 'LOC إسلام آباد'],
  );
  assert.deepEqual(
    r.rejected.map((s) => `${s.label} ${text.slice(s.start, s.end)}`),
    ['PER عباس جيلاني', 'ORG خارجية'],
  );
});

test('a suggestion that leaves out a proclitic the gold token carries is accepted as suggested', () => {
  const text = 'زار الوفد وباكستان';
  const start = text.indexOf('وباكستان');
  const r = reviewDocument(text, [{ start, end: start + 8, label: 'LOC' }], [{ start: start + 1, end: start + 8, label: 'LOC' }]);
  assert.deepEqual(r.accepted, [{ start: start + 1, end: start + 8, label: 'LOC' }]);
  assert.deepEqual(r.rejected, []);
});
