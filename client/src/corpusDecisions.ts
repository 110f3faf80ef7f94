/**
 * Annotate All Mentions in the Workspace / Reject Everywhere: from a
 * selection or the suggestion under the cursor, the server finds every
 * mention of the name across the corpus (Arabic-normalised, proclitics left
 * outside, whole words); a preview lists each mention in its context, grouped
 * by file, all ticked, so the user can untick files or mentions; then the
 * chosen ones are written in one batch (one undo step), with progress.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { stoppedMessage } from './corpusCommands';
import {
  Command,
  Request,
  type ApplyMentionsArgs,
  type BatchResult,
  type FindMentionsResult,
  type FoundMention,
  type MentionRef,
} from '../../server/src/protocol';
import type { LabelSchemaStore } from './labels';
import { sendRequest } from './lsp';
import type { Review } from './review';
import { withStoppableProgress } from './stoppable';

export interface CorpusDecisionRequest {
  /** The name (default: the selection, else the suggestion under the cursor). */
  text?: string;
  /** Accept: the label (default: the suggestion's, else asked). */
  label?: string;
  /** Skip the preview and apply to every mention found (tests, scripts). */
  preview?: boolean;
  /** Drop mentions the preview would list (tests): keep only those in these files. */
  onlyUris?: string[];
}

interface MentionItem extends vscode.QuickPickItem {
  mention?: MentionRef;
}

export function registerCorpusDecisions(client: LanguageClient, review: Review, labels: LabelSchemaStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('newsAnnotator.annotateAllInWorkspace', (r?: CorpusDecisionRequest) => run('accept', r)),
    vscode.commands.registerCommand('newsAnnotator.rejectEverywhere', (r?: CorpusDecisionRequest) => run('reject', r)),
  ];

  async function run(action: ApplyMentionsArgs['action'], req: CorpusDecisionRequest = {}): Promise<BatchResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    let text = req.text;
    let label = req.label;
    if (!text && editor) {
      if (!editor.selection.isEmpty) text = editor.document.getText(editor.selection).trim();
      else {
        const s = review.current(editor);
        if (s && s.data.kind === 'entity') {
          text = s.data.text;
          label ??= s.data.label;
        }
      }
    }
    if (!text) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Select a name, or put the cursor on an entity suggestion, first.'));
      return undefined;
    }
    if (action === 'accept' && !label) {
      label = await labels.pick(vscode.l10n.t('Label for every mention of "{0}"', text));
      if (!label) return undefined;
    }
    const found = await withStoppableProgress(vscode.l10n.t('Finding every mention of "{0}" in the corpus…', text), (token) =>
      sendRequest(client, Request.findMentions, { text: text!, uri: editor ? client.code2ProtocolConverter.asUri(editor.document.uri) : undefined, label }, token),
    );
    if (!found || found.cancelled) return undefined;
    let chosen = candidates(found, action, label, req.onlyUris);
    if (!chosen.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No mention of "{0}" left to decide in the corpus ({1} found).', text, found.total));
      return undefined;
    }
    if (req.preview !== false) {
      const picked = await preview(found, chosen, action, label, text);
      if (!picked) return undefined;
      chosen = picked;
    }
    const args: ApplyMentionsArgs = { action, mentions: chosen, ...(label ? { label } : {}) };
    // Sent as a request of its own so that Cancel reaches the server, which stops at the next document.
    const result = await withStoppableProgress(vscode.l10n.t('Writing {0} decisions…', chosen.length), (token) =>
      client.sendRequest<BatchResult>('workspace/executeCommand', { command: Command.applyMentions, arguments: [args] }, token),
    );
    if (result?.cancelled) void vscode.window.showWarningMessage(stoppedMessage(result));
    else if (result) {
      const failed = result.failed?.length ? vscode.l10n.t(' {0} could not be written.', result.failed.length) : '';
      void vscode.window.showInformationMessage(
        (action === 'accept'
          ? vscode.l10n.t('Annotated {0} mentions of "{1}" as {2} in {3} documents.', result.annotations, text, label ?? '', result.documents)
          : vscode.l10n.t('Rejected {0} mentions of "{1}" in {2} documents.', result.annotations, text, result.documents)) + failed,
      );
    }
    return result;
  }
}

/** The mentions a decision would change: not already decided the same way. */
function candidates(found: FindMentionsResult, action: ApplyMentionsArgs['action'], label: string | undefined, onlyUris?: string[]): MentionRef[] {
  const out: MentionRef[] = [];
  for (const f of found.files) {
    if (onlyUris && !onlyUris.includes(f.uri)) continue;
    for (const m of f.mentions) if (!alreadyDecided(m, action, label)) out.push({ uri: f.uri, start: m.start, end: m.end, text: m.text });
  }
  return out;
}

function alreadyDecided(m: FoundMention, action: ApplyMentionsArgs['action'], label: string | undefined): boolean {
  if (!m.existing) return false;
  return action === 'accept' ? m.existing.status === 'accepted' && m.existing.label === label : m.existing.status === 'rejected';
}

/** A multi-select list: one separator per file, one ticked item per mention with its context. */
async function preview(found: FindMentionsResult, chosen: MentionRef[], action: ApplyMentionsArgs['action'], label: string | undefined, text: string): Promise<MentionRef[] | undefined> {
  const keep = new Set(chosen.map(key));
  const items: MentionItem[] = [];
  for (const f of found.files) {
    const mentions = f.mentions.filter((m) => keep.has(key({ uri: f.uri, ...m })));
    if (!mentions.length) continue;
    items.push({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)), kind: vscode.QuickPickItemKind.Separator });
    for (const m of mentions) {
      items.push({
        label: `\u2068${m.before.slice(-30)} «${m.text}» ${m.after.slice(0, 30)}\u2069`,
        description: vscode.l10n.t('line {0}', m.line + 1) + (m.existing ? ` · ${m.existing.status} ${m.existing.label ?? ''}` : ''),
        picked: true,
        mention: { uri: f.uri, start: m.start, end: m.end, text: m.text },
      });
    }
  }
  const files = new Set(chosen.map((m) => m.uri)).size;
  const picks = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    matchOnDescription: true,
    title:
      action === 'accept'
        ? vscode.l10n.t('Annotate {0} mentions of "{1}" as {2} in {3} files — untick what should not change', chosen.length, text, label ?? '', files)
        : vscode.l10n.t('Reject {0} mentions of "{1}" in {2} files — untick what should not change', chosen.length, text, files),
    placeHolder: vscode.l10n.t('Filter by file or context; Enter applies to the ticked mentions'),
  });
  if (!picks?.length) return undefined;
  return picks.map((p) => p.mention).filter((m): m is MentionRef => !!m);
}

function key(m: { uri: string; start: number; end: number }): string {
  return `${m.uri}#${m.start}:${m.end}`;
}
