/**
 * The part of `news-annotator import` that `--jobs` spreads over worker
 * processes: placing each imported document's spans on its corpus file's
 * text and merging them into the sidecar. Every imported document of one
 * corpus file is in the same shard, in input order, so a sidecar is written
 * by one process in the same order whatever the number of jobs; the results
 * come back per document and are printed in input order.
 */
import * as path from 'node:path';
import type { DocumentTags, Sidecar, TagDefinition } from '../protocol';
import { conformTags, sameTags } from '../core/annotations/tags';
import { createAnnotation } from '../core/annotations/model';
import { emptySidecar, sha256Hex } from '../core/annotations/sidecar';
import { placeImported, type ImportedDocument } from '../core/import';
import { codePointLength } from '../core/text/offsets';
import { readTextFile } from '../host/corpus';
import { readSidecar, writeSidecarAtomic } from '../host/sidecarFiles';

export interface ImportShard {
  /** The import format, recorded as the annotations' source (`import:<format>`). */
  format: string;
  maxBytes: number;
  /** The layer written: an annotator's (article.txt.ann.<name>.json), or null for the adjudicated sidecar. */
  annotator: string | null;
  /** The corpus' declared document tags (labels.json): how imported tags are shaped. */
  tagDefs: TagDefinition[];
  /** Imported documents with the corpus file each one belongs to, in input order. */
  docs: { index: number; doc: ImportedDocument; target: string }[];
}

export interface ImportDocResult {
  index: number;
  /** For stderr, in order. */
  messages: string[];
  imported: number;
  unplaced: number;
  /** The document's tags in the sidecar changed. */
  tagsChanged: boolean;
  /** The document could not be imported (its corpus file or sidecar cannot be read or written). */
  failed: boolean;
}

export function importShard(shard: ImportShard): { results: ImportDocResult[] } {
  const texts = new Map<string, { ok: true; text: string } | { ok: false; message: string }>();
  const results: ImportDocResult[] = [];
  for (const { index, doc, target } of shard.docs) {
    const r: ImportDocResult = { index, messages: [], imported: 0, unplaced: 0, tagsChanged: false, failed: false };
    results.push(r);
    let read = texts.get(target);
    if (!read) {
      const t = readTextFile(target, shard.maxBytes);
      read = t.ok ? { ok: true, text: t.text } : { ok: false, message: t.message };
      texts.set(target, read);
    }
    if (!read.ok) {
      r.messages.push(`${doc.name}: ${read.message}; ${doc.annotations.length} annotations not imported`);
      r.unplaced = doc.annotations.length;
      r.failed = true;
      continue;
    }
    const { annotations, unplaced } = placeImported(read.text, doc);
    for (const u of unplaced) r.messages.push(`${doc.name}: could not place ${JSON.stringify(u)}`);
    r.unplaced = unplaced.length;
    try {
      const merged = mergeIntoSidecar(target, read.text, annotations, shard.format, shard.annotator, doc.tags, shard.tagDefs);
      r.imported = merged.added;
      r.tagsChanged = merged.tagsChanged;
    } catch (err) {
      r.messages.push(`${target}: ${(err as Error).message}`);
      r.failed = true;
    }
  }
  return { results };
}

/**
 * Adds the imported spans (not already there) and tags (imported values win,
 * other tags are kept) to a document's sidecar (or the annotator's layer),
 * through the safe write path.
 */
function mergeIntoSidecar(
  file: string,
  text: string,
  spans: ImportedDocument['annotations'],
  format: string,
  annotator: string | null,
  imported: DocumentTags | undefined,
  tagDefs: readonly TagDefinition[],
): { added: number; tagsChanged: boolean } {
  const who = annotator ?? undefined;
  const state = readSidecar(file, who);
  if (state.status === 'damaged' || state.status === 'newer') throw new Error(`${annotator === null ? 'sidecar' : `layer of ${annotator}`} left untouched: ${state.message}`);
  const base: Sidecar | null = state.status === 'ok' ? state.sidecar : null;
  const sidecar: Sidecar = base ? { ...base, annotations: base.annotations.slice() } : { ...emptySidecar(path.basename(file), text), ...(who ? { annotator: who } : {}) };
  sidecar.document = { path: path.basename(file), sha256: sha256Hex(text), length: codePointLength(text) };
  let added = 0;
  for (const s of spans) {
    const dup = sidecar.annotations.some((a) => a.start === s.start && a.end === s.end && a.kind === s.kind && a.label === s.label && a.category === s.category);
    if (dup) continue;
    sidecar.annotations.push(
      createAnnotation(text, s.start, s.end, { kind: s.kind, label: s.label, category: s.category, status: 'accepted', source: `import:${format}` }),
    );
    added++;
  }
  let tagsChanged = false;
  if (imported) {
    const tags = conformTags({ ...(sidecar.tags ?? {}), ...imported }, tagDefs);
    tagsChanged = !sameTags(tags, sidecar.tags);
    if (Object.keys(tags).length) sidecar.tags = tags;
  }
  if (added || tagsChanged) writeSidecarAtomic(file, sidecar, { fingerprint: state.status === 'ok' ? state.fingerprint : null, sidecar: base }, { text, annotator: who });
  return { added, tagsChanged };
}
