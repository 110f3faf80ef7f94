/**
 * The two passes of `annotate`, `export` and `index` over one part of the
 * corpus, the same whether the part is the whole input (one process) or one
 * of many (`--jobs`, Dask):
 *
 * 1. `indexPart`: the corpus statistics of the part's documents (see
 *    core/corpus/stats.ts). What the detector found in each document, and what
 *    its taggers found (the costly part), go to a spool file, so that the second
 *    pass need not tag the document again.
 * 2. `runPart`: with the statistics of the whole corpus loaded into the
 *    Workspace (`loadStats`), each document is attached, analysed exactly as
 *    in a process holding the whole corpus, written out, and detached again:
 *    memory holds the statistics and one document, whatever the input size.
 */
import type { ExportFormat } from '../protocol';
import { suggest, type Suggestions } from '../core/analyze';
import type { CorpusStats } from '../core/corpus/stats';
import { StatsBuilder } from '../core/corpus/statsBuilder';
import { detectAlone, summarizeDocument } from '../core/corpus/summary';
import type { EntityCandidate } from '../core/detect/types';
import { lastTaggerPasses, reuseTaggerPasses, type TaggerPasses } from '../core/detect/entities';
import type { ExportDocument } from '../core/export';
import { isExcluded } from '../core/annotations/tags';
import { exportRecord, type RecordFormat } from '../core/export/records';
import { suggestionsAsAnnotations } from '../core/suggestionAnnotations';
import { hash53 } from '../core/text/hash';
import { TextIndex } from '../core/text/offsets';
import type { Workspace } from '../host/workspace';
import { readLines } from '../host/jsonl';
import { annotationRecord, annotationText } from './annotateOutput';
import { partDocuments, type CorpusDocument, type Part } from './documents';
import { SpoolWriter } from './spoolFile';

/** A line for stderr; `failure`: it makes the exit code 1; `left`: a document left out, and why. */
export interface Message {
  text: string;
  failure: boolean;
  left?: { file: string; reason: string };
}

/** What the second pass does with each document. */
export type Task =
  | { kind: 'annotate'; json: boolean; jsonl: boolean }
  | { kind: 'export'; format: ExportFormat; includeSuggestions: boolean; jsonl: boolean; includeExcluded: boolean };

/** Needs the corpus-wide signals (statistics of the whole corpus) to be right? */
export function needsCorpus(task: Task): boolean {
  return task.kind === 'annotate' || task.includeSuggestions;
}

/** Where the second pass writes: text (annotate output, JSON Lines records), or documents for a file exporter. */
export interface Sink {
  text(s: string): void | Promise<void>;
  document(doc: ExportDocument): void | Promise<void>;
}

export interface IndexResult {
  stats: CorpusStats;
  documents: number;
}

export interface RunResult {
  documents: number;
  /** Accepted annotations written (export), suggestions included. */
  annotations: number;
  /** Documents tagged `exclude: true` that an export left out (without --include-excluded). */
  excluded: number;
}

/** Pass 1 over a part. `foundFile`: where to keep what the detector found, for `runPart` of the same part. */
export async function indexPart(ws: Workspace, part: Part, report: (m: Message) => void, foundFile?: string): Promise<IndexResult> {
  const builder = new StatsBuilder(ws.analysisKey());
  const options = ws.entityOptions();
  const spool = foundFile ? new SpoolWriter(foundFile) : undefined;
  let documents = 0;
  try {
    // Documents an export leaves out (--skip-damaged) are still part of the corpus, as in the editor.
    for await (const item of partDocuments(part, ws.maxBytes, { honourSkips: false, layer: ws.layer })) {
      if (!item.ok) {
        report({ text: `${item.shown}: ${item.reason}`, failure: true, left: { file: item.shown, reason: item.reason } });
        continue;
      }
      const d = item.doc;
      const detected = options === false ? [] : detectAlone(d.text, options);
      builder.add(summarizeDocument(d.text, d.annotations, options, d.review, detected));
      const passes = options === false ? undefined : lastTaggerPasses(d.text, options);
      spool?.write(JSON.stringify({ p: d.position, h: hash53(d.text), d: detected.map(compact), ...(passes ? { t: passes } : {}) }) + '\n');
      documents++;
    }
  } finally {
    spool?.close();
  }
  return { stats: builder.stats, documents };
}

/**
 * Pass 2 over a part. The Workspace's corpus memory must hold the whole
 * corpus' statistics (`loadStats`) when the task needs the corpus.
 */
export async function runPart(
  ws: Workspace,
  part: Part,
  task: Task,
  sink: Sink,
  report: (m: Message) => void,
  foundFile?: string,
  onDocument?: (documentsDone: number) => void,
): Promise<RunResult> {
  const found = foundFile ? new FoundReader(foundFile) : undefined;
  const corpus = needsCorpus(task);
  const options = ws.entityOptions();
  let documents = 0;
  let annotations = 0;
  let excluded = 0;
  for await (const item of partDocuments(part, ws.maxBytes, { honourSkips: true, layer: ws.layer })) {
    if (!item.ok) {
      report({ text: `${item.shown}: ${item.reason}`, failure: !item.skipped, ...(item.skipped ? {} : { left: { file: item.shown, reason: item.reason } }) });
      continue;
    }
    const d = item.doc;
    for (const note of d.notes) report({ text: note, failure: false });
    // A document the team tagged "exclude" stays out of exports unless asked for (it still counts in the corpus).
    if (task.kind === 'export' && !task.includeExcluded && isExcluded(d.tags)) {
      excluded++;
      continue;
    }
    let suggestions: Suggestions | undefined;
    const index = new TextIndex(d.text);
    if (corpus) {
      let detected: EntityCandidate[] = [];
      if (options !== false) {
        const spooled = await found?.take(d.position, d.text);
        detected = spooled?.found ?? detectAlone(d.text, options);
        // What the taggers found in pass 1: the detection with the corpus below analyses the text, but does not tag it again.
        if (spooled?.passes) reuseTaggerPasses(d.text, spooled.passes, options);
      }
      // As in the whole corpus, the document's own names are no evidence for themselves.
      ws.memory.attachOwn(d.key, summarizeDocument(d.text, d.annotations, options, d.review, detected));
      try {
        suggestions = suggest(d.text, d.annotations, ws.analysisOptions(d.key), index);
      } finally {
        ws.memory.remove(d.key);
      }
    }
    documents++;
    if (task.kind === 'annotate') {
      const record = annotationRecord(task.jsonl ? { id: d.id, text: d.text, annotations: d.annotations } : { file: d.shown, text: d.text, annotations: d.annotations, review: d.review }, suggestions!, index);
      await sink.text(task.json || task.jsonl ? JSON.stringify(record) + '\n' : annotationText(record));
      onDocument?.(documents);
      continue;
    }
    const doc = exportDocument(d, task.includeSuggestions ? suggestions : undefined, index);
    annotations += doc.annotations.filter((a) => a.status === 'accepted').length;
    if (task.jsonl) await sink.text(JSON.stringify(exportRecord(task.format as RecordFormat, d.id!, doc)) + '\n');
    else await sink.document(doc);
    onDocument?.(documents);
  }
  return { documents, annotations, excluded };
}

function exportDocument(d: CorpusDocument, suggestions: Suggestions | undefined, index: TextIndex): ExportDocument {
  const annotations = suggestions ? [...d.annotations, ...suggestionsAsAnnotations(d.text, index, suggestions)] : d.annotations;
  return { name: d.name, text: d.text, annotations, ...(Object.keys(d.tags).length ? { tags: d.tags } : {}) };
}

/** What summarizeDocument reads of a candidate (the gazetteer's facts stay behind). */
function compact(c: EntityCandidate): EntityCandidate {
  return { start: c.start, end: c.end, label: c.label, normalized: c.normalized, confidence: c.confidence, source: c.source };
}

/** A line of pass 1's spool: a document's position, its text's hash, what the detector and its taggers found. */
interface SpoolLine {
  p: number;
  h: number;
  d: EntityCandidate[];
  t?: TaggerPasses;
}

/**
 * Reads pass 1's spool alongside pass 2's documents (both in position order).
 * A document read in pass 2 but not in pass 1, or whose text changed between
 * the passes, gets nothing, and the detector runs again.
 */
class FoundReader {
  private readonly lines: AsyncGenerator<{ line: number; text: string } | { line: number; error: string }>;
  private next: SpoolLine | undefined | null = undefined;

  constructor(file: string) {
    this.lines = readLines(file);
  }

  async take(position: number, text: string): Promise<{ found: EntityCandidate[]; passes?: TaggerPasses } | undefined> {
    for (;;) {
      if (this.next === undefined) {
        const r = await this.lines.next();
        this.next = r.done || 'error' in r.value ? null : (JSON.parse(r.value.text) as SpoolLine);
      }
      if (this.next === null || this.next.p > position) return undefined;
      const n = this.next;
      this.next = undefined;
      if (n.p === position) return n.h === hash53(text) ? { found: n.d, ...(n.t ? { passes: n.t } : {}) } : undefined;
    }
  }
}

