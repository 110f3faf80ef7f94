/**
 * The server's state: what belongs to an editor session (the open documents,
 * their typing timers, the connection, the undo stack) around the Workspace
 * that owns the corpus. And the one path every change takes: update a
 * document, re-run the detectors with the corpus' knowledge, publish
 * diagnostics and tell the client that decorations may have changed.
 */
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Notification, type DocumentAnnotation, type DocumentAnnotationsResult, type OtherLayer, type SidecarAnnotation } from '../protocol';
import { detectAll, entityDataLoaded, filterDecided, type Suggestions } from '../core/analyze';
import type { TextIndex } from '../core/text/offsets';
import { Workspace } from '../host/workspace';
import { nextTurn } from '../host/timeSlices';
import { Adjudications, openDisagreementCount, otherLayersOf } from './adjudication';
import { rangeCp } from './convert';
import { diagnosticsFor } from './diagnostics';
import type { Doc } from './documents';
import { JournalCompactor } from './journals';
import { REFINE_AFTER_SCAN, ReviewQueue } from './queue';
import { UndoStack } from './undo';

/** Documents at least this long (UTF-16 units, ~200 KB of Arabic) are published once before the detectors run. */
const EARLY_PUBLISH_LENGTH = 100_000;

export class ServerState {
  readonly docs = new Map<string, Doc>();
  /** labels.json buffers open in the editor, by URI (checked as they are typed: lsp/labelSchema.ts). */
  readonly schemaBuffers = new Map<string, TextDocument>();
  workspace = new Workspace({ folders: [] });
  readonly undo = new UndoStack();
  /** Folds the journals of large sidecars into their files when the user pauses. */
  readonly journals = new JournalCompactor(this);
  readonly queue: ReviewQueue;
  readonly adjudications = new Adjudications();
  /** Whether the editor supports `workspace/semanticTokens/refresh`. */
  semanticRefresh = false;
  private timers = new Map<string, NodeJS.Timeout>();
  private finishScan!: () => void;
  /** Resolves when the start-up scan of the workspace has finished (requests that need the corpus wait). */
  readonly scanned = new Promise<void>((resolve) => (this.finishScan = resolve));
  private scanDone = false;
  /** Scans under way (the first, or a rescan after the tagger, the analysis or the files changed). */
  private reading = 0;
  /** A rescan queued behind the one under way, not started yet (see rescan). */
  private rescanWaiting: Promise<void> | undefined;
  private finishSettings!: () => void;
  /** Resolves once the settings were read the first time (commands wait: the annotator decides which file a decision goes to). */
  readonly settingsLoaded = new Promise<void>((resolve) => (this.finishSettings = resolve));
  /** Milliseconds the detectors last took on each document. */
  private readonly costs = new Map<string, number>();
  private scans: Promise<void> = Promise.resolve();
  /** The corpus-wide decisions (and undo, redo) in the order they were asked for (see corpusWrite). */
  private corpusWrites: Promise<unknown> = Promise.resolve();

  constructor(readonly connection: Connection) {
    this.queue = new ReviewQueue(this);
  }

  get folders(): string[] {
    return this.workspace.folders;
  }

  get settings() {
    return this.workspace.settings;
  }

  get maxBytes(): number {
    return this.workspace.maxBytes;
  }

  get indexing(): boolean {
    return !this.scanDone;
  }

  /** Is the corpus being read (at start-up or again)? Its memory is then not the whole corpus yet. */
  get scanning(): boolean {
    return this.reading > 0;
  }

  scanFinished(): void {
    this.scanDone = true;
    this.finishScan();
  }

  settingsRead(): void {
    this.finishSettings();
  }

  /** The layer an opened document is edited in: the adjudicated sidecar while it is adjudicated, else the user's. */
  layerFor(file: string | null): string | null {
    return file && this.adjudications.isOnPath(file) ? null : this.workspace.layer;
  }

  /**
   * Runs the decisions that write over the corpus (Apply Everywhere, Apply to
   * Mentions, a corpus-wide relabelling, label migration, undo and redo) one after
   * another. They give way to the editor between documents, so without this an undo
   * asked for meanwhile would replay a step that is still being written, or push its
   * own in the middle of it.
   */
  corpusWrite<T>(work: () => Promise<T>): Promise<T> {
    const run = this.corpusWrites.then(work, work);
    this.corpusWrites = run.catch(() => undefined);
    return run;
  }

  /**
   * Reads the corpus with progress: once at start-up, so cross-document
   * signals work from the first file, and again when the tagger changes
   * (modelPath, Learn from Annotations), since what the corpus remembers came
   * from the previous one. Scans run one after another.
   */
  rescan(): Promise<void> {
    // A rescan asked for while another waits to start is that one: a schema saved three times in a row
    // reads the corpus once more, not three times (each scan reads with the settings of when it starts).
    if (this.rescanWaiting) return this.rescanWaiting;
    const run = (): Promise<void> => {
      this.rescanWaiting = undefined;
      return this.scanWorkspace();
    };
    return (this.rescanWaiting = this.scans = this.scans.then(run, run));
  }

  private async scanWorkspace(): Promise<void> {
    if (!this.folders.length) return;
    this.reading++;
    try {
      await this.readCorpus();
    } finally {
      this.reading--;
    }
    // Exact queue figures for the top of the queue: those the last start kept, if the corpus is the same;
    // the rest in the background (lower documents keep their estimates).
    await this.queue.restore();
    this.queue.scheduleRefine(REFINE_AFTER_SCAN);
  }

  private async readCorpus(): Promise<void> {
    // Exact queue figures were computed over the corpus as it was: read again, it may differ.
    this.queue.forgetAll();
    this.workspace.dropDetections();
    const files = await this.workspace.listFilesAsync((p, message) => this.connection.console.warn(`${p}: ${message}`));
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => null);
    progress?.begin('News Annotator: indexing corpus', 0, `${files.length} files`, false);
    let lastReport = 0;
    const report = await this.workspace.scan(
      (done, total) => {
        if (Date.now() - lastReport < 250) return;
        lastReport = Date.now();
        progress?.report(total ? Math.round((done / total) * 100) : 100, `${done} / ${total} files`);
      },
      undefined,
      files,
      // Corpus-wide signals fill in as the scan progresses: the open documents are republished every few
      // seconds, those quick to analyse only (a long analysis here would hold up hovers and typing).
      () => this.refreshQuick(),
    );
    progress?.done();
    // One line in the server's log: how long the corpus took, and how much the cache saved.
    this.connection.console.info(
      `Indexed ${report.files} files in ${(report.ms / 1000).toFixed(1)} s: ${report.fromCache} from the cache, ${report.analysed} read and tagged` +
        (report.workers ? ` in ${report.workers} worker threads` : ' in the server thread') +
        (report.cancelled ? ' (cancelled)' : '') +
        (report.fromSnapshot ? `; ${report.fromSnapshot} counted by the snapshot of corpus totals` : ''),
    );
    this.refreshAll();
  }

  /**
   * First diagnostics of a document opened while the corpus is being
   * indexed: a short wait for the scan, so that corpus-wide flags (repeated
   * blocks, names found elsewhere) are there from the first publication on a
   * small corpus; on a larger one the document's own suggestions come at once
   * (well within a second of the start) and the corpus-wide ones are added
   * as the scan progresses and when it ends.
   */
  refreshWhenIndexed(doc: Doc, maxWaitMs = 300): void {
    // A refused document has nothing to wait for: its message goes out at once.
    if (doc.refused) return this.refresh(doc);
    // A long document: what is stored (its decisions, sidecar problems) is shown at once; the detectors
    // take seconds over a megabyte, and their suggestions follow (a turn later, once this is sent).
    const early = doc.text.length >= EARLY_PUBLISH_LENGTH;
    if (early) this.publish(doc);
    if (this.scanDone && !early) return this.refresh(doc);
    // Still open and not refreshed meanwhile (the settings arriving refresh every open document):
    // a second pass would find the same and hold up its publication.
    const before = this.refreshes.get(doc);
    const later = (): void => {
      if (this.docs.get(doc.uri) === doc && this.refreshes.get(doc) === before) this.refresh(doc);
    };
    if (this.scanDone) return void setTimeout(later, 0);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
    void Promise.race([this.scanned, waited]).then(() => {
      clearTimeout(timer);
      later();
    });
  }

  static fileUri(p: string): string {
    return pathToFileURL(p).toString();
  }

  findDoc(uri: string): Doc | undefined {
    const d = this.docs.get(uri);
    if (d) return d;
    // Editors and Node encode file URIs differently (e.g. %3A vs :); compare decoded.
    const want = safeDecode(uri);
    for (const doc of this.docs.values()) if (safeDecode(doc.uri) === want) return doc;
    return undefined;
  }

  findDocByPath(p: string): Doc | undefined {
    for (const doc of this.docs.values()) if (doc.path === p) return doc;
    return undefined;
  }

  /**
   * Recomputes suggestions for a document and publishes them. The first
   * analysis after the server starts may publish in two steps (`partialFirst`);
   * `whole` asks for one.
   */
  refresh(doc: Doc, whole = false): void {
    const t = this.timers.get(doc.uri);
    if (t) {
      clearTimeout(t);
      this.timers.delete(doc.uri);
    }
    this.refreshes.set(doc, (this.refreshes.get(doc) ?? 0) + 1);
    if (!whole && !doc.refused && this.partialFirst(doc)) return;
    if (doc.refused) {
      doc.suggestions = { entities: [], boilerplate: [] };
    } else {
      // The corpus memory sees the buffer (newer than the disk) before this document's suggestions are computed,
      // with the decisions and tags of the layer the user works in (a document being adjudicated shows another one).
      const own = doc.layer === this.workspace.layer;
      if (doc.path && this.workspace.contains(doc.path)) {
        const known = this.workspace.memory.summary(doc.path);
        if (own) this.workspace.indexText(doc.path, doc.text, doc.annotations, doc.review.status, doc.tags);
        else this.workspace.indexText(doc.path, doc.text, known?.decided ?? [], known?.review ?? 'todo', known?.tags ?? {});
      }
      const t0 = Date.now();
      const detected = detectAll(doc.text, this.workspace.analysisOptions(doc.path ?? undefined));
      this.detected.set(doc, { text: doc.text, detected });
      doc.suggestions = filterDecided(detected, doc.index, doc.annotations);
      this.costs.set(doc.uri, Date.now() - t0);
      if (doc.path && own) this.queue.observe(doc.path, doc.suggestions, doc.annotations);
    }
    this.publish(doc);
  }

  /**
   * Before the tagger's data are loaded (the first analysis in this process: about half a
   * second of CPU before anything could be shown), a document's stored annotations and
   * boilerplate flags are published at once, announced as partial
   * (`newsAnnotator/suggestionsPending`); the whole analysis follows on the next turn of
   * the event loop, unless the document was refreshed or closed meanwhile. Returns
   * whether it published the partial step.
   */
  private partialFirst(doc: Doc): boolean {
    // Checked on every refresh: the cheap test first (the options are built only before the data are loaded).
    if (entityDataLoaded() || this.workspace.entityOptions() === false) return false;
    const options = this.workspace.analysisOptions(doc.path ?? undefined);
    const refreshed = this.refreshes.get(doc);
    doc.suggestions = filterDecided(detectAll(doc.text, { ...options, entities: false }), doc.index, doc.annotations);
    this.connection.sendNotification(Notification.suggestionsPending.method, { uri: doc.uri }).catch(() => undefined);
    this.publish(doc);
    setImmediate(() => {
      if (this.docs.get(doc.uri) === doc && this.refreshes.get(doc) === refreshed) this.refresh(doc, true);
    });
    return true;
  }

  /** How many times each document was refreshed (refreshWhenIndexed skips one that was refreshed while it waited). */
  private readonly refreshes = new WeakMap<Doc, number>();

  /** What the detectors last found in each document, before the user's decisions were taken out. */
  private readonly detected = new WeakMap<Doc, { text: string; detected: Suggestions }>();

  /**
   * After a decision (accept, reject, mark…): the last detections minus the
   * decisions, published at once — the detectors take seconds on a
   * megabyte-long document, and a decision must not wait for them. They run
   * again shortly after (a decision can change what they find elsewhere:
   * an accepted name is suggested at its other mentions).
   */
  refreshDecisions(doc: Doc): void {
    const last = this.detected.get(doc);
    if (!last || last.text !== doc.text || doc.refused) return this.refresh(doc);
    doc.suggestions = filterDecided(last.detected, doc.index, doc.annotations);
    if (doc.path && doc.layer === this.workspace.layer) this.queue.observe(doc.path, doc.suggestions, doc.annotations);
    // After the command's answer: the diagnostics (tens of thousands of them on a large document
    // take a while to build and send). Two turns: vscode-jsonrpc writes the answer from a
    // setImmediate queued after this one, so one turn would publish first and answer late.
    setImmediate(() =>
      setImmediate(() => {
        if (this.docs.get(doc.uri) === doc) this.publish(doc);
      }),
    );
    this.scheduleRefresh(doc);
  }

  private publish(doc: Doc): void {
    this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnosticsFor(doc, this) }).catch(() => undefined);
    this.connection.sendNotification(Notification.annotationsChanged.method, { uri: doc.uri }).catch(() => undefined);
    // Editors that show our semantic tokens re-request them.
    if (this.semanticRefresh) this.connection.languages.semanticTokens.refresh().catch(() => undefined);
  }

  /** The editor closed the document: it leaves the open set, with its pending refresh. */
  close(uri: string): Doc | undefined {
    const doc = this.docs.get(uri);
    this.docs.delete(uri);
    this.costs.delete(uri);
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    return doc;
  }

  /**
   * Debounced refresh for typing: detectors run once the user pauses — 200 ms,
   * or twice what they last took on this document (at most 5 s), so that a
   * multi-megabyte file is not re-analysed after every short pause.
   */
  scheduleRefresh(doc: Doc, delayMs = Math.min(5000, Math.max(200, 2 * (this.costs.get(doc.uri) ?? 0)))): void {
    const t = this.timers.get(doc.uri);
    if (t) clearTimeout(t);
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        if (this.docs.get(doc.uri) === doc) this.refresh(doc);
      }, delayMs),
    );
  }

  /** Republishes the open documents whose last analysis took at most `budgetMs`, one per turn of the event loop. */
  private refreshQuick(budgetMs = 40): void {
    const quick = [...this.docs.values()].filter((d) => (this.costs.get(d.uri) ?? Infinity) <= budgetMs);
    const next = (): void => {
      const d = quick.shift();
      if (!d) return;
      if (this.docs.get(d.uri) === d) this.refresh(d);
      void nextTurn().then(next);
    };
    next();
    this.queue.changed();
  }

  refreshAll(): void {
    for (const d of this.docs.values()) this.refresh(d);
    this.queue.changed();
  }

  documentAnnotations(doc: Doc): DocumentAnnotationsResult {
    const annotations = doc.annotations.filter((a) => !a.orphaned).map((a) => toDocumentAnnotation(doc.index, a));
    let accepted = 0;
    let rejected = 0;
    let boilerplate = doc.suggestions.boilerplate.length;
    for (const a of doc.annotations) {
      if (a.status === 'rejected') rejected++;
      else if (a.kind === 'entity') accepted++;
      else if (a.category !== 'none') boilerplate++;
    }
    const adjudicating = this.adjudications.isOn(doc);
    const result: DocumentAnnotationsResult = {
      uri: doc.uri,
      annotations,
      counts: { accepted, rejected, suggestions: doc.suggestions.entities.length, boilerplate },
      review: doc.review.status,
      tags: doc.tags,
      layer: doc.layer,
      adjudicating,
      disagreements: openDisagreementCount(this, doc),
    };
    // Blind annotation: the other layers are shown only to someone who asks, or who adjudicates.
    if (doc.path && !doc.refused && (adjudicating || this.settings.showOtherAnnotators)) result.otherLayers = this.otherLayers(doc);
    return result;
  }

  private otherLayers(doc: Doc): OtherLayer[] {
    const others = otherLayersOf(doc);
    const shown = (xs: readonly SidecarAnnotation[]): DocumentAnnotation[] => xs.filter((a) => a.status === 'accepted').map((a) => toDocumentAnnotation(doc.index, a));
    const out: OtherLayer[] = others.layers.filter((l) => l.state === 'ok').map((l) => ({ annotator: l.annotator, review: l.review, annotations: shown(l.annotations) }));
    if (others.adjudicated?.state === 'ok') out.push({ annotator: null, review: others.adjudicated.review, annotations: shown(others.adjudicated.annotations) });
    return out;
  }
}

function toDocumentAnnotation(index: TextIndex, a: SidecarAnnotation): DocumentAnnotation {
  return { id: a.id, kind: a.kind, label: a.label, category: a.category, status: a.status, text: a.text, range: rangeCp(index, a.start, a.end) };
}

function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
