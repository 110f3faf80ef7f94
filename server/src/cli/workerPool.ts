/**
 * `--jobs N`: N child processes of the CLI itself (`news-annotator
 * __worker`, over Node's IPC channel), each building the same Workspace as
 * the parent from the same inputs and options, then taking requests one at
 * a time: index a part, or run the second pass over a part into a spool file.
 * Child processes rather than threads: each has its own heap and tagger, and
 * a crash in one is reported instead of taking the run down silently.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Part } from './documents';
import type { ImportDocResult, ImportShard } from './importShards';
import type { Message, Task } from './passes';

/** What a worker needs to build the parent's Workspace (see openWorkspace). */
export interface WorkerSpec {
  inputs: string[];
  values: Record<string, string | boolean | undefined>;
  /** The layer of the sidecars the parent chose (chooseCliLayer), when it read files; the worker does not choose again. */
  layer?: string | null;
}

export type WorkerRequest =
  | { type: 'index'; part: Part; foundFile?: string; statsFile: string }
  | { type: 'run'; part: Part; task: Task; statsFile?: string; foundFile?: string; outFile: string }
  | { type: 'import'; shard: ImportShard };

export interface WorkerResults {
  index: { documents: number; messages: Message[] };
  run: { documents: number; annotations: number; excluded: number; messages: Message[] };
  import: { results: ImportDocResult[] };
}

interface Job {
  request: WorkerRequest;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Worker {
  child: ChildProcess;
  job?: Job;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor(size: number, spec: WorkerSpec) {
    for (let i = 0; i < size; i++) {
      const child = fork(process.argv[1], ['__worker'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
      const w: Worker = { child };
      child.on('message', (m: { ok: boolean; result?: unknown; message?: string }) => {
        const job = w.job;
        w.job = undefined;
        if (job) {
          if (m.ok) job.resolve(m.result);
          else job.reject(new Error(m.message ?? 'a worker process failed'));
        }
        this.dispatch();
      });
      child.on('exit', (code, signal) => {
        if (this.closed) return;
        this.fail(new Error(`a worker process stopped (${signal ? `signal ${signal}` : `exit code ${code}`}); nothing more is done`));
      });
      child.on('error', (err) => this.fail(new Error(`a worker process failed: ${err.message}`)));
      child.send({ type: 'init', spec });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  run<K extends WorkerRequest['type']>(request: Extract<WorkerRequest, { type: K }>): Promise<WorkerResults[K]> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({ request, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (w.job || !this.queue.length || this.failure) continue;
      w.job = this.queue.shift()!;
      w.child.send(w.job.request);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.workers) {
      w.job?.reject(err);
      w.job = undefined;
    }
    for (const j of this.queue.splice(0)) j.reject(err);
    this.close();
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) {
      if (w.child.connected) w.child.disconnect();
      if (w.child.exitCode === null) w.child.kill();
    }
  }
}
