import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { foundList, toFoundNames, type FoundName } from '../../server/src/core/corpus/summary';
import { MENTION_BYTES, mentionConfidence, mentionCount, mentionEnd, mentionNumbers, mentionPacked, mentionStart, setMention } from '../../server/src/core/detect/entities';

describe('mention numbers (18 bytes a mention)', () => {
  it('reads back every mention exactly, at the limits of the layout', () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [2 ** 26 - 2, 2 ** 26 - 1, 0.1 + 0.2, 255 * 256 + 255],
      [17, 23, 0.9999999999999999, 3 * 256 + 1],
      [5, 5, 1e-300, 256],
    ];
    const v = mentionNumbers(cases.length);
    assert.equal(v.byteLength, MENTION_BYTES * cases.length);
    cases.forEach(([s, e, c, p], i) => setMention(v, i, s, e, c, p));
    assert.equal(mentionCount(v), cases.length);
    cases.forEach(([s, e, c, p], i) => {
      assert.equal(mentionStart(v, i), s);
      assert.equal(mentionEnd(v, i), e);
      assert.equal(mentionConfidence(v, i), c, 'a confidence is kept as a 64-bit float, not rounded');
      assert.equal(mentionPacked(v, i), p);
    });
  });

  it('lays the columns out as the summary cache stores them: confidences, spans, then label and source, little-endian', () => {
    const v = mentionNumbers(2);
    setMention(v, 0, 1, 2, 0.5, 0x0102);
    setMention(v, 1, 0x01020304, 7, 0.25, 3);
    const bytes = new Uint8Array(v.buffer);
    assert.deepEqual([...bytes.subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0xe0, 0x3f], 'confidence 0.5 first');
    assert.deepEqual([...bytes.subarray(16, 20)], [1, 0, 0, 0], 'then the first start');
    assert.deepEqual([...bytes.subarray(24, 28)], [4, 3, 2, 1], 'the second start, least significant byte first');
    assert.deepEqual([...bytes.subarray(32, 36)], [2, 1, 3, 0], 'then label × 256 + source of each');
  });

  it('carries found names through toFoundNames and foundList unchanged', () => {
    const list: FoundName[] = [
      { label: 'PER', normalized: 'محمد', text: 'محمد', confidence: 0.87, source: 'tagger', start: 3, end: 7 },
      { label: 'LOC', normalized: 'القاهره', text: 'القاهرة', confidence: 0.61, source: 'gazetteer', start: 12, end: 19 },
      { label: 'PER', normalized: 'علي', text: 'علي', confidence: 0.5, source: 'gazetteer', start: 40, end: 43 },
    ];
    const f = toFoundNames(list);
    assert.equal(f.numbers.byteLength, MENTION_BYTES * list.length);
    assert.deepEqual(foundList(f), list);
  });
});
