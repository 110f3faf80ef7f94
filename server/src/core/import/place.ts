/**
 * Placing imported annotations onto the corpus file's own text, for when the
 * imported text differs from it (CoNLL rebuilds text with single spaces and
 * drops boilerplate; other tools normalise whitespace).
 *
 * Both texts are compared without separators (whitespace, controls, bidi
 * marks — see tokenize.ts). The imported sequence is aligned to the corpus
 * one in a single forward pass: runs that agree are matched a window at a
 * time, and where they disagree the next window of imported text is looked
 * up further on in the corpus (text the import left out, typically
 * boilerplate). A partial match before such a gap is only accepted up to an
 * imported token boundary, since exporters drop whole tokens, which keeps a
 * chance one-letter agreement with the dropped text from being taken.
 * An annotation whose characters are all aligned is mapped through the
 * alignment; otherwise its text is searched in the corpus, the occurrence
 * whose surroundings best match winning (ties: the first after the
 * previously placed annotation). Placed spans start and end on
 * non-separator characters. What cannot be found is returned as unplaced.
 */
import { isSeparator } from '../export/tokenize';
import type { ImportedAnnotation, ImportedDocument } from './index';

export interface UnplacedAnnotation {
  annotation: ImportedAnnotation;
  reason: string;
}

export interface PlacementResult {
  /** Annotations with offsets into the corpus text (code points). */
  annotations: ImportedAnnotation[];
  unplaced: UnplacedAnnotation[];
}

/** Code points of the context compared on each side of a candidate. */
const CONTEXT = 32;
/** Elements compared at once by the aligner; also the length of the text looked up to resynchronise. */
const WINDOW = 32;
/** Resynchronisations that find nothing before the aligner gives up (the texts are unrelated). */
const MAX_FAILURES = 256;

/** Separator-free view of a text. */
interface Stream {
  /** The non-separator code points, joined. */
  str: string;
  /** Code point offset (in the text) of each stream element. */
  pos: number[];
  /** UTF-16 index in `str` of each stream element (plus one past the end). */
  unit: number[];
  /** Stream index of each UTF-16 index of `str` that starts an element, else -1. */
  elemAt: Int32Array;
  /** Number of stream elements before each code point offset of the text (length n+1). */
  before: Int32Array;
}

function stream(text: string): Stream {
  const cps = Array.from(text);
  const pos: number[] = [];
  const unit: number[] = [];
  const parts: string[] = [];
  const before = new Int32Array(cps.length + 1);
  let u = 0;
  for (let i = 0; i < cps.length; i++) {
    before[i] = pos.length;
    if (isSeparator(cps[i])) continue;
    pos.push(i);
    unit.push(u);
    parts.push(cps[i]);
    u += cps[i].length;
  }
  before[cps.length] = pos.length;
  unit.push(u);
  const str = parts.join('');
  const elemAt = new Int32Array(str.length).fill(-1);
  unit.forEach((v, k) => {
    if (k < pos.length) elemAt[v] = k;
  });
  return { str, pos, unit, elemAt, before };
}

export function placeImported(corpusText: string, imported: ImportedDocument): PlacementResult {
  const result: PlacementResult = { annotations: [], unplaced: [] };
  const importedLength = imported.text.length === 0 ? 0 : Array.from(imported.text).length;
  const valid = imported.annotations.filter((a) => {
    const ok = Number.isInteger(a.start) && Number.isInteger(a.end) && a.start >= 0 && a.end <= importedLength && a.start < a.end;
    if (!ok) result.unplaced.push({ annotation: a, reason: `span ${a.start}-${a.end} is outside the imported text` });
    return ok;
  });
  if (corpusText === imported.text) {
    result.annotations.push(...valid.map((a) => ({ ...a })));
    return result;
  }
  const from = stream(imported.text);
  const to = stream(corpusText);
  const map = from.str === to.str ? undefined : align(from, to);
  // Annotations in text order, so "after the previous one" means something.
  const ordered = [...valid].sort((a, b) => a.start - b.start || b.end - a.end);
  let cursor = 0;
  for (const a of ordered) {
    const s = from.before[a.start];
    const e = from.before[a.end];
    if (s === e) {
      result.unplaced.push({ annotation: a, reason: 'the span contains only whitespace' });
      continue;
    }
    let first: number;
    let last: number;
    if (!map) {
      first = s;
      last = e - 1;
    } else if (alignedRun(map, s, e)) {
      first = map[s];
      last = map[e - 1];
    } else {
      const at = search(from, to, s, e, cursor);
      if (at === undefined) {
        result.unplaced.push({ annotation: a, reason: 'its text was not found in the corpus file' });
        continue;
      }
      first = at;
      last = at + (e - s) - 1;
    }
    result.annotations.push({ ...a, start: to.pos[first], end: to.pos[last] + 1 });
    cursor = last + 1;
  }
  result.annotations.sort((x, y) => x.start - y.start || y.end - x.end);
  return result;
}

/** Every element of s..e-1 aligned, in one contiguous run of the corpus. */
function alignedRun(map: Int32Array, s: number, e: number): boolean {
  if (map[s] < 0) return false;
  for (let k = s + 1; k < e; k++) if (map[k] !== map[s] + (k - s)) return false;
  return true;
}

/** Monotone alignment: corpus stream index of each imported stream element, or -1. */
function align(from: Stream, to: Stream): Int32Array {
  const m = from.pos.length;
  const n = to.pos.length;
  const map = new Int32Array(m).fill(-1);
  // An imported element starts a token when separators (or nothing) precede it.
  const tokenStart = (k: number): boolean => k === 0 || k >= m || from.pos[k] - from.pos[k - 1] > 1;
  let i = 0;
  let j = 0;
  let failures = 0;
  while (i < m && j < n) {
    const w = Math.min(WINDOW, m - i);
    const win = from.str.slice(from.unit[i], from.unit[i + w]);
    if (to.str.startsWith(win, to.unit[j])) {
      for (let k = 0; k < w; k++) map[i + k] = j + k;
      i += w;
      j += w;
      continue;
    }
    // Agreement before the texts part, kept only up to a token boundary.
    let common = 0;
    while (common < w && j + common < n && elem(from, i + common) === elem(to, j + common)) common++;
    while (common > 0 && !tokenStart(i + common)) common--;
    for (let k = 0; k < common; k++) map[i + k] = j + k;
    i += common;
    j += common;
    if (i >= m) break;
    const found = findElement(to, from.str.slice(from.unit[i], from.unit[Math.min(m, i + WINDOW)]), j);
    if (found > j) {
      j = found;
      continue;
    }
    if (found === j) continue;
    // Nothing ahead matches this imported element: leave it unaligned.
    if (++failures > MAX_FAILURES) break;
    i++;
  }
  return map;
}

/** First stream index >= from where `needle` starts on an element boundary, or -1. */
function findElement(st: Stream, needle: string, from: number): number {
  for (let u = st.str.indexOf(needle, st.unit[from]); u >= 0; u = st.str.indexOf(needle, u + 1)) {
    if (st.elemAt[u] >= 0) return st.elemAt[u];
  }
  return -1;
}

/** Stream index in `to` where elements s..e of `from` are best placed, or undefined. */
function search(from: Stream, to: Stream, s: number, e: number, cursor: number): number | undefined {
  const needle = from.str.slice(from.unit[s], from.unit[e]);
  let best: number | undefined;
  let bestScore = -1;
  let bestAfterCursor = false;
  for (let u = to.str.indexOf(needle); u >= 0; u = to.str.indexOf(needle, u + 1)) {
    const k = to.elemAt[u];
    if (k < 0) continue; // would start inside a surrogate pair
    const len = e - s;
    let score = 0;
    while (score < CONTEXT && s - 1 - score >= 0 && k - 1 - score >= 0 && elem(from, s - 1 - score) === elem(to, k - 1 - score)) score++;
    let after = 0;
    while (after < CONTEXT && e + after < from.pos.length && k + len + after < to.pos.length && elem(from, e + after) === elem(to, k + len + after)) after++;
    score += after;
    const afterCursor = k >= cursor;
    if (score > bestScore || (score === bestScore && afterCursor && !bestAfterCursor)) {
      best = k;
      bestScore = score;
      bestAfterCursor = afterCursor;
    }
  }
  return best;
}

function elem(st: Stream, k: number): string {
  return st.str.slice(st.unit[k], st.unit[k + 1]);
}
