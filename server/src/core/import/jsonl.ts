/**
 * JSONL import: doccano (`label` or `labels` as [[start,end,"L"]] or
 * [{start_offset,end_offset,label}]; `entities` likewise), our own
 * `boilerplate` field, and the spaCy/Prodigy `spans` [{start,end,label}].
 * Offsets are code points. A span that carries its own `text` is checked
 * against the document; a mismatch means the offsets are not what they claim,
 * so the span is skipped and reported rather than imported wrongly.
 * Document tags: our `tags` field (doccano metadata), spaCy's `meta.tags`,
 * else spaCy's `cats` (a category `tag=value` scored 0.5 or more is set; a
 * category without `=` is a boolean tag).
 */
import type { ImportedAnnotation, ImportedDocument, ImportInputFile, ImportResult } from './index';
import type { DocumentTags } from '../../protocol';
import { importedTags, isRecord, spanProblem, splitLines } from './common';

/** Fields that may hold entity spans, in order of preference (our spaCy export has both `spans` and `entities`). */
const ENTITY_FIELDS = ['label', 'labels', 'entities', 'spans'] as const;

export function importJsonl(files: ImportInputFile[]): ImportResult {
  const documents: ImportedDocument[] = [];
  const problems: string[] = [];
  for (const file of files) {
    splitLines(file.content).forEach((line, k) => {
      if (line.trim() === '') return;
      const where = `${file.path}:${k + 1}`;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (e) {
        problems.push(`${where}: not valid JSON (${(e as Error).message})`);
        return;
      }
      if (!isRecord(obj) || typeof obj.text !== 'string') {
        problems.push(`${where}: expected an object with a string "text"`);
        return;
      }
      documents.push(readLine(obj, obj.text, where));
    });
  }
  return { documents, problems };
}

function readLine(obj: Record<string, unknown>, text: string, where: string): ImportedDocument {
  const meta = isRecord(obj.meta) ? obj.meta : {};
  const name =
    typeof obj.name === 'string' ? obj.name : typeof meta.name === 'string' ? meta.name : typeof obj.id === 'string' || typeof obj.id === 'number' ? String(obj.id) : where;
  const doc: ImportedDocument = { name, text, annotations: [], problems: [] };
  const cps = Array.from(text);
  const field = ENTITY_FIELDS.find((f) => Array.isArray(obj[f]));
  if (field) readSpans(obj[field] as unknown[], 'entity', cps, doc, `${where}: ${field}`);
  if (Array.isArray(obj.boilerplate)) readSpans(obj.boilerplate, 'boilerplate', cps, doc, `${where}: boilerplate`);
  const tags = importedTags(obj.tags ?? meta.tags ?? tagsFromCats(obj.cats), where, doc.problems);
  if (tags) doc.tags = tags;
  return doc;
}

/** spaCy text categories back to tags (the inverse of the spaCy export's `cats`). */
export function tagsFromCats(cats: unknown): DocumentTags | undefined {
  if (!isRecord(cats)) return undefined;
  const tags: DocumentTags = {};
  for (const [cat, score] of Object.entries(cats)) {
    if (typeof score !== 'number') continue;
    const eq = cat.indexOf('=');
    if (eq < 0) {
      // A false flag is no tag (the export lists every declared flag, 0.0 when not set).
      if (score >= 0.5) tags[cat] = true;
      continue;
    }
    if (score < 0.5) continue;
    const key = cat.slice(0, eq);
    const value = cat.slice(eq + 1);
    const prev = tags[key];
    tags[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value];
  }
  return Object.keys(tags).length ? tags : undefined;
}

function readSpans(items: unknown[], kind: 'entity' | 'boilerplate', cps: string[], doc: ImportedDocument, where: string): void {
  items.forEach((item, k) => {
    let start: unknown;
    let end: unknown;
    let label: unknown;
    let text: unknown;
    if (Array.isArray(item)) [start, end, label] = item;
    else if (isRecord(item)) {
      start = item.start_offset ?? item.start;
      end = item.end_offset ?? item.end;
      label = item.label;
      text = item.text;
    } else {
      doc.problems.push(`${where}[${k}]: not a span (${JSON.stringify(item)})`);
      return;
    }
    const bad = spanProblem(start, end, cps.length);
    if (bad) {
      doc.problems.push(`${where}[${k}]: ${bad}`);
      return;
    }
    if (typeof label !== 'string' || label === '') {
      doc.problems.push(`${where}[${k}]: missing label`);
      return;
    }
    const s = start as number;
    const e = end as number;
    if (typeof text === 'string' && text !== cps.slice(s, e).join('')) {
      doc.problems.push(`${where}[${k}]: text ${JSON.stringify(text)} does not match the document at ${s}-${e} (code points)`);
      return;
    }
    const a: ImportedAnnotation = kind === 'entity' ? { start: s, end: e, kind, label } : { start: s, end: e, kind, category: label };
    doc.annotations.push(a);
  });
}

