/**
 * LabelMap (core/labels/labelMap.ts) against a Map: the same answers under any sequence of
 * sets, deletes and reads, iteration in the same order, whether it holds one label or several.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LabelMap } from '../../server/src/core/labels/labelMap';

/** A small deterministic generator (the sequences must be the same on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('answers as a Map does under random sets, deletes and reads', () => {
  const labels = ['PER', 'ORG', 'LOC', 'MISC'];
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const m = new Map<string, number>();
    const l = new LabelMap<number>();
    for (let step = 0; step < 40; step++) {
      const label = labels[Math.floor(next() * (seed % 2 ? 2 : labels.length))]!;
      const op = next();
      if (op < 0.5) {
        m.set(label, step);
        assert.equal(l.set(label, step), l);
      } else if (op < 0.8) assert.equal(l.delete(label), m.delete(label), `seed ${seed} step ${step}: delete ${label}`);
      for (const x of labels) {
        assert.equal(l.get(x), m.get(x));
        assert.equal(l.has(x), m.has(x));
      }
      assert.equal(l.size, m.size);
      assert.deepEqual([...l], [...m], `seed ${seed} step ${step}: entries in order`);
      assert.deepEqual([...l.keys()], [...m.keys()]);
      assert.deepEqual([...l.values()], [...m.values()]);
    }
  }
});

test('takes its entries from an iterable, in order; an empty one has none', () => {
  assert.deepEqual([...new LabelMap<number>()], []);
  assert.equal(new LabelMap<number>().size, 0);
  assert.equal(new LabelMap<number>().get('PER'), undefined);
  assert.deepEqual([...new LabelMap([['LOC', 1]])], [['LOC', 1]]);
  assert.deepEqual(
    [
      ...new LabelMap([
        ['LOC', 1],
        ['PER', 2],
        ['LOC', 3],
      ]),
    ],
    [
      ['LOC', 3],
      ['PER', 2],
    ],
  );
});
