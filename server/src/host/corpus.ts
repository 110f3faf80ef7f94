/**
 * The file-system side of working on a corpus, shared by the language server
 * and the CLI: finding text files, and loading a document with its anchored
 * annotations and review status.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReviewStatus, SidecarAnnotation } from '../protocol';
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
 */
export function listTextFiles(
  inputs: string[],
  extensions: string[] = ['.txt'],
  maxFiles = Infinity,
  onError?: (path: string, message: string) => void,
): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (err) {
      onError?.(input, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message);
      continue;
    }
    if (st.isDirectory()) stack.push(input);
    else out.push(input);
  }
  while (stack.length) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      onError?.(dir, `folder cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); its files are left out`);
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(path.join(dir, e.name));
      } else if (e.isFile() && extensions.some((x) => e.name.endsWith(x)) && !isAnnotationFileName(e.name)) {
        out.push(path.join(dir, e.name));
      }
    }
  }
  out.sort();
  return out.length > maxFiles ? out.slice(0, maxFiles) : out;
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
}

/** A document with the annotations of one layer: the adjudicated sidecar (`annotator` null or absent) or an annotator's. */
export function loadDocument(file: string, maxBytes = DEFAULT_MAX_BYTES, annotator: string | null = null): { ok: true; doc: LoadedDocument } | { ok: false; message: string } {
  const read = readTextFile(file, maxBytes);
  if (!read.ok) return { ok: false, message: read.message };
  const state = readSidecar(file, annotator ?? undefined);
  const doc: LoadedDocument = { file, text: read.text, annotations: [], orphans: 0, sidecar: state.status, review: 'todo' };
  if (state.status === 'ok') {
    doc.review = reviewStatusOf(state.sidecar);
    const p = placeOnText(state.sidecar, read.text);
    doc.annotations = p.placed;
    doc.orphans = p.orphans.length;
  } else if (state.status === 'damaged' || state.status === 'newer') {
    doc.sidecarMessage = state.message;
  }
  return { ok: true, doc };
}
