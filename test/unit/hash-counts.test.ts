import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HashCounts } from '../../server/src/core/text/hashCounts';
import { hash53 } from '../../server/src/core/text/hash';

/** The table against a Map doing the same, on a deterministic random sequence of adds and removals. */
function replay(keys: number[], steps: number, seed: number): void {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const t = new HashCounts(4);
  const m = new Map<number, number>();
  for (let step = 0; step < steps; step++) {
    const k = keys[Math.floor(rnd() * keys.length)];
    const d = rnd() < 0.55 ? 1 + Math.floor(rnd() * 3) : -(1 + Math.floor(rnd() * 3));
    t.add(k, d);
    const c = (m.get(k) ?? 0) + d;
    if (c > 0) m.set(k, c);
    else m.delete(k);
    if (step % 97 === 0) for (const key of keys) assert.equal(t.get(key), m.get(key) ?? 0, `key ${key} at step ${step}`);
  }
  assert.equal(t.size, m.size);
  assert.deepEqual([...t.entries()].sort((a, b) => a[0] - b[0]), [...m.entries()].sort((a, b) => a[0] - b[0]));
}

describe('HashCounts', () => {
  it('counts as a Map would through adds, removals and growth (53-bit hashes)', () => {
    replay(Array.from({ length: 3000 }, (_, i) => hash53(`line ${i}`)), 60_000, 7);
  });

  it('keeps runs of colliding keys right when one in the middle is removed', () => {
    // Keys that differ only above bit 32 and in small steps: many share a home slot or a run.
    const keys = Array.from({ length: 200 }, (_, i) => 4294967296 * (i % 7) + (i >> 3));
    replay(keys, 20_000, 3);
    replay([0, 1, 2, 3, 2 ** 53 - 1, 2 ** 32, 2 ** 32 + 1], 5_000, 11);
  });

  it('refuses keys that are not integers from 0 to 2^53', () => {
    const t = new HashCounts();
    for (const k of [-1, 0.5, 2 ** 53, NaN, Infinity]) assert.throws(() => t.add(k, 1), RangeError);
    assert.equal(t.get(12345), 0);
    t.add(12345, -1);
    assert.equal(t.size, 0);
  });
});
