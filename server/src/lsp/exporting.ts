/** The export command: one document or the whole workspace, in any supported format. */
import * as path from 'node:path';
import type { ExportArgs, ExportResult } from '../protocol';
import { isAnnotatorName } from '../core/annotations/layers';
import { ExportRefused, exportFiles } from '../host/export';
import { UserError } from './documents';
import type { ServerState } from './state';

/** Exports with a progress report in the editor (work done progress), one step per document. */
export async function runExportWithProgress(state: ServerState, args: ExportArgs): Promise<ExportResult> {
  const progress = await state.connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin(`Exporting annotations (${args.format})`, 0, undefined, false);
  try {
    return runExport(state, args, (done, total) => progress?.report(Math.round((done / total) * 100), `${done} / ${total} documents`));
  } finally {
    progress?.done();
  }
}

export function runExport(state: ServerState, args: ExportArgs, onProgress?: (done: number, total: number) => void): ExportResult {
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
    files = state.workspace.listFiles();
  }
  const root = rootFor(state, files[0]);
  const outDir = args.outDir ?? path.join(root, 'annotations-export', args.format);
  try {
    return exportFiles(
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
        annotator,
        maxBytes: state.maxBytes,
        onProgress,
      },
      state.folders.length ? state.folders : [root],
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
