/**
 * The Agreement view: the figures of `news-annotator agree` for the
 * workspace (from the server's `newsAnnotator/agreement`): per layer
 * (entities, boilerplate) the exact-span scores of each pair of annotators by
 * label, Cohen's κ per pair, Fleiss' κ and Krippendorff's α; then the
 * documents, the lowest entity F1 first — click one to open it, or adjudicate
 * it from its inline action.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ClientCommand,
  Request,
  type AgreementResult,
  type DocumentAgreement,
  type LayerAgreement,
  type PairSpanAgreement,
  type SpanScores,
} from '../../../server/src/protocol';
import { sendRequest } from '../lsp';

/** Context key: the view compares every document with two or more layers (not only those marked done). */
export const AGREEMENT_ALL_CONTEXT = 'newsAnnotator.agreementAll';

type LayerKey = 'entity' | 'boilerplate';

type Node =
  | { kind: 'summary'; r: AgreementResult }
  | { kind: 'layer'; layer: LayerKey; data: LayerAgreement }
  | { kind: 'spans'; layer: LayerKey; data: LayerAgreement }
  | { kind: 'pair'; layer: LayerKey; pair: PairSpanAgreement; all?: boolean; meanPairF1?: number | null; only?: boolean }
  | { kind: 'label'; label: string; scores: SpanScores }
  | { kind: 'cohen'; data: LayerAgreement }
  | { kind: 'figure'; label: string; value: string; tooltip: string }
  | { kind: 'documents'; docs: (DocumentAgreement & { uri?: string })[] }
  | { kind: 'document'; doc: DocumentAgreement & { uri?: string } }
  | { kind: 'problems'; problems: string[] }
  | { kind: 'problem'; message: string };

function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '—' : x.toFixed(digits);
}

function count(n: number): string {
  return n.toLocaleString();
}

export class AgreementView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private cache: Promise<AgreementResult> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private all = false;
  view: vscode.TreeView<Node> | undefined;

  constructor(private readonly client: LanguageClient) {
    void vscode.commands.executeCommand('setContext', AGREEMENT_ALL_CONTEXT, false);
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(ClientCommand.showAgreement, async () => {
        this.refresh();
        await vscode.commands.executeCommand('newsAnnotator.agreement.focus');
        return this.report();
      }),
      vscode.commands.registerCommand(ClientCommand.refreshAgreement, () => this.refresh()),
      vscode.commands.registerCommand(ClientCommand.agreementAllDocuments, () => this.setAll(true)),
      vscode.commands.registerCommand(ClientCommand.agreementDoneDocuments, () => this.setAll(false)),
    ];
  }

  private async setAll(all: boolean): Promise<void> {
    this.all = all;
    await vscode.commands.executeCommand('setContext', AGREEMENT_ALL_CONTEXT, all);
    this.refresh();
  }

  refresh(): void {
    this.cache = null;
    this.changed.fire(undefined);
  }

  /** Layers changed on disk: recompute, but only while someone is looking (comparing a large corpus takes seconds). */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.view?.visible) this.refresh();
      else this.cache = null;
    }, 1000);
  }

  report(): Promise<AgreementResult> {
    if (!this.cache) {
      this.cache = sendRequest(this.client, Request.agreement, { all: this.all }).then((r) => {
        if (this.view) {
          this.view.description = this.all
            ? vscode.l10n.t('{0} documents, every layer', count(r.documents.compared))
            : vscode.l10n.t('{0} documents marked done', count(r.documents.compared));
        }
        return r;
      });
      this.cache.catch(() => (this.cache = null));
    }
    return this.cache;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const r = await this.report();
      if (r.documents.compared === 0 && !r.problems?.length) return [];
      const out: Node[] = [{ kind: 'summary', r }];
      if (r.documents.compared) {
        out.push({ kind: 'layer', layer: 'entity', data: r.entity }, { kind: 'layer', layer: 'boilerplate', data: r.boilerplate });
        const docs = [...r.perDocument].sort((x, y) => (x.worstEntityF1 ?? 2) - (y.worstEntityF1 ?? 2) || (x.document < y.document ? -1 : 1));
        out.push({ kind: 'documents', docs });
      }
      if (r.problems?.length) out.push({ kind: 'problems', problems: r.problems });
      return out;
    }
    switch (node.kind) {
      case 'layer': {
        const t = node.data.tokens;
        const a = t.krippendorff;
        const f = t.fleiss;
        return [
          { kind: 'spans', layer: node.layer, data: node.data },
          { kind: 'cohen', data: node.data },
          {
            kind: 'figure',
            label: vscode.l10n.t("Fleiss' κ"),
            value: vscode.l10n.t('{0} · {1} annotators · {2} tokens in {3} documents', fmt(f.kappa), f.annotators.length, count(f.units), f.documents),
            tooltip: vscode.l10n.t('Over the documents every annotator did. Observed agreement {0}, by chance {1}.', fmt(f.observed), fmt(f.expected)),
          },
          {
            kind: 'figure',
            label: vscode.l10n.t("Krippendorff's α (nominal)"),
            value: vscode.l10n.t('{0} · {1} tokens in {2} documents', fmt(a.alpha), count(a.units), a.documents),
            tooltip: vscode.l10n.t('Over every compared document, an annotator who did not do a document being a missing value. Observed disagreement {0}, expected {1}.', fmt(a.observedDisagreement), fmt(a.expectedDisagreement)),
          },
        ];
      }
      case 'spans': {
        const only = node.data.spans.pairs.length === 1;
        const out: Node[] = node.data.spans.pairs.map((pair) => ({ kind: 'pair', layer: node.layer, pair, only }));
        const all = node.data.spans.allPairs;
        if (node.data.spans.pairs.length > 1) {
          out.push({ kind: 'pair', layer: node.layer, all: true, meanPairF1: all.meanPairF1, pair: { a: '', b: '', documents: all.documents, micro: all.micro, labels: all.labels } });
        }
        return out;
      }
      case 'pair':
        return Object.entries(node.pair.labels).map(([label, scores]) => ({ kind: 'label', label, scores }));
      case 'cohen':
        return node.data.tokens.cohen.map((c) => ({
          kind: 'figure',
          label: `${c.a} ~ ${c.b}`,
          value: vscode.l10n.t('κ {0} · {1} tokens · {2} documents', fmt(c.kappa), count(c.units), c.documents),
          tooltip: vscode.l10n.t('Observed agreement {0}, by chance {1}.', fmt(c.observed), fmt(c.expected)),
        }));
      case 'documents':
        return node.docs.map((doc) => ({ kind: 'document', doc }));
      case 'problems':
        return node.problems.map((message) => ({ kind: 'problem', message }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (node.kind) {
      case 'summary': {
        const r = node.r;
        const item = new vscode.TreeItem(vscode.l10n.t('{0} annotators: {1}', r.annotators.length, r.annotators.join(', ')), None);
        item.description = r.selection === 'done' ? vscode.l10n.t('{0} documents marked done by two or more', count(r.documents.compared)) : vscode.l10n.t('{0} documents with two or more layers', count(r.documents.compared));
        item.tooltip = vscode.l10n.t('{0} text files; {1} compared; {2} not compared (fewer than two layers); {3} unreadable.', count(r.documents.files), count(r.documents.compared), count(r.documents.notCompared), count(r.documents.unreadable))
          + (r.labels ? ' ' + vscode.l10n.t('Entity labels compared: {0}.', r.labels.join(', ')) : '');
        item.iconPath = new vscode.ThemeIcon('organization');
        return item;
      }
      case 'layer': {
        const item = new vscode.TreeItem(node.layer === 'entity' ? vscode.l10n.t('Entities') : vscode.l10n.t('Boilerplate'), node.layer === 'entity' ? Expanded : Collapsed);
        const micro = node.data.spans.allPairs.micro;
        item.description = vscode.l10n.t('span F1 {0} · α {1}', fmt(micro.f1), fmt(node.data.tokens.krippendorff.alpha));
        item.iconPath = new vscode.ThemeIcon(node.layer === 'entity' ? 'symbol-class' : 'archive');
        return item;
      }
      case 'spans': {
        const item = new vscode.TreeItem(vscode.l10n.t('Exact spans (F1 per pair)'), Expanded);
        item.tooltip = vscode.l10n.t('A span matches when the other annotator has the very same start, end and label. A is the reference: P = matched / spans of B, R = matched / spans of A; F1 is symmetric.');
        return item;
      }
      case 'pair': {
        const s = node.pair.micro;
        const name = node.all ? vscode.l10n.t('All pairs') : `${node.pair.a} ~ ${node.pair.b}`;
        // A single pair shows its labels at once; with several, each opens on demand.
        const item = new vscode.TreeItem(name, !Object.keys(node.pair.labels).length ? None : node.only ? Expanded : Collapsed);
        item.description = vscode.l10n.t('F1 {0} (P {1}, R {2}) · {3} documents', fmt(s.f1), fmt(s.precision), fmt(s.recall), node.pair.documents)
          + (node.all ? ' · ' + vscode.l10n.t('mean of pairs {0}', fmt(node.meanPairF1)) : '');
        item.tooltip = vscode.l10n.t('{0} matched of {1} spans (A) and {2} spans (B)', count(s.matched), count(s.spansA), count(s.spansB));
        return item;
      }
      case 'label': {
        const s = node.scores;
        const item = new vscode.TreeItem(node.label, None);
        item.description = vscode.l10n.t('F1 {0} · {1} matched of {2} / {3}', fmt(s.f1), count(s.matched), count(s.spansA), count(s.spansB));
        return item;
      }
      case 'cohen': {
        const item = new vscode.TreeItem(vscode.l10n.t("Cohen's κ (tokens, per pair)"), Expanded);
        item.tooltip = vscode.l10n.t("Token tags (label or O) on the exporter's tokens, per pair over the documents both did.");
        return item;
      }
      case 'figure': {
        const item = new vscode.TreeItem(node.label, None);
        item.description = node.value;
        item.tooltip = node.tooltip;
        return item;
      }
      case 'documents': {
        const item = new vscode.TreeItem(vscode.l10n.t('Documents, lowest entity F1 first'), Expanded);
        item.description = count(node.docs.length);
        item.iconPath = new vscode.ThemeIcon('files');
        return item;
      }
      case 'document': {
        const d = node.doc;
        const uri = d.uri ? this.client.protocol2CodeConverter.asUri(d.uri) : undefined;
        const item = new vscode.TreeItem(d.document, None);
        item.description = d.pairs.map((p) => `${p.a}~${p.b} ${fmt(p.entity.f1, 2)}`).join(' · ');
        item.tooltip = vscode.l10n.t('{0} tokens; annotators: {1}. Entity F1 per pair; — = neither annotated an entity.', count(d.tokens), d.annotators.join(', '));
        item.iconPath = new vscode.ThemeIcon(d.worstEntityF1 === null || d.worstEntityF1 >= 0.8 ? 'pass' : d.worstEntityF1 >= 0.5 ? 'warning' : 'error');
        if (uri) {
          item.resourceUri = uri;
          item.contextValue = 'newsAnnotator.agreementDocument';
          item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [uri] };
        }
        return item;
      }
      case 'problems': {
        const item = new vscode.TreeItem(vscode.l10n.t('{0} problems', node.problems.length), Collapsed);
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.message, None);
        item.tooltip = node.message;
        return item;
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

/** The URI a view row stands for (the Agreement view's and the Review Queue's rows are passed to inline actions). */
export function uriOfNode(node: unknown): string | undefined {
  const n = node as { doc?: { uri?: unknown } } | undefined;
  return typeof n?.doc?.uri === 'string' ? n.doc.uri : undefined;
}
