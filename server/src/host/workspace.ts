/**
 * The one owner of a corpus, shared by the language server and the CLI so
 * the two can never disagree: settings → analysis options, the file listing,
 * the scan, the choice of tagger, the layer worked in, and the corpus memory
 * built from every document's text and that layer's decisions.
 *
 * The server keeps only what is about an editor session (open documents,
 * timers, the connection); the CLI builds the same Workspace over its inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LABEL_SCHEMA_PATH, type DocumentTags, type LabelSchema, type ReviewStatus, type SidecarAnnotation } from '../protocol';
import type { AnalysisOptions } from '../core/analyze';
import { CorpusMemory } from '../core/corpus/memory';
import { sha256Hex } from '../core/annotations/hash';
import type { CorpusStats } from '../core/corpus/stats';
import { detectAlone, sameSummary, summarizeDocument, withDecisions, type DocumentSummary } from '../core/corpus/summary';
import type { QueueStats } from '../core/corpus/queue';
import { loadModel, type EntityOptions, type TaggerModel } from '../core/detect/entities';
import type { EntityCandidate } from '../core/detect/types';
import { resolveLabelSchema, SCHEMA_LIMITS, type SchemaProblem } from '../core/labels/schema';
import { DEFAULT_SETTINGS, validateSettings, type SettingProblem, type Settings } from '../core/settings';
import { VERSION } from '../version';
import { codeDigest, dataDigest } from './dataDigest';
import { cores, DOCUMENTS_PER_WORKER, type AnalysisConfig, type AnalysisPool } from './analysisPool';
import { listTextFiles, listTextFilesAsync, loadDocument, type LoadedDocument } from './corpus';
import { nextTurn, TimeSlices } from './timeSlices';
import { basenameOf, FileSelection, type SiblingCondition } from '../core/text/glob';
import { hash53 } from '../core/text/hash';
import { journalPathOf, sidecarPath } from './sidecarFiles';
import { summarizeFile, summarizeIfUnchanged, type FileSummary } from './summarizeFile';
import { CorpusPrint, readFigures, writeFigures, type FiguresBasis } from './queueFigures';
import { fileStampOf, SummaryCache, stampOf, textPartOf } from './summaryCache';

/** Fewer documents to tag than this are tagged in the calling thread (see Workspace.scan). */
const MIN_DOCUMENTS_FOR_WORKERS = 16;
/** At most this many files of a scan are read in the server's thread to tell touched from changed (see Workspace.scan). */
const PRECHECK_MAX = 5000;

/** What a scan did: how many documents came from the summary cache, how many were read and tagged, and where. */
export interface ScanReport {
  files: number;
  fromCache: number;
  /** Of those from the cache, how many were counted by the snapshot of corpus totals (not one by one). */
  fromSnapshot: number;
  analysed: number;
  /** Worker threads that tagged the documents (0: the calling thread). */
  workers: number;
  ms: number;
  cancelled: boolean;
}

/** Where Learn from Annotations keeps the adapted tagger, inside the first workspace folder. */
export const ADAPTED_MODEL_PATH = path.join('.news-annotator', 'adapted-model.json');
/** A model file larger than this is refused before it is read (the shipped one is ~4 MB). */
export const MAX_MODEL_BYTES = 256 * 1024 * 1024;

export interface ScanProgress {
  (done: number, total: number): void;
}

export interface WorkspaceInit {
  folders: string[];
  /** Explicit inputs (files or folders, e.g. the CLI's arguments) instead of listing `folders` by the settings. */
  inputs?: string[];
  settings?: Settings;
  /**
   * false in an untrusted workspace (VS Code's Restricted Mode): no model file
   * and no regular-expression cues are taken from the workspace's settings.
   */
  trusted?: boolean;
  /** The layer to work in, whatever the settings say (the CLI's --annotator): an annotator's name, or null for the adjudicated sidecar. */
  layer?: string | null;
}

/** The label schema as last read, with what is wrong in the file. */
export interface SchemaState {
  schema: LabelSchema;
  /** Problems in labels.json (positions in `text`), and a missing guidelines file. */
  problems: SchemaProblem[];
  /** The file's text as read (undefined: no file, or it could not be read). */
  text?: string;
  /** Why the file could not be read at all (too large, not a file, not UTF-8), if so. */
  unreadable?: string;
}

/** Which tagger is in use, and why. */
export interface TaggerChoice {
  model: TaggerModel | undefined;
  /** `shipped`, or the file the model came from. */
  from: string;
  /** SHA-256 of the model file (what identifies the tagger in corpus statistics); absent for the shipped one. */
  fingerprint?: string;
  /** Set when a configured or adapted model could not be used (the shipped one is used instead). */
  problem?: string;
}

export class Workspace {
  folders: string[];
  settings: Settings;
  settingProblems: SettingProblem[] = [];
  trusted: boolean;
  /** The label schema in force (labels.json, else the settings) and the problems of labels.json. */
  labels: SchemaState;
  /** The settings as configured, before the schema's labels replace theirs. */
  private configured: Settings;
  private explicitLabels?: string[];
  memory = new CorpusMemory();
  /** Worker threads that read and tag `documents` in a scan (null: in this thread). Set by the host. */
  workers: ((documents: number) => AnalysisPool | null) | null = null;
  /** The pool of the scan under way: started for a scan with enough to tag, closed when it ends (each worker holds its own tagger models). */
  private pool: AnalysisPool | null = null;
  /**
   * Where document summaries are kept on disk, so a restart reads only what
   * changed (null: nowhere, as in the CLI). Set by the server.
   */
  cacheFolder: string | null = null;
  private cache: SummaryCache | null = null;
  /**
   * The print of the corpus as the last scan left it (queueFigures.ts), with the summary cache's key
   * and the memory's content version then: figures kept for the next start hold while both stay.
   */
  private print: { key: string; corpus: string; version: number } | undefined;
  /**
   * The text part of the stamp (summaryCache.ts textPartOf, as a hash) of each file whose summary in
   * the corpus memory was made from the file on disk, stamped before it was read: while the file
   * has that stamp, its summary's block keys are the file's (mayHoldBlock). A summary made from an
   * editor buffer has none.
   */
  private readonly diskTexts = new Map<string, number>();
  /** Set when the corpus memory came from corpus statistics (loadStats): documents are attached, not added. */
  private fromStats = false;
  private tagger: TaggerChoice = { model: undefined, from: 'shipped' };
  private readonly inputs?: string[];
  private layerOverride: string | null | undefined;
  /** Last detector output per open document, keyed by its text, so an unchanged buffer is not tagged twice. */
  private readonly detected = new Map<
    string,
    {
      text: string;
      /** What the tagger found alone (none when entities are off). */
      found: EntityCandidate[] | undefined;
      /** What the corpus memory was last given for this buffer (indexText skips a call that would give the same). */
      indexed: {
        summary: DocumentSummary | undefined;
        decided: readonly SidecarAnnotation[];
        review: ReviewStatus;
        tags: DocumentTags;
        analysis: Analysis;
      };
    }
  >();

  constructor(init: WorkspaceInit) {
    this.folders = init.folders.map((f) => path.resolve(f));
    this.inputs = init.inputs;
    this.configured = this.settings = init.settings ?? DEFAULT_SETTINGS;
    this.trusted = init.trusted ?? true;
    this.labels = { schema: resolveLabelSchema(undefined, this.configured.labels).schema, problems: [] };
    this.applyLabels();
    this.layerOverride = init.layer;
  }

  /**
   * The layer the user works in, which every reading of decisions uses (the
   * corpus memory: dictionary, consistency, queue, progress; exports and
   * stats by default): an annotator's layer when one is named (the CLI's
   * --annotator, else the setting `newsAnnotator.annotator`), else the
   * adjudicated sidecar (null).
   */
  get layer(): string | null {
    return this.layerOverride !== undefined ? this.layerOverride : this.settings.annotator;
  }

  /** Works in another layer from now on (the corpus memory must be read again: `scan`). */
  useLayer(layer: string | null): void {
    this.layerOverride = layer;
  }

  /**
   * Why nothing may be written, when the annotator setting was refused: the
   * adjudicated sidecar is not a safe place for one person's decisions.
   */
  get layerProblem(): string | undefined {
    if (this.layerOverride !== undefined || this.settings.annotatorRefused === undefined) return undefined;
    return `newsAnnotator.annotator ${JSON.stringify(this.settings.annotatorRefused)} is not an annotator name (ASCII letters, digits, "_" and "-"): fix the setting to annotate (your decisions would otherwise go to the adjudicated sidecar).`;
  }

  /** Applies raw settings (from the editor or the CLI), keeping what is valid; returns what was refused. */
  configure(raw: unknown): SettingProblem[] {
    const r = validateSettings(raw);
    this.configured = this.trusted ? r.settings : restrict(r.settings);
    this.settingProblems = r.problems;
    // The settings' labels are the schema's fallback: resolve it again with them.
    this.labels = { ...this.labels, ...resolveLabels(this.labels.text, this.configured.labels, this.labelSchemaPath(), this.folders[0]) };
    this.applyLabels();
    return r.problems;
  }

  /** Where the team's label schema is (in the first workspace folder), if there is a folder. */
  labelSchemaPath(): string | undefined {
    return this.folders[0] ? path.join(this.folders[0], ...LABEL_SCHEMA_PATH.split('/')) : undefined;
  }

  /**
   * Reads labels.json (or, with `text`, takes an editor's buffer of it) and
   * resolves the schema in force. Returns whether the schema changed.
   */
  loadLabelSchema(text?: string): boolean {
    const file = this.labelSchemaPath();
    const before = JSON.stringify(this.labels.schema);
    let unreadable: string | undefined;
    if (text === undefined && file) {
      const read = readSchemaFile(file);
      text = read.text;
      unreadable = read.problem;
    }
    this.labels = { ...resolveLabels(text, this.configured.labels, file, this.folders[0]), ...(text !== undefined ? { text } : {}), ...(unreadable ? { unreadable } : {}) };
    this.applyLabels();
    return JSON.stringify(this.labels.schema) !== before;
  }

  /** Labels given explicitly (the CLI's --labels): they win over labels.json and the settings from now on. */
  useLabels(labels: string[]): void {
    this.explicitLabels = labels;
    this.applyLabels();
  }

  /** The settings in force: the configured ones, with the schema's labels (or the explicit ones). */
  private applyLabels(): void {
    const labels = this.explicitLabels ?? this.labels.schema.labels.map((l) => l.name);
    this.settings = { ...this.configured, labels };
  }

  get maxBytes(): number {
    return this.settings.maxFileSizeKB * 1024;
  }

  get model(): TaggerModel | undefined {
    return this.tagger.model;
  }

  get taggerChoice(): TaggerChoice {
    return this.tagger;
  }

  /** Replaces the tagger (Learn from Annotations); the corpus must be read again with it. */
  useModel(model: TaggerModel, from: string, fingerprint?: string): void {
    this.tagger = { model, from, ...(fingerprint ? { fingerprint } : {}) };
  }

  /**
   * What the corpus' names were found with: the version and the digest of the core's code,
   * the tagger and the entity settings. Corpus statistics carry it, and only statistics of
   * the same analysis are merged or used; the summary cache is kept per analysis.
   */
  analysisKey(): string {
    const e = this.entityOptions();
    const code = `${VERSION}+${codeDigest()}`;
    const tagger = this.tagger.model ? `model:${this.tagger.fingerprint ?? this.tagger.from}` : `shipped:${dataDigest()}`;
    return e === false ? `${code}|entities-off` : `${code}|${tagger}|labels:${[...(e.labels ?? [])].join(',')}|min:${e.minConfidence ?? ''}`;
  }

  /** Uses corpus statistics (news-annotator index) as the whole corpus' memory; see CorpusMemory.fromStats. */
  loadStats(stats: CorpusStats): void {
    if (stats.analysis !== this.analysisKey()) {
      throw new Error(`the corpus statistics were made by another analysis ("${stats.analysis}", here "${this.analysisKey()}"): index the corpus again with this version, model and settings`);
    }
    this.memory = CorpusMemory.fromStats(stats);
    this.fromStats = true;
  }

  /** Where the adapted tagger of this workspace is kept, if there is a folder. */
  adaptedModelPath(): string | undefined {
    return this.folders[0] ? path.join(this.folders[0], ADAPTED_MODEL_PATH) : undefined;
  }

  /**
   * Chooses the tagger: the configured model file, else one adapted by Learn
   * from Annotations, else the shipped one. A file that is not a regular
   * file (a FIFO, a device), too large, unreadable or not a valid model is
   * refused with a message and the shipped model is used. Returns whether the
   * tagger changed (the corpus must then be read again).
   */
  async chooseTagger(): Promise<{ changed: boolean; problem?: string }> {
    const before = this.tagger;
    const configured = this.trusted ? this.settings.entities.modelPath : undefined;
    const adapted = this.trusted ? this.adaptedModelPath() : undefined;
    let file: string | undefined;
    if (configured) file = path.resolve(this.folders[0] ?? process.cwd(), configured);
    else if (adapted && fs.existsSync(adapted)) file = adapted;
    if (!file) {
      this.tagger = { model: undefined, from: 'shipped' };
      return { changed: before.from !== 'shipped' };
    }
    if (file === before.from && before.model && !before.problem) return { changed: false };
    try {
      const read = await readModelFile(file);
      this.tagger = { model: read.model, from: file, fingerprint: read.fingerprint };
    } catch (err) {
      const setting = configured ? 'newsAnnotator.entities.modelPath' : 'the adapted model';
      const problem = `${setting}: cannot load ${configured ?? file} (${(err as Error).message}); using the shipped model.`;
      this.tagger = { model: undefined, from: 'shipped', problem };
    }
    return { changed: this.tagger.from !== before.from || this.tagger.model !== before.model, problem: this.tagger.problem };
  }

  /** The entity detector's options from the settings and the tagger in use, without the corpus' knowledge. */
  entityOptions(): EntityOptions | false {
    const s = this.settings;
    if (!s.entities.enabled) return false;
    return { labels: s.labels, minConfidence: s.entities.minConfidence, ...(this.tagger.model ? { model: this.tagger.model } : {}) };
  }

  /**
   * The detectors' options as the settings and the corpus make them: the one
   * source for what the editor shows, what the CLI prints and what an export
   * with suggestions holds.
   */
  analysisOptions(docId?: string): AnalysisOptions {
    const s = this.settings;
    const entities = this.entityOptions();
    return {
      entities: entities && { ...entities, dictionary: this.memory.dictionary(), corpus: this.memory.names, ...(docId !== undefined ? { corpusDocId: docId } : {}) },
      boilerplate: s.boilerplate.enabled && {
        corpus: this.memory.blocks,
        repeatedMinDocs: s.boilerplate.repeatedMinDocs,
        repeatedMinFraction: s.boilerplate.repeatedMinFraction,
        threshold: s.boilerplate.threshold,
        extraCues: s.boilerplate.extraCues,
        decisions: this.memory.boilerplateDecisions(),
      },
    };
  }

  /**
   * The corpus documents: the explicit inputs, or the folders' files by the
   * settings (sorted). Inputs and folders that cannot be read go to `onError`.
   */
  listFiles(onError?: (path: string, message: string) => void): string[] {
    return listTextFiles(...this.listing(), onError);
  }

  /** listFiles without blocking the thread (the server's scan: a folder of 100,000 files takes a second or more to list). */
  listFilesAsync(onError?: (path: string, message: string) => void): Promise<string[]> {
    return listTextFilesAsync(...this.listing(), onError);
  }

  /** What is listed, and how: the explicit inputs (all of them), or the folders by the settings. */
  private listing(): [inputs: string[], selection: FileSelection, maxFiles: number] {
    return this.inputs ? [this.inputs, this.selection(), Infinity] : [this.folders, this.selection(), this.settings.workspace.maxFiles];
  }

  /**
   * The editor's own exclusions (VS Code's `files.exclude`: the patterns set
   * to true), on top of `workspace.exclude`. Set by the server.
   */
  editorExclude: string[] = [];
  /** `files.exclude`'s conditional entries (`{"when": "$(basename).html"}`). Set by the server. */
  editorExcludeBySibling: SiblingCondition[] = [];
  private selectionCache: { key: string; selection: FileSelection } | undefined;

  /** The analysis detections are made with: its key, and the tagger model itself (a model learned in memory keeps its key). */
  private currentAnalysis(): Analysis {
    return { key: this.analysisKey(), model: this.tagger.model };
  }

  /** What decides which files are documents (compare two to see whether the corpus must be listed again). */
  selectionKey(): unknown {
    const w = this.settings.workspace;
    return [w.include, w.exclude, this.editorExclude, this.editorExcludeBySibling, w.maxFiles];
  }

  /** Which files are documents: `workspace.include`, `workspace.exclude` and the editor's exclusions. */
  selection(): FileSelection {
    const w = this.settings.workspace;
    const key = JSON.stringify(this.selectionKey());
    if (this.selectionCache?.key !== key) this.selectionCache = { key, selection: new FileSelection(w.include, [...w.exclude, ...this.editorExclude], this.editorExcludeBySibling) };
    return this.selectionCache.selection;
  }

  /** Is this file one of the corpus documents (by folder, name and the patterns), whether or not it was read yet? */
  contains(file: string): boolean {
    const folder = this.folders.find((f) => file.startsWith(f + path.sep));
    if (!folder) return false;
    const rel = path.relative(folder, file).split(path.sep).join('/');
    const selection = this.selection();
    if (!selection.includes(rel) || selection.excludesWithFolders(rel)) return false;
    if (!selection.hasSiblingConditions) return true;
    // The file, or a folder above it, excluded beside a sibling: as the corpus walk decides it.
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const parent = path.join(folder, ...parts.slice(0, i - 1));
      if (selection.excludesBySibling(parts.slice(0, i).join('/'), (name) => fs.existsSync(path.join(parent, name)))) return false;
    }
    return true;
  }

  /**
   * A file appeared or went beside corpus texts (`a.html`): the texts a conditional
   * `files.exclude` entry decides by it are read or left out again. `rescan`: a folder
   * is decided by it, and only listing the corpus again tells what it holds.
   */
  siblingChanged(file: string): 'none' | 'changed' | 'rescan' {
    const selection = this.selection();
    if (!selection.hasSiblingConditions || !this.folders.some((f) => file.startsWith(f + path.sep))) return 'none';
    const { stems, all } = selection.decidedBySibling(path.basename(file));
    if (!all && !stems.size) return 'none';
    const dir = path.dirname(file);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return 'none'; // the folder went too: its texts' own events follow
    }
    let outcome: 'none' | 'changed' | 'rescan' = 'none';
    for (const e of entries) {
      const candidate = path.join(dir, e.name);
      if (candidate === file || (!all && !stems.has(basenameOf(e.name)))) continue;
      if (e.isDirectory()) return 'rescan';
      const inMemory = this.memory.has(candidate);
      if (this.contains(candidate)) {
        if (!inMemory && this.indexFile(candidate)) outcome = 'changed';
      } else if (inMemory) {
        this.remove(candidate);
        outcome = 'changed';
      }
    }
    return outcome;
  }

  /**
   * Reads every corpus document and builds the corpus memory. Documents whose
   * text and sidecar are unchanged since their summary was cached are not
   * read at all; the others are read and tagged in worker threads (`workers`,
   * for more than a few documents) or here, yielding between documents. `onBatch` is
   * called every few seconds of a long scan, so corpus-wide signals can be
   * shown as they fill in.
   */
  async scan(progress?: ScanProgress, isCancelled?: () => boolean, files: string[] = this.listFiles(), onBatch?: () => void): Promise<ScanReport> {
    const t0 = Date.now();
    const report = (): ScanReport => ({ files: files.length, fromCache, fromSnapshot, analysed: done - fromCache, workers: usedWorkers, ms: Date.now() - t0, cancelled: !!isCancelled?.() });
    let fromCache = 0;
    let fromSnapshot = 0;
    let usedWorkers = 0;
    const keep = new Set(files);
    const cache = this.summaryCache();
    this.print = undefined;
    if (cache) await cache.load();
    // A restart: the corpus totals come from the snapshot, for the documents whose entries it counts.
    const counted = cache && !isCancelled?.() ? await this.installSnapshot(cache) : undefined;
    for (const id of [...this.memory.docIds()]) {
      if (keep.has(id)) continue;
      this.memory.remove(id);
      this.diskTexts.delete(id);
    }
    let done = 0;
    let lastBatch = Date.now();
    const tick = (): void => {
      done++;
      progress?.(done, files.length);
      if (onBatch && Date.now() - lastBatch > 5000) {
        lastBatch = Date.now();
        onBatch();
      }
    };
    // Unchanged documents first, from the cache: two stats each, in batches with the thread free in between.
    const todo: { file: string; stamp: string | undefined }[] = [];
    for (let i = 0; i < files.length; i += 256) {
      if (isCancelled?.()) return report();
      const batch = files.slice(i, i + 256);
      // Without a cache, the text's own stamp: what the summary was made from (see diskTexts).
      const stamps = batch.map((f) => (cache ? this.stamp(f) : this.textStamp(f)));
      batch.forEach((file, k) => {
        if (stamps[k] && counted?.get(file) === stamps[k]) {
          // Held already, as the snapshot counted it.
          this.noteDiskText(file, stamps[k]);
          fromCache++;
          fromSnapshot++;
          tick();
          return;
        }
        const cached = stamps[k] && cache?.get(file, stamps[k]!);
        if (cached) {
          this.add(file, cached, true, stamps[k]);
          fromCache++;
          tick();
        } else todo.push({ file, stamp: stamps[k] });
      });
      await nextTurn();
    }
    const finish = (file: string, stamp: string | undefined, r: FileSummary): void => {
      if (r.ok) {
        this.add(file, r.summary, false, stamp);
        if (stamp) cache?.put(file, stamp, r.hash, r.summary);
        if (r.reused) fromCache++;
      } else {
        this.remove(file);
        cache?.delete(file);
      }
      tick();
    };
    // Work in this thread gives the thread back every 20 ms (typing, hovers and quick fixes are answered).
    const slices = new TimeSlices(20);
    const breathe = (): Promise<void> => slices.pause();
    // Starting workers costs a second or two of loading each: worth it only for more than a few documents,
    // and only when a worker can load the tagger in use (a model only in memory cannot be sent).
    const config = this.analysisConfig();
    // Files whose text is the one cached (touched, checked out again, their sidecar changed) need no
    // tagging: read here, so that workers start only for what must be tagged, and as many as it needs.
    // Only until every core would be busy anyway, or PRECHECK_MAX files were read (a corpus cloned
    // again is all touched: the workers read the rest faster, in parallel). Without workers the loop
    // below reads every file once anyway: no check first.
    if (cache && config && this.workers && todo.length > MIN_DOCUMENTS_FOR_WORKERS) {
      const changed: typeof todo = [];
      const enough = DOCUMENTS_PER_WORKER * cores();
      let checked = 0;
      for (; checked < todo.length && checked < PRECHECK_MAX && changed.length < enough; checked++) {
        if (isCancelled?.()) return report();
        const job = todo[checked];
        const earlier = cache.earlier(job.file);
        const r = earlier && summarizeIfUnchanged(job.file, this.maxBytes, this.layer, earlier);
        if (r) finish(job.file, job.stamp, r);
        else changed.push(job);
        await breathe();
      }
      todo.splice(0, checked);
      todo.unshift(...changed);
    }
    if (config && this.workers && todo.length > MIN_DOCUMENTS_FOR_WORKERS && !isCancelled?.()) this.pool ??= this.workers(todo.length);
    const pool = config && this.pool;
    if (pool) {
      usedWorkers = pool.size;
      // closeWorkers() (shutdown) ends the scan: what the closed pool did not do is left out, not recorded as unreadable.
      const stopped = (): boolean => this.pool !== pool || !!isCancelled?.();
      let next = 0;
      // Two jobs per worker in flight: a worker never waits for the main thread to hand it the next file.
      const lanes = Array.from({ length: pool.size * 2 }, async () => {
        while (next < todo.length && !stopped()) {
          const { file, stamp } = todo[next++];
          let r = await pool.summarize({ file, config, reuse: cache?.earlier(file) });
          // The worker died on this file (a document too large for its heap): read here instead.
          if ('crashed' in r && !stopped()) r = summarizeFile(file, this.maxBytes, this.layer, this.entityOptions(), cache?.earlier(file));
          if (!stopped()) finish(file, stamp, r);
        }
      });
      await Promise.all(lanes);
      if (this.pool === pool) {
        this.pool = null;
        await pool.close();
      } else return report();
    } else {
      for (const { file, stamp } of todo) {
        if (isCancelled?.()) break;
        finish(file, stamp, summarizeFile(file, this.maxBytes, this.layer, this.entityOptions(), cache?.earlier(file)));
        await breathe();
      }
    }
    if (cache && !isCancelled?.()) {
      cache.retain(keep);
      // A new snapshot when anything differs from the one read: documents changed, added or removed.
      const stale = cache.changed || !counted || counted.size !== this.memory.documentCount;
      await cache.flush();
      if (stale) await this.writeSnapshot(cache);
      this.print = await this.printCorpus(cache, files);
    }
    cache?.release();
    return report();
  }

  /**
   * The corpus print (queueFigures.ts) of what the memory holds, with `cache` still holding every
   * entry: undefined unless every document is held as its entry says (one indexed from an editor
   * buffer that differs from the disk, or not cached, leaves the corpus without a print).
   */
  private async printCorpus(cache: SummaryCache, files: readonly string[]): Promise<{ key: string; corpus: string; version: number } | undefined> {
    const version = this.memory.contentVersion;
    const print = new CorpusPrint();
    let held = 0;
    for (let i = 0; i < files.length; i++) {
      // 100,000 documents take a tenth of a second: the thread is given back now and then.
      if (i % 5000 === 4999) await nextTurn();
      const s = this.memory.summary(files[i]);
      if (!s) continue;
      const e = cache.held(files[i]);
      if (!e?.summary || !sameSummary(e.summary, s)) return undefined;
      print.add(files[i], e.stamp);
      held++;
    }
    if (held !== this.memory.documentCount || version !== this.memory.contentVersion) return undefined;
    return { key: cache.key, corpus: print.digest(), version };
  }

  /**
   * Where the Review Queue's exact figures are kept for the next start, and what they are
   * computed over (queueFigures.ts); undefined when the corpus has changed since the last scan
   * (or had no print), or there is no cache.
   */
  private figuresBasis(): { folder: string; basis: FiguresBasis } | undefined {
    const p = this.print;
    const cache = this.summaryCache();
    if (!p || !cache || p.version !== this.memory.contentVersion || p.key !== cache.key) return undefined;
    return { folder: cache.folder, basis: { key: cache.key, corpus: p.corpus, settings: this.suggestionsKey() } };
  }

  /**
   * What the suggestions of a document are made with besides the corpus and the document: the
   * analysis (code version, tagger, labels), every setting analysisOptions reads, and the layer
   * whose decisions count. Figures computed with another are stale (the Review Queue's exact ones).
   */
  suggestionsKey(): string {
    const s = this.settings;
    return JSON.stringify([this.analysisKey(), this.layer, s.labels, s.entities, s.boilerplate]);
  }

  /** The Review Queue's exact figures kept by an earlier start over this very corpus, if any. */
  async readQueueFigures(): Promise<Map<string, QueueStats> | undefined> {
    const b = this.figuresBasis();
    if (!b) return undefined;
    const figures = await readFigures(b.folder, b.basis);
    // The corpus may have changed while the file was read.
    return this.figuresBasis()?.basis.corpus === b.basis.corpus ? figures : undefined;
  }

  /** Keeps the Review Queue's exact figures for the next start; false when the corpus changed since the scan (they would not hold). */
  async keepQueueFigures(rows: Iterable<[string, QueueStats]>): Promise<boolean> {
    const b = this.figuresBasis();
    return b ? writeFigures(b.folder, b.basis, rows) : false;
  }

  /**
   * Reads the snapshot of corpus totals kept with the summary cache and, when every document
   * it counts still has that very entry, installs it with their summaries (CorpusMemory.
   * installTotals): a restart then does not count each document's mentions and blocks again.
   * Returns the documents installed with the stamps the snapshot counted them at (a document
   * whose file has another stamp now is read again, and replaces its summary as any change
   * does); undefined when there is no usable snapshot, and every document is counted.
   * Documents held already (editors restored with the window, opened before the scan got
   * here) keep their summary, and are read as without a snapshot. A memory that holds most
   * of the corpus (a scan again, after the tagger changed) takes no snapshot: adding every
   * total and taking most of it out again would cost more than it saves.
   */
  private async installSnapshot(cache: SummaryCache): Promise<Map<string, string> | undefined> {
    const snapshot = await cache.readTotals();
    if (!snapshot || this.memory.documentCount * 2 > snapshot.docs.size) return undefined;
    const docs: [string, DocumentSummary][] = [];
    for (const [file, stamp] of snapshot.docs) {
      const s = cache.get(file, stamp);
      // An entry rewritten since, or damaged: the totals no longer add up to the entries.
      if (!s) return undefined;
      docs.push([file, s]);
    }
    let installed: Set<string>;
    try {
      installed = this.memory.installTotals(snapshot.totals, docs);
    } catch {
      return undefined;
    }
    const out = new Map<string, string>();
    for (const [file, stamp] of snapshot.docs) if (installed.has(file)) out.set(file, stamp);
    return out;
  }

  /**
   * Writes the snapshot of corpus totals for the next start: the totals over the documents
   * held with the very summary their cache entry has (a document indexed from an editor
   * buffer, or not cached, is left out of them, and counted one by one next time).
   */
  private async writeSnapshot(cache: SummaryCache): Promise<void> {
    const docs: [string, string][] = [];
    const excluded: string[] = [];
    for (const [file, s] of this.memory.entries()) {
      const e = cache.held(file);
      if (e && e.summary === s) docs.push([file, e.stamp]);
      else excluded.push(file);
    }
    await cache.writeTotals(docs, this.memory.totals(excluded));
  }

  /** Stops the workers of a scan under way (the server shuts down); the scan's remaining documents are left out. */
  async closeWorkers(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  /**
   * What a worker needs to read and tag documents as this workspace does;
   * null when it cannot: the tagger is a model that is not in a file (or the
   * file is not the model any more), which only this thread holds.
   */
  private analysisConfig(): AnalysisConfig | null {
    const e = this.entityOptions();
    const t = this.tagger;
    const base = { maxBytes: this.maxBytes, layer: this.layer, entities: e === false ? (false as const) : { labels: e.labels, minConfidence: e.minConfidence } };
    if (!t.model || e === false) return base;
    if (!t.fingerprint || !fs.existsSync(t.from)) return null;
    return { ...base, model: { file: t.from, fingerprint: t.fingerprint } };
  }

  /**
   * The stamp of a corpus file and its layer's sidecar (see SummaryCache), or undefined when it
   * cannot be read. Synchronous, in batches between which the thread is free: a restart stamps
   * every file, and a promise per stat (through libuv's thread pool), with an exception for each
   * sidecar that does not exist, cost more than the stats themselves.
   */
  private stamp(file: string): string | undefined {
    try {
      const text = fs.statSync(file, { throwIfNoEntry: false });
      if (!text) return undefined;
      const sp = sidecarPath(file, this.layer ?? undefined);
      const side = fs.lstatSync(sp, { throwIfNoEntry: false });
      const journal = side ? fs.lstatSync(journalPathOf(sp), { throwIfNoEntry: false }) : undefined;
      return stampOf(text, side, journal);
    } catch {
      return undefined;
    }
  }

  /** The stamp of a corpus file's text alone (summaryCache.ts fileStampOf), or undefined when it cannot be read. */
  private textStamp(file: string): string | undefined {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st ? fileStampOf(st) : undefined;
  }

  /**
   * Whether `file` may hold a block whose line keys hash (blockHash) to `hashes`, answered from
   * its summary in the corpus memory without reading the file: false when one of the keys is
   * not among the file's, true when all are (a hash can collide: read the file to be sure).
   * Undefined when the memory cannot tell: the file is not indexed, was indexed from an editor
   * buffer, or has changed on disk since (another size, times or inode than when it was read).
   */
  mayHoldBlock(file: string, hashes: readonly number[]): boolean | undefined {
    const at = this.diskTexts.get(file);
    const s = at === undefined ? undefined : this.memory.summary(file);
    if (!s) return undefined;
    const now = this.textStamp(file);
    if (now === undefined || hash53(now) !== at) return undefined;
    return hashes.every((h) => s.blockKeys.includes(h));
  }

  /**
   * The summary cache of this workspace's analysis and layer, when there is a
   * cache folder and the tagger's output can be named (a model changed in
   * memory, not saved, cannot).
   */
  private summaryCache(): SummaryCache | null {
    if (!this.cacheFolder || this.fromStats) return null;
    if (this.tagger.model && !this.tagger.fingerprint) return null;
    // The folders are part of the key: one cache folder may serve several workspaces.
    const key = `${this.analysisKey()}|layer:${this.layer ?? ''}|max:${this.maxBytes}|folders:${this.folders.join('\n')}`;
    if (this.cache?.key !== key) {
      this.cache = new SummaryCache(this.cacheFolder, key);
      this.cache.intern = (x) => this.memory.intern(x);
    }
    return this.cache;
  }

  /** Reads one document from disk into the corpus memory; unreadable or refused files leave it. */
  indexFile(file: string): LoadedDocument | undefined {
    // Stamped before it is read: a change meanwhile gives the file another stamp than its summary's.
    const stamp = this.textStamp(file);
    const r = loadDocument(file, this.maxBytes, this.layer);
    if (!r.ok) {
      this.remove(file);
      return undefined;
    }
    this.add(file, summarizeDocument(r.doc.text, r.doc.annotations, this.entityOptions(), r.doc.review, undefined, r.doc.tags), false, stamp);
    return r.doc;
  }

  /** Indexes a document from an editor buffer (newer than the disk). */
  indexText(file: string, text: string, decided: readonly SidecarAnnotation[], review: ReviewStatus, tags: DocumentTags = {}): void {
    const options = this.entityOptions();
    // Nothing changed since the last call (a refresh after the scan, after a setting that changes
    // nothing here): summarising a megabyte-long buffer again would take a second.
    const analysis = this.currentAnalysis();
    const last = this.detected.get(file);
    // The same text analysed the same way: what the tagger found is reused.
    const same = last && last.text === text && sameAnalysis(last.indexed.analysis, analysis) ? last : undefined;
    const summary = this.memory.summary(file);
    const i = same?.indexed;
    if (i && summary && i.summary === summary && i.decided === decided && i.review === review && i.tags === tags) return;
    const found = options === false ? undefined : (same?.found ?? detectAlone(text, options));
    this.add(file, summarizeDocument(text, decided, options, review, found, tags));
    this.detected.set(file, { text, found, indexed: { summary: this.memory.summary(file), decided, review, tags, analysis } });
  }

  /**
   * `fromCache`: the summary was read from this workspace's summary cache (its strings are the
   * memory's already). `stamp`: of the file on disk it was made from (none: an editor buffer).
   */
  private add(file: string, s: DocumentSummary, fromCache = false, stamp?: string): void {
    if (this.fromStats) this.memory.attachOwn(file, s);
    else this.memory.set(file, s, fromCache);
    this.noteDiskText(file, stamp);
  }

  /** The file's summary in memory was made from its text on disk with this stamp (none: from an editor buffer). */
  private noteDiskText(file: string, stamp: string | undefined): void {
    if (stamp) this.diskTexts.set(file, hash53(textPartOf(stamp)));
    else this.diskTexts.delete(file);
  }

  /**
   * A document's decisions, review status or tags changed (and its text did
   * not): the corpus memory is updated without reading or tagging the text again.
   */
  recordDecisions(file: string, decided: readonly SidecarAnnotation[], review: ReviewStatus, tags?: DocumentTags): void {
    const s = this.memory.summary(file);
    if (s) this.memory.set(file, withDecisions(s, decided, review, tags));
    else if (this.contains(file)) this.indexFile(file);
  }

  /** The editor closed a document: the next reading of it comes from the disk. */
  forgetBuffer(file: string): void {
    this.detected.delete(file);
  }

  remove(file: string): void {
    this.detected.delete(file);
    this.diskTexts.delete(file);
    this.memory.remove(file);
  }

  /**
   * The tagger changed: what was detected with the previous one is stale.
   * (Entries are also checked against the analysis they were made with, so a
   * rescan with the same tagger keeps them: re-tagging a megabyte-long open
   * buffer takes seconds.)
   */
  dropDetections(): void {
    const analysis = this.currentAnalysis();
    for (const [file, d] of this.detected) if (!sameAnalysis(d.indexed.analysis, analysis)) this.detected.delete(file);
  }

  /** A document with the decisions of the layer worked in. */
  loadDocument(file: string): ReturnType<typeof loadDocument> {
    return loadDocument(file, this.maxBytes, this.layer);
  }
}

/**
 * The schema from labels.json's text (undefined: no file) with the settings'
 * labels as the fallback; a guidelines file that does not exist is a problem
 * of the file (at the path's place in it).
 */
function resolveLabels(text: string | undefined, settingsLabels: readonly string[], file: string | undefined, root: string | undefined): Pick<SchemaState, 'schema' | 'problems'> {
  const r = resolveLabelSchema(text, settingsLabels, text !== undefined ? file : undefined);
  const schema = { ...r.schema };
  const problems = [...r.problems];
  if (schema.guidelines && root) {
    const relative = schema.guidelines;
    const abs = path.resolve(root, relative);
    schema.guidelines = abs;
    if (!fs.existsSync(abs) && text !== undefined) {
      const at = text.indexOf(JSON.stringify(relative).slice(1, -1));
      problems.push({ severity: 'warning', start: Math.max(0, at), end: at < 0 ? 1 : at + relative.length, message: `The guidelines file ${relative} does not exist (relative to the workspace folder).` });
    }
  } else if (schema.guidelines) delete schema.guidelines;
  return { schema, problems };
}

/** labels.json's text: undefined when there is none; a file too large or not a regular file is a problem, not a crash. */
function readSchemaFile(file: string): { text?: string; problem?: string } {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return {};
  }
  if (!st.isFile()) return { problem: `${file} is not a regular file; the newsAnnotator.labels setting is used.` };
  if (st.size > SCHEMA_LIMITS.bytes) return { problem: `${file} is ${Math.round(st.size / 1024)} KB, over the ${SCHEMA_LIMITS.bytes / 1024} KB a label schema may have; the newsAnnotator.labels setting is used.` };
  try {
    return { text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '') };
  } catch (err) {
    return { problem: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the newsAnnotator.labels setting is used.` };
  }
}

/**
 * Restricted Mode: nothing from the workspace's settings that loads a file or
 * is matched against text (a `re:` cue is a pattern, and a plain phrase could
 * hide one in a future version): the server cannot tell a workspace value from
 * a user value, so every extra cue is dropped until the workspace is trusted.
 */
function restrict(s: Settings): Settings {
  return { ...s, entities: { ...s.entities, modelPath: undefined }, boilerplate: { ...s.boilerplate, extraCues: {} } };
}

/**
 * Reads a tagger model file with checks first: a FIFO or a device would
 * block the read forever, and a huge file would exhaust memory. The read is
 * asynchronous so the server keeps answering meanwhile.
 */
export async function readModelFile(file: string): Promise<{ model: TaggerModel; fingerprint: string }> {
  const st = await fs.promises.stat(file);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size > MAX_MODEL_BYTES) throw new Error(`the file is ${(st.size / 1048576).toFixed(0)} MB, over the ${MAX_MODEL_BYTES / 1048576} MB limit for a model`);
  // Opened without following a FIFO swapped in after the check (O_NONBLOCK returns at once on one).
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  let json: string;
  try {
    const again = await handle.stat();
    if (!again.isFile()) throw new Error('not a regular file');
    json = await handle.readFile({ encoding: 'utf8' });
  } finally {
    await handle.close();
  }
  return { model: loadModel(json), fingerprint: sha256Hex(json) };
}

/** How a buffer's detections were made (see Workspace.currentAnalysis). */
interface Analysis {
  key: string;
  model: unknown;
}

function sameAnalysis(a: Analysis, b: Analysis): boolean {
  return a.key === b.key && a.model === b.model;
}
