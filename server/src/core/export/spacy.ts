/**
 * spaCy / Prodigy JSONL: `{"text","spans":[{"start","end","label"}],"entities":[[start,end,label]],"meta":{"name"}}`.
 * `spans` is Prodigy's span format (what `prodigy db-in` and spaCy's
 * `Doc.char_span` examples use); `entities` is the `(start, end, label)`
 * tuple list of spaCy's `Example.from_dict(doc, {"entities": …})`.
 * Offsets are Python `str` indices, i.e. code points, like our sidecars.
 * Only non-overlapping entities are written (spaCy `doc.ents` cannot overlap).
 * Document tags become text categories, spaCy's `cats` (`"tag=value": 1.0`,
 * a boolean tag `"tag": 1.0 or 0.0`; with the declared tags known, every
 * declared value is listed, 0.0 when not set, as textcat_multilabel wants),
 * and are kept exactly in `meta.tags`.
 */
import type { DocumentTags, TagDefinition } from '../../protocol';
import type { ExportOptions, StreamingExporter } from './index';
import { dropOverlaps, prepareDocument, tagsOf, type PreparedDocument } from './common';

/** spaCy text categories of a document's tags (see the module comment). */
export function spacyCats(tags: DocumentTags | undefined, defs: readonly TagDefinition[] = []): Record<string, number> {
  const cats: Record<string, number> = {};
  for (const d of defs) {
    if (d.type === 'boolean') cats[d.name] = tags?.[d.name] === true ? 1 : 0;
    else if (d.type !== 'text') for (const v of d.values) cats[`${d.name}=${v.name}`] = 0;
  }
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (typeof v === 'boolean') cats[k] = v ? 1 : 0;
    else if (Array.isArray(v)) for (const x of v) cats[`${k}=${x}`] = 1;
    else if (defs.find((d) => d.name === k)?.type !== 'text') cats[`${k}=${v}`] = 1;
  }
  return cats;
}

export function spacyExporter(path: string, opts: ExportOptions): StreamingExporter {
  return {
    add(doc) {
      return [{ path, content: JSON.stringify(spacyRecord(prepareDocument(doc, opts.onProblem), opts)) + '\n' }];
    },
    finish: () => [],
  };
}

/** One document as a spaCy / Prodigy record (overlapping entities reported through `onProblem` and left out). */
export function spacyRecord(p: PreparedDocument, opts: Pick<ExportOptions, 'onProblem' | 'tagDefinitions'>): Record<string, unknown> {
  const ents = dropOverlaps(p.entities, (s, kept) =>
    opts.onProblem?.(`${p.name}: entity ${s.start}-${s.end} ${s.label} overlaps ${kept.start}-${kept.end} ${kept.label}; not written to spaCy`),
  );
  const tags = tagsOf(p);
  const cats = spacyCats(tags, opts.tagDefinitions);
  return {
    text: p.text,
    spans: ents.map((e) => ({ start: e.start, end: e.end, label: e.label })),
    entities: ents.map((e) => [e.start, e.end, e.label]),
    ...(Object.keys(cats).length ? { cats } : {}),
    meta: { name: p.name, ...(tags ? { tags } : {}) },
  };
}
