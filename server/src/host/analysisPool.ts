/**
 * Worker threads for reading a corpus: each document is read, its sidecar
 * anchored and its summary computed (the tagger's pass, the costly part) in a
 * worker, so a scan uses every core and the server's main thread stays free
 * for typing, hovers and quick fixes. The workers run the same bundle as the
 * main thread (dist/server.js or dist/cli.js, started with `workerData.role`),
 * so no extra file ships. Run from source (tests under tsx) there is no bundle
 * to start: `AnalysisPool.create` returns null and the caller works in-process.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileSummary, Reusable } from './summarizeFile';

/** `workerData.role` of an analysis worker (see server/src/entry.ts). */
export const ANALYSIS_WORKER_ROLE = 'news-annotator-analysis';
/**
 * `workerData.role` of the worker that adapts the tagger (host/learnWorker.ts). Declared here,
 * beside the other, so that the entry point loads a worker's code only in that worker.
 */
export const LEARN_WORKER_ROLE = 'news-annotator-learn';

/** What every job of a scan shares: how documents are read and tagged. */
export interface AnalysisConfig {
  maxBytes: number;
  /** The layer whose decisions are read (an annotator's name, or null for the adjudicated sidecar). */
  layer: string | null;
  /** false: entity detection off. */
  entities: false | { labels?: string[]; minConfidence?: number };
  /** A model file to tag with (its fingerprint tells the worker whether it has it loaded); absent: the shipped model. */
  model?: { file: string; fingerprint: string };
}

/** One document to summarise; `reuse`: the cached summary of an earlier version of the file (used if its text is the same). */
export interface AnalysisJob {
  file: string;
  config: AnalysisConfig;
  reuse?: Reusable;
}

/**
 * A worker's answer, or `crashed` when the worker died on the job (out of its
 * heap on a huge document, or a bug): the caller summarises that file itself.
 */
export type JobResult = FileSummary | { ok: false; message: string; crashed: true };

/**
 * The old-generation heap of a worker. The tagger's models take ~95 MB of
 * it; without a limit V8 lets each worker's heap grow for a long while before
 * collecting (a 2,000-document scan peaked at 1.4 GB resident with two
 * workers; 0.73 GB with this limit, as fast). A document too large for it
 * kills the worker, which is replaced, and the file is read on the main
 * thread instead. NCA_WORKER_HEAP_MB overrides it (a corpus of huge documents).
 */
export const WORKER_HEAP_MB = 256;

/**
 * The young generation of a worker. What a worker allocates per document is short-lived
 * (tokens, features, scores); V8's default young generation only let each worker hold more:
 * a 6,000-document scan peaked at 506–511 MB resident with the default and 450–457 MB with
 * 8 MB, in the same time (103–113 s either way, alternating runs).
 */
export const WORKER_YOUNG_MB = 8;

/**
 * Documents to tag for each worker an automatic pool starts. Each worker loads its own copy of
 * the tagger's data (~150 MB resident, a second or two): a few hundred documents are tagged
 * in seconds by one, and a second adds its memory for little time. Measured at 100,000
 * documents, a restart that tagged 500 changed files: one worker 12.8–13.9 s, peak ~950 MB;
 * two 12.1–12.9 s, peak ~1,080 MB (the corpus memory holds ~750 MB of it).
 */
export const DOCUMENTS_PER_WORKER = 500;

/** The cores a pool may use (os.availableParallelism where Node has it). */
export function cores(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

/** Workers for `documents` to tag: the setting when it is set, else one per core and per DOCUMENTS_PER_WORKER; 1 to 16. */
export function poolSize(setting: number, cores: number, documents: number): number {
  const n = setting > 0 ? setting : Math.min(cores, Math.ceil(documents / DOCUMENTS_PER_WORKER));
  return Math.max(1, Math.min(n, 16));
}

function workerHeapMb(): number {
  const v = Number(process.env.NCA_WORKER_HEAP_MB);
  return Number.isFinite(v) && v >= 16 ? v : WORKER_HEAP_MB;
}

interface Pending {
  resolve: (r: JobResult) => void;
}

let workerEntry: string | undefined;

/** Called by a bundle's entry point: workers may start that file (see server/src/entry.ts). */
export function enableAnalysisWorkers(entryFile: string): void {
  workerEntry = entryFile;
}

/** The bundle a worker thread starts (undefined when run from source: work stays on this thread). */
export function workerEntryFile(): string | undefined {
  return workerEntry;
}

export class AnalysisPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { job: AnalysisJob; pending: Pending }[] = [];
  private readonly running = new Map<Worker, Pending>();
  private closed = false;
  /** Workers that died; past a few per slot the pool gives up and every job is answered `crashed` (done on the main thread). */
  private crashes = 0;
  private broken = false;

  /**
   * A pool of `size` workers (at most 16), or null when workers cannot be started here (run
   * from source). `size` 0: automatic, one per core, but no more than one per
   * DOCUMENTS_PER_WORKER of the `documents` to tag.
   */
  static create(size = 0, documents = Infinity): AnalysisPool | null {
    if (!workerEntry) return null;
    return new AnalysisPool(workerEntry, poolSize(size, cores(), documents));
  }

  private constructor(
    private readonly entry: string,
    private readonly slots: number,
  ) {
    for (let i = 0; i < slots; i++) this.start();
  }

  private start(): void {
    const w = new Worker(this.entry, { workerData: { role: ANALYSIS_WORKER_ROLE }, resourceLimits: { maxOldGenerationSizeMb: workerHeapMb(), maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    // A worker never keeps the process alive: a CLI run ends when its work is done.
    w.unref();
    w.on('message', (m: JobResult) => this.done(w, m));
    // A worker that dies (its heap exhausted, a bug) answers its job as crashed and is replaced.
    let failure = '';
    w.on('error', (err) => (failure = err.message));
    w.on('exit', (code) => this.died(w, failure || `exit code ${code}`));
    this.workers.push(w);
    this.idle.push(w);
  }

  private died(w: Worker, why: string): void {
    const p = this.running.get(w);
    this.running.delete(w);
    this.workers.splice(this.workers.indexOf(w), 1);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.closed) return;
    p?.resolve({ ok: false, crashed: true, message: `the analysis worker stopped (${why})` });
    // Workers that cannot even load the models would be replaced forever: after a few, stop.
    if (++this.crashes > 2 * this.slots) {
      this.broken = true;
      for (const { pending } of this.queue.splice(0)) pending.resolve({ ok: false, crashed: true, message: `the analysis workers keep stopping (${why})` });
      return;
    }
    this.start();
    this.pump();
  }

  get size(): number {
    return this.slots;
  }

  summarize(job: AnalysisJob): Promise<JobResult> {
    if (this.closed) return Promise.resolve({ ok: false, message: 'the analysis pool is closed' });
    if (this.broken) return Promise.resolve({ ok: false, crashed: true, message: 'the analysis workers keep stopping' });
    return new Promise((resolve) => {
      this.queue.push({ job, pending: { resolve } });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(w, job.pending);
      w.ref();
      w.postMessage(job.job);
    }
  }

  private done(w: Worker, r: JobResult): void {
    const p = this.running.get(w);
    this.running.delete(w);
    w.unref();
    if (this.closed) return;
    this.idle.push(w);
    p?.resolve(r);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.resolve({ ok: false, message: 'the analysis pool was closed' });
    for (const p of this.running.values()) p.resolve({ ok: false, message: 'the analysis pool was closed' });
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}
