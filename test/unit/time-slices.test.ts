/**
 * host/timeSlices.ts: long loops on the server's thread take turns, one slice per turn of
 * the event loop, and an answer that needs two turns (vscode-jsonrpc handles a request in
 * one immediate and writes its answer from another) goes out before the next slice.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { nextTurn, TimeSlices } from '../../server/src/host/timeSlices';

describe('time slices', () => {
  it('gives the turns to the waiting loops in the order they asked, one slice per turn', async () => {
    const order: string[] = [];
    const loop = async (name: string, slices: number) => {
      for (let i = 0; i < slices; i++) {
        await nextTurn();
        order.push(`${name}${i}`);
      }
    };
    await Promise.all([loop('a', 3), loop('b', 3), loop('c', 2)]);
    assert.deepEqual(order, ['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2']);
  });

  it('lets an answer written two turns after its request go out before the next slice', async () => {
    const order: string[] = [];
    let answered: Promise<void> | undefined;
    const loop = async () => {
      for (let i = 0; i < 4; i++) {
        await nextTurn();
        order.push(`slice${i}`);
        if (i === 1) {
          // A request read during this slice: handled in one immediate, answered from the next (vscode-jsonrpc).
          answered = new Promise((resolve) => setImmediate(() => setImmediate(() => (order.push('answer'), resolve()))));
        }
      }
    };
    await loop();
    await answered;
    assert.deepEqual(order, ['slice0', 'slice1', 'answer', 'slice2', 'slice3']);
  });

  it('pauses only once a slice is used up', async () => {
    const slices = new TimeSlices(50);
    const t0 = performance.now();
    // Within the slice the pause gives nothing up: what waits for the event loop still waits.
    let ran = false;
    setImmediate(() => (ran = true));
    await slices.pause();
    assert.ok(performance.now() - t0 < 50 && !ran, 'a pause within the slice went to the event loop');
    while (performance.now() - t0 < 60) {
      /* the slice is used up */
    }
    // After it, the pause lets the event loop run what waits.
    await slices.pause();
    assert.ok(ran, 'a pause after the slice did not give the event loop a turn');
  });
});
