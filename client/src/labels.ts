/**
 * The label schema in force, as the server resolved it (labels.json, else the
 * labels setting), kept up to date on the server's `labelSchemaChanged`; and
 * the label picker every command shares: each label with its key, colour
 * family and description.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DEFAULT_LABELS, Notification, Request, type LabelDefinition, type LabelSchema } from '../../server/src/protocol';
import { onNotification, sendRequest } from './lsp';

export class LabelSchemaStore implements vscode.Disposable {
  private current: LabelSchema | undefined;
  private pending: Promise<LabelSchema> | undefined;
  private readonly changed = new vscode.EventEmitter<LabelSchema>();
  /** Fires with the new schema after the server says it changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: LanguageClient) {
    this.subscription = onNotification(client, Notification.labelSchemaChanged, () => {
      this.pending = undefined;
      void this.schema(true).then((s) => this.changed.fire(s));
    });
  }

  /** The schema (fetched once, then on every change). Falls back to the standard labels if the server cannot answer. */
  schema(refresh = false): Promise<LabelSchema> {
    if (this.current && !refresh) return Promise.resolve(this.current);
    this.pending ??= sendRequest(this.client, Request.labelSchema, {}).then(
      (s) => (this.current = s),
      () => this.current ?? { source: 'settings', labels: DEFAULT_LABELS.map((name) => ({ name, color: { light: '#808080', dark: '#808080' } })), boilerplate: [], tags: [] },
    );
    const p = this.pending;
    void p.finally(() => {
      if (this.pending === p) this.pending = undefined;
    });
    return p;
  }

  /** The schema as last fetched (for synchronous callers such as decorations), if any. */
  get known(): LabelSchema | undefined {
    return this.current;
  }

  /** Labels in order (the keys 1–9 pick them by position). */
  async labels(): Promise<LabelDefinition[]> {
    return (await this.schema()).labels;
  }

  /**
   * Asks for a label: a quick pick listing each label with its number, key
   * and description (typing filters on all of them).
   */
  async pick(placeHolder: string, exclude?: string): Promise<string | undefined> {
    const labels = (await this.labels()).filter((l) => l.name !== exclude);
    const items: (vscode.QuickPickItem & { name: string })[] = labels.map((l, i) => ({
      name: l.name,
      label: l.name,
      description: [i < 9 ? `${i + 1}` : '', l.key ? vscode.l10n.t('key {0}', l.key) : '', l.parent ? vscode.l10n.t('under {0}', l.parent) : ''].filter(Boolean).join(' · '),
      detail: l.description,
    }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
    return picked?.name;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** A background colour from a schema colour: translucent unless the team gave an alpha (text must stay readable). */
export function backgroundOf(color: string, dark: boolean): string {
  const hex = color.length === 4 ? `#${color[1]}${color[1]}${color[2]}${color[2]}${color[3]}${color[3]}` : color;
  return hex.length === 9 ? hex : `${hex}${dark ? '55' : '38'}`;
}
