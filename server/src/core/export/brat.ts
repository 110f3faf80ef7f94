/**
 * brat standoff: `<base>.txt` (the exact text) and `<base>.ann`, where
 * `<base>` is the document name without a trailing `.txt`.
 * `T<n>\t<Label> <start> <end>\t<covered text>` per entity; offsets are
 * Python `str` indices (code points), as brat's server counts them.
 * brat forbids line breaks in the text field, so a span crossing a line break
 * is written as fragments (`s1 e1;s2 e2`, brat's discontinuous notation) that
 * skip the line breaks, with the fragment texts joined by one space; line
 * breaks at the very edges of a span are dropped.
 * Boilerplate is written as `T<n>\tBoilerplate s e\ttext` plus an attribute
 * `A<n>\tCategory T<n> <category>`.
 * Document tags: brat has no document-level annotation, so they go in one
 * note line, `#1\tDocumentTags *\t{"genre":"news",…}` (JSON on one line;
 * brat keeps the line when it saves, and may warn that `*` is no annotation id).
 */
import type { ExportFile, ExportOptions, StreamingExporter } from './index';
import { prepareDocument, tagsOf, type LabeledSpan, type PreparedDocument } from './common';
import { isLineBreak } from './tokenize';

export const BRAT_BOILERPLATE_TYPE = 'Boilerplate';
export const BRAT_CATEGORY_ATTRIBUTE = 'Category';
/** Type of the note line that carries the document tags. */
export const BRAT_TAGS_NOTE = 'DocumentTags';

export function bratBaseName(name: string): string {
  return name.replace(/\.txt$/iu, '');
}

export function bratExporter(opts: ExportOptions): StreamingExporter {
  return {
    add(doc): ExportFile[] {
      const p = prepareDocument(doc, opts.onProblem);
      const base = bratBaseName(p.name);
      return [
        { path: base + '.txt', content: p.text },
        { path: base + '.ann', content: bratAnn(p, opts) + bratTags(doc) },
      ];
    },
    finish: () => [],
  };
}

/** Maximal sub-ranges of [start,end) that contain no line break. */
export function fragments(cps: readonly string[], start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let s = -1;
  for (let i = start; i < end; i++) {
    if (isLineBreak(cps[i])) {
      if (s >= 0) out.push([s, i]);
      s = -1;
    } else if (s < 0) s = i;
  }
  if (s >= 0) out.push([s, end]);
  return out;
}

function bratTags(doc: Parameters<typeof tagsOf>[0]): string {
  const tags = tagsOf(doc);
  return tags ? `#1\t${BRAT_TAGS_NOTE} *\t${JSON.stringify(tags)}\n` : '';
}

/** brat type names cannot contain whitespace (the field separator). */
function bratType(label: string): string {
  return label.replace(/\s+/gu, '_') || '_';
}

function bratAnn(p: PreparedDocument, opts: ExportOptions): string {
  let out = '';
  let t = 0;
  let a = 0;
  const write = (s: LabeledSpan, type: string): number | undefined => {
    const frags = fragments(p.cps, s.start, s.end);
    if (frags.length === 0) {
      opts.onProblem?.(`${p.name}: span ${s.start}-${s.end} covers only line breaks; not written to brat`);
      return undefined;
    }
    if (frags.length > 1 || frags[0][0] !== s.start || frags[0][1] !== s.end) {
      opts.onProblem?.(`${p.name}: span ${s.start}-${s.end} contains line breaks; written as brat fragments`);
    }
    t++;
    const offsets = frags.map(([fs, fe]) => `${fs} ${fe}`).join(';');
    const text = frags.map(([fs, fe]) => p.cps.slice(fs, fe).join('')).join(' ');
    out += `T${t}\t${type} ${offsets}\t${text}\n`;
    return t;
  };
  for (const e of p.entities) write(e, bratType(e.label));
  for (const b of p.boilerplate) {
    const id = write(b, BRAT_BOILERPLATE_TYPE);
    if (id !== undefined) out += `A${++a}\t${BRAT_CATEGORY_ATTRIBUTE} T${id} ${bratType(b.label)}\n`;
  }
  return out;
}
