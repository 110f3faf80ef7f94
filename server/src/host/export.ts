/**
 * Streaming an export to disk, shared by the CLI and the server, with the
 * guarantees a user's corpus needs:
 * - an export never writes over a source text, a sidecar or an annotator
 *   layer: an output folder that is, contains or lies inside an input folder
 *   is refused unless none of the files it would write can collide, and a
 *   symlink in the output folder is never written through;
 * - a document whose sidecar cannot be read is never exported as "no
 *   annotations": the export stops before writing anything, naming every such
 *   sidecar, unless the caller asks to skip them (then they are listed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ConllScheme, type ExportFormat, type ExportResult, type TagDefinition } from '../protocol';
import { isExcluded } from '../core/annotations/tags';
import { isAnnotationFileName } from '../core/annotations/layers';
import { suggest, type AnalysisOptions } from '../core/analyze';
import { createExporter, SINGLE_FILE_PATHS, type ExportDocument } from '../core/export';
import { bratBaseName } from '../core/export/brat';
import { suggestionsAsAnnotations } from '../core/suggestionAnnotations';
import { TextIndex } from '../core/text/offsets';
import { loadDocument, type LoadedDocument } from './corpus';
import { readSidecar, sidecarPath } from './sidecarFiles';
import { TimeSlices } from './timeSlices';

export interface ExportOptions {
  outDir: string;
  /** Names in the export are relative to this folder. */
  root: string;
  scheme?: ConllScheme;
  /** Also export detector suggestions that the user has not decided on. */
  includeSuggestions?: boolean;
  /** The detectors' options for a document (the Workspace's, so an export shows what the editor shows). */
  analysisFor?: (file: string) => AnalysisOptions;
  /** Export the other documents when some sidecars cannot be read, instead of refusing. */
  skipDamaged?: boolean;
  /** Also export documents tagged `exclude: true` (left out by default, and counted). */
  includeExcluded?: boolean;
  /** The declared document tags (spaCy lists every declared value in `cats`). */
  tagDefinitions?: readonly TagDefinition[];
  maxBytes?: number;
  onProgress?: (done: number, total: number) => void;
  /** A document left out: its text cannot be read, or (with skipDamaged) its sidecar cannot. */
  onSkip?: (file: string, message: string, why: 'text' | 'sidecar') => void;
  /** The layer exported: an annotator's (`article.txt.ann.<annotator>.json`), or the adjudicated sidecar (null, the default). */
  annotator?: string | null;
}

/** The export was refused before anything was written; `message` says why and what to do. */
export class ExportRefused extends Error {
  constructor(
    message: string,
    /** The damaged sidecars, when that is the reason. */
    readonly damaged: { file: string; reason: string }[] = [],
  ) {
    super(message);
    this.name = 'ExportRefused';
  }
}

/** Relative output paths a document yields in a format ('/'-separated), without running the exporter. */
export function plannedPaths(format: ExportFormat, name: string): string[] {
  const single = SINGLE_FILE_PATHS[format];
  if (single) return [single];
  if (format === 'brat') return [bratBaseName(name) + '.txt', bratBaseName(name) + '.ann'];
  return [name];
}


function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    // Not there yet: resolve the nearest existing parent, so a symlinked parent is still seen through.
    const parent = path.dirname(p);
    return parent === p ? p : path.join(real(parent), path.basename(p));
  }
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(b + path.sep) || b.startsWith(a + path.sep);
}

/**
 * Refuses an export that could write over the corpus. `inputs` are the folders
 * and files the documents come from.
 */
export function checkExportTarget(files: readonly string[], inputs: readonly string[], format: ExportFormat, opts: Pick<ExportOptions, 'outDir' | 'root'>): void {
  const out = real(path.resolve(opts.outDir));
  const inputDirs = inputs.map((i) => {
    const abs = real(path.resolve(i));
    return fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  });
  const overlapping = inputDirs.filter((d) => overlaps(out, d));
  if (!overlapping.length) return;
  const protectedFiles = new Set(files.map((f) => real(f)));
  for (const f of files) protectedFiles.add(sidecarPath(real(f)));
  const collisions: string[] = [];
  for (const f of files) {
    const name = path.relative(opts.root, f).split(path.sep).join('/');
    for (const rel of plannedPaths(format, name)) {
      const target = path.join(out, ...rel.split('/'));
      if (protectedFiles.has(target) || isAnnotationFileName(path.basename(target)) || (fs.existsSync(target) && protectedFiles.has(real(target)))) collisions.push(target);
    }
    if (collisions.length >= 3) break;
  }
  if (collisions.length) {
    throw new ExportRefused(
      `refusing to export ${format} into ${opts.outDir}: it overlaps the input folder ${overlapping[0]} and would overwrite ` +
        `${collisions.length === 1 ? 'a source file' : 'source files'} (${collisions.map((c) => path.relative(process.cwd(), c) || c).join(', ')}${collisions.length >= 3 ? ', …' : ''}). ` +
        'Choose an output folder outside the corpus.',
    );
  }
}

/** Sidecars (or the annotator's layers) that cannot be read among the documents (damaged, or written by a newer version). */
export function unreadableSidecars(files: readonly string[], annotator: string | null = null): { file: string; text: string; reason: string }[] {
  const out: DamagedSidecar[] = [];
  for (const f of files) {
    const d = unreadableSidecar(f, annotator);
    if (d) out.push(d);
  }
  return out;
}

/** The sidecar (or layer) of one document when it cannot be read, else undefined. */
function unreadableSidecar(file: string, annotator: string | null): DamagedSidecar | undefined {
  const st = readSidecar(file, annotator ?? undefined);
  return st.status === 'damaged' || st.status === 'newer' ? { file: sidecarPath(file, annotator ?? undefined), text: file, reason: st.message } : undefined;
}

/** A sidecar (or layer) that cannot be read: `file` the sidecar, `text` its document, `reason` why. */
export interface DamagedSidecar {
  file: string;
  text: string;
  reason: string;
}

/**
 * The checks before an export writes anything: the target must not overlap
 * the corpus, and a damaged sidecar (of the layer exported) stops the export
 * unless `skipDamaged` (then the damaged ones are returned, to be left out
 * and named). Throws ExportRefused.
 */
export function checkExport(files: readonly string[], format: ExportFormat, opts: Pick<ExportOptions, 'outDir' | 'root' | 'skipDamaged' | 'annotator'>, inputs: readonly string[]): DamagedSidecar[] {
  checkExportTarget(files, inputs, format, opts);
  return checkDamaged(files, !!opts.skipDamaged, opts.annotator ?? null);
}

/** The damaged sidecars of `annotator`'s layer (null: the adjudicated one) among the documents: refused (ExportRefused), or returned to be left out when `skipDamaged`. */
export function checkDamaged(files: readonly string[], skipDamaged: boolean, annotator: string | null = null): DamagedSidecar[] {
  return refuseDamaged(unreadableSidecars(files, annotator), skipDamaged);
}

function refuseDamaged(damaged: DamagedSidecar[], skipDamaged: boolean): DamagedSidecar[] {
  if (damaged.length && !skipDamaged) {
    throw new ExportRefused(
      `refusing to export: ${damaged.length} sidecar${damaged.length === 1 ? '' : 's'} cannot be read, and exporting ` +
        `${damaged.length === 1 ? 'its document' : 'their documents'} would silently drop ${damaged.length === 1 ? 'its' : 'their'} annotations: ` +
        damaged.map((d) => d.file).join(', ') +
        '. Fix or remove them, or export the other documents with --skip-damaged (server: skipDamaged).',
      damaged.map(({ file, reason }) => ({ file, reason })),
    );
  }
  return damaged;
}

/**
 * Writes an exporter's chunks into the output folder: a path's first chunk
 * creates (or truncates) its file, later ones append; never through a link.
 */
export class FolderWriter {
  private readonly written = new Set<string>();

  constructor(private readonly outDir: string) {
    try {
      fs.mkdirSync(outDir, { recursive: true });
    } catch (err) {
      throw new ExportRefused(`cannot create the output folder ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  write(chunks: { path: string; content: string }[]): void {
    for (const c of chunks) {
      const target = path.join(this.outDir, ...c.path.split('/'));
      if (!this.written.has(target)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // Never write through a link planted in the output folder (it could point into the corpus).
        const st = fs.lstatSync(target, { throwIfNoEntry: false });
        if (st && !st.isFile()) throw new ExportRefused(`refusing to write ${target}: it exists and is not a regular file (a link or a folder)`);
        fs.writeFileSync(target, c.content);
        this.written.add(target);
      } else fs.appendFileSync(target, c.content);
    }
  }

  /** The files written, sorted. */
  files(): string[] {
    return [...this.written].sort();
  }
}

/**
 * Exports documents one at a time, appending each chunk to its output file
 * as soon as it is produced, so memory stays flat on large corpora.
 * Throws ExportRefused (nothing written) when the target overlaps the corpus
 * or a sidecar is damaged and `skipDamaged` is not set.
 */
export function exportFiles(files: string[], format: ExportFormat, opts: ExportOptions, inputs: readonly string[] = [opts.root]): ExportResult {
  const steps = exportSteps(files, format, opts, inputs);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * exportFiles without holding the thread: after each `sliceMs` of work it gives way
 * to whatever else is waiting (the language server's hovers, typing and quick fixes;
 * a whole-workspace export with suggestions tags every document, minutes on a large
 * corpus). `isCancelled` is asked between documents: the export then stops, and
 * the result says `cancelled` (the files written so far hold the documents before).
 */
export async function exportFilesAsync(
  files: string[],
  format: ExportFormat,
  opts: ExportOptions,
  inputs: readonly string[] = [opts.root],
  control: { sliceMs?: number; isCancelled?: () => boolean } = {},
): Promise<ExportResult> {
  const slices = new TimeSlices(control.sliceMs);
  const steps = exportSteps(files, format, opts, inputs, control.isCancelled);
  let step = steps.next();
  while (!step.done) {
    await slices.pause();
    step = steps.next();
  }
  return step.value;
}

/** The export, written once: it yields after each document read, so a driver can pause between them. */
function* exportSteps(files: string[], format: ExportFormat, opts: ExportOptions, inputs: readonly string[], isCancelled?: () => boolean): Generator<void, ExportResult, void> {
  const annotator = opts.annotator ?? null;
  checkExportTarget(files, inputs, format, opts);
  const unreadable: DamagedSidecar[] = [];
  for (const f of files) {
    const d = unreadableSidecar(f, annotator);
    if (d) unreadable.push(d);
    yield;
    if (isCancelled?.()) return { files: [], documents: 0, annotations: 0, cancelled: true };
  }
  const damaged = refuseDamaged(unreadable, !!opts.skipDamaged);
  const skippedDamaged = new Map(damaged.map((d) => [d.text, d.reason]));
  const out = new FolderWriter(opts.outDir);
  const exporter = createExporter(format, { scheme: opts.scheme, tagDefinitions: opts.tagDefinitions });
  const skipped: { file: string; reason: string }[] = damaged.map(({ file, reason }) => ({ file, reason }));
  let documents = 0;
  let annotations = 0;
  let excluded = 0;
  let cancelled = false;
  for (let i = 0; i < files.length; i++) {
    if (i > 0) {
      yield;
      if (isCancelled?.()) {
        cancelled = true;
        break;
      }
    }
    const file = files[i];
    if (skippedDamaged.has(file)) {
      opts.onSkip?.(file, `left out: ${skippedDamaged.get(file) ?? 'its sidecar cannot be read'}`, 'sidecar');
      continue;
    }
    const loaded = loadDocument(file, opts.maxBytes, annotator);
    if (!loaded.ok) {
      skipped.push({ file, reason: loaded.message });
      opts.onSkip?.(file, loaded.message, 'text');
      continue;
    }
    // A document the team tagged `exclude: true` stays out unless the export is asked to include it.
    if (!opts.includeExcluded && isExcluded(loaded.doc.tags)) {
      excluded++;
      opts.onProgress?.(i + 1, files.length);
      continue;
    }
    const doc = toExportDocument(loaded.doc, opts);
    documents++;
    annotations += doc.annotations.filter((a) => a.status === 'accepted').length;
    out.write(exporter.add(doc));
    opts.onProgress?.(i + 1, files.length);
  }
  // A cancelled export still closes its files (a JSON array, a spaCy file): what they hold is readable.
  out.write(exporter.finish());
  return { files: out.files(), documents, annotations, ...(excluded ? { excluded } : {}), ...(skipped.length ? { skipped } : {}), ...(cancelled ? { cancelled: true as const } : {}) };
}

function toExportDocument(d: LoadedDocument, opts: ExportOptions): ExportDocument {
  const name = path.relative(opts.root, d.file).split(path.sep).join('/');
  let annotations = d.annotations;
  if (opts.includeSuggestions) {
    const index = new TextIndex(d.text);
    const pending = suggest(d.text, d.annotations, opts.analysisFor?.(d.file), index);
    annotations = [...annotations, ...suggestionsAsAnnotations(d.text, index, pending)];
  }
  return { name, text: d.text, annotations, ...(Object.keys(d.tags).length ? { tags: d.tags } : {}) };
}
