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
import { Notification, type DocumentAnnotationsResult } from '../protocol';
import { suggest } from '../core/analyze';
import { Workspace } from '../host/workspace';
import { rangeCp } from './convert';
import { diagnosticsFor } from './diagnostics';
import type { Doc } from './documents';
import { ReviewQueue } from './queue';
import { UndoStack } from './undo';

export class ServerState {
  readonly docs = new Map<string, Doc>();
  /** labels.json buffers open in the editor, by URI (checked as they are typed: lsp/labelSchema.ts). */
  readonly schemaBuffers = new Map<string, TextDocument>();
  workspace = new Workspace({ folders: [] });
  readonly undo = new UndoStack();
  readonly queue: ReviewQueue;
  /** Whether the editor supports `workspace/semanticTokens/refresh`. */
  semanticRefresh = false;
  private timers = new Map<string, NodeJS.Timeout>();
  private finishScan!: () => void;
  /** Resolves when the start-up scan of the workspace has finished (requests that need the corpus wait). */
  readonly scanned = new Promise<void>((resolve) => (this.finishScan = resolve));
  private scanDone = false;
  /** Milliseconds the detectors last took on each document. */
  private readonly costs = new Map<string, number>();
  private scans: Promise<void> = Promise.resolve();

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

  scanFinished(): void {
    this.scanDone = true;
    this.finishScan();
  }

  /**
   * Reads the corpus with progress: once at start-up, so cross-document
   * signals work from the first file, and again when the tagger changes
   * (modelPath, Learn from Annotations), since what the corpus remembers came
   * from the previous one. Scans run one after another.
   */
  rescan(): Promise<void> {
    const run = (): Promise<void> => this.scanWorkspace();
    return (this.scans = this.scans.then(run, run));
  }

  private async scanWorkspace(): Promise<void> {
    if (!this.folders.length) return;
    this.workspace.dropDetections();
    const files = this.workspace.listFiles((p, message) => this.connection.console.warn(`${p}: ${message}`));
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => null);
    progress?.begin('News Annotator: indexing corpus', 0, `${files.length} files`, false);
    let lastReport = 0;
    await this.workspace.scan(
      (done, total) => {
        if (Date.now() - lastReport < 250) return;
        lastReport = Date.now();
        progress?.report(total ? Math.round((done / total) * 100) : 100, `${done} / ${total} files`);
      },
      undefined,
      files,
    );
    progress?.done();
    this.refreshAll();
    // Exact queue figures for every document, in the background, the top of the queue first.
    this.queue.scheduleRefine(Infinity);
  }

  /**
   * First diagnostics of a document opened while the corpus is being
   * indexed: wait a little for the scan, so that corpus-wide flags (repeated
   * blocks, names found elsewhere) are there from the first publication on a
   * small or medium corpus; a long scan republishes when it ends.
   */
  refreshWhenIndexed(doc: Doc, maxWaitMs = 3000): void {
    if (this.scanDone) return this.refresh(doc);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
    void Promise.race([this.scanned, waited]).then(() => {
      clearTimeout(timer);
      if (this.docs.get(doc.uri) === doc) this.refresh(doc);
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
      // The corpus memory sees the buffer (newer than the disk) before this document's suggestions are computed.
      if (doc.path && this.workspace.contains(doc.path)) this.workspace.indexText(doc.path, doc.text, doc.annotations, doc.review.status, doc.tags);
      const t0 = Date.now();
      doc.suggestions = suggest(doc.text, doc.annotations, this.workspace.analysisOptions(doc.path ?? undefined), doc.index);
      this.costs.set(doc.uri, Date.now() - t0);
      if (doc.path) this.queue.observe(doc.path, doc.suggestions, doc.annotations);
    }
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

  refreshAll(): void {
    for (const d of this.docs.values()) this.refresh(d);
    this.queue.changed();
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
    let accepted = 0;
    let rejected = 0;
    let boilerplate = doc.suggestions.boilerplate.length;
    for (const a of doc.annotations) {
      if (a.status === 'rejected') rejected++;
      else if (a.kind === 'entity') accepted++;
      else if (a.category !== 'none') boilerplate++;
    }
    return {
      uri: doc.uri,
      annotations,
      counts: { accepted, rejected, suggestions: doc.suggestions.entities.length, boilerplate },
      review: doc.review.status,
      tags: doc.tags,
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
