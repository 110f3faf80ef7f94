/** The export command: one document or the whole workspace, in any supported format. */
import * as path from 'node:path';
import type { ExportArgs, ExportResult } from '../protocol';
import { isAnnotatorName } from '../core/annotations/layers';
import type { CancellationToken } from 'vscode-languageserver';
import { ExportRefused, exportFilesAsync } from '../host/export';
import { UserError } from './documents';
import { documentProgress } from './progress';
import type { ServerState } from './state';

/** Workspaces with an export running: a second one into the same folder would interleave its appends with the first's. */
const running = new WeakSet<ServerState>();

/**
 * Exports with a progress report in the editor (work done progress, counted in
 * documents), without holding the server: hovers, typing and quick fixes are answered
 * between documents while a whole-workspace export tags thousands of them. Cancelling
 * the request (or the progress) stops it at the next document.
 */
export async function runExportWithProgress(state: ServerState, args: ExportArgs, token?: CancellationToken): Promise<ExportResult> {
  if (running.has(state)) throw new UserError('An export is already running; wait for it to finish (or cancel it) before starting another.');
  running.add(state);
  // The progress is never refused (documentProgress goes on without one): nothing can throw before the try.
  const progress = await documentProgress(state, `Exporting annotations (${args.format})`, undefined, token);
  try {
    return await runExport(state, args, {
      onProgress: (done, total) => progress.step(done, total),
      isCancelled: () => progress.cancelled,
    });
  } finally {
    progress.end();
    running.delete(state);
  }
}

export async function runExport(state: ServerState, args: ExportArgs, control: { onProgress?: (done: number, total: number) => void; isCancelled?: () => boolean } = {}): Promise<ExportResult> {
  if (args.annotator !== undefined && !isAnnotatorName(args.annotator)) throw new UserError(`${JSON.stringify(args.annotator.slice(0, 50))} is not an annotator name (ASCII letters, digits, "_" and "-").`);
  // The layer the user works in, unless another is named.
  const annotator = args.annotator ?? state.workspace.layer;
  let files: string[];
  if (args.uri) {
    const doc = state.findDoc(args.uri);
    const p = doc?.path;
    if (!p) throw new UserError('Only documents saved on disk can be exported.');
    files = [p];
  } else {
    if (!state.folders.length) throw new UserError('Open a folder to export the whole workspace.');
    files = await state.workspace.listFilesAsync();
  }
  const root = rootFor(state, files[0]);
  const outDir = args.outDir ?? path.join(root, 'annotations-export', args.format);
  try {
    return await exportFilesAsync(
      files,
      args.format,
      {
        outDir,
        root,
        scheme: args.scheme,
        // Cleaned text without the detector's boilerplate would be the raw text: include suggestions there by default.
        includeSuggestions: args.includeSuggestions ?? args.format === 'text',
        analysisFor: (file) => state.workspace.analysisOptions(file),
        skipDamaged: args.skipDamaged,
        // Exporting one document is asking for it, even if it is tagged to be excluded.
        includeExcluded: args.includeExcluded ?? !!args.uri,
        tagDefinitions: state.workspace.labels.schema.tags,
        annotator,
        maxBytes: state.maxBytes,
        onProgress: control.onProgress,
      },
      state.folders.length ? state.folders : [root],
      { isCancelled: control.isCancelled },
    );
  } catch (err) {
    if (err instanceof ExportRefused) throw new UserError(`Export refused: ${err.message}`);
    throw err;
  }
}

function rootFor(state: ServerState, file: string | undefined): string {
  if (!file) return state.folders[0] ?? process.cwd();
  const folder = state.folders.find((f) => file.startsWith(f + path.sep));
  return folder ?? path.dirname(file);
}
