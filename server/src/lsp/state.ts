/**
 * The server's state and the one path every change takes: update a document,
 * re-run the detectors with the corpus' knowledge, publish diagnostics and
 * tell the client that decorations may have changed.
 */
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { Notification, type DocumentAnnotationsResult } from '../protocol';
import { detectAll, filterDecided, type AnalysisOptions, type Suggestions } from '../core/analyze';
import type { EntityOptions, TaggerModel } from '../core/detect/entities';
import { diagnosticsFor, rangeCp } from './diagnostics';
import type { Doc } from './documents';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { WorkspaceIndex } from './workspaceIndex';

export class ServerState {
  readonly docs = new Map<string, Doc>();
  readonly index = new WorkspaceIndex();
  settings: Settings = DEFAULT_SETTINGS;
  folders: string[] = [];
  /** Whether the editor supports `workspace/semanticTokens/refresh`. */
  semanticRefresh = false;
  /** A tagger adapted to the user's annotations (Learn from Annotations), if any. */
  model: TaggerModel | undefined;
  private timers = new Map<string, NodeJS.Timeout>();
  private finishScan!: () => void;
  /** Resolves when the start-up scan of the workspace has finished (requests that need the corpus wait). */
  readonly scanned = new Promise<void>((resolve) => (this.finishScan = resolve));

  private scanDone = false;

  scanFinished(): void {
    this.scanDone = true;
    this.finishScan();
  }

  /**
   * First diagnostics of a document opened while the corpus is being
   * indexed: wait a little for the scan, so that corpus-wide flags (repeated
   * blocks, names found elsewhere) are there from the first publication on a
   * small or medium corpus; a long scan republishes when it ends.
   */
  refreshWhenIndexed(doc: Doc, maxWaitMs = 3000): void {
    // A refused document has nothing to wait for: its message goes out at once.
    if (this.scanDone || doc.refused) return this.refresh(doc);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
    void Promise.race([this.scanned, waited]).then(() => {
      clearTimeout(timer);
      if (this.docs.get(doc.uri) === doc) this.refresh(doc);
    });
  }

  constructor(readonly connection: Connection) {
    // Files the editor has not opened are read with the same settings and tagger.
    this.index.entityOptions = () => this.entityOptions();
  }

  /** Re-reads the workspace (set by the server): after the tagger changed, what the corpus remembers is stale. */
  rescan: () => Promise<void> = async () => undefined;

  /** The entity detector's options from the settings and the tagger in use, without the corpus' knowledge. */
  entityOptions(): EntityOptions | false {
    const s = this.settings;
    return s.entities.enabled ? { labels: s.labels, minConfidence: s.entities.minConfidence, ...(this.model ? { model: this.model } : {}) } : false;
  }

  get maxBytes(): number {
    return this.settings.maxFileSizeKB * 1024;
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
   * The detectors' options as the settings and the corpus make them: the one
   * source for what the editor shows and what an export with suggestions holds.
   */
  analysisOptions(docPath?: string): AnalysisOptions {
    const s = this.settings;
    const entities = this.entityOptions();
    return {
      entities: entities && { ...entities, dictionary: this.index.dictionary(), corpus: this.index.names, corpusDocId: docPath },
      boilerplate: s.boilerplate.enabled && {
        corpus: this.index.corpus,
        repeatedMinDocs: s.boilerplate.repeatedMinDocs,
        repeatedMinFraction: s.boilerplate.repeatedMinFraction,
        threshold: s.boilerplate.threshold,
        extraCues: s.boilerplate.extraCues,
        decisions: this.index.boilerplateDecisions(),
      },
    };
  }

  /** Recomputes suggestions for a document and publishes them. */
  refresh(doc: Doc): void {
    const t = this.timers.get(doc.uri);
    if (t) {
      clearTimeout(t);
      this.timers.delete(doc.uri);
    }
    if (doc.refused) {
      doc.suggestions = { entities: [], boilerplate: [] };
    } else {
      const t0 = Date.now();
      const detected = detectAll(doc.text, this.analysisOptions(doc.path ?? undefined));
      this.detected.set(doc, { text: doc.text, detected });
      doc.suggestions = filterDecided(detected, doc.index, doc.annotations);
      this.costs.set(doc.uri, Date.now() - t0);
      if (doc.path) this.index.update(doc.path, doc.text, doc.annotations, doc.suggestions.entities);
    }
    this.publish(doc);
  }

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
    // Right after the command's answer (the decision is on disk by then): the corpus index
    // (which the detectors' next pass reads) and the diagnostics — tens of thousands of them
    // on a large document take a while to send.
    setImmediate(() => {
      if (this.docs.get(doc.uri) !== doc) return;
      if (doc.path) this.index.update(doc.path, doc.text, doc.annotations, doc.suggestions.entities);
      this.publish(doc);
    });
    this.scheduleRefresh(doc);
  }

  private publish(doc: Doc): void {
    this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnosticsFor(doc) }).catch(() => undefined);
    this.connection.sendNotification(Notification.annotationsChanged, { uri: doc.uri }).catch(() => undefined);
    // Editors that show our semantic tokens re-request them.
    if (this.semanticRefresh) this.connection.languages.semanticTokens.refresh().catch(() => undefined);
  }

  /** Milliseconds the detectors last took on each document. */
  private readonly costs = new Map<string, number>();

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

  refreshAll(): void {
    for (const d of this.docs.values()) this.refresh(d);
  }

  documentAnnotations(doc: Doc): DocumentAnnotationsResult {
    const annotations = doc.annotations
      .filter((a) => !a.orphaned)
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        label: a.label,
        category: a.category,
        status: a.status,
        text: a.text,
        range: rangeCp(doc.index, a.start, a.end),
      }));
    return {
      uri: doc.uri,
      annotations,
      counts: {
        accepted: doc.annotations.filter((a) => a.status === 'accepted' && a.kind === 'entity').length,
        rejected: doc.annotations.filter((a) => a.status === 'rejected').length,
        suggestions: doc.suggestions.entities.length,
        boilerplate: doc.suggestions.boilerplate.length + doc.annotations.filter((a) => a.kind === 'boilerplate' && a.status === 'accepted' && a.category !== 'none').length,
      },
    };
  }
}

function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
