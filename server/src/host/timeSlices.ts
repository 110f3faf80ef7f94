/**
 * Long loops on the language server's thread (a whole-workspace export, finding
 * every mention of a name) give way to whatever else waits (hovers, typing,
 * quick fixes) once per slice of work, instead of holding the thread for minutes
 * on a large corpus. A slice of 20 ms keeps a hover's wait near one document's
 * work; giving way after every document would cost a turn of the event loop each.
 */
export const SLICE_MS = 20;

export class TimeSlices {
  private since = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Resolves at once within a slice; after it, on the next turn of the event loop. */
  async pause(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await new Promise((r) => setImmediate(r));
    this.since = performance.now();
  }
}
