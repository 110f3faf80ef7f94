/** How many analysis workers a scan starts (AnalysisPool.create's size; the pool itself needs the bundle: test/protocol/scan-cache). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCUMENTS_PER_WORKER, poolSize } from '../../server/src/host/analysisPool';

test('automatic (setting 0): one per core, but one per DOCUMENTS_PER_WORKER documents to tag', () => {
  assert.equal(poolSize(0, 2, 100_000), 2, 'a first scan of a big corpus: every core');
  assert.equal(poolSize(0, 8, 100_000), 8);
  assert.equal(poolSize(0, 2, DOCUMENTS_PER_WORKER), 1, 'a restart that tags a few hundred changed files: one');
  assert.equal(poolSize(0, 2, DOCUMENTS_PER_WORKER + 1), 2);
  assert.equal(poolSize(0, 8, 3 * DOCUMENTS_PER_WORKER), 3);
  assert.equal(poolSize(0, 2, 17), 1);
  assert.equal(poolSize(0, 64, Infinity), 16, 'never more than 16');
  assert.equal(poolSize(0, 0, 1000), 1, 'never fewer than one');
});

test('a number set by the user is taken as it is (within 1–16), whatever the documents', () => {
  assert.equal(poolSize(2, 8, 20), 2);
  assert.equal(poolSize(3, 2, 100_000), 3);
  assert.equal(poolSize(40, 2, 100_000), 16);
});
