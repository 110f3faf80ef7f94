/**
 * Learn from Annotations off the language server's thread: the tagger is adapted in a
 * worker thread running the same bundle (started with `workerData.role`, see
 * server/src/entry.ts), so hovers, typing and quick fixes are answered while it trains
 * (a minute on a few thousand annotated documents). Run from source (tests under tsx)
 * there is no bundle to start, and it trains on the calling thread.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { loadModel } from '../core/detect/entities';
import { learnFromExamples, type DocumentExamples } from '../core/detect/entities/learn';
import type { LabelPlan } from '../core/detect/entities/tagSet';
import { packModel, type TaggerModel } from '../core/detect/entities/tagger';
import { LEARN_WORKER_ROLE, workerEntryFile } from './analysisPool';

interface LearnJob {
  /** The tagger to adapt, packed (JSON text); null: the shipped one. */
  base: string | null;
  documents: readonly DocumentExamples[];
}

/** The adapted tagger as the JSON text it is saved as, and what the learning measured. */
export interface LearnOutcome {
  json: string;
  plan: LabelPlan;
  before?: number;
  after?: number;
}

type LearnMessage = { progress: [number, number] } | { done: LearnOutcome } | { error: string };

function learn(job: LearnJob, onProgress?: (done: number, total: number) => void): LearnOutcome {
  const base = job.base === null ? loadModel() : loadModel(job.base);
  const r = learnFromExamples(base, job.documents, onProgress);
  return { json: JSON.stringify(packModel(r.model)), plan: r.plan, ...(r.before !== undefined ? { before: r.before } : {}), ...(r.after !== undefined ? { after: r.after } : {}) };
}

/** The worker's side: one job, given in workerData, answered with its progress and outcome. */
export function runLearnWorker(): void {
  const post = (m: LearnMessage) => parentPort!.postMessage(m);
  try {
    post({ done: learn((workerData as { job: LearnJob }).job, (done, total) => post({ progress: [done, total] })) });
  } catch (err) {
    post({ error: (err as Error).message });
  }
}

/** How often a training worker is asked whether the user stopped it (a Cancel answered within a tenth of a second). */
const STOP_POLL_MS = 100;

/**
 * Adapts `base` (undefined: the shipped tagger) to the documents' decisions in a worker
 * thread when the bundle can start one, else here. `stopped` is asked while it trains:
 * once it says true the worker is ended (here: the next epoch is not begun) and the
 * answer is 'stopped'.
 */
export function learnOffThread(
  base: TaggerModel | undefined,
  documents: readonly DocumentExamples[],
  onProgress?: (done: number, total: number) => void,
  stopped: () => boolean = () => false,
): Promise<LearnOutcome | 'stopped'> {
  const job: LearnJob = { base: base ? JSON.stringify(packModel(base)) : null, documents };
  const entry = workerEntryFile();
  if (!entry) {
    return Promise.resolve().then(() => {
      try {
        return learn(job, (done, total) => {
          if (stopped()) throw STOP;
          onProgress?.(done, total);
        });
      } catch (err) {
        if (err === STOP) return 'stopped';
        throw err;
      }
    });
  }
  return new Promise((resolve, reject) => {
    const w = new Worker(entry, { workerData: { role: LEARN_WORKER_ROLE, job } });
    let settled = false;
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      then();
    };
    const poll = setInterval(() => {
      if (stopped()) settle(() => (void w.terminate(), resolve('stopped')));
    }, STOP_POLL_MS);
    w.on('message', (m: LearnMessage) => {
      if ('progress' in m) onProgress?.(m.progress[0], m.progress[1]);
      else {
        void w.terminate();
        settle(() => ('done' in m ? resolve(m.done) : reject(new Error(`learning failed: ${m.error}`))));
      }
    });
    w.on('error', (err) => settle(() => reject(new Error(`the learning worker stopped: ${err.message}`))));
    w.on('exit', (code) => settle(() => reject(new Error(`the learning worker stopped (exit code ${code})`))));
  });
}

/** Thrown from the progress callback to leave a training run on the calling thread. */
const STOP = Symbol('stopped');
