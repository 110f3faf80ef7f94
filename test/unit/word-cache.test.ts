import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordCache } from '../../server/src/core/text/wordCache';

test('a word cache holds at most its bound, and answers what it was given', () => {
  const c = new WordCache<number>(100);
  for (let i = 0; i < 1000; i++) {
    c.set(`w${i}`, i);
    assert.ok(c.size <= 100, `${c.size} entries after ${i + 1}`);
    assert.equal(c.get(`w${i}`), i, 'the word just kept is there');
  }
  assert.equal(c.get('w0'), undefined, 'the oldest are dropped');
  for (let i = 0; i < 1000; i++) {
    const v = c.get(`w${i}`);
    assert.ok(v === undefined || v === i);
  }
});

test('an unbounded word cache keeps every word', () => {
  const c = new WordCache<number>(Infinity);
  for (let i = 0; i < 5000; i++) c.set(`w${i}`, i);
  assert.equal(c.size, 5000);
  assert.equal(c.get('w0'), 0);
});
