/**
 * The Review Queue as the server keeps it. Right after the corpus is read,
 * every document has an estimate (from its summary, no text needed), so the
 * queue is ready at once; exact figures — the suggestions the editor would
 * show, with the whole corpus known — replace them as documents are opened
 * and, in the background, for the rest, the top of the queue first. A
 * decision anywhere can change what other documents suggest (a name now in
 * the dictionary), so exact figures carry the corpus' decision version and
 * are refined again when it moves on. The exact figures of files on disk are
 * kept for the next start (host/queueFigures.ts): a restart over the same
 * corpus and settings takes them back instead of analysing the top again.
 */
import { Notification, type ReviewQueueResult, type ReviewStatus, type SidecarAnnotation, type TagFilter } from '../protocol';
import { matchesTagFilter } from '../core/annotations/tags';
import { suggest, type Suggestions } from '../core/analyze';
import { estimateFromSummary, mentionsAny, orderQueue, QueueTop, statsFromSuggestions, toQueueDocument, type QueueRow, type QueueStats } from '../core/corpus/queue';
import type { DocumentSummary } from '../core/corpus/summary';
import { pathToUri } from './convert';
import type { ServerState } from './state';
import { TimeSlices } from '../host/timeSlices';

/** After a decision, this many documents from the top of the queue are refined again. */
const REFINE_AFTER_DECISION = 200;

/**
 * After a scan, this many documents from the top of the queue get exact
 * figures; lower ones keep their estimates until a client lists that far.
 * Refining is a full analysis of each document on the server's thread:
 * all of a 100,000-document corpus would keep a core busy for half an hour
 * after every start. (A restart over an unchanged corpus takes the last
 * start's figures back instead: see restore.)
 */
export const REFINE_AFTER_SCAN = 1000;

/**
 * While the corpus is indexed, a listing this recent is given again to a request with the same
 * limit and filter: each listing passes over every document (80 ms at 100,000), and a client
 * asking ten times a second took most of the server's thread from the scan itself.
 */
export const LISTING_REUSE_MS = 1000;

export class ReviewQueue {
  /**
   * Exact figures by document, with the decisions version and the suggestions' basis
   * (Workspace.suggestionsKey: settings, analysis, layer) they were computed at: either moving on
   * makes them stale, and the top of the queue is refined again.
   */
  private readonly exact = new Map<string, { stats: QueueStats; version: number; basis: string }>();
  /**
   * Estimates by document summary (a new summary is a new object), kept while
   * the corpus' decisions are the same: the queue is asked for again and again during a scan, and
   * estimating every document each time made the scan quadratic.
   */
  private readonly estimates = new WeakMap<DocumentSummary, { version: number; stats: QueueStats }>();
  private refining = false;
  private pendingLimit = 0;
  /** The longest top of the queue a client has asked for since the scan (refined as far). */
  private asked = REFINE_AFTER_SCAN;
  private notifyTimer: NodeJS.Timeout | undefined;
  /** The last listing made during a scan (see LISTING_REUSE_MS); dropped when anything is decided or observed. */
  private lastListing: { at: number; key: string; result: ReviewQueueResult } | undefined;
  private refineTimer: NodeJS.Timeout | undefined;
  /**
   * Documents whose exact figures are of their file on disk (refined, or kept from the last start),
   * not of an editor buffer: those kept for the next start (see restore).
   */
  private readonly fromDisk = new Set<string>();

  constructor(private readonly state: ServerState) {}

  /** An open document was refreshed: its suggestions are the exact figures. */
  observe(file: string, s: Suggestions, annotations: readonly SidecarAnnotation[]): void {
    this.lastListing = undefined;
    const memory = this.state.workspace.memory;
    this.exact.set(file, { stats: statsFromSuggestions(s, annotations.filter((a) => !a.orphaned), memory), version: memory.decisionsVersion, basis: this.state.workspace.suggestionsKey() });
    this.fromDisk.delete(file);
  }

  forget(file: string): void {
    this.lastListing = undefined;
    this.exact.delete(file);
    this.fromDisk.delete(file);
  }

  /** The layer worked in changed: every exact figure was about another layer's decisions. */
  forgetAll(): void {
    this.lastListing = undefined;
    this.exact.clear();
    this.fromDisk.clear();
  }

  /**
   * After a scan: takes back the exact figures the last start kept, when the corpus, the
   * settings and the analysis are those they were computed over (Workspace.readQueueFigures),
   * so that a restart does not analyse the top of the queue again. Documents open in the
   * editor keep their own. Returns how many were taken back.
   */
  async restore(): Promise<number> {
    const figures = await this.state.workspace.readQueueFigures();
    if (!figures) return 0;
    const memory = this.state.workspace.memory;
    const version = memory.decisionsVersion;
    const basis = this.state.workspace.suggestionsKey();
    let n = 0;
    for (const [file, stats] of figures) {
      const known = this.exact.get(file);
      if (!memory.has(file) || this.state.findDocByPath(file) || (known?.version === version && known.basis === basis)) continue;
      this.exact.set(file, { stats, version, basis });
      this.fromDisk.add(file);
      n++;
    }
    if (n) {
      this.lastListing = undefined;
      this.state.connection.console.info(`Review Queue: exact figures of ${n} documents taken from the last start (the corpus has not changed)`);
    }
    return n;
  }

  /** Keeps the exact figures of files on disk for the next start (when the corpus is still as scanned). */
  private async keep(): Promise<void> {
    const version = this.state.workspace.memory.decisionsVersion;
    const basis = this.state.workspace.suggestionsKey();
    const rows: [string, QueueStats][] = [];
    for (const file of this.fromDisk) {
      const e = this.exact.get(file);
      if (e && e.version === version && e.basis === basis) rows.push([file, e.stats]);
    }
    if (await this.state.workspace.keepQueueFigures(rows)) this.state.connection.console.info(`Review Queue: exact figures of ${rows.length} documents kept for the next start`);
  }

  /**
   * Something changed (a decision, a scan, a status, the settings): tell the client soon, and
   * refine the top of the queue (`refine` documents of it).
   */
  changed(refine = REFINE_AFTER_DECISION): void {
    this.lastListing = undefined;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.state.connection.sendNotification(Notification.queueChanged.method, {}).catch(() => undefined);
    }, 150);
    if (!this.state.indexing) this.scheduleRefine(refine);
  }

  /**
   * Calls `visit` for every document (of those whose tags pass `filter`) with
   * its figures: the exact ones when fresh, else the estimate kept for its
   * summary. No object is made per document: this runs over the whole corpus
   * each time the queue is asked for.
   */
  private each(filter: TagFilter | undefined, visit: (id: string, summary: DocumentSummary, stats: QueueStats, exact: boolean) => void): void {
    const memory = this.state.workspace.memory;
    const version = memory.decisionsVersion;
    const basis = this.state.workspace.suggestionsKey();
    // The names decided since the version an estimate was made at (most estimates share a few versions).
    const changedSince = new Map<number, ReadonlySet<string> | null>();
    const stillHolds = (summary: DocumentSummary, since: number): boolean => {
      let names = changedSince.get(since);
      if (names === undefined) changedSince.set(since, (names = memory.namesChangedSince(since)));
      return names !== null && !mentionsAny(summary, names);
    };
    for (const [id, summary] of memory.entries()) {
      if (filter && !matchesTagFilter(summary.tags, filter)) continue;
      const known = this.exact.get(id);
      if (known && known.version === version && known.basis === basis) {
        visit(id, summary, known.stats, true);
        continue;
      }
      const e = this.estimates.get(summary);
      // An estimate depends on the decisions about the document's own names only (estimateFromSummary).
      if (e && (e.version === version || stillHolds(summary, e.version))) {
        e.version = version;
        visit(id, summary, e.stats, false);
      } else {
        const stats = estimateFromSummary(summary, memory);
        this.estimates.set(summary, { version, stats });
        visit(id, summary, stats, false);
      }
    }
  }

  /** Every document of the corpus (of those whose tags pass `filter`) in queue order. */
  rows(filter?: TagFilter): QueueRow[] {
    const rows: QueueRow[] = [];
    this.each(filter, (id, summary, stats, exact) => rows.push(row(id, summary, stats, exact)));
    return orderQueue(rows);
  }

  /** The queue (of the documents whose tags pass `filter`); progress is the whole corpus'. */
  result(limit?: number, filter?: TagFilter): ReviewQueueResult {
    if (!this.state.indexing) this.lastListing = undefined;
    const key = JSON.stringify([limit ?? null, filter ?? null]);
    const last = this.lastListing;
    if (last && last.key === key && Date.now() - last.at < LISTING_REUSE_MS) return last.result;
    const result = this.listing(limit, filter);
    if (this.state.indexing) this.lastListing = { at: Date.now(), key, result };
    return result;
  }

  private listing(limit?: number, filter?: TagFilter): ReviewQueueResult {
    const all = this.state.workspace.memory.documentCount;
    let matching = 0;
    let rows: QueueRow[];
    if (limit !== undefined && limit <= 64 && limit < all) {
      // The top of a long queue is picked in one pass rather than by sorting the whole of it.
      const top = new QueueTop<QueueRow>(limit);
      const probe = { status: 'todo' as ReviewStatus, priority: 0, name: '' };
      this.each(filter, (id, summary, stats, exact) => {
        matching++;
        probe.status = summary.review;
        probe.priority = stats.priority;
        probe.name = id;
        top.offer(probe, () => row(id, summary, stats, exact));
      });
      rows = top.rows;
    } else {
      rows = this.rows(filter);
      matching = rows.length;
      rows = rows.slice(0, limit);
    }
    // A client listing further down the queue (Show more) gets exact figures that far too.
    if (limit !== undefined && limit > this.asked && !this.state.indexing) this.scheduleRefine((this.asked = limit));
    return {
      mode: 'review',
      documents: rows.map((r) => toQueueDocument(r, pathToUri(r.id))),
      matching,
      progress: this.state.workspace.memory.progress(),
      indexing: this.state.indexing,
    };
  }

  /** Refines up to `limit` documents whose figures are estimates, in queue order, in the background. */
  scheduleRefine(limit: number): void {
    this.pendingLimit = Math.max(this.pendingLimit, limit);
    if (this.refineTimer || this.refining) return;
    this.refineTimer = setTimeout(() => {
      this.refineTimer = undefined;
      void this.refine();
    }, 500);
  }

  private async refine(): Promise<void> {
    this.refining = true;
    const slices = new TimeSlices();
    let refined = false;
    try {
      while (this.pendingLimit > 0) {
        const limit = this.pendingLimit;
        this.pendingLimit = 0;
        const memory = this.state.workspace.memory;
        // The top `limit` of the queue: figures taken from the last start count, and are not computed again.
        const todo = this.rows().slice(0, limit).filter((r) => !r.exact && r.status !== 'done');
        let changed = false;
        for (const row of todo) {
          // The corpus is being read again: figures computed now would be over half of it (the scan refines when done).
          if (this.state.scanning) return;
          if (this.state.findDocByPath(row.id) || !memory.has(row.id)) continue;
          const r = this.state.workspace.loadDocument(row.id);
          if (!r.ok) continue;
          const basis = this.state.workspace.suggestionsKey();
          const s = suggest(r.doc.text, r.doc.annotations, this.state.workspace.analysisOptions(row.id));
          this.exact.set(row.id, { stats: statsFromSuggestions(s, r.doc.annotations, memory), version: memory.decisionsVersion, basis });
          this.fromDisk.add(row.id);
          changed = refined = true;
          // Giving way between documents: typing, hovers and quick fixes are never kept waiting.
          await slices.pause();
        }
        if (changed) this.state.connection.sendNotification(Notification.queueChanged.method, {}).catch(() => undefined);
      }
      if (refined) await this.keep();
    } finally {
      this.refining = false;
    }
  }
}

function row(id: string, summary: DocumentSummary, stats: QueueStats, exact: boolean): QueueRow {
  return { id, name: id, status: summary.review, exact, tags: summary.tags, ...stats };
}
