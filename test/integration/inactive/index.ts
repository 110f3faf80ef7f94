/**
 * Integration suite in a folder that is not a corpus (scripts/integration/run.mjs, suite
 * "inactive"): a project with LICENSE.txt, requirements.txt and notes.txt, and one article under
 * articles/. Opening its .txt files must not start the extension (no server, no scan, no
 * squiggles, no language change); Annotate This Folder then opts the folder in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClientCommand, CORPUS_MARKER_DIR, DiagnosticCode, LANGUAGE_ID } from '../../../server/src/protocol';
import { assert, assertEqual, runAll, sleep, waitFor } from '../suite/harness';
import { codeOf, extension, ours, workspaceRoot } from '../suite/vscodeHelpers';

const UNRELATED = ['LICENSE.txt', 'requirements.txt', 'notes.txt'];
const opened: vscode.TextDocument[] = [];

const tests = [
  {
    name: 'opening unrelated .txt files does not activate the extension',
    fn: async () => {
      const ext = extension();
      assert(!ext.isActive, 'the extension was already active when the window opened');
      for (const name of UNRELATED) {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), name)));
        await vscode.window.showTextDocument(doc, { preview: false });
        opened.push(doc);
      }
      // Activation events fire as the documents open; give a wrongly activated extension time to show itself.
      await sleep(5000);
      assert(!ext.isActive, 'the extension activated in a folder that is not a corpus');
      for (const doc of opened) {
        assertEqual(doc.languageId, 'plaintext', `language of ${path.basename(doc.uri.fsPath)}`);
        assertEqual(ours(doc.uri).length, 0, `diagnostics on ${path.basename(doc.uri.fsPath)}`);
      }
      assert(!fs.existsSync(path.join(workspaceRoot(), CORPUS_MARKER_DIR)), 'a marker folder was created');
    },
  },
  {
    name: 'Annotate This Folder creates the marker, starts the annotator and serves the articles',
    fn: async () => {
      await vscode.commands.executeCommand(ClientCommand.annotateFolder);
      const ext = extension();
      assert(ext.isActive, 'the command did not activate the extension');
      assert(fs.existsSync(path.join(workspaceRoot(), CORPUS_MARKER_DIR, 'README.md')), 'no .news-annotator/README.md');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'articles', 'article.txt')));
      await vscode.window.showTextDocument(doc);
      await waitFor(() => doc.languageId === LANGUAGE_ID, () => `the article's language is ${doc.languageId}`, 15_000);
      await waitFor(
        () => ours(doc.uri).some((d) => codeOf(d) === DiagnosticCode.entity),
        () => `no entity suggestion on the article; diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(doc.uri).map((d) => d.message))}`,
        60_000,
      );
    },
  },
];

export async function run(): Promise<void> {
  await runAll(tests);
}
