/**
 * One document read from disk into its corpus summary: the work of a scan,
 * the same in a worker thread and in the calling thread. A summary made
 * earlier for the same text (same content hash: a file touched, checked out
 * again, or copied) is reused, and only its sidecar's decisions read again:
 * tagging is the costly part, reading a sidecar is not.
 */
import { createHash } from 'node:crypto';
import { summarizeDocument, withDecisions, type DocumentSummary } from '../core/corpus/summary';
import type { EntityOptions } from '../core/detect/entities';
import { loadDocument, type LoadedDocument } from './corpus';

/** A summary from the cache, for a text with this content hash. */
export interface Reusable {
  hash: string;
  summary: DocumentSummary;
}

export type FileSummary = { ok: true; summary: DocumentSummary; hash: string; reused: boolean } | { ok: false; message: string };

/** The content hash of a text, as the summary cache keeps it. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function summarizeFile(file: string, maxBytes: number, layer: string | null, entities: EntityOptions | false, reuse?: Reusable): FileSummary {
  const r = loadDocument(file, maxBytes, layer);
  if (!r.ok) return { ok: false, message: r.message };
  const hash = contentHash(r.doc.text);
  return reused(r.doc, hash, reuse) ?? { ok: true, summary: summarizeDocument(r.doc.text, r.doc.annotations, entities, r.doc.review, undefined, r.doc.tags), hash, reused: false };
}

/**
 * The summary of `file` when its text is the one `reuse` was made for (or the file cannot be
 * read: that is its answer too), without tagging; undefined when the text changed and must be
 * tagged. A scan asks this first, so that files touched but not changed never start a worker.
 */
export function summarizeIfUnchanged(file: string, maxBytes: number, layer: string | null, reuse: Reusable): FileSummary | undefined {
  const r = loadDocument(file, maxBytes, layer);
  if (!r.ok) return { ok: false, message: r.message };
  return reused(r.doc, contentHash(r.doc.text), reuse);
}

/** The earlier summary with the sidecar's decisions of now, when the text is the same. */
function reused(doc: LoadedDocument, hash: string, reuse: Reusable | undefined): FileSummary | undefined {
  if (!reuse || reuse.hash !== hash) return undefined;
  return { ok: true, summary: withDecisions(reuse.summary, doc.annotations, doc.review, doc.tags), hash, reused: true };
}
