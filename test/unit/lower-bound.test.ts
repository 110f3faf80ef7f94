import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lowerBound } from '../../server/src/core/text/lowerBound';

test('lowerBound finds the first item not before the probe, as a linear scan does', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -20, max: 20 })), fc.integer({ min: -25, max: 25 }), (xs, x) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const scan = sorted.findIndex((v) => v >= x);
      assert.equal(lowerBound(sorted.length, (i) => sorted[i]! < x), scan < 0 ? sorted.length : scan);
    }),
  );
  assert.equal(lowerBound(0, () => true), 0);
  assert.equal(lowerBound(3, () => true), 3);
  assert.equal(lowerBound(3, () => false), 0);
});
