/**
 * What the corpus needs to know about one document, computed from the
 * document alone: its block keys (for `repeated` boilerplate), the names the
 * detector finds in it (for names recurring across documents, counts in
 * hovers and the Entities view), and the user's decisions in its sidecar
 * (for the dictionary, boilerplate decisions, consistency and review status).
 *
 * A summary depends only on the document's text, its sidecar and the tagger
 * options, never on the rest of the corpus. That is what lets the server and
 * the CLI build the same corpus memory in any order (and in workers, or from
 * a cache): the corpus-wide signals are applied when suggestions are
 * computed, not while the corpus is read. A new decision changes only the
 * decided part (`withDecisions`): the text need not be read or tagged again.
 */
import type { DocumentTags, ReviewStatus, SidecarAnnotation } from '../../protocol';
import { blockHash, documentKeys } from '../detect/boilerplate/corpusIndex';
import { detectEntities, mentionConfidence, mentionEnd, mentionNumbers, mentionStart, normalizeEntity, observedLabel, observedSource, packLabelSource, setMention, type EntityOptions } from '../detect/entities';
import type { EntityCandidate } from '../detect/types';
import { TextIndex } from '../text/offsets';
import { ownString } from '../text/ownString';

/** A name the detector found (one mention), as the corpus' consumers read it. */
export interface FoundName {
  label: string;
  /** Folded form (normalizeName) used to match mentions across documents. */
  normalized: string;
  text: string;
  confidence: number;
  source: string;
  /** Code point offsets (the sidecar's unit, so decisions compare without the text). */
  start: number;
  end: number;
}

/**
 * Every mention the detector found in a document, column by column. Node
 * has no pointer compression: an object per mention took 104 bytes, and a
 * corpus of 20,000 news articles holds 1.2 million mentions; here a mention
 * is two string references and four numbers (48 bytes). Plain data, so that
 * it crosses from a worker thread as it is.
 */
export interface FoundNames {
  /** normalizeName of each mention. */
  normalized: string[];
  /** Each mention's text: the very string of `normalized` where the two are equal. */
  text: string[];
  /** Start, end (code points), confidence and label index × 256 + source index of each mention (mentionNumbers.ts). */
  numbers: DataView;
  /** The distinct labels and sources the indexes point into. */
  labels: string[];
  sources: string[];
}

export function foundCount(f: FoundNames): number {
  return f.normalized.length;
}

/** Mention `i` as an object (for the few readers that want one; the columns are what is kept). */
export function foundAt(f: FoundNames, i: number): FoundName {
  const n = f.numbers;
  return { label: observedLabel(f, i)!, normalized: f.normalized[i], text: f.text[i], confidence: mentionConfidence(n, i), source: observedSource(f, i)!, start: mentionStart(n, i), end: mentionEnd(n, i) };
}

export function foundList(f: FoundNames): FoundName[] {
  return Array.from({ length: foundCount(f) }, (_, i) => foundAt(f, i));
}

/** The columns of a list of mentions (at most 256 distinct labels and sources each, far more than any schema has). */
export function toFoundNames(list: readonly FoundName[]): FoundNames {
  const labels: string[] = [];
  const sources: string[] = [];
  const indexOf = (table: string[], x: string): number => {
    let i = table.indexOf(x);
    if (i < 0) {
      if (table.length >= 256) throw new Error('more than 256 distinct labels or sources in one document');
      i = table.push(x) - 1;
    }
    return i;
  };
  const numbers = mentionNumbers(list.length);
  list.forEach((m, i) => setMention(numbers, i, m.start, m.end, m.confidence, packLabelSource(indexOf(labels, m.label), indexOf(sources, m.source))));
  return { normalized: list.map((m) => m.normalized), text: list.map((m) => (m.text === m.normalized ? m.normalized : m.text)), numbers, labels, sources };
}

/** How often a name occurs in the document with a label: found by the detector or accepted by the user. */
export interface EntityCount {
  label: string;
  normalized: string;
  /** The text of its first mention. */
  text: string;
  count: number;
}

/**
 * A document's EntityCounts as columns (an object each took 64 bytes;
 * here 24): `packed` holds count × 256 + label index, a small integer.
 */
export interface EntityCounts {
  normalized: string[];
  text: string[];
  packed: number[];
  labels: string[];
}

/** Entry `i`'s label, as its place in `labels`. */
export function entityLabelIndex(e: EntityCounts, i: number): number {
  return e.packed[i] % 256;
}

/** Entry `i`'s count of mentions. */
export function entityCount(e: EntityCounts, i: number): number {
  return Math.floor(e.packed[i] / 256);
}

/** Calls `visit` for each name of a document with its label and count. */
export function eachEntityCount(e: EntityCounts, visit: (label: string, normalized: string, text: string, count: number) => void): void {
  for (let i = 0; i < e.normalized.length; i++) visit(e.labels[entityLabelIndex(e, i)], e.normalized[i], e.text[i], entityCount(e, i));
}

export function entityCountList(e: EntityCounts): EntityCount[] {
  const out: EntityCount[] = [];
  eachEntityCount(e, (label, normalized, text, count) => out.push({ label, normalized, text, count }));
  return out;
}

export interface DocumentSummary {
  /** Hashes (blockHash) of the document's folded lines, for `repeated` boilerplate. */
  /** A typed array: 8 bytes a key, where an array of numbers this large boxes each one. */
  blockKeys: Float64Array;
  /** Every name the detector found, one entry per mention, before corpus and dictionary signals. */
  found: FoundNames;
  /** Decided annotations of the sidecar that are placed on the text (orphans left out). */
  decided: SidecarAnnotation[];
  review: ReviewStatus;
  /** The document's tags (for filters in the Review Queue and the Entities view). */
  tags: DocumentTags;
}

/**
 * Whether two summaries say the same to the corpus (the same block keys, names found, decisions,
 * status and tags): an editor opening a document summarises its buffer again, and when that is
 * the text on disk nothing the corpus holds has changed (CorpusMemory.contentVersion).
 */
export function sameSummary(a: DocumentSummary, b: DocumentSummary): boolean {
  if (a === b) return true;
  if (a.review !== b.review || !sameDecisions(a.decided, b.decided) || JSON.stringify(a.tags) !== JSON.stringify(b.tags)) return false;
  if (!sameItems(a.blockKeys, b.blockKeys)) return false;
  const f = a.found;
  const g = b.found;
  if (!sameItems(f.normalized, g.normalized) || !sameItems(f.text, g.text) || !sameItems(f.labels, g.labels) || !sameItems(f.sources, g.sources)) return false;
  return f.numbers.byteLength === g.numbers.byteLength && sameItems(bytesOf(f.numbers), bytesOf(g.numbers));
}

/** Whether two lists of decisions are the same decisions, each as last modified. */
export function sameDecisions(a: readonly SidecarAnnotation[], b: readonly SidecarAnnotation[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.id !== y.id || x.modified !== y.modified || x.status !== y.status || x.label !== y.label || x.category !== y.category) return false;
  }
  return true;
}

function sameItems<T>(a: ArrayLike<T>, b: ArrayLike<T>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const bytesOf = (v: DataView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** The detector alone: corpus names and the user's dictionary are applied later, with the whole corpus known. */
export function detectAlone(text: string, entities: EntityOptions): EntityCandidate[] {
  const { dictionary: _d, corpus: _c, corpusDocId: _id, ...alone } = entities;
  return detectEntities(text, alone);
}

/**
 * Summarises a document. `entities: false` when entity suggestions are
 * switched off (nothing is detected, so nothing is remembered); `detected`:
 * the detector's output on this text with these options, when the caller
 * already has it (UTF-16 offsets).
 */
export function summarizeDocument(
  text: string,
  decided: readonly SidecarAnnotation[],
  entities: EntityOptions | false,
  review: ReviewStatus = 'todo',
  detected?: readonly EntityCandidate[],
  tags: DocumentTags = {},
): DocumentSummary {
  const found: FoundName[] = [];
  if (entities !== false) {
    const index = new TextIndex(text);
    for (const c of detected ?? detectAlone(text, entities)) {
      found.push({
        label: c.label,
        normalized: ownString(c.normalized),
        // Strings of their own: a slice kept for the corpus would keep its whole article alive.
        text: ownString(text.slice(c.start, c.end)),
        confidence: c.confidence,
        source: c.source,
        start: index.toCodePoint(c.start),
        end: index.toCodePoint(c.end),
      });
    }
  }
  return build(Float64Array.from(documentKeys(text), (k) => blockHash(k)), toFoundNames(found), decided, review, tags);
}

/** The same document with other decisions (after an accept, a reject, a status change, new tags). */
export function withDecisions(s: DocumentSummary, decided: readonly SidecarAnnotation[], review: ReviewStatus, tags: DocumentTags = s.tags): DocumentSummary {
  return build(s.blockKeys, s.found, decided, review, tags);
}

function build(blockKeys: Float64Array, found: FoundNames, decided: readonly SidecarAnnotation[], review: ReviewStatus, tags: DocumentTags): DocumentSummary {
  const placed = decided.some((a) => a.orphaned) ? decided.filter((a) => !a.orphaned) : decided.slice();
  return { blockKeys, found, decided: placed, review, tags };
}

/**
 * The names of a document with their counts: those found, minus those rejected in
 * it, plus accepted ones not found. Computed when asked for (the corpus memory keeps
 * corpus-wide totals, the Entities view asks once per document): kept per document,
 * they were a sixth of the corpus memory, a second copy of the found names.
 */
export function entityCountsOf(s: DocumentSummary): EntityCounts {
  const { found, decided } = s;
  const counts = new Map<string, EntityCount>();
  const bump = (label: string, normalized: string, mention: string): void => {
    const key = label + '\u0000' + normalized;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { label, normalized, text: mention, count: 1 });
  };
  // Spans as numbers (a large sidecar holds 200,000 decisions).
  const rejected = new Set<number>();
  for (const a of decided) if (a.kind === 'entity' && a.status === 'rejected') rejected.add(spanKey(a.start, a.end));
  const spans = new Set<number>();
  const n = found.numbers;
  for (let i = 0; i < foundCount(found); i++) {
    const k = spanKey(mentionStart(n, i), mentionEnd(n, i));
    spans.add(k);
    if (!rejected.has(k)) bump(observedLabel(found, i)!, found.normalized[i], found.text[i]);
  }
  for (const a of decided) {
    if (a.kind !== 'entity' || a.status !== 'accepted' || !a.label) continue;
    // The detector already counted this span when it found it; count accepted mentions it missed.
    if (!spans.has(spanKey(a.start, a.end))) bump(a.label, normalizeEntity(a.text), a.text);
  }
  return toEntityCounts(counts.values());
}

/**
 * Calls `visit` with a document's names and their counts, as entityCountsOf gives them. A
 * document without decisions on names (most of a corpus) has its found names as its counts:
 * they are visited one mention at a time (count 1), without a table per document; a name
 * is then visited once per mention, and its text is that of its first mention, as in the table.
 */
export function eachEntityMention(s: DocumentSummary, visit: (label: string, normalized: string, text: string, count: number) => void): void {
  if (s.decided.some((a) => a.kind === 'entity')) return eachEntityCount(entityCountsOf(s), visit);
  const f = s.found;
  for (let i = 0; i < f.normalized.length; i++) visit(observedLabel(f, i)!, f.normalized[i], f.text[i], 1);
}

/** A code point span as one number: exact for offsets below 2^26 (documents are refused long before that). */
function spanKey(start: number, end: number): number {
  return start * 67108864 + end;
}

function toEntityCounts(list: Iterable<EntityCount>): EntityCounts {
  const out: EntityCounts = { normalized: [], text: [], packed: [], labels: [] };
  for (const c of list) {
    let l = out.labels.indexOf(c.label);
    if (l < 0) l = out.labels.push(c.label) - 1;
    out.normalized.push(c.normalized);
    out.text.push(c.text === c.normalized ? c.normalized : c.text);
    out.packed.push(c.count * 256 + l); // see entityLabelIndex, entityCount
  }
  return out;
}
