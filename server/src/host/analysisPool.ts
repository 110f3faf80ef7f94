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

export type JobResult = FileSummary;

interface Pending {
  resolve: (r: JobResult) => void;
}

let workerEntry: string | undefined;

/** Called by a bundle's entry point: workers may start that file (see server/src/entry.ts). */
export function enableAnalysisWorkers(entryFile: string): void {
  workerEntry = entryFile;
}

export class AnalysisPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { job: AnalysisJob; pending: Pending }[] = [];
  private readonly running = new Map<Worker, Pending>();
  private closed = false;

  /**
   * A pool of `size` workers (0: as many as cores, at most 8), or null when
   * workers cannot be started here (run from source) or one would not help.
   */
  static create(size = 0): AnalysisPool | null {
    if (!workerEntry) return null;
    const n = Math.max(1, Math.min(size || (os.availableParallelism?.() ?? os.cpus().length), 16));
    return new AnalysisPool(workerEntry, n);
  }

  private constructor(entry: string, size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(entry, { workerData: { role: ANALYSIS_WORKER_ROLE } });
      // A worker never keeps the process alive: a CLI run ends when its work is done.
      w.unref();
      w.on('message', (m: JobResult) => this.done(w, m));
      w.on('error', (err) => this.done(w, { ok: false, message: `analysis worker failed: ${err.message}` }));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  summarize(job: AnalysisJob): Promise<JobResult> {
    if (this.closed) return Promise.resolve({ ok: false, message: 'the analysis pool is closed' });
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
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
