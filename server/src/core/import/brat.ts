/**
 * brat standoff import: `.ann` files paired with the `.txt` of the same base
 * name. Text-bound annotations `T<n>\t<Type> <s> <e>[;<s> <e>…]\t<text>` with
 * code point offsets; fragments become their covering span (our exporter
 * only fragments around line breaks). `Boilerplate` spans take their category
 * from an `A<n>\tCategory T<n> <value>` attribute. The document tags come
 * from the note `#<n>\tDocumentTags *\t{…}` our export writes. Relations,
 * events, normalisations and other notes are not annotations we keep; the
 * first three are reported.
 */
import type { ImportedDocument, ImportInputFile, ImportResult } from './index';
import { importedTags, spanProblem, splitLines } from './common';
import { isLineBreak } from '../export/tokenize';
import { BRAT_BOILERPLATE_TYPE as BOILERPLATE_TYPE, BRAT_CATEGORY_ATTRIBUTE as CATEGORY_ATTRIBUTE, BRAT_TAGS_NOTE } from '../export/brat';

export function importBrat(files: ImportInputFile[]): ImportResult {
  const problems: string[] = [];
  const texts = new Map<string, ImportInputFile>();
  const anns = new Map<string, ImportInputFile>();
  for (const f of files) {
    if (/\.ann$/iu.test(f.path)) anns.set(f.path.replace(/\.ann$/iu, ''), f);
    else if (/\.txt$/iu.test(f.path)) texts.set(f.path.replace(/\.txt$/iu, ''), f);
    else problems.push(`${f.path}: neither .ann nor .txt; ignored`);
  }
  const documents: ImportedDocument[] = [];
  for (const [base, ann] of anns) {
    const txt = texts.get(base);
    if (!txt) {
      problems.push(`${ann.path}: no ${base}.txt next to it; ignored`);
      continue;
    }
    documents.push(readAnn(ann, txt));
  }
  // A .txt without .ann is a document with no annotations, not an error.
  for (const [base, txt] of texts) {
    if (!anns.has(base)) documents.push({ name: txt.path, text: txt.content, annotations: [], problems: [] });
  }
  return { documents, problems };
}

function readAnn(ann: ImportInputFile, txt: ImportInputFile): ImportedDocument {
  const doc: ImportedDocument = { name: txt.path, text: txt.content, annotations: [], problems: [] };
  const cps = Array.from(txt.content);
  const spans = new Map<string, { start: number; end: number; type: string }>();
  const categories = new Map<string, string>();
  const order: string[] = [];
  splitLines(ann.content).forEach((line, k) => {
    const where = `${ann.path}:${k + 1}`;
    if (line.trim() === '') return;
    if (line.startsWith('T')) {
      const m = /^(T\S*)\t(\S+) ([0-9 ;]+)\t(.*)$/u.exec(line);
      if (!m) {
        doc.problems.push(`${where}: malformed text-bound annotation`);
        return;
      }
      const [, id, type, offsets, text] = m;
      const frags: [number, number][] = [];
      for (const part of offsets.split(';')) {
        const fm = /^\s*(\d+) (\d+)\s*$/u.exec(part);
        if (!fm) {
          doc.problems.push(`${where}: malformed offsets "${offsets}"`);
          return;
        }
        const s = Number(fm[1]);
        const e = Number(fm[2]);
        const bad = spanProblem(s, e, cps.length);
        if (bad) {
          doc.problems.push(`${where}: ${bad}`);
          return;
        }
        frags.push([s, e]);
      }
      const expected = frags.map(([s, e]) => cps.slice(s, e).join('')).join(' ');
      if (text !== expected) {
        doc.problems.push(`${where}: text ${JSON.stringify(text)} does not match the document (${JSON.stringify(expected)})`);
        return;
      }
      const start = Math.min(...frags.map((f) => f[0]));
      const end = Math.max(...frags.map((f) => f[1]));
      const sorted = [...frags].sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < sorted.length; i++) {
        const gap = cps.slice(sorted[i - 1][1], sorted[i][0]);
        if (!gap.every(isLineBreak)) {
          doc.problems.push(`${where}: discontinuous annotation imported as its covering span ${start}-${end}`);
          break;
        }
      }
      spans.set(id, { start, end, type });
      order.push(id);
    } else if (line.startsWith('A') || line.startsWith('M')) {
      const m = /^[AM]\S*\t(\S+) (T\S*)(?: (\S+))?\s*$/u.exec(line);
      if (!m) doc.problems.push(`${where}: malformed attribute`);
      else if (m[1] === CATEGORY_ATTRIBUTE && m[3] !== undefined) categories.set(m[2], m[3]);
      else doc.problems.push(`${where}: attribute ${m[1]} not imported`);
    } else if (line.startsWith('#')) {
      // Annotator notes are not kept; the document tags' note is.
      const m = /^#\S*\t(\S+) \*\t(.*)$/u.exec(line);
      if (m && m[1] === BRAT_TAGS_NOTE) {
        let value: unknown;
        try {
          value = JSON.parse(m[2]);
        } catch {
          doc.problems.push(`${where}: the ${BRAT_TAGS_NOTE} note is not JSON; not imported`);
          return;
        }
        const tags = importedTags(value, where, doc.problems);
        if (tags) doc.tags = tags;
      }
    } else {
      doc.problems.push(`${where}: ${line.charAt(0)} annotations (relations, events, normalisations) are not imported`);
    }
  });
  for (const id of order) {
    const s = spans.get(id)!;
    if (s.type === BOILERPLATE_TYPE) doc.annotations.push({ start: s.start, end: s.end, kind: 'boilerplate', category: categories.get(id) ?? 'boilerplate' });
    else doc.annotations.push({ start: s.start, end: s.end, kind: 'entity', label: s.type });
  }
  return doc;
}
