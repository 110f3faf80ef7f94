/**
 * V8's collector settings for the server and the CLI: how far a process's heap may grow past
 * what is alive before it collects, and no pretenuring (pretenuringAllowed, below).
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
 * V8's flags are process-wide and these are read at every collection, so setting them
 * at the start of the process (before any worker) covers every thread.
 * NCA_HEAP_GROWING_PERCENT overrides the growth; 0 leaves V8's own factor. (Both flags exist in
 * the V8 of every Node.js from 18 on and of VS Code's Electron; a flag V8 did not know would be
 * reported on standard error, checked with Node.js 20, so never on the protocol's channel with
 * `--stdio`.)
 */
import * as v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

/** The percent to set: NCA_HEAP_GROWING_PERCENT when it is a whole number from 0 to 1000, else HEAP_GROWING_PERCENT. */
export function heapGrowingPercent(env: NodeJS.ProcessEnv): number {
  const raw = env.NCA_HEAP_GROWING_PERCENT?.trim();
  const v = raw && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  return v <= 1000 ? v : HEAP_GROWING_PERCENT;
}

/**
 * Whether V8 may pretenure (NCA_PRETENURING=1 lets it, for measurements): allocate the objects
 * of an allocation site straight in the old generation once enough of them have outlived a
 * young-generation collection. A document's tokens and their feature objects live as long as
 * its analysis, so whichever are alive when a collection comes (an analysis allocates a few
 * megabytes) count as survivors, and V8 then makes every later document's tokens in the old
 * generation, where they die as garbage for full collections to sweep. Measured on 2026-12-04
 * (bench-fresh-worker.ts, alternating fresh processes): full analysis of the English articles
 * 6.1–6.6 ms per 10 KiB without pretenuring against 8.0–8.1 ms with it, the Arabic ones
 * 6.8–7.9 against 8.0–8.8; see README, Large corpora, for the scan.
 */
export function pretenuringAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.NCA_PRETENURING?.trim() === '1';
}

/**
 * V8's collector settings for this process, before any worker starts: the heap growth (see
 * above) and no pretenuring (pretenuringAllowed). Returns the heap growing percent set.
 */
export function tuneCollector(env: NodeJS.ProcessEnv = process.env): number {
  if (!pretenuringAllowed(env)) v8.setFlagsFromString('--no-allocation-site-pretenuring');
  return limitHeapGrowth(env);
}

/** Sets V8's heap growing factor for this process (see above); returns the percent set, 0 for V8's own. */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): number {
  const percent = heapGrowingPercent(env);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
