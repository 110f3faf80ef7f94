import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { ownString } from '../../server/src/core/text/ownString';

test('ownString gives the same text', () => {
  for (const s of ['', 'a', 'twelve chars', 'thirteen char', 'المملكة العربية السعودية', 'x😀'.repeat(20)]) assert.equal(ownString(s), s);
});

test('a long substring made its own does not keep the string it was cut from alive', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external; // a large string may live outside the heap
  };
  const cut = (own: boolean) => {
    let text: string | undefined = Buffer.alloc(40e6, 'news ').toString('latin1');
    const pieces = Array.from({ length: 1000 }, (_, i) => text!.slice(i * 1000, i * 1000 + 20));
    text = undefined;
    return own ? pieces.map(ownString) : pieces;
  };
  const before = heap();
  const views = cut(false);
  const withViews = heap() - before;
  assert.equal(views.length, 1000);
  views.length = 0;
  const base = heap();
  const owned = cut(true);
  const withOwned = heap() - base;
  assert.equal(owned[999], 'news news news news ');
  // Plain slices keep the 40 MB text; strings of their own keep ~1,000 × 20 characters.
  assert.ok(withViews > 30e6, `slices keep their text (${(withViews / 1e6).toFixed(1)} MB)`);
  assert.ok(withOwned < 5e6, `own strings do not (${(withOwned / 1e6).toFixed(1)} MB)`);
});
