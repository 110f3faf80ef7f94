/**
 * Commands around the team's label schema: Open Annotation Guidelines (the
 * Markdown file labels.json names, previewed beside the document) and Migrate
 * Renamed Labels (a preview of every rename with its counts, then one
 * undoable batch on the server).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClientCommand, Command, LABEL_SCHEMA_PATH, Request, type BatchResult, type LabelRename, type MigrateLabelsArgs } from '../../server/src/protocol';
import type { LabelSchemaStore } from './labels';
import { sendRequest } from './lsp';

export interface MigrateRequest {
  /** The renames to apply (default: those the schema declares, after a preview). */
  renames?: LabelRename[];
  /** false: apply without the preview (tests, scripts). */
  preview?: boolean;
}

export function registerLabelSchemaCommands(client: LanguageClient, labels: LabelSchemaStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ClientCommand.openGuidelines, () => openGuidelines()),
    vscode.commands.registerCommand(ClientCommand.migrateLabels, (r?: MigrateRequest) => migrate(r)),
  ];

  async function openGuidelines(): Promise<vscode.Uri | undefined> {
    const schema = await labels.schema(true);
    if (!schema.guidelines) {
      const open = vscode.l10n.t('Open labels.json');
      const folder = vscode.workspace.workspaceFolders?.[0];
      const pick = await vscode.window.showInformationMessage(vscode.l10n.t('No annotation guidelines: name a Markdown file in {0} ("guidelines": "GUIDELINES.md").', LABEL_SCHEMA_PATH), ...(folder ? [open] : []));
      if (pick === open && folder) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, ...LABEL_SCHEMA_PATH.split('/')));
      return undefined;
    }
    const uri = vscode.Uri.file(schema.guidelines);
    try {
      // The built-in Markdown preview, beside the article; a plain editor where it is not available.
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }
    return uri;
  }

  async function migrate(r: MigrateRequest = {}): Promise<BatchResult | undefined> {
    let renames = r.renames;
    if (r.preview !== false) {
      const preview = await sendRequest(client, Request.labelMigration, renames ? { renames } : {});
      const items: (vscode.QuickPickItem & { rename?: LabelRename })[] = preview.renames.map((x) => ({
        label: `${x.from} → ${x.to}`,
        description: vscode.l10n.t('{0} annotations in {1} documents', x.annotations, x.documents),
        picked: x.annotations > 0,
        rename: { kind: x.kind, from: x.from, to: x.to },
      }));
      if (preview.unknown.length) {
        items.push({ label: vscode.l10n.t('Not in the schema (declare them, or add them to a label\'s "renamedFrom")'), kind: vscode.QuickPickItemKind.Separator });
        for (const u of preview.unknown) items.push({ label: `$(warning) ${u.name}`, description: vscode.l10n.t('{0} annotations in {1} documents', u.annotations, u.documents) });
      }
      if (!preview.renames.some((x) => x.annotations > 0)) {
        const unknown = preview.unknown.map((u) => u.name).join(', ');
        void vscode.window.showInformationMessage(
          unknown
            ? vscode.l10n.t('Nothing to migrate. Names in the sidecars that labels.json does not declare: {0}. Add them to a label\'s "renamedFrom" to rename them.', unknown)
            : vscode.l10n.t('Nothing to migrate: no sidecar uses a former label name.'),
        );
        return undefined;
      }
      const picks = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: vscode.l10n.t('Migrate renamed labels in every sidecar (one undoable step) — untick what should stay'),
      });
      if (!picks?.length) return undefined;
      renames = picks.map((p) => p.rename).filter((x): x is LabelRename => !!x);
      if (!renames.length) return undefined;
    }
    if (!renames?.length) renames = (await sendRequest(client, Request.labelMigration, {})).renames.map((x) => ({ kind: x.kind, from: x.from, to: x.to }));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Renaming labels in the sidecars…') },
      () => vscode.commands.executeCommand<BatchResult>(Command.migrateLabels, { renames: renames! } satisfies MigrateLabelsArgs),
    );
    if (result) {
      const failed = result.failed?.length ? vscode.l10n.t(' {0} documents could not be written.', result.failed.length) : '';
      void vscode.window.showInformationMessage(vscode.l10n.t('Renamed {0} annotations in {1} documents (Undo Annotation reverts it).', result.annotations, result.documents) + failed);
    }
    return result;
  }
}
