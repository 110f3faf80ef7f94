/**
 * The Review Queue view: the documents not done yet, the one most in need of
 * a human first (open suggestions weighted by uncertainty, from the server's
 * `newsAnnotator/reviewQueue`), each with its counts; the done documents
 * grouped at the end. Click a row to open the document at its first suggestion.
 * In adjudication mode (a button in the view's title) it lists the documents
 * with two or more annotator layers, the most open disagreements first, and a
 * click adjudicates the document.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClientCommand, Request, type QueueMode, type ReviewProgress, type ReviewQueueDocument, type ReviewQueueResult } from '../../../server/src/protocol';
import type { TagFilterState } from '../documentTags';
import { sendRequest } from '../lsp';

/** Context key holding the queue's mode (`review` or `adjudication`), for the title buttons. */
export const QUEUE_MODE_CONTEXT = 'newsAnnotator.queueMode';

type Node = { kind: 'doc'; doc: ReviewQueueDocument } | { kind: 'done'; docs: ReviewQueueDocument[] } | { kind: 'more'; shown: number; matching: number };

/** Documents listed at first, and added by each "Show more": a tree of 100,000 rows is no use to anyone, and costs seconds to send and draw. */
export const QUEUE_PAGE = 500;

/** The internal command of the "Show more" row. */
const SHOW_MORE = 'newsAnnotator.queueShowMore';

const STATUS_ICON: Record<ReviewQueueDocument['status'], string> = { todo: 'circle-large-outline', 'in-progress': 'record', done: 'pass-filled' };

export class ReviewQueueView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly progressChanged = new vscode.EventEmitter<ReviewProgress>();
  /** Fires with the corpus' review progress whenever the queue is fetched. */
  readonly onDidChangeProgress = this.progressChanged.event;
  private timer: NodeJS.Timeout | undefined;
  private cache: Promise<ReviewQueueResult> | null = null;
  private modeNow: QueueMode = 'review';
  /** Documents a page adds (QUEUE_PAGE; the integration tests make it small). */
  page = QUEUE_PAGE;
  /** How many documents the view lists (the top of the queue); grows by a page with "Show more". */
  private shown = QUEUE_PAGE;
  view: vscode.TreeView<Node> | undefined;

  private readonly filterChanged: vscode.Disposable;

  constructor(
    private readonly client: LanguageClient,
    private readonly tagFilter: TagFilterState,
  ) {
    this.filterChanged = tagFilter.onDidChange(() => this.refresh());
    void vscode.commands.executeCommand('setContext', QUEUE_MODE_CONTEXT, 'review');
  }

  get mode(): QueueMode {
    return this.modeNow;
  }

  async setMode(mode: QueueMode): Promise<QueueMode> {
    this.modeNow = mode;
    await vscode.commands.executeCommand('setContext', QUEUE_MODE_CONTEXT, mode);
    this.firstPage();
    return mode;
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(ClientCommand.queueAdjudicationMode, () => this.setMode('adjudication')),
      vscode.commands.registerCommand(ClientCommand.queueReviewMode, () => this.setMode('review')),
      vscode.commands.registerCommand(SHOW_MORE, () => this.showMore()),
    ];
  }

  /** Lists another page of the queue. */
  showMore(): void {
    this.shown += this.page;
    this.refresh();
  }

  refresh(): void {
    this.cache = null;
    this.changed.fire(undefined);
  }

  /** Back to the first page (a new page size, another mode). */
  firstPage(): void {
    this.shown = this.page;
    this.refresh();
  }

  /** Coalesces bursts (a corpus-wide batch, the scan) into one refresh. */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh();
      // The status bar shows progress even when the view is collapsed.
      if (!this.view?.visible) void this.queue();
    }, 300);
  }

  queue(): Promise<ReviewQueueResult> {
    if (!this.cache) {
      const mode = this.modeNow;
      // The tag filter applies to the review queue (the adjudication queue lists the documents with layers).
      const filter = mode === 'review' ? this.tagFilter.filter : undefined;
      const limit = this.shown;
      this.cache = sendRequest(this.client, Request.reviewQueue, filter ? { mode, tags: filter, limit } : { mode, limit }).then((q) => {
        // The status bar shows the corpus' review progress, not the adjudication's.
        if (q.mode === 'review') this.progressChanged.fire(q.progress);
        if (this.view) {
          const done = vscode.l10n.t('{0} / {1} done', q.progress.done.toLocaleString(), q.progress.total.toLocaleString());
          const indexing = q.indexing ? ' · ' + vscode.l10n.t('indexing…') : '';
          const filtered = filter ? ` · ${vscode.l10n.t('{0} with {1}', q.documents.length, this.tagFilter.describe())}` : '';
          this.view.description = q.mode === 'adjudication' ? `${vscode.l10n.t('adjudication')} · ${done}${indexing}` : `${done}${indexing}${filtered}`;
        }
        return q;
      });
      this.cache.catch(() => (this.cache = null));
    }
    return this.cache;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'done') return node.docs.map((doc) => ({ kind: 'doc', doc }));
    if (node) return [];
    const q = await this.queue();
    const todo = q.documents.filter((d) => d.status !== 'done');
    const done = q.documents.filter((d) => d.status === 'done');
    const rows: Node[] = todo.map((doc) => ({ kind: 'doc', doc }));
    // More documents than listed: the rest (lower in the queue, then the done ones) one page at a time.
    if (q.matching > q.documents.length) rows.push({ kind: 'more', shown: q.documents.length, matching: q.matching });
    if (done.length) rows.push({ kind: 'done', docs: done });
    return rows;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more', Math.min(this.page, node.matching - node.shown).toLocaleString()), vscode.TreeItemCollapsibleState.None);
      item.description = vscode.l10n.t('{0} of {1} listed', node.shown.toLocaleString(), node.matching.toLocaleString());
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: SHOW_MORE, title: vscode.l10n.t('Show more') };
      return item;
    }
    if (node.kind === 'done') {
      const item = new vscode.TreeItem(vscode.l10n.t('Done ({0})', node.docs.length), vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = new vscode.ThemeIcon('pass-filled');
      return item;
    }
    const d = node.doc;
    const uri = this.client.protocol2CodeConverter.asUri(d.uri);
    if (d.adjudication) return this.adjudicationItem(d, uri);
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
    const approx = d.exact ? '' : '≈';
    item.description =
      d.status === 'done'
        ? vscode.l10n.t('{0} accepted', d.accepted)
        : vscode.l10n.t('{0}{1} open · {2} uncertain · {3} new · {4} accepted', approx, d.openSuggestions, d.uncertain, d.newNames, d.accepted);
    item.tooltip = new vscode.MarkdownString(
      [
        `**${vscode.workspace.asRelativePath(uri)}** — ${d.status}`,
        '',
        vscode.l10n.t('- {0} open suggestions ({1} below 70% confidence, {2} names never accepted before, {3} suggested from names accepted elsewhere)', d.openSuggestions, d.uncertain, d.newNames, d.fromDictionary),
        vscode.l10n.t('- {0} accepted entities', d.accepted),
        d.exact ? '' : vscode.l10n.t('- estimated from the detector alone; exact once the corpus has been read'),
      ].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(STATUS_ICON[d.status]);
    item.resourceUri = uri;
    item.contextValue = `newsAnnotator.queue.${d.status}`;
    item.command = { command: ClientCommand.openQueueDocument, title: vscode.l10n.t('Open'), arguments: [d.uri] };
    return item;
  }

  private adjudicationItem(d: ReviewQueueDocument, uri: vscode.Uri): vscode.TreeItem {
    const a = d.adjudication!;
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
    item.description =
      d.status === 'done'
        ? vscode.l10n.t('adjudicated · {0}', a.annotators.join(', '))
        : vscode.l10n.t('{0} disagreements · {1} agreed to write · {2}', a.disagreements, a.pendingAgreements, a.annotators.join(', '));
    item.tooltip = new vscode.MarkdownString(
      [
        `**${vscode.workspace.asRelativePath(uri)}** — ${d.status}`,
        '',
        vscode.l10n.t('- {0} disagreements the adjudicated sidecar does not decide yet', a.disagreements),
        vscode.l10n.t('- {0} spans every annotator agrees on, not written yet (Adjudicate Document writes them)', a.pendingAgreements),
        vscode.l10n.t('- annotators: {0}', a.annotators.join(', ')),
        a.notDone.length ? vscode.l10n.t('- not marked done by: {0}', a.notDone.join(', ')) : '',
      ].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(d.status === 'done' ? 'pass-filled' : a.disagreements ? 'law' : 'circle-large-outline');
    item.resourceUri = uri;
    item.contextValue = `newsAnnotator.adjudication.${d.status}`;
    item.command = { command: ClientCommand.adjudicateDocument, title: vscode.l10n.t('Adjudicate'), arguments: [d.uri] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.filterChanged.dispose();
    this.changed.dispose();
    this.progressChanged.dispose();
  }
}
