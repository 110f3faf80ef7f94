/**
 * spaCy / Prodigy JSONL: `{"text","spans":[{"start","end","label"}],"entities":[[start,end,label]],"meta":{"name"}}`.
 * `spans` is Prodigy's span format (what `prodigy db-in` and spaCy's
 * `Doc.char_span` examples use); `entities` is the `(start, end, label)`
 * tuple list of spaCy's `Example.from_dict(doc, {"entities": …})`.
 * Offsets are Python `str` indices, i.e. code points, like our sidecars.
 * Only non-overlapping entities are written (spaCy `doc.ents` cannot overlap).
 */
import type { ExportOptions, StreamingExporter } from './index';
import { dropOverlaps, prepareDocument, type PreparedDocument } from './common';

export function spacyExporter(path: string, opts: ExportOptions): StreamingExporter {
  return {
    add(doc) {
      return [{ path, content: JSON.stringify(spacyRecord(prepareDocument(doc, opts.onProblem), opts)) + '\n' }];
    },
    finish: () => [],
  };
}

/** One document as a spaCy / Prodigy record (overlapping entities reported through `onProblem` and left out). */
export function spacyRecord(p: PreparedDocument, opts: Pick<ExportOptions, 'onProblem'>): Record<string, unknown> {
  const ents = dropOverlaps(p.entities, (s, kept) =>
    opts.onProblem?.(`${p.name}: entity ${s.start}-${s.end} ${s.label} overlaps ${kept.start}-${kept.end} ${kept.label}; not written to spaCy`),
  );
  return {
    text: p.text,
    spans: ents.map((e) => ({ start: e.start, end: e.end, label: e.label })),
    entities: ents.map((e) => [e.start, e.end, e.label]),
    meta: { name: p.name },
  };
}
