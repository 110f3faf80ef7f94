/**
 * The team's label schema as the server serves it: `.news-annotator/labels.json`
 * is read at start-up and whenever it changes on disk (the schema in force
 * follows the saved file, as the CLI does), and while it is open in an
 * editor its problems are published on the file itself as the user types.
 * A schema that changes refreshes every open document and tells the client,
 * which re-reads labels, colours and keys.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LABEL_SCHEMA_PATH, Notification, PRODUCT_NAME } from '../protocol';
import { resolveLabelSchema, type SchemaProblem } from '../core/labels/schema';
import { TextIndex } from '../core/text/offsets';
import { pathToUri, uriToPath } from './convert';
import { REFINE_AFTER_SCAN } from './queue';
import type { ServerState } from './state';

/** `Diagnostic.code` of a problem in labels.json. */
export const SCHEMA_DIAGNOSTIC_CODE = 'label-schema';

/** Is this document a label schema (`<folder>/.news-annotator/labels.json`)? */
export function isLabelSchemaUri(uri: string): boolean {
  const p = uriToPath(uri);
  return !!p && p.split(path.sep).join('/').endsWith('/' + LABEL_SCHEMA_PATH);
}

/** Is it the one in force (in the first workspace folder)? Others are checked but not used. */
function inForce(state: ServerState, uri: string): boolean {
  const p = uriToPath(uri);
  return !!p && p === state.workspace.labelSchemaPath();
}

export function openSchemaDocument(state: ServerState, uri: string, text: string, version: number): void {
  state.schemaBuffers.set(uri, TextDocument.create(uri, 'json', version, text));
  publish(state, uri);
}

export function changeSchemaDocument(state: ServerState, uri: string, changes: TextDocumentContentChangeEvent[], version: number): void {
  const doc = state.schemaBuffers.get(uri);
  if (!doc) return;
  state.schemaBuffers.set(uri, TextDocument.update(doc, changes, version));
  publish(state, uri);
}

export function closeSchemaDocument(state: ServerState, uri: string): void {
  state.schemaBuffers.delete(uri);
  // What is on disk is what counts once the buffer is gone.
  if (inForce(state, uri)) publish(state, uri);
  else state.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
}

/**
 * Reads the schema in force again from disk (start-up, the file changed or
 * was saved, settings changed); when it changed, every open document is
 * refreshed and the client is told.
 */
export function reloadLabelSchema(state: ServerState, force = false): boolean {
  const analysisBefore = state.workspace.analysisKey();
  const suggestionsBefore = state.workspace.suggestionsKey();
  const changed = state.workspace.loadLabelSchema();
  const file = state.workspace.labelSchemaPath();
  if (file) publish(state, pathToUri(file));
  if (changed || force) {
    state.refreshAll();
    state.connection.sendNotification(Notification.labelSchemaChanged.method, {}).catch(() => undefined);
  }
  // After start-up (`force`: the first scan reads with it anyway): other labels are another analysis. The
  // corpus' summaries hold the names found with the labels before, so it is read again, as a restart would;
  // otherwise the queue's exact figures are refined with the schema now in force.
  if (!force && state.workspace.analysisKey() !== analysisBefore) void state.rescan();
  else if (!force && state.workspace.suggestionsKey() !== suggestionsBefore) state.queue.changed(REFINE_AFTER_SCAN);
  return changed;
}

/** Publishes the problems of a labels.json: of the open buffer if there is one, else of the file as last read. */
function publish(state: ServerState, uri: string): void {
  const buffer = state.schemaBuffers.get(uri);
  let text: string | undefined;
  let problems: SchemaProblem[];
  let unreadable: string | undefined;
  if (buffer) {
    text = buffer.getText();
    problems = resolveLabelSchema(text, state.workspace.settings.labels).problems;
    // A missing guidelines file is only known from the workspace's reading of the saved file.
    if (inForce(state, uri) && state.workspace.labels.text === text) problems = state.workspace.labels.problems;
  } else if (inForce(state, uri)) {
    text = state.workspace.labels.text;
    problems = state.workspace.labels.problems;
    unreadable = state.workspace.labels.unreadable;
  } else {
    text = undefined;
    problems = [];
  }
  const index = new TextIndex(text ?? '');
  const diagnostics: Diagnostic[] = problems.map((p) => ({
    range: { start: index.positionAt(p.start), end: index.positionAt(p.end) },
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: PRODUCT_NAME,
    code: SCHEMA_DIAGNOSTIC_CODE,
    message: p.message,
  }));
  if (unreadable) diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: PRODUCT_NAME, code: SCHEMA_DIAGNOSTIC_CODE, message: unreadable });
  // An empty list clears what an earlier version of the file had.
  state.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
}
