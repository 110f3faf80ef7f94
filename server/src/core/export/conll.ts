/**
 * CoNLL (two columns, `token<TAB>TAG`), schemes IOB2 (default), IOB1, BIOES.
 * Each document starts with `-DOCSTART- -X- O O` (the CoNLL-2003 line, which
 * spaCy's converter splits documents on), then by default a `# doc: <name>`
 * comment (turn off with `conllDocComments: false` for readers that do not
 * skip comments, e.g. `spacy convert`), then a blank line; sentences are separated by a
 * blank line. Accepted boilerplate is left out of the token stream by default
 * (a tagger should not learn from navigation and share buttons), except
 * tokens inside an accepted entity: an entity is never silently truncated.
 */
import type { ConllScheme } from '../../protocol';
import type { ExportOptions, StreamingExporter } from './index';
import { boilerplateMask, dropOverlaps, prepareDocument, type LabeledSpan, type PreparedDocument } from './common';
import { endsSentence, isSeparator, tokenize, type Token } from './tokenize';

export const DOCSTART = '-DOCSTART-';
/**
 * The whole document separator line, as CoNLL-2003 readers and spaCy's
 * `spacy convert -c ner` (which splits documents on exactly this line) expect.
 */
export const DOCSTART_LINE = '-DOCSTART- -X- O O';
export const DOC_COMMENT = '# doc: ';

/**
 * A document name in a `# doc:` comment. Any name a file system allows must
 * survive the round trip, so a name that a line cannot hold as it is (line
 * breaks and other control characters, leading or trailing spaces, a leading
 * double quote) is written as a JSON string; every other name is written as is.
 */
export function encodeDocName(name: string): string {
  return /^["\s]|\s$|[\u0000-\u001f\u007f\u0085\u2028\u2029]/u.test(name) ? JSON.stringify(name) : name;
}

export function decodeDocName(written: string): string {
  if (written.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(written.trimEnd());
      if (typeof v === 'string') return v;
    } catch {
      // not a JSON string: a name that merely starts with a quote, from another tool
    }
  }
  return written.trim();
}

export function conllExporter(path: string, opts: ExportOptions): StreamingExporter {
  return {
    add(doc) {
      return [{ path, content: conllDocument(prepareDocument(doc, opts.onProblem), opts) }];
    },
    finish: () => [],
  };
}

/** Entities as CoNLL can carry them: no overlaps, no leading/trailing separators, labels without whitespace. */
export function conllEntities(p: PreparedDocument, onProblem?: (m: string) => void): LabeledSpan[] {
  const out: LabeledSpan[] = [];
  for (const e of dropOverlaps(p.entities, (s, kept) =>
    onProblem?.(`${p.name}: entity ${s.start}-${s.end} ${s.label} overlaps ${kept.start}-${kept.end} ${kept.label}; not written to CoNLL`),
  )) {
    let { start, end } = e;
    // Tokens never contain separators, so a span can only start and end on token characters.
    while (start < end && isSeparator(p.cps[start])) start++;
    while (end > start && isSeparator(p.cps[end - 1])) end--;
    if (start === end) {
      onProblem?.(`${p.name}: entity ${e.start}-${e.end} ${e.label} covers only whitespace; not written to CoNLL`);
      continue;
    }
    const label = e.label.replace(/\s+/gu, '_');
    if (label !== e.label) onProblem?.(`${p.name}: label "${e.label}" contains whitespace; written as ${label}`);
    out.push({ start, end, label });
  }
  return out;
}

function conllDocument(p: PreparedDocument, opts: ExportOptions): string {
  const n = p.cps.length;
  const ents = conllEntities(p, opts.onProblem);
  const cut = new Uint8Array(n + 1);
  const owner = new Int32Array(n).fill(-1);
  ents.forEach((e, k) => {
    cut[e.start] = 1;
    cut[e.end] = 1;
    owner.fill(k, e.start, e.end);
  });
  const removed = opts.conllKeepBoilerplate ? undefined : boilerplateMask(p);
  if (removed) {
    for (const b of p.boilerplate) {
      cut[b.start] = 1;
      cut[b.end] = 1;
    }
  }
  // Cuts make every token entirely inside or outside each entity and boilerplate span.
  const kept: { tok: Token; gapBefore: boolean }[] = [];
  let gap = false;
  for (const tok of tokenize(p.cps, cut)) {
    if (removed && removed[tok.start] && owner[tok.start] < 0) {
      gap = true;
      continue;
    }
    kept.push({ tok, gapBefore: gap });
    gap = false;
  }

  let out = DOCSTART_LINE + '\n';
  if (opts.conllDocComments !== false) out += DOC_COMMENT + encodeDocName(p.name) + '\n';
  out += '\n';
  let sentence: Token[] = [];
  const flush = (): void => {
    if (sentence.length === 0) return;
    const tags = tagSentence(sentence.map((t) => owner[t.start]), ents, opts.scheme ?? 'iob2');
    for (let k = 0; k < sentence.length; k++) out += p.cps.slice(sentence[k].start, sentence[k].end).join('') + '\t' + tags[k] + '\n';
    out += '\n';
    sentence = [];
  };
  for (let k = 0; k < kept.length; k++) {
    const { tok } = kept[k];
    sentence.push(tok);
    const next = kept[k + 1];
    // Never end a sentence inside an entity: a tag sequence cannot span sentences.
    const inside = next !== undefined && owner[tok.start] >= 0 && owner[tok.start] === owner[next.tok.start];
    if (!inside && (next === undefined || next.gapBefore || endsSentence(p.cps, tok, next.tok))) flush();
  }
  flush();
  return out;
}

/** Tags of one sentence given each token's entity index (-1 = outside). */
export function tagSentence(owners: number[], ents: LabeledSpan[], scheme: ConllScheme): string[] {
  return owners.map((o, k) => {
    if (o < 0) return 'O';
    const label = ents[o].label;
    const prev = k > 0 ? owners[k - 1] : -1;
    const next = k + 1 < owners.length ? owners[k + 1] : -1;
    const first = prev !== o;
    const last = next !== o;
    switch (scheme) {
      case 'iob2':
        return (first ? 'B-' : 'I-') + label;
      case 'iob1':
        // IOB1 uses B- only to separate two adjacent entities of the same type.
        return (first && prev >= 0 && ents[prev].label === label ? 'B-' : 'I-') + label;
      case 'bioes':
        return (first && last ? 'S-' : first ? 'B-' : last ? 'E-' : 'I-') + label;
    }
  });
}
