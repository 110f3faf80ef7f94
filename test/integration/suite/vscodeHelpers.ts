/** Small helpers shared by the integration suites: the extension under test and our diagnostics. */
import * as vscode from 'vscode';
import { PRODUCT_NAME } from '../../../server/src/protocol';
import { assert } from './harness';

export const EXTENSION_ID = 'news-corpus-annotator.news-corpus-annotator';

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert(ext, `extension ${EXTENSION_ID} is not installed in the test instance`);
  return ext;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

/** `data` as the language client keeps it on the diagnostic (vscode-languageclient's ProtocolDiagnostic). */
export function dataOf<T = Record<string, unknown>>(d: vscode.Diagnostic): T | undefined {
  return (d as vscode.Diagnostic & { data?: T }).data;
}

/** The diagnostics this extension reports for a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === PRODUCT_NAME);
}
