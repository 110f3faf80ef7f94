/**
 * The inputs of a streaming sub-command (annotate, export, index) as parts
 * (see documents.ts): the text files of the given files and folders, with
 * `-` as one document read from standard input; or, with `--jsonl`, JSON
 * Lines files with `-` for standard input. Standard input is copied to a
 * temporary file when it must be read twice or cut into parts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spool } from '../host/jsonl';
import type { Workspace } from '../host/workspace';
import { cutFiles, cutJsonl, type Part, type PartFile } from './documents';
import { commonRoot, UsageError, type Jobs } from './options';

/** A part holds at most about this many bytes: the output of a part waits for the parts before it. */
const PART_BYTES = 32 * 1024 * 1024;

/**
 * Without --jobs, an input smaller than this runs in one process: a worker
 * process takes a second or two to load the tagger before its first
 * document, about what one process needs for this many bytes.
 */
export const AUTO_JOBS_MIN_BYTES = 1024 * 1024;

/** The processes to use for `bytes` of input: as asked (--jobs), else the cores when the input is large enough. */
export function jobsFor(jobs: Jobs, bytes: number): number {
  return jobs.explicit || bytes >= AUTO_JOBS_MIN_BYTES ? jobs.count : 1;
}

/** How many parts to cut `bytes` into for `jobs` processes: a few per process, so that a slow part does not leave the others idle. */
export function partsFor(bytes: number, jobs: number): number {
  return jobs <= 1 ? 1 : Math.max(jobs * 4, Math.ceil(bytes / PART_BYTES));
}

/** `-` at most once: standard input can be read only once. */
export function checkStdin(inputs: readonly string[]): boolean {
  const n = inputs.filter((i) => i === '-').length;
  if (n > 1) throw new UsageError('"-" (standard input) can be given once');
  return n === 1;
}

/**
 * The text files of the inputs, sorted, with standard input first when
 * `-` is given (copied into `tmpDir` as `stdin.txt`: it has no sidecar).
 * Names in an export are relative to the deepest folder holding every input.
 */
export async function listInputFiles(ws: Workspace, inputs: string[], tmpDir: () => string, fail: (file: string, message: string) => void): Promise<PartFile[]> {
  const root = commonRoot(inputs.filter((i) => i !== '-'));
  const out: PartFile[] = [];
  if (checkStdin(inputs)) {
    const file = path.join(tmpDir(), 'stdin.txt');
    await spool(process.stdin, file);
    out.push({ path: file, shown: '-', name: 'stdin.txt' });
  }
  for (const file of ws.listFiles(fail)) out.push({ path: file, shown: file, name: path.relative(root, file).split(path.sep).join('/') });
  return out;
}

/**
 * JSON Lines inputs cut into parts. Standard input is read as it comes when
 * one pass over it in this process is enough (`twoPasses` false, one job);
 * otherwise it is copied to a file first.
 */
export async function jsonlParts(inputs: string[], asked: Jobs, twoPasses: boolean, tmpDir: () => string, fail: (file: string, message: string) => void): Promise<{ parts: Part[]; jobs: number }> {
  checkStdin(inputs);
  const files: { file: string; shown: string; size: number }[] = [];
  for (const input of inputs) {
    if (input === '-') {
      if (!twoPasses && (!asked.explicit || asked.count <= 1)) {
        files.push({ file: '-', shown: '-', size: 0 });
        continue;
      }
      const file = path.join(tmpDir(), 'stdin.jsonl');
      files.push({ file, shown: '-', size: await spool(process.stdin, file) });
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (err) {
      fail(input, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
      continue;
    }
    if (!st.isFile()) {
      fail(input, 'not a JSON Lines file (with --jsonl, every input is a file of records, or - for standard input)');
      continue;
    }
    files.push({ file: input, shown: input, size: st.size });
  }
  const total = files.reduce((n, f) => n + f.size, 0);
  // Standard input read as it comes is one part, in this process.
  const jobs = files.some((f) => f.file === '-') ? 1 : jobsFor(asked, total);
  const wanted = partsFor(total, jobs);
  const parts: Part[] = [];
  for (const f of files) {
    if (f.file === '-') parts.push({ kind: 'jsonl', file: '-', shown: '-', range: { start: 0, end: Infinity, firstLine: 1 } });
    else parts.push(...(await cutJsonl(f.file, f.shown, Math.max(1, Math.round((wanted * f.size) / Math.max(1, total))))));
  }
  return { parts, jobs };
}

/** Text files cut into parts for the processes to use. */
export function fileParts(files: PartFile[], asked: Jobs): { parts: Part[]; jobs: number } {
  let bytes = 0;
  if (asked.count > 1) for (const f of files) bytes += fs.statSync(f.path, { throwIfNoEntry: false })?.size ?? 0;
  const jobs = jobsFor(asked, bytes);
  return { parts: cutFiles(files, Math.min(files.length, partsFor(bytes, jobs))), jobs };
}
