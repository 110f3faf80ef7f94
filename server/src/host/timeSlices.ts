/**
 * Long loops on the language server's thread (a whole-workspace export, finding
 * every mention of a name, the Review Queue's refinement after a decision, the
 * scan's bookkeeping) give way to whatever else waits (hovers, typing, quick
 * fixes) once per slice of work, instead of holding the thread for minutes on a
 * large corpus.
 *
 * The turns of the event loop are shared out: each turn gives one slice to one
 * loop, in the order they asked (round-robin), with free turns between slices
 * (FREE_TURNS), so a request that arrives waits for one slice at most, however
 * many loops run at once. When each loop gave way on a setImmediate of its own,
 * every loop ran its slice in the same turn, and a hover waited for all of them:
 * 60–70 ms (p50) during an undo of Apply Everywhere on 2,000 documents, with the
 * refinement running beside it; 35–45 ms during an export. Giving way after
 * every document would cost a turn of the event loop each; slices of 20 ms
 * instead of 10 doubled the waits.
 */
export const SLICE_MS = 10;

/** Loops waiting for their turn, first come first served; one is resumed per turn of the event loop. */
const waiting: (() => void)[] = [];
let scheduled = false;

/**
 * Turns of the event loop left free between two slices. vscode-jsonrpc handles a request
 * from one immediate and writes its answer from another (its write semaphore): with a slice
 * in every turn, an answer waited for two slices; two free turns let it go out before the
 * next one. A free turn costs microseconds.
 */
const FREE_TURNS = 2;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  const after = (free: number): void => void setImmediate(free ? () => after(free - 1) : runTurn);
  after(FREE_TURNS);
}

function runTurn(): void {
  scheduled = false;
  const next = waiting.shift();
  // The others wait for later turns (an immediate queued now runs on the next one).
  if (waiting.length) schedule();
  // The loop resumes right after this callback (its promise settles in the microtask checkpoint
  // Node runs between immediates), before the requests read in this turn are handled.
  next?.();
}

/** Resolves on a later turn of the event loop: this loop's next turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

export class TimeSlices {
  private since = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Resolves at once within a slice; after it, on this loop's next turn (nextTurn). */
  async pause(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await nextTurn();
    this.since = performance.now();
  }
}
