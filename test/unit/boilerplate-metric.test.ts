/** The benchmark metric on examples small enough to count by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, keptText, scorePage, shingles, tokenize } from '../../server/src/core/detect/boilerplate/metric';

test('tokens are \\w+ runs in any script', () => {
  assert.deepEqual(tokenize('Hello, world! مرحبا-بكم 42_x'), ['Hello', 'world', 'مرحبا', 'بكم', '42_x']);
});

test('4-token shingles are a multiset; short texts give one shingle', () => {
  assert.deepEqual([...shingles('a b c d e')], [['a b c d', 1], ['b c d e', 1]]);
  assert.deepEqual([...shingles('a b')], [['a b', 1]]);
  assert.deepEqual([...shingles('')], []);
  assert.deepEqual([...shingles('a b c d a b c d')].find(([k]) => k === 'a b c d'), ['a b c d', 2]);
});

test('page score by hand: gold "a b c d e f", kept "a b c d e x y"', () => {
  // gold shingles: abcd bcde cdef; kept: abcd bcde cdex dexy.
  // tp = 2, fp = 2, fn = 1 → normalised by 5; P = 2/4, R = 2/3.
  const s = scorePage('a b c d e f', 'a b c d e x y');
  assert.equal(s.tp, 2 / 5);
  assert.equal(s.fp, 2 / 5);
  assert.equal(s.fn, 1 / 5);
  assert.equal(s.precision, 0.5);
  assert.ok(Math.abs(s.recall - 2 / 3) < 1e-12);
});

test('corpus score averages P and R over pages, then takes the harmonic mean', () => {
  const a = scorePage('a b c d e f', 'a b c d e x y'); // P 0.5, R 2/3
  const b = scorePage('p q r s', 'p q r s'); // P 1, R 1
  const agg = aggregate([a, b]);
  assert.equal(agg.precision, 0.75);
  assert.ok(Math.abs(agg.recall - 5 / 6) < 1e-12);
  assert.ok(Math.abs(agg.f1 - (2 * 0.75 * (5 / 6)) / (0.75 + 5 / 6)) < 1e-12);
});

test('keptText removes flagged spans', () => {
  const text = 'keep one\ndrop this\nkeep two';
  assert.equal(keptText(text, [{ start: 9, end: 18 }]).replace(/\s+/g, ' '), 'keep one keep two');
});
