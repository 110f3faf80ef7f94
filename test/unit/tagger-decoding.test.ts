/**
 * The tagger's decoders against brute force: Viterbi finds the best path the BIOES scheme
 * allows, forward–backward gives each tag's posterior probability, on random scores. The
 * scheme's constraints are written out here again, independently of tagger.ts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { marginals, nameRows, rng, TAGS, viterbi } from '../../server/src/core/detect/entities/tagger';

const T = TAGS.length;
const label = (t: string) => t.slice(2);
const opens = (t: string) => t.startsWith('B-') || t.startsWith('I-');
/** May tag b follow tag a (a undefined: sentence start)? */
function follows(a: string | undefined, b: string): boolean {
  if (b.startsWith('I-') || b.startsWith('E-')) return a !== undefined && opens(a) && label(a) === label(b);
  return a === undefined || !opens(a);
}

/** Every allowed path of length n with its score. */
function* paths(n: number, em: Float64Array, trans: ArrayLike<number>): Generator<{ path: number[]; score: number }> {
  const path = new Array<number>(n).fill(0);
  function* rec(i: number, score: number): Generator<{ path: number[]; score: number }> {
    if (i === n) {
      if (!opens(TAGS[path[n - 1]])) yield { path: [...path], score };
      return;
    }
    for (let c = 0; c < T; c++) {
      const prev = i === 0 ? undefined : TAGS[path[i - 1]];
      if (!follows(prev, TAGS[c])) continue;
      path[i] = c;
      yield* rec(i + 1, score + (i === 0 ? trans[T * T + c] : trans[path[i - 1] * T + c]) + em[i * T + c]);
    }
  }
  yield* rec(0, 0);
}

function randomScores(n: number, next: () => number): { em: Float64Array; trans: Float32Array } {
  const em = Float64Array.from({ length: n * T }, () => (next() - 0.5) * 40);
  const trans = Float32Array.from({ length: (T + 1) * T }, () => (next() - 0.5) * 20);
  return { em, trans };
}

test('Viterbi finds the best path the BIOES scheme allows', () => {
  const next = rng(7);
  for (const n of [1, 2, 3, 4]) {
    for (let round = 0; round < (n === 4 ? 3 : 10); round++) {
      const { em, trans } = randomScores(n, next);
      let best = { path: [] as number[], score: -Infinity };
      for (const p of paths(n, em, trans)) if (p.score > best.score) best = p;
      assert.deepEqual(viterbi(em, n, trans, TAGS), best.path, `n = ${n}, round ${round}`);
    }
  }
});

test('Viterbi reads transitions as they are when they change between calls (training updates them in place)', () => {
  const next = rng(11);
  const { em, trans } = randomScores(3, next);
  const live = Float64Array.from(trans);
  for (let round = 0; round < 5; round++) {
    let best = { path: [] as number[], score: -Infinity };
    for (const p of paths(3, em, live)) if (p.score > best.score) best = p;
    assert.deepEqual(viterbi(em, 3, live, TAGS), best.path);
    for (let i = 0; i < live.length; i++) live[i] += (next() - 0.5) * 30;
  }
});

test('forward–backward marginals equal the brute-force posteriors, at any temperature', () => {
  const next = rng(3);
  for (const n of [1, 2, 3, 4]) {
    // The same transitions at two temperatures (the potentials are cached per transitions array).
    const { em, trans } = randomScores(n, next);
    for (const temperature of [1, 12, 1]) {
      const expected = new Float64Array(n * T);
      let z = 0;
      const all = [...paths(n, em, trans)];
      const top = Math.max(...all.map((p) => p.score));
      for (const p of all) {
        const w = Math.exp((p.score - top) / temperature);
        z += w;
        p.path.forEach((c, i) => (expected[i * T + c] += w));
      }
      // Every range of rows [from, to): tagging asks only for the rows of a path's names.
      for (let from = 0; from < n; from++) {
        for (let to = from + 1; to <= n; to++) {
          const got = marginals(em, n, trans, TAGS, temperature, from, to);
          for (let i = from * T; i < to * T; i++) assert.ok(Math.abs(got[i] - expected[i] / z) < 1e-9, `n = ${n}, T = ${temperature}, rows ${from}–${to}, cell ${i}: ${got[i]} vs ${expected[i] / z}`);
          for (let i = from; i < to; i++) assert.ok(Math.abs(got.slice(i * T, i * T + T).reduce((a, b) => a + b, 0) - 1) < 1e-9);
        }
      }
    }
  }
});

test('the rows of a path that belong to names', () => {
  assert.equal(nameRows([0, 0, 0]), undefined);
  assert.equal(nameRows([]), undefined);
  assert.deepEqual(nameRows([0, 4, 0, 1, 2, 3, 0]), [1, 6]);
  assert.deepEqual(nameRows([4]), [0, 1]);
});
