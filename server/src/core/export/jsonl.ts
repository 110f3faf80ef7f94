/**
 * doccano JSONL: one JSON object per line and per document,
 * `{"id","name","text","label":[[start,end,"LABEL"]],"boilerplate":[[start,end,"category"]],"tags":{…}}`.
 * Offsets are code points (what doccano's Python backend and our sidecars
 * count). `name`, `boilerplate` and `tags` (the document tags, when there
 * are any) are extra fields doccano keeps as metadata.
 */
import type { ExportOptions, StreamingExporter } from './index';
import { prepareDocument, tagsOf, type PreparedDocument } from './common';

export function jsonlExporter(path: string, opts: ExportOptions): StreamingExporter {
  let n = 0;
  return {
    add(doc) {
      n++;
      // JSON.stringify escapes \n, \r, U+2028 and U+2029 inside strings, so one object is one line.
      return [{ path, content: JSON.stringify(doccanoRecord(prepareDocument(doc, opts.onProblem), n)) + '\n' }];
    },
    finish: () => [],
  };
}

/** One document as a doccano record; `id`: its number in the file, or the caller's id (JSON Lines streams). */
export function doccanoRecord(p: PreparedDocument, id: string | number): Record<string, unknown> {
  return {
    id,
    name: p.name,
    text: p.text,
    label: p.entities.map((e) => [e.start, e.end, e.label]),
    boilerplate: p.boilerplate.map((b) => [b.start, b.end, b.label]),
    ...(tagsOf(p) ? { tags: tagsOf(p) } : {}),
  };
}
