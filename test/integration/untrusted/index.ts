/**
 * Integration suite in Restricted Mode: workspace trust is on and the fixture corpus is not
 * trusted (scripts/integration/run.mjs, suite "untrusted"). The workspace plants what would make
 * the server load something from it: a tagger model that finds nothing, as the adapted model
 * (.news-annotator/adapted-model.json) and as entities.modelPath in .vscode/settings.json, and a
 * cue pattern in boilerplate.extraCues. The extension must run (limited) and use none of them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DiagnosticCode, LANGUAGE_ID } from '../../../server/src/protocol';
import { assert, assertEqual, runAll, waitFor } from '../suite/harness';
import { codeOf, dataOf, extension, ours, workspaceRoot } from '../suite/vscodeHelpers';

const ARTICLE = '001_pakistan_iran_followup.txt';
/** The made-up word of the planted cue pattern (run.mjs appends a line holding it to the article). */
const CUE = 'زوربلاكس';

const tests = [
  {
    name: 'the folder is in Restricted Mode and the extension runs there (limited support)',
    fn: async () => {
      assertEqual(vscode.workspace.isTrusted, false, 'vscode.workspace.isTrusted');
      const ext = extension();
      await waitFor(() => ext.isActive, () => 'the extension did not activate in the untrusted corpus folder', 30_000);
      const api = ext.exports as { session?: unknown };
      await waitFor(() => api.session, () => 'the language server did not start', 30_000);
    },
  },
  {
    name: "VS Code withholds the workspace's values of the restricted settings",
    fn: async () => {
      const config = vscode.workspace.getConfiguration('newsAnnotator');
      // The same settings file sets an unrestricted setting too: it is read, the restricted ones are not.
      assertEqual(config.get('entities.minConfidence'), 0.55, 'the unrestricted workspace setting');
      assertEqual(config.get('entities.modelPath'), null, 'entities.modelPath as the extension reads it');
      assertEqual(JSON.stringify(config.get('boilerplate.extraCues')), '{}', 'boilerplate.extraCues as the extension reads it');
    },
  },
  {
    name: 'suggestions come from the shipped tagger: no model is loaded from the workspace, no cue pattern taken from it',
    fn: async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), ARTICLE)));
      await vscode.window.showTextDocument(doc);
      await waitFor(() => doc.languageId === LANGUAGE_ID, () => `the article's language is ${doc.languageId}`, 15_000);
      const tagged = await waitFor(
        () => {
          const d = ours(doc.uri);
          const fromTagger = d.filter((x) => codeOf(x) === DiagnosticCode.entity && /tagger/.test(dataOf<{ source: string }>(x)?.source ?? ''));
          return fromTagger.length && d.some((x) => codeOf(x) === DiagnosticCode.boilerplate) ? fromTagger : undefined;
        },
        () => `entity suggestions of the shipped tagger and boilerplate; got ${JSON.stringify(ours(doc.uri).map((d) => [codeOf(d), dataOf(d)]))}`,
        60_000,
      );
      assert(tagged.length >= 3, `only ${tagged.length} tagger suggestions`);
      const byCue = ours(doc.uri).filter((x) => codeOf(x) === DiagnosticCode.boilerplate && (dataOf<{ reason: string }>(x)?.reason ?? '').includes(CUE));
      assertEqual(byCue.length, 0, 'boilerplate flagged by the planted cue pattern');
    },
  },
];

export async function run(): Promise<void> {
  await runAll(tests);
}
