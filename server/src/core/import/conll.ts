/**
 * CoNLL import: `token<TAB>…<TAB>TAG` lines (first column token, last column
 * tag; space-separated columns are accepted when there is no tab), blank
 * lines between sentences, `-DOCSTART-` lines between documents, and a
 * `# doc: <name>` comment naming the current document (our exporter writes
 * it). Other `# ` comments are ignored.
 *
 * CoNLL does not keep the original text, so the text is rebuilt: tokens
 * joined by one space, sentences by a blank line ("\n\n"). Offsets refer to
 * that rebuilt text; `placeImported` maps them onto the corpus file.
 *
 * Schemes: IOB1/IOB2 share one decoder (B- always opens, I- continues an
 * entity of the same type or opens one); BIOES has its own. `auto` picks
 * BIOES when any E-/S- (or BILOU L-/U-) tag occurs in the file. Violations of
 * a scheme that was given explicitly are reported, and decoded leniently.
 */
import type { ConllScheme } from '../../protocol';
import { codePointLength } from '../text/offsets';
import { DOCSTART, DOC_COMMENT, decodeDocName } from '../export/conll';
import type { ImportedDocument, ImportInputFile, ImportResult } from './index';
import { splitLines } from './common';

interface Row {
  token: string;
  prefix: 'O' | 'B' | 'I' | 'E' | 'S';
  label: string;
  line: number;
}

interface RawDoc {
  name?: string;
  sentences: Row[][];
}

const TAG = /^(?:O|([BIESLU])-(.+))$/u;

export function importConll(files: ImportInputFile[], scheme: ConllScheme | 'auto'): ImportResult {
  const documents: ImportedDocument[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const { docs, problems: fileProblems } = parseFile(file);
    const effective = scheme === 'auto' ? detectScheme(docs) : scheme;
    docs.forEach((raw, k) => {
      const doc = decode(raw, effective, scheme !== 'auto', file.path);
      if (!raw.name) doc.name = docs.length === 1 ? file.path : `${file.path}#${k + 1}`;
      documents.push(doc);
    });
    problems.push(...fileProblems);
  }
  return { documents, problems };
}

function parseFile(file: ImportInputFile): { docs: RawDoc[]; problems: string[] } {
  const problems: string[] = [];
  const docs: RawDoc[] = [];
  let doc: RawDoc = { sentences: [] };
  let sentence: Row[] = [];
  let startedByDocstart = false;
  const endSentence = (): void => {
    if (sentence.length > 0) doc.sentences.push(sentence);
    sentence = [];
  };
  const endDoc = (): void => {
    endSentence();
    // The implicit document before the first -DOCSTART- only counts if it has content.
    if (doc.sentences.length > 0 || doc.name !== undefined || docs.length > 0 || startedByDocstart) docs.push(doc);
    doc = { sentences: [] };
  };
  splitLines(file.content).forEach((line, k) => {
    const lineNo = k + 1;
    if (line.trim() === '') return endSentence();
    if (line.startsWith(DOCSTART)) {
      endDoc();
      startedByDocstart = true;
      return;
    }
    if (line === '#' || line.startsWith('# ')) {
      if (line.startsWith(DOC_COMMENT)) doc.name = decodeDocName(line.slice(DOC_COMMENT.length));
      return;
    }
    let cols = line.split('\t');
    if (cols.length < 2) cols = line.trim().split(/\s+/u);
    if (cols.length < 2 || cols[0] === '') {
      problems.push(`${file.path}:${lineNo}: malformed line (expected "token<TAB>TAG")`);
      return;
    }
    const tag = cols[cols.length - 1].trim();
    const m = TAG.exec(tag);
    if (!m) {
      problems.push(`${file.path}:${lineNo}: unknown tag "${tag}"; read as O`);
      sentence.push({ token: cols[0], prefix: 'O', label: '', line: lineNo });
      return;
    }
    const letter = m[1] === undefined ? 'O' : m[1] === 'L' ? 'E' : m[1] === 'U' ? 'S' : m[1];
    sentence.push({ token: cols[0], prefix: letter as Row['prefix'], label: m[2] ?? '', line: lineNo });
  });
  endSentence();
  if (doc.sentences.length > 0 || doc.name !== undefined || startedByDocstart) docs.push(doc);
  return { docs, problems };
}

function detectScheme(docs: RawDoc[]): ConllScheme {
  for (const d of docs) for (const s of d.sentences) for (const r of s) if (r.prefix === 'E' || r.prefix === 'S') return 'bioes';
  return 'iob2';
}

function decode(raw: RawDoc, scheme: ConllScheme, strict: boolean, path: string): ImportedDocument {
  const doc: ImportedDocument = { name: raw.name ?? '', text: '', annotations: [], problems: [] };
  const parts: string[] = [];
  let offset = 0;
  raw.sentences.forEach((sentence, si) => {
    if (si > 0) {
      parts.push('\n\n');
      offset += 2;
    }
    const starts: number[] = [];
    const ends: number[] = [];
    sentence.forEach((r, ti) => {
      if (ti > 0) {
        parts.push(' ');
        offset += 1;
      }
      starts.push(offset);
      parts.push(r.token);
      offset += codePointLength(r.token);
      ends.push(offset);
    });
    let open: { first: number; label: string } | undefined;
    const close = (last: number): void => {
      if (open) doc.annotations.push({ start: starts[open.first], end: ends[last], kind: 'entity', label: open.label });
      open = undefined;
    };
    const report = (r: Row, msg: string): void => {
      if (strict || scheme === 'bioes') doc.problems.push(`${path}:${r.line}: ${msg}`);
    };
    sentence.forEach((r, ti) => {
      const tag = r.prefix === 'O' ? 'O' : `${r.prefix}-${r.label}`;
      const continues = open !== undefined && open.label === r.label;
      if (scheme !== 'bioes') {
        // E-/S- in an IOB file: read leniently as I-/B-.
        if (r.prefix === 'E' || r.prefix === 'S') report(r, `${tag} is not an ${scheme.toUpperCase()} tag`);
        const prefix = r.prefix === 'E' ? 'I' : r.prefix === 'S' ? 'B' : r.prefix;
        if (prefix === 'O') return close(ti - 1);
        if (prefix === 'I' && continues) return;
        if (prefix === 'I' && scheme === 'iob2') report(r, `${tag} does not continue an entity of type ${r.label}`);
        close(ti - 1);
        open = { first: ti, label: r.label };
        return;
      }
      switch (r.prefix) {
        case 'O':
          if (open) report(r, `entity ${open.label} not closed by E-${open.label}`);
          return close(ti - 1);
        case 'B':
        case 'S':
          if (open) {
            report(r, `entity ${open.label} not closed by E-${open.label}`);
            close(ti - 1);
          }
          open = { first: ti, label: r.label };
          if (r.prefix === 'S') close(ti);
          return;
        case 'I':
        case 'E':
          if (!continues) {
            report(r, `${tag} does not continue an entity of type ${r.label}`);
            close(ti - 1);
            open = { first: ti, label: r.label };
          }
          if (r.prefix === 'E') close(ti);
          return;
      }
    });
    if (open && scheme === 'bioes') report(sentence[sentence.length - 1], `entity ${open.label} not closed by E-${open.label}`);
    close(sentence.length - 1);
  });
  doc.text = parts.join('');
  return doc;
}
