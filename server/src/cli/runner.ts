/**
 * Runs a task over the parts of the input, in this process (`--jobs 1`) or
 * on worker processes, with the same result byte for byte:
 *
 * - pass 1 (unless the statistics were given, `--corpus-stats`): each part's
 *   statistics, added up in any order (they are exact sums), loaded as the
 *   whole corpus' memory;
 * - pass 2: each part annotated with those statistics. Workers write their
 *   part's output to a spool file; this process prints the parts in input
 *   order as soon as each one and all before it are done, and the one file
 *   exporter runs here, so headers, footers and numbering (W3C, Label Studio,
 *   doccano ids) come out exactly as from one process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addStats, serializeStats, statsAccumulator, validateStats, type CorpusStats } from '../core/corpus/stats';
import type { ExportDocument } from '../core/export';
import { readLines } from '../host/jsonl';
import type { Workspace } from '../host/workspace';
import type { Part } from './documents';
import { indexPart, needsCorpus, runPart, type Message, type RunResult, type Sink, type Task } from './passes';
import { runFolder } from './spoolFile';
import { WorkerPool, type WorkerSpec } from './workerPool';

export interface RunOptions {
  ws: Workspace;
  spec: WorkerSpec;
  parts: Part[];
  task: Task;
  jobs: number;
  /** The statistics of the whole corpus were given (--corpus-stats) and are loaded in `ws`. */
  statsGiven?: CorpusStats;
  sink: Sink;
  report: (m: Message) => void;
  /** Documents done so far (after each document in one process, after each part with workers). */
  progress?: (documents: number) => void;
}

export async function runTask(o: RunOptions): Promise<RunResult> {
  const tmp = runFolder();
  const pool = o.jobs > 1 && o.parts.length > 1 ? new WorkerPool(Math.min(o.jobs, o.parts.length), o.spec) : undefined;
  try {
    const found = o.parts.map((_, i) => path.join(tmp.dir, `found-${i}.jsonl`));
    let statsFile: string | undefined;
    let foundFiles: (string | undefined)[] = o.parts.map(() => undefined);
    if (needsCorpus(o.task)) {
      let stats = o.statsGiven;
      if (!stats) {
        // Pass 1's messages (unreadable files, bad lines) come again, in order, from pass 2.
        stats = await indexParts(o.ws, o.parts, pool, tmp.dir, () => undefined, found);
        if (!pool) o.ws.loadStats(stats);
        foundFiles = found;
      }
      if (pool) fs.writeFileSync((statsFile = path.join(tmp.dir, 'corpus-stats.json')), serializeStats(stats));
    }
    if (!pool) {
      const total: RunResult = { documents: 0, annotations: 0, excluded: 0 };
      for (let i = 0; i < o.parts.length; i++) {
        const r = await runPart(o.ws, o.parts[i], o.task, o.sink, o.report, foundFiles[i], (n) => o.progress?.(total.documents + n));
        total.documents += r.documents;
        total.annotations += r.annotations;
        total.excluded += r.excluded;
      }
      return total;
    }
    const outs = o.parts.map((_, i) => path.join(tmp.dir, `out-${i}`));
    const pending = o.parts.map((part, i) => pool.run({ type: 'run', part, task: o.task, statsFile, foundFile: foundFiles[i], outFile: outs[i] }));
    // Failures surface in order below; until then, a rejected promise is not an unhandled one.
    for (const p of pending) p.catch(() => undefined);
    const total: RunResult = { documents: 0, annotations: 0, excluded: 0 };
    for (let i = 0; i < pending.length; i++) {
      const r = await pending[i];
      for (const m of r.messages) o.report(m);
      await copyPart(outs[i], o.task, o.sink);
      fs.rmSync(outs[i], { force: true });
      if (foundFiles[i]) fs.rmSync(foundFiles[i]!, { force: true });
      total.documents += r.documents;
      total.annotations += r.annotations;
      total.excluded += r.excluded;
      o.progress?.(total.documents);
    }
    return total;
  } finally {
    pool?.close();
    tmp.remove();
  }
}

/** Pass 1 alone (`news-annotator index`): the statistics of every part, added up. */
export async function indexAll(ws: Workspace, spec: WorkerSpec, parts: Part[], jobs: number, report: (m: Message) => void): Promise<CorpusStats> {
  const tmp = runFolder();
  const pool = jobs > 1 && parts.length > 1 ? new WorkerPool(Math.min(jobs, parts.length), spec) : undefined;
  try {
    return await indexParts(ws, parts, pool, tmp.dir, report);
  } finally {
    pool?.close();
    tmp.remove();
  }
}

async function indexParts(ws: Workspace, parts: Part[], pool: WorkerPool | undefined, dir: string, report: (m: Message) => void, found?: string[]): Promise<CorpusStats> {
  const total = statsAccumulator(ws.analysisKey());
  if (!pool) {
    for (let i = 0; i < parts.length; i++) addStats(total, (await indexPart(ws, parts[i], report, found?.[i])).stats);
    return total;
  }
  const pending = parts.map((part, i) => pool.run({ type: 'index', part, foundFile: found?.[i], statsFile: path.join(dir, `stats-${i}.json`) }));
  for (const p of pending) p.catch(() => undefined);
  for (let i = 0; i < pending.length; i++) {
    const r = await pending[i];
    for (const m of r.messages) report(m);
    const file = path.join(dir, `stats-${i}.json`);
    addStats(total, validateStats(JSON.parse(fs.readFileSync(file, 'utf8'))));
    fs.rmSync(file, { force: true });
  }
  return total;
}

/** A worker's spool, into the sink: text as it is, documents one line (one document) at a time. */
async function copyPart(file: string, task: Task, sink: Sink): Promise<void> {
  if (task.kind === 'annotate' || task.jsonl) {
    const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const chunk of stream as AsyncIterable<string>) await sink.text(chunk);
    return;
  }
  for await (const l of readLines(file)) {
    if ('error' in l) throw new Error(`${file}: ${l.error}`);
    if (l.text) await sink.document(JSON.parse(l.text) as ExportDocument);
  }
}
