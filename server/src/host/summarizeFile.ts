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
import { loadDocument } from './corpus';

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
  if (reuse && reuse.hash === hash) return { ok: true, summary: withDecisions(reuse.summary, r.doc.annotations, r.doc.review), hash, reused: true };
  return { ok: true, summary: summarizeDocument(r.doc.text, r.doc.annotations, entities, r.doc.review), hash, reused: false };
}
