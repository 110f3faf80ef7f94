/**
 * Which workspace folders are corpora. The extension is opt-in, so that it never starts (nor
 * scans 20,000 files) in a folder nobody asked it to annotate, such as a repository with a
 * LICENSE.txt: a folder is a corpus when it holds the marker folder `.news-annotator/` (made by
 * Annotate This Folder) or any sidecar (`*.ann.json`: an annotated corpus someone shared). These
 * are the conditions of the `workspaceContains` activation events in package.json.
 */
import * as vscode from 'vscode';
import { CORPUS_MARKER_DIR, SIDECAR_SUFFIX } from '../../server/src/protocol';

/** Sidecars, and the per-annotator layers `article.txt.ann.<name>.json`. */
const SIDECAR_GLOBS = [`**/*${SIDECAR_SUFFIX}`, '**/*.ann.*.json'];

const MARKER_README = `# .news-annotator

This folder tells the News Corpus Annotator extension that the folder around it is a corpus of
news articles to annotate: VS Code starts the annotator here, and only here.

- Annotations are saved next to each article, as \`article.txt.ann.json\`.
- "Learn from Annotations" keeps the adapted entity tagger in this folder (\`adapted-model.json\`).
- Delete this folder (and the sidecars) to stop annotating the folder.
`;

export class CorpusFolders implements vscode.Disposable {
  private folders: vscode.WorkspaceFolder[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the set of corpus folders changed (a folder opted in, workspace folders changed). */
  readonly onDidChange = this.changed.event;
  private readonly subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh());

  get list(): readonly vscode.WorkspaceFolder[] {
    return this.folders;
  }

  /** The corpus folder a document belongs to, if any. */
  folderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder && this.folders.some((f) => f.uri.toString() === folder.uri.toString()) ? folder : undefined;
  }

  /** Looks at every workspace folder again; fires onDidChange if the set changed. */
  async refresh(): Promise<void> {
    const all = vscode.workspace.workspaceFolders ?? [];
    const found = (await Promise.all(all.map(async (f) => ((await isCorpus(f)) ? f : undefined)))).filter(
      (f): f is vscode.WorkspaceFolder => !!f,
    );
    const key = (fs: readonly vscode.WorkspaceFolder[]) => fs.map((f) => f.uri.toString()).join('\n');
    if (key(found) === key(this.folders)) return;
    this.folders = found;
    this.changed.fire();
  }

  /** Makes `folder` a corpus: creates its marker folder with a README. false if it was one already. */
  async optIn(folder: vscode.WorkspaceFolder): Promise<boolean> {
    const marker = vscode.Uri.joinPath(folder.uri, CORPUS_MARKER_DIR);
    const existed = await exists(marker);
    await vscode.workspace.fs.createDirectory(marker);
    const readme = vscode.Uri.joinPath(marker, 'README.md');
    if (!(await exists(readme))) await vscode.workspace.fs.writeFile(readme, new TextEncoder().encode(MARKER_README));
    await this.refresh();
    return !existed;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

async function isCorpus(folder: vscode.WorkspaceFolder): Promise<boolean> {
  // The server reads and writes files: only folders on the local file system can be corpora.
  if (folder.uri.scheme !== 'file') return false;
  if (await exists(vscode.Uri.joinPath(folder.uri, CORPUS_MARKER_DIR))) return true;
  for (const glob of SIDECAR_GLOBS) {
    if ((await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), undefined, 1)).length) return true;
  }
  return false;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Is this document a corpus document by its file name: `newsAnnotator.workspace.include` lists
 * file name endings (`.txt`) or glob patterns relative to the folder (`articles/**\/*.txt`),
 * and `newsAnnotator.workspace.exclude` globs leave files (or their folders) out, as the server does.
 */
export function matchesInclude(doc: vscode.TextDocument, folder: vscode.WorkspaceFolder): boolean {
  const config = vscode.workspace.getConfiguration('newsAnnotator', doc.uri);
  const include = config.get<string[]>('workspace.include') ?? ['.txt'];
  const exclude = config.get<string[]>('workspace.exclude') ?? [];
  const matches = (pattern: string): boolean => vscode.languages.match({ pattern: new vscode.RelativePattern(folder, pattern) }, doc) > 0;
  const included = include.some((entry) => (/[*?[{/]/.test(entry) ? matches(entry) : doc.uri.path.endsWith(entry)));
  // A folder pattern (`**/drafts`) leaves out what is under it.
  return included && !exclude.some((p) => typeof p === 'string' && (matches(p) || matches(`${p.replace(/\/+$/, '')}/**`)));
}
