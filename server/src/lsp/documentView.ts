/** `newsAnnotator/documentView`: an open document laid out for the annotation view (core/view does the work). */
import type { DocumentViewResult, TagFilter } from '../protocol';
import { layoutDocument } from '../core/view/documentView';
import type { Doc } from './documents';
import type { ServerState } from './state';

export function documentView(doc: Doc): DocumentViewResult {
  const readOnly = doc.refused
    ? doc.refused.message
    : doc.sidecar.status === 'damaged' || doc.sidecar.status === 'newer'
      ? `The sidecar cannot be written: ${doc.sidecar.message ?? doc.sidecar.status}`
      : !doc.path
        ? 'This document is not a file on disk; save it before annotating.'
        : undefined;
  if (doc.refused) {
    return { uri: doc.uri, version: doc.version, dir: 'ltr', lineCount: 0, paragraphs: [], marks: [], orphans: [], review: doc.review.status, tags: doc.tags, readOnly };
  }
  const layout = layoutDocument(doc.index, doc.annotations, doc.suggestions);
  return { uri: doc.uri, version: doc.version, ...layout, review: doc.review.status, tags: doc.tags, ...(readOnly ? { readOnly } : {}) };
}

/** A tag filter from a request (untrusted): string or boolean values under short keys, at most 16. */
export function tagFilterOf(x: unknown): TagFilter | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const out: TagFilter = {};
  for (const [k, v] of Object.entries(x).slice(0, 16)) {
    if (k.length > 40) continue;
    if (typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200)) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function viewOf(state: ServerState, uri: unknown): DocumentViewResult | null {
  const doc = typeof uri === 'string' ? state.findDoc(uri) : undefined;
  return doc ? documentView(doc) : null;
}
