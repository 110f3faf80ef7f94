import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAP_GROWING_PERCENT, heapGrowingPercent, pretenuringAllowed } from '../../server/src/host/heapGrowth';

test('heap growth: the default, and NCA_HEAP_GROWING_PERCENT when it is a whole number from 0 to 1000', () => {
  assert.equal(heapGrowingPercent({}), HEAP_GROWING_PERCENT);
  assert.equal(heapGrowingPercent({ NCA_HEAP_GROWING_PERCENT: '' }), HEAP_GROWING_PERCENT);
  assert.equal(heapGrowingPercent({ NCA_HEAP_GROWING_PERCENT: '0' }), 0, "0 leaves V8's own factor");
  assert.equal(heapGrowingPercent({ NCA_HEAP_GROWING_PERCENT: ' 50 ' }), 50);
  assert.equal(heapGrowingPercent({ NCA_HEAP_GROWING_PERCENT: '1000' }), 1000);
  for (const bad of ['-5', '12.5', 'lots', '1001', '0x20']) assert.equal(heapGrowingPercent({ NCA_HEAP_GROWING_PERCENT: bad }), HEAP_GROWING_PERCENT, bad);
});

test('pretenuring: off unless NCA_PRETENURING is 1', () => {
  assert.equal(pretenuringAllowed({}), false);
  assert.equal(pretenuringAllowed({ NCA_PRETENURING: '0' }), false);
  assert.equal(pretenuringAllowed({ NCA_PRETENURING: 'yes' }), false);
  assert.equal(pretenuringAllowed({ NCA_PRETENURING: '1' }), true);
  assert.equal(pretenuringAllowed({ NCA_PRETENURING: ' 1 ' }), true);
});
