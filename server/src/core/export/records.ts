/**
 * Export formats as one JSON object per document, for JSON Lines streams
 * (`news-annotator export --jsonl`). Each record carries the caller's `id`,
 * so a consumer joins it back to its input line, and nothing in it depends on
 * the document's position in the stream: a stream cut into parts (`--jobs`,
 * Dask partitions) gives the very same records. Offsets are code points, as
 * in the single-file formats.
 */
import type { ExportFormat } from '../../protocol';
import { prepareDocument, type ExportDocument } from './common';
import type { ExportOptions } from './index';
import { doccanoRecord } from './jsonl';
import { labelStudioTask } from './labelstudio';
import { spacyRecord } from './spacy';
import { cleanedText } from './text';

/** The formats that have a one-record-per-document form. */
export const RECORD_FORMATS = ['jsonl', 'spacy', 'labelstudio', 'text'] as const satisfies readonly ExportFormat[];
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export function isRecordFormat(format: string): format is RecordFormat {
  return (RECORD_FORMATS as readonly string[]).includes(format);
}

/**
 * One document in `format`: doccano `{id, name, text, label, boilerplate}`;
 * spaCy `{id, text, spans, entities, meta}`; a Label Studio task `{id, data,
 * annotations}` (result ids `r1`, `r2`, …); cleaned text `{id, text}`.
 */
export function exportRecord(format: RecordFormat, id: string | number, doc: ExportDocument, opts: ExportOptions = {}): Record<string, unknown> {
  const p = prepareDocument(doc, opts.onProblem);
  switch (format) {
    case 'jsonl':
      return doccanoRecord(p, id);
    case 'spacy':
      return { id, ...spacyRecord(p, opts) };
    case 'labelstudio':
      return labelStudioTask(p, id, 'r', opts);
    case 'text':
      return { id, text: cleanedText(p) };
  }
}
