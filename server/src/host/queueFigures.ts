/**
 * The Review Queue's exact figures kept for the next start. Exact figures are the suggestions
 * of a document with the whole corpus known; the server computes them for the top of the queue
 * after every scan, a full analysis per document on its own thread (about 10 s of a core for
 * 1,000 documents). A restart on a corpus that did not change would compute the very same
 * figures again: they are kept beside the summary cache, and taken back only when nothing
 * they depend on has changed.
 *
 * What they depend on is the whole corpus (names and blocks seen elsewhere, every decision),
 * the document's own text and sidecar, the settings and the analysis. So the file carries:
 * - the summary cache's key (analysis, layer, folders: another key is another folder);
 * - a print of the corpus: a hash over every document's path and stamp (its text's and its
 *   sidecar's size, times and inode; see summaryCache.ts stampOf), which moves when any file of
 *   the corpus changes, is added or removed;
 * - the settings the suggestions are made with (`settings`, compared as they are).
 * Anything else, or a file that does not read back whole, and the figures are computed again:
 * like the cache, they are never trusted when in doubt. Written atomically (temporary file,
 * rename), so two servers on one folder leave one whole file or the other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { QueueStats } from '../core/corpus/queue';
import { replaceFile } from './summaryCache';

export const FIGURES_FORMAT = 'news-annotator/queue-figures';
/** 1: the first. A change to how QueueStats are computed must change this, so that older figures are not taken back. */
const FIGURES_VERSION = 1;
const FILE = 'queue-figures.json';

/** The QueueStats fields, in the order a row holds them. */
const FIELDS = ['openSuggestions', 'uncertain', 'newNames', 'fromDictionary', 'accepted', 'priority'] as const satisfies readonly (keyof QueueStats)[];

/** What the figures were computed over: the summary cache's key, the corpus print and the settings. */
export interface FiguresBasis {
  key: string;
  corpus: string;
  settings: string;
}

interface FiguresFile extends FiguresBasis {
  format: string;
  version: number;
  files: string[];
  /** FIELDS of each file, one row after the other. */
  numbers: number[];
}

/**
 * The print of a corpus: every document's path and stamp, in the order given (the scan's, which
 * is sorted). Two prints are equal only for the same documents with the same stamps.
 */
export class CorpusPrint {
  private readonly hash = createHash('sha256');
  private count = 0;

  add(file: string, stamp: string): void {
    this.hash.update(file).update('\u0000').update(stamp).update('\n');
    this.count++;
  }

  digest(): string {
    return `${this.count}:${this.hash.digest('hex').slice(0, 32)}`;
  }
}

/** The figures kept in `folder` for exactly this basis; undefined when there are none, or others, or they are damaged. */
export async function readFigures(folder: string, basis: FiguresBasis): Promise<Map<string, QueueStats> | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(path.join(folder, FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<FiguresFile>;
    if (v.format !== FIGURES_FORMAT || v.version !== FIGURES_VERSION) return undefined;
    if (v.key !== basis.key || v.corpus !== basis.corpus || v.settings !== basis.settings) return undefined;
    const { files, numbers } = v;
    if (!Array.isArray(files) || !Array.isArray(numbers) || numbers.length !== files.length * FIELDS.length) return undefined;
    const out = new Map<string, QueueStats>();
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      if (typeof file !== 'string') return undefined;
      const row = numbers.slice(i * FIELDS.length, (i + 1) * FIELDS.length);
      // Counts are whole and not negative; the priority is any finite number.
      if (!row.every((x, k) => typeof x === 'number' && Number.isFinite(x) && (FIELDS[k] === 'priority' || (Number.isInteger(x) && x >= 0)))) return undefined;
      out.set(file, Object.fromEntries(FIELDS.map((f, k) => [f, row[k]])) as unknown as QueueStats);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Keeps `rows` in `folder` for this basis (atomically). Returns whether they were written. */
export async function writeFigures(folder: string, basis: FiguresBasis, rows: Iterable<[string, QueueStats]>): Promise<boolean> {
  const files: string[] = [];
  const numbers: number[] = [];
  for (const [file, stats] of rows) {
    files.push(file);
    for (const f of FIELDS) numbers.push(stats[f]);
  }
  const v: FiguresFile = { format: FIGURES_FORMAT, version: FIGURES_VERSION, ...basis, files, numbers };
  try {
    await replaceFile(path.join(folder, FILE), JSON.stringify(v));
    return true;
  } catch {
    return false;
  }
}
