/**
 * The file-system side of working on a corpus, shared by the language server
 * and the CLI: finding text files, loading a document with its anchored
 * annotations, and streaming an export to disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ConllScheme, type ExportFormat, type ExportResult, type SidecarAnnotation } from '../protocol';
import { isAnnotationFileName } from '../core/annotations/layers';
import { placeOnText } from '../core/annotations/placement';
import { suggest, type AnalysisOptions } from '../core/analyze';
import { createExporter, type ExportDocument } from '../core/export';
import { decodeFileBytes, DEFAULT_MAX_BYTES, type InputProblem } from '../core/text/input';
import { TextIndex } from '../core/text/offsets';
import { suggestionsAsAnnotations } from '../core/suggestionAnnotations';
import { readSidecar } from './sidecarFiles';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test', 'annotations-export']);

/**
 * Text files under the given files/folders, sorted, skipping tool and hidden
 * folders and the annotator's own files (sidecars, annotator layers, kept
 * copies of damaged ones), whatever endings `extensions` lets in.
 */
export function listTextFiles(inputs: string[], extensions: string[] = ['.txt'], maxFiles = Infinity): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch {
      continue;
    }
    if (st.isDirectory()) stack.push(input);
    else out.push(input);
  }
  while (stack.length && out.length < maxFiles) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(path.join(dir, e.name));
      } else if (e.isFile() && extensions.some((x) => e.name.endsWith(x)) && !isAnnotationFileName(e.name)) {
        out.push(path.join(dir, e.name));
        if (out.length >= maxFiles) break;
      }
    }
  }
  return out.sort();
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
}

export function loadDocument(file: string, maxBytes = DEFAULT_MAX_BYTES): { ok: true; doc: LoadedDocument } | { ok: false; message: string } {
  const read = readTextFile(file, maxBytes);
  if (!read.ok) return { ok: false, message: read.message };
  const state = readSidecar(file);
  const doc: LoadedDocument = { file, text: read.text, annotations: [], orphans: 0, sidecar: state.status };
  if (state.status === 'ok') {
    const p = placeOnText(state.sidecar, read.text);
    doc.annotations = p.placed;
    doc.orphans = p.orphans.length;
  } else if (state.status === 'damaged' || state.status === 'newer') {
    doc.sidecarMessage = state.message;
  }
  return { ok: true, doc };
}

export interface ExportOptions {
  outDir: string;
  /** Names in the export are relative to this folder. */
  root: string;
  scheme?: ConllScheme;
  /** Also export detector suggestions that the user has not decided on. */
  includeSuggestions?: boolean;
  analysis?: AnalysisOptions;
  maxBytes?: number;
  onProgress?: (done: number, total: number) => void;
  onSkip?: (file: string, message: string) => void;
}

/**
 * Exports documents one at a time, appending each chunk to its output file
 * as soon as it is produced, so memory stays flat on large corpora.
 */
export function exportFiles(files: string[], format: ExportFormat, opts: ExportOptions): ExportResult {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const exporter = createExporter(format, { scheme: opts.scheme });
  const written = new Set<string>();
  const write = (chunks: { path: string; content: string }[]): void => {
    for (const c of chunks) {
      const target = path.join(opts.outDir, c.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (written.has(target)) fs.appendFileSync(target, c.content);
      else {
        fs.writeFileSync(target, c.content);
        written.add(target);
      }
    }
  };
  let documents = 0;
  let annotations = 0;
  files.forEach((file, i) => {
    const loaded = loadDocument(file, opts.maxBytes);
    if (!loaded.ok) {
      opts.onSkip?.(file, loaded.message);
      return;
    }
    const doc = toExportDocument(loaded.doc, opts);
    documents++;
    annotations += doc.annotations.filter((a) => a.status === 'accepted').length;
    write(exporter.add(doc));
    opts.onProgress?.(i + 1, files.length);
  });
  write(exporter.finish());
  return { files: [...written].sort(), documents, annotations };
}

function toExportDocument(d: LoadedDocument, opts: ExportOptions): ExportDocument {
  const name = path.relative(opts.root, d.file).split(path.sep).join('/');
  let annotations = d.annotations;
  if (opts.includeSuggestions) {
    const index = new TextIndex(d.text);
    const pending = suggest(d.text, d.annotations, opts.analysis, index);
    annotations = [...annotations, ...suggestionsAsAnnotations(d.text, index, pending)];
  }
  return { name, text: d.text, annotations };
}
