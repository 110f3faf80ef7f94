/**
 * How far V8 lets a process's heap grow past what is alive before it collects.
 *
 * The detectors allocate fast (a few megabytes per article) and keep word caches that
 * fill and are emptied, so some of what they allocate outlives two young-generation
 * collections and lands in the old generation as garbage. With V8's own growing factor
 * (up to 4× the live heap after a full collection) that garbage is let pile up. Measured
 * on 2026-12-04 (`scripts/bench-heap-growth.ts`, `scripts/bench-scan-rss.ts`):
 * - both detectors over 2,000 bench documents in one thread: 102 MB alive at the end, but a
 *   peak of 611 MB resident; with the heap let grow 20 % past what is alive, 318 MB, in
 *   1.09× the time (50 %: 348 MB, 1.04×);
 * - the server's thread tags the top of the Review Queue after a scan, on top of the corpus
 *   memory: at 100,000 documents the process grew from 1,012 MB at the end of the scan to
 *   1,249 MB; with 20 %, 981–1,004 MB was its peak over the whole start (three runs; the
 *   scan 379–390 s against 368 s), and a warm restart's 717–723 MB against 1,387–1,428 MB;
 * - the CLI's `annotate --jobs 1` over 4,000 documents: 726 MB, now 334–337 MB, as fast.
 * The workers are bounded by their own heap limit (analysisPool.ts) and gain from it too.
 *
 * V8's flags are process-wide and this one is read at every collection, so setting it
 * at the start of the process (before any worker) covers every thread.
 * NCA_HEAP_GROWING_PERCENT overrides it; 0 leaves V8's own factor.
 */
import * as v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

/** The percent to set: NCA_HEAP_GROWING_PERCENT when it is a whole number from 0 to 1000, else HEAP_GROWING_PERCENT. */
export function heapGrowingPercent(env: NodeJS.ProcessEnv): number {
  const raw = env.NCA_HEAP_GROWING_PERCENT?.trim();
  const v = raw && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  return v <= 1000 ? v : HEAP_GROWING_PERCENT;
}

/** Sets V8's heap growing factor for this process (see above); returns the percent set, 0 for V8's own. */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): number {
  const percent = heapGrowingPercent(env);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
