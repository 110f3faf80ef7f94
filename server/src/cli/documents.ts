/**
 * The documents of a CLI run, cut into parts that can be read on their own,
 * by this process or by another (`--jobs`): a list of text files (with their
 * sidecars), or a byte range of a JSON Lines file. A part is plain data, so
 * it travels to a worker process as JSON; every pass reads a part's
 * documents again from the disk, one at a time.
 */
import * as fs from 'node:fs';
import type { DocumentTags, ReviewStatus, SidecarAnnotation } from '../protocol';
import { loadDocument } from '../host/corpus';
import { parseRecord, planRanges, readLines, type ByteRange } from '../host/jsonl';

/** A text file of the corpus. */
export interface PartFile {
  path: string;
  /** How messages and `annotate` name it (the path as listed, or `-` for standard input). */
  shown: string;
  /** Its name in an export: relative to the common root, '/'-separated. */
  name: string;
  /** Left out of an export, with this reason (a damaged sidecar and --skip-damaged). */
  skip?: string;
}

export type Part = { kind: 'files'; files: PartFile[] } | { kind: 'jsonl'; file: string; shown: string; range: ByteRange };

export interface CorpusDocument {
  /** The corpus memory's key: unique within a run and the same in every pass. */
  key: string;
  /** Increasing within a part (file index, line number): joins the passes' records of one document. */
  position: number;
  /** How messages name it: a file path, or `input:line`. */
  shown: string;
  /** The record's `id` (JSON Lines). */
  id?: string | number;
  /** Its name in an export (file mode). */
  name: string;
  text: string;
  /** Decisions placed on the text (sidecar, or the record's `annotations`). */
  annotations: SidecarAnnotation[];
  review: ReviewStatus;
  /** The document's tags in its sidecar (empty: none; JSON Lines records carry none). */
  tags: DocumentTags;
  /** Warnings about it that do not stop it being processed (an ignored sidecar, annotations that could not be placed). */
  notes: string[];
}

export type PartItem =
  | { ok: true; doc: CorpusDocument }
  /** `skipped`: left out on purpose (export --skip-damaged), not a failure. */
  | { ok: false; position: number; shown: string; reason: string; skipped?: boolean };

/**
 * The documents of a part in order; a document that cannot be read is an
 * item with its message. `honourSkips: false` reads the files an export
 * leaves out too (they still count in the corpus statistics). `layer`: the
 * sidecars read with the files (an annotator's, or null: the adjudicated ones).
 */
export async function* partDocuments(part: Part, maxBytes: number, { honourSkips = true, layer = null as string | null } = {}): AsyncGenerator<PartItem> {
  if (part.kind === 'files') {
    for (let i = 0; i < part.files.length; i++) {
      const f = part.files[i];
      if (f.skip && honourSkips) {
        yield { ok: false, position: i, shown: f.shown, reason: f.skip, skipped: true };
        continue;
      }
      const r = loadDocument(f.path, maxBytes, layer);
      if (!r.ok) {
        yield { ok: false, position: i, shown: f.shown, reason: r.message };
        continue;
      }
      const d = r.doc;
      const notes = d.sidecarMessage ? [`${f.shown}: sidecar ignored: ${d.sidecarMessage}`] : [];
      yield { ok: true, doc: { key: f.path, position: i, shown: f.shown, name: f.name, text: d.text, annotations: d.annotations, review: d.review, tags: d.tags, notes } };
    }
    return;
  }
  for await (const l of readLines(part.file, part.range)) {
    const where = `${part.shown}:${l.line}`;
    if ('error' in l) {
      yield { ok: false, position: l.line, shown: where, reason: l.error };
      continue;
    }
    if (l.text.trim() === '') continue;
    const r = parseRecord(l.text, maxBytes);
    if (!r.ok) {
      yield { ok: false, position: l.line, shown: where, reason: r.message };
      continue;
    }
    const { id, text, annotations, orphans } = r.record;
    const notes = orphans.length
      ? [`${where}: record ${JSON.stringify(id)}: ${orphans.length} annotation(s) could not be placed on the text and were left out (${orphans.map((a) => a.id).join(', ')})`]
      : [];
    yield { ok: true, doc: { key: `${part.shown}\u0000${l.line}`, position: l.line, shown: where, id, name: String(id), text, annotations, review: 'todo', tags: {}, notes } };
  }
}

/** How many documents a part holds at most (files, or lines of a range: blank and bad lines included). */
export function partSize(part: Part): number {
  return part.kind === 'files' ? part.files.length : part.range.end - part.range.start;
}

/**
 * Cuts files into at most `parts` contiguous parts of about the same number
 * of bytes (what the analysis time follows), keeping their order.
 */
export function cutFiles(files: PartFile[], parts: number): Part[] {
  if (parts <= 1 || files.length <= 1) return [{ kind: 'files', files }];
  const sizes = files.map((f) => {
    try {
      return Math.max(1, fs.statSync(f.path).size);
    } catch {
      return 1;
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const out: Part[] = [];
  let current: PartFile[] = [];
  let acc = 0;
  files.forEach((f, i) => {
    current.push(f);
    acc += sizes[i];
    // Close the part once it reaches its share of the bytes, leaving at least one file for each part still to come.
    const share = (total * (out.length + 1)) / parts;
    if (acc >= share && out.length < parts - 1 && files.length - i - 1 >= parts - out.length - 1) {
      out.push({ kind: 'files', files: current });
      current = [];
    }
  });
  if (current.length) out.push({ kind: 'files', files: current });
  return out;
}

/** Cuts a JSON Lines input into at most `parts` contiguous byte ranges on line boundaries. */
export async function cutJsonl(file: string, shown: string, parts: number): Promise<Part[]> {
  const { ranges } = await planRanges(file, Math.max(1, parts));
  return ranges.map((range) => ({ kind: 'jsonl', file, shown, range }));
}
