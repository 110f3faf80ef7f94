/**
 * Document tags in the editor: Set Document Tags (pick a tag the schema
 * declares, then its value: a list, a multi-select, yes/no or a text), and a
 * tag filter shared by the Review Queue and the Entities view. Every change
 * is the server's `setTags` command, the one the annotation view uses too.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClientCommand, Command, Request, type DocumentTags, type SetTagsArgs, type TagDefinition, type TagFilter, type TagValue } from '../../server/src/protocol';
import type { LabelSchemaStore } from './labels';
import { sendRequest } from './lsp';

/** The filter both tree views apply; they refresh when it changes. */
export class TagFilterState implements vscode.Disposable {
  private value: TagFilter | undefined;
  private readonly changed = new vscode.EventEmitter<TagFilter | undefined>();
  readonly onDidChange = this.changed.event;

  get filter(): TagFilter | undefined {
    return this.value;
  }

  set(filter: TagFilter | undefined): void {
    this.value = filter && Object.keys(filter).length ? filter : undefined;
    void vscode.commands.executeCommand('setContext', 'newsAnnotator.tagFilter', !!this.value);
    this.changed.fire(this.value);
  }

  /** `genre=news · exclude`, for a view's description. */
  describe(): string {
    return Object.entries(this.value ?? {})
      .map(([k, v]) => (v === true ? k : v === false ? `!${k}` : `${k}=${v}`))
      .join(' · ');
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface SetTagsRequest {
  /** The document (default: the active editor's). */
  uri?: string;
  /** The tags to set (null removes one); without it the user is asked. */
  tags?: Record<string, TagValue | null>;
}

export function registerDocumentTags(client: LanguageClient, labels: LabelSchemaStore, filter: TagFilterState): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ClientCommand.setDocumentTags, (r?: SetTagsRequest) => setTags(r)),
    vscode.commands.registerCommand(ClientCommand.filterByTag, (f?: TagFilter) => pickFilter(f)),
    vscode.commands.registerCommand(ClientCommand.clearTagFilter, () => filter.set(undefined)),
  ];

  async function setTags(r: SetTagsRequest = {}): Promise<DocumentTags | undefined> {
    const editor = vscode.window.activeTextEditor;
    const uri = r.uri ?? (editor ? client.code2ProtocolConverter.asUri(editor.document.uri) : undefined);
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an article to tag first.'));
      return undefined;
    }
    const update = r.tags ?? (await ask(uri));
    if (!update) return undefined;
    return vscode.commands.executeCommand<DocumentTags>(Command.setTags, { uri, tags: update } satisfies SetTagsArgs);
  }

  /** Asks which tag, then its value. */
  async function ask(uri: string): Promise<Record<string, TagValue | null> | undefined> {
    const schema = await labels.schema();
    const current = (await currentTags(uri)) ?? {};
    const tag = await vscode.window.showQuickPick(
      schema.tags.map((t) => ({ label: t.name, description: show(current[t.name]) || vscode.l10n.t('not set'), detail: t.description, def: t })),
      { placeHolder: vscode.l10n.t('Which document tag? (declare tags in .news-annotator/labels.json)'), matchOnDetail: true },
    );
    if (!tag) return undefined;
    const value = await askValue(tag.def, current[tag.def.name]);
    return value === undefined ? undefined : { [tag.def.name]: value };
  }

  async function currentTags(uri: string): Promise<DocumentTags | undefined> {
    try {
      return (await sendRequest(client, Request.documentAnnotations, { uri }))?.tags;
    } catch {
      return undefined;
    }
  }

  async function pickFilter(given?: TagFilter): Promise<TagFilter | undefined> {
    if (given) {
      filter.set(given);
      return filter.filter;
    }
    const schema = await labels.schema();
    const items: (vscode.QuickPickItem & { filter?: TagFilter })[] = [];
    for (const t of schema.tags) {
      if (t.type === 'boolean') {
        items.push({ label: t.name, description: vscode.l10n.t('is set'), filter: { [t.name]: true } });
        items.push({ label: `!${t.name}`, description: vscode.l10n.t('is not set'), filter: { [t.name]: false } });
      } else for (const v of t.values) items.push({ label: `${t.name}=${v.name}`, description: v.description, filter: { [t.name]: v.name } });
    }
    if (filter.filter) items.unshift({ label: vscode.l10n.t('$(close) Clear the filter ({0})', filter.describe()) });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Show only the documents with this tag (Review Queue, Entities)') });
    if (!picked) return undefined;
    filter.set(picked.filter);
    return filter.filter;
  }
}

function show(v: TagValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? vscode.l10n.t('yes') : vscode.l10n.t('no');
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The new value of one tag: undefined when the user cancels, null to remove it. */
async function askValue(def: TagDefinition, current: TagValue | undefined): Promise<TagValue | null | undefined> {
  switch (def.type) {
    case 'boolean': {
      const yes = vscode.l10n.t('yes');
      const no = vscode.l10n.t('no');
      const pick = await vscode.window.showQuickPick([yes, no], { placeHolder: def.description ? vscode.l10n.t('Tag {0}: {1}', def.name, def.description) : def.name });
      return pick === undefined ? undefined : pick === yes;
    }
    case 'text': {
      const text = await vscode.window.showInputBox({ prompt: def.description ?? def.name, value: typeof current === 'string' ? current : '', placeHolder: vscode.l10n.t('empty removes the tag') });
      return text === undefined ? undefined : text.trim() ? text : null;
    }
    case 'single': {
      const none = vscode.l10n.t('(remove the tag)');
      const pick = await vscode.window.showQuickPick([...def.values.map((v) => ({ label: v.name, description: v.name === current ? vscode.l10n.t('current') : undefined, detail: v.description })), { label: none }], { placeHolder: def.description ?? def.name });
      return pick === undefined ? undefined : pick.label === none ? null : pick.label;
    }
    case 'multiple': {
      const had = Array.isArray(current) ? current : typeof current === 'string' ? [current] : [];
      const picks = await vscode.window.showQuickPick(
        def.values.map((v) => ({ label: v.name, detail: v.description, picked: had.includes(v.name) })),
        { canPickMany: true, placeHolder: def.description ?? def.name },
      );
      return picks === undefined ? undefined : picks.map((p) => p.label);
    }
  }
}
