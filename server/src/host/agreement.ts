/**
 * Agreement over a corpus on disk, shared by `news-annotator agree` and the
 * server's agreement report (the Agreement view), so both give the same
 * figures: each text file's annotator layers are listed (its folder read
 * once), the document is read only when two or more selected layers exist,
 * and the layers taking part are placed on the text as it is now.
 */
import * as path from 'node:path';
import type { AgreementResult } from '../protocol';
import { AgreementAccumulator, type AnnotatorLayerInput } from '../core/agreement/report';
import { readTextFile } from './corpus';
import { LayerFolder, loadLayers } from './layers';

export interface AgreementOptions {
  /** Entity labels compared (default: all). */
  labels?: string[];
  /** Annotators compared (default: every annotator with a layer). */
  annotators?: string[];
  /** Every document with two or more layers, not only the layers marked done. */
  all: boolean;
  maxBytes: number;
  /** How a document is named in the report (default: its path). */
  name?: (file: string) => string;
  /** The text of a file when it is newer than the disk (an editor's buffer). */
  textOf?: (file: string) => string | undefined;
  /** A file or layer that could not be used (`failure`: counts for the exit code), or a note. */
  onProblem?: (message: string, failure: boolean) => void;
}

/** Feed the text files one at a time (`add`), then read the result. */
export class AgreementCollector {
  private readonly acc: AgreementAccumulator;
  private readonly wanted: Set<string> | null;
  private readonly folders = new Map<string, LayerFolder>();
  private readonly seen = new Set<string>();
  private files = 0;
  private compared = 0;
  private unreadable = 0;
  /** Problems that count as failures (unreadable texts, damaged layers). */
  failures = 0;

  constructor(private readonly options: AgreementOptions) {
    this.acc = new AgreementAccumulator({ labels: options.labels, onProblem: (m) => this.problem(m, false) });
    this.wanted = options.annotators?.length ? new Set(options.annotators) : null;
  }

  private problem(message: string, failure: boolean): void {
    if (failure) this.failures++;
    this.options.onProblem?.(message, failure);
  }

  add(file: string): void {
    this.files++;
    const dir = path.dirname(file);
    let folder = this.folders.get(dir);
    if (!folder) this.folders.set(dir, (folder = new LayerFolder(dir)));
    const entries = folder.layersOf(path.basename(file)).filter((e) => !this.wanted || this.wanted.has(e.annotator));
    for (const e of entries) this.seen.add(e.annotator);
    if (entries.length < 2) return; // nothing to compare: the text is not even read
    let text = this.options.textOf?.(file);
    if (text === undefined) {
      const read = readTextFile(file, this.options.maxBytes);
      if (!read.ok) {
        this.unreadable++;
        this.problem(`${file}: ${read.message}`, true);
        return;
      }
      text = read.text;
    }
    const participants: AnnotatorLayerInput[] = [];
    for (const layer of loadLayers(file, text, entries)) {
      if (layer.state !== 'ok') {
        if (layer.message) this.problem(`${file}: layer of ${layer.annotator} left out: ${layer.message}`, true);
        continue;
      }
      if (!this.options.all && layer.review !== 'done') continue;
      if (layer.orphans) this.problem(`${file}: ${layer.orphans} annotation(s) of ${layer.annotator} no longer found in the text (orphaned); left out`, false);
      participants.push({ annotator: layer.annotator, annotations: layer.annotations });
    }
    if (this.acc.add({ name: this.options.name?.(file) ?? file, text, layers: participants })) this.compared++;
  }

  result(): AgreementResult {
    if (this.wanted) for (const a of this.wanted) if (!this.seen.has(a)) this.problem(`annotator ${a} has no layer in the inputs`, false);
    if (this.compared === 0)
      this.problem(
        this.options.all
          ? 'no document has layers of two or more annotators: nothing to compare'
          : 'no document has two or more annotator layers marked done (review status); use --all to compare every document with two or more layers',
        false,
      );
    const report = this.acc.report();
    return {
      selection: this.options.all ? 'all' : 'done',
      documents: { files: this.files, compared: this.compared, notCompared: this.files - this.compared - this.unreadable, unreadable: this.unreadable },
      annotators: report.annotators,
      labels: report.labels,
      entity: report.entity,
      boilerplate: report.boilerplate,
      perDocument: report.perDocument,
    };
  }
}
