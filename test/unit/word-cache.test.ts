import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordCache } from '../../server/src/core/text/wordCache';

test('a word cache holds at most its bound, and answers what it was given', () => {
  const c = new WordCache<number>(100);
  for (let i = 0; i < 1000; i++) {
    c.set(`w${i}`, i);
    assert.ok(c.size <= 100, `${c.size} entries after ${i + 1}`);
  }
  assert.equal(c.get('w999'), 999);
  assert.equal(c.get('w950'), 950);
  assert.equal(c.get('w0'), undefined, 'the oldest are dropped');
  for (let i = 0; i < 1000; i++) {
    const v = c.get(`w${i}`);
    assert.ok(v === undefined || v === i);
  }
});

test('a word met all along stays, where emptying the cache when full dropped it', () => {
  const c = new WordCache<string>(10);
  c.set('the', 'ART');
  let misses = 0;
  for (let i = 0; i < 500; i++) {
    // Every document has "the" and a few words never seen again.
    if (c.get('the') === undefined) (misses++, c.set('the', 'ART'));
    for (let k = 0; k < 3; k++) c.set(`rare${i}-${k}`, 'X');
  }
  assert.equal(misses, 0);
  assert.equal(c.get('the'), 'ART');
  assert.ok(c.size <= 10);
});

test('a word found in the old generation is not held twice', () => {
  const c = new WordCache<number>(4);
  c.set('a', 1);
  c.set('b', 2);
  c.set('c', 3); // a, b become the old generation
  assert.equal(c.get('a'), 1); // back to the young one
  assert.equal(c.size, 3);
  c.clear();
  assert.equal(c.size, 0);
  assert.equal(c.get('c'), undefined);
});
