/**
 * The file-system side of working on a corpus, shared by the language server
 * and the CLI: finding text files, and loading a document with its anchored
 * annotations and review status.
 */
import { FileSelection } from '../core/text/glob';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { DocumentTags, ReviewStatus, SidecarAnnotation } from '../protocol';
import { isAnnotationFileName } from '../core/annotations/layers';
import { placeOnText } from '../core/annotations/placement';
import { decodeFileBytes, DEFAULT_MAX_BYTES, type InputProblem } from '../core/text/input';
import { reviewStatusOf } from '../core/corpus/review';
import { readSidecar } from './sidecarFiles';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test', 'annotations-export']);

/**
 * Text files under the given files/folders, sorted, skipping tool and hidden
 * folders and the annotator's own files (sidecars, annotator layers, kept
 * copies of damaged ones), whatever endings `extensions` lets in. With
 * `maxFiles`, the first files in sorted order are kept (the same ones on
 * every machine, whatever the order the file system lists them in). Folders
 * that cannot be read are reported through `onError`.
 *
 * Inside a folder, what its `.gitignore` files ignore is left out (a corpus
 * in git keeps its scratch and raw folders out of the index, as VS Code's
 * search does). Symbolic links are followed, each real folder once, so a
 * link back up the tree cannot loop and a linked folder is not read twice.
 *
 * `extensions`: file name endings, or a FileSelection (endings and globs to
 * include, globs to exclude: `workspace.include`, `workspace.exclude`, the
 * editor's `files.exclude`, with its conditional entries), matched against the
 * path relative to the input folder. Files named as inputs themselves are always listed.
 */
export function listTextFiles(
  inputs: string[],
  extensions: readonly string[] | FileSelection = ['.txt'],
  maxFiles = Infinity,
  onError?: (path: string, message: string) => void,
): string[] {
  const walk = walkTextFiles(inputs, extensions, maxFiles, onError);
  let step = walk.next();
  while (!step.done) step = walk.next(runSync(step.value));
  return step.value;
}

/**
 * listTextFiles without blocking: the same walk, its file-system calls made
 * asynchronously, so the language server keeps answering while a folder of
 * 100,000 articles is listed.
 */
export async function listTextFilesAsync(
  inputs: string[],
  extensions: readonly string[] | FileSelection = ['.txt'],
  maxFiles = Infinity,
  onError?: (path: string, message: string) => void,
): Promise<string[]> {
  const walk = walkTextFiles(inputs, extensions, maxFiles, onError);
  let step = walk.next();
  while (!step.done) step = walk.next(await runAsync(step.value));
  return step.value;
}

/** A file-system call the walk needs; a driver makes it (synchronously or not) and sends back its outcome. */
type FsCall = { op: 'stat' | 'realpath' | 'readdir' | 'readFile'; path: string };
type FsOutcome = { ok: true; value: fs.Stats | string | fs.Dirent[] } | { ok: false; error: NodeJS.ErrnoException };

function runSync(c: FsCall): FsOutcome {
  try {
    const value = c.op === 'stat' ? fs.statSync(c.path) : c.op === 'realpath' ? fs.realpathSync(c.path) : c.op === 'readdir' ? fs.readdirSync(c.path, { withFileTypes: true }) : fs.readFileSync(c.path, 'utf8');
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error as NodeJS.ErrnoException };
  }
}

async function runAsync(c: FsCall): Promise<FsOutcome> {
  try {
    const f = fs.promises;
    const value = c.op === 'stat' ? await f.stat(c.path) : c.op === 'realpath' ? await f.realpath(c.path) : c.op === 'readdir' ? await f.readdir(c.path, { withFileTypes: true }) : await f.readFile(c.path, 'utf8');
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error as NodeJS.ErrnoException };
  }
}

/** The walk of listTextFiles, written once: it yields the calls it needs and is handed their outcomes. */
function* walkTextFiles(
  inputs: string[],
  extensions: readonly string[] | FileSelection,
  maxFiles: number,
  onError?: (path: string, message: string) => void,
): Generator<FsCall, string[], FsOutcome> {
  const selection = extensions instanceof FileSelection ? extensions : new FileSelection(extensions);
  /** Listed path → real path (a file reached by two paths is listed once). */
  const out = new Map<string, { real: string; link: boolean }>();
  /** `rel`: the folder's path relative to the input folder it was reached from, slash-separated ('' for the input). */
  const stack: { dir: string; rel: string; rules: IgnoreRules[] }[] = [];
  const seen = new Set<string>();
  const realpath = function* (p: string): Generator<FsCall, string, FsOutcome> {
    const r = yield { op: 'realpath', path: p };
    return r.ok ? (r.value as string) : p;
  };
  for (const input of inputs) {
    const st = yield { op: 'stat', path: input };
    if (!st.ok) {
      onError?.(input, st.error.code === 'ENOENT' ? 'no such file or directory' : st.error.message);
      continue;
    }
    if ((st.value as fs.Stats).isDirectory()) stack.push({ dir: input, rel: '', rules: [] });
    else out.set(input, { real: yield* realpath(input), link: false });
  }
  while (stack.length) {
    const { dir, rel: dirRel, rules: above } = stack.pop()!;
    const r = yield { op: 'realpath', path: dir };
    const d = r.ok ? yield { op: 'readdir', path: dir } : r;
    if (!d.ok) {
      onError?.(dir, `folder cannot be read (${d.error.code ?? d.error.message}); its files are left out`);
      continue;
    }
    const real = (r as { value: string }).value;
    const entries = d.value as fs.Dirent[];
    if (seen.has(real)) continue;
    seen.add(real);
    let rules = above;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      const g = yield { op: 'readFile', path: path.join(dir, '.gitignore') };
      // An unreadable .gitignore has no rules.
      rules = [...above, { base: dir, ignore: ignore().add(g.ok ? (g.value as string) : '') }];
    }
    // files.exclude's conditional entries look at the other names of the folder (a.txt beside a.html).
    let names: Set<string> | undefined;
    const hasSibling = (name: string) => (names ??= new Set(entries.map((x) => x.name))).has(name);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      if (selection.hasSiblingConditions && selection.excludesBySibling(rel, hasSibling)) continue;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const t = yield { op: 'stat', path: p };
        if (!t.ok) continue; // a dangling link
        isDir = (t.value as fs.Stats).isDirectory();
        isFile = (t.value as fs.Stats).isFile();
      }
      if (isDir) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !selection.excludes(rel) && !ignoredBy(rules, p, true)) stack.push({ dir: p, rel, rules });
      } else if (isFile && selection.includes(rel) && !isAnnotationFileName(e.name) && !selection.excludes(rel) && !ignoredBy(rules, p, false)) {
        out.set(p, e.isSymbolicLink() ? { real: yield* realpath(p), link: true } : { real: path.join(real, e.name), link: false });
      }
    }
  }
  // A file reached through a link and directly is listed once, by its own path; through two links, by the first.
  const realSeen = new Set<string>();
  for (const { real, link } of out.values()) if (!link) realSeen.add(real);
  const sorted = [...out.keys()].sort().filter((p) => {
    const { real, link } = out.get(p)!;
    if (!link) return true;
    if (realSeen.has(real)) return false;
    realSeen.add(real);
    return true;
  });
  return sorted.length > maxFiles ? sorted.slice(0, maxFiles) : sorted;
}

/** The patterns of one `.gitignore`, relative to its folder. */
interface IgnoreRules {
  base: string;
  ignore: Ignore;
}

function ignoredBy(rules: readonly IgnoreRules[], p: string, isDir: boolean): boolean {
  for (const r of rules) {
    const rel = path.relative(r.base, p).split(path.sep).join('/');
    if (rel && !rel.startsWith('..') && r.ignore.ignores(isDir ? rel + '/' : rel)) return true;
  }
  return false;
}

export type ReadResult = { ok: true; text: string; hadBom: boolean } | { ok: false; problem: InputProblem | 'unreadable'; message: string };

/** Reads a text file under the same rules as an opened document. */
export function readTextFile(p: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(p);
  } catch (err) {
    return { ok: false, problem: 'unreadable', message: `Cannot read ${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  return decodeFileBytes(bytes, maxBytes);
}

export interface LoadedDocument {
  file: string;
  text: string;
  /** Stored annotations anchored to the current text; orphans excluded. */
  annotations: SidecarAnnotation[];
  orphans: number;
  sidecar: 'absent' | 'ok' | 'damaged' | 'newer';
  sidecarMessage?: string;
  /** The review status in the sidecar (`todo` when there is none). */
  review: ReviewStatus;
  /** The document's tags in the sidecar (empty when none). */
  tags: DocumentTags;
}

/** A document with the annotations of one layer: the adjudicated sidecar (`annotator` null or absent) or an annotator's. */
export function loadDocument(file: string, maxBytes = DEFAULT_MAX_BYTES, annotator: string | null = null): { ok: true; doc: LoadedDocument } | { ok: false; message: string } {
  const read = readTextFile(file, maxBytes);
  if (!read.ok) return { ok: false, message: read.message };
  const state = readSidecar(file, annotator ?? undefined);
  const doc: LoadedDocument = { file, text: read.text, annotations: [], orphans: 0, sidecar: state.status, review: 'todo', tags: {} };
  if (state.status === 'ok') {
    doc.review = reviewStatusOf(state.sidecar);
    doc.tags = state.sidecar.tags ?? {};
    const p = placeOnText(state.sidecar, read.text);
    doc.annotations = p.placed;
    doc.orphans = p.orphans.length;
  } else if (state.status === 'damaged' || state.status === 'newer') {
    doc.sidecarMessage = state.message;
  }
  return { ok: true, doc };
}
