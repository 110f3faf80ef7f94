/** The Entities view: every entity of the workspace, grouped by label, with the documents it occurs in. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Request, type WorkspaceEntity } from '../../../server/src/protocol';
import { sendRequest } from '../lsp';

type Node = { kind: 'label'; label: string; entities: WorkspaceEntity[] } | { kind: 'entity'; entity: WorkspaceEntity } | { kind: 'document'; uri: string; count: number; text: string };

export class EntitiesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private cache: WorkspaceEntity[] | null = null;

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.cache = null;
    this.changed.fire(undefined);
  }

  /** Coalesces bursts of changes (annotate-all, workspace scans) into one refresh. */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 500);
  }

  async entities(): Promise<WorkspaceEntity[]> {
    if (!this.cache) {
      const r = await sendRequest(this.client, Request.workspaceEntities, {});
      this.cache = r.entities;
    }
    return this.cache;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const byLabel = new Map<string, WorkspaceEntity[]>();
      for (const e of await this.entities()) {
        const list = byLabel.get(e.label) ?? [];
        list.push(e);
        byLabel.set(e.label, list);
      }
      return [...byLabel.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([label, entities]) => ({ kind: 'label', label, entities }));
    }
    if (node.kind === 'label') return node.entities.map((entity) => ({ kind: 'entity', entity }));
    if (node.kind === 'entity') return node.entity.documents.map((d) => ({ kind: 'document', uri: d.uri, count: d.count, text: node.entity.text }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'label') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = vscode.l10n.t('{0} names', node.entities.length);
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      return item;
    }
    if (node.kind === 'entity') {
      const e = node.entity;
      // First-strong isolation keeps an Arabic name from reordering the count shown after it.
      const item = new vscode.TreeItem(`\u2068${e.text}\u2069`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description =
        e.documents.length === 1 ? vscode.l10n.t('{0} × in 1 file', e.count) : vscode.l10n.t('{0} × in {1} files', e.count, e.documents.length);
      item.tooltip = vscode.l10n.t('{0} · normalised {1}', e.label, e.normalized);
      return item;
    }
    const uri = vscode.Uri.parse(node.uri);
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
    item.description = `${node.count}×`;
    item.resourceUri = uri;
    item.command = { command: 'newsAnnotator.revealMention', title: vscode.l10n.t('Open'), arguments: [node.uri, node.text] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
