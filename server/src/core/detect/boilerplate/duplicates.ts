/**
 * Paragraphs that occur twice in one page: scrapers keep both the teaser and
 * the body copy of a lead, or the same paragraph once with a "Site Name:"
 * prefix. Exact copies match on the folded key, near copies on word 3-gram
 * overlap, prefixed copies on the text after a short leading "Name:".
 */
import type { Line } from './features';

export interface DuplicateLink {
  /** Index (into the lines array) of the other copy. */
  other: number;
  kind: 'exact' | 'near' | 'prefixed';
  similarity: number;
}

/** Long enough that two copies are not a coincidence (menus repeat by design). */
const MIN_WORDS = 8;
const NEAR_JACCARD = 0.7;
const PREFIX_MAX_WORDS = 5;
const MAX_OWNERS = 16;

/**
 * A line's word 3-grams as keys made of its words' numbers in the page (`ids`): the same
 * 3-gram gets the same key, without a string of its words built per 3-gram (those strings were
 * a third of this detector's time). A key is one number while a page has fewer than 2^17
 * words (3 × 17 bits, within a double's 53); the numbers as text beyond that.
 */
type ShingleKey = number | string;
function shingleSet(words: readonly string[], ids: Map<string, number>, numeric: boolean): Set<ShingleKey> {
  const s = new Set<ShingleKey>();
  let a = -1;
  let b = -1;
  for (let i = 0; i < words.length; i++) {
    let c = ids.get(words[i]!);
    if (c === undefined) ids.set(words[i]!, (c = ids.size));
    if (i >= 2) s.add(numeric ? (a * WORD_IDS + b) * WORD_IDS + c : `${a} ${b} ${c}`);
    a = b;
    b = c;
  }
  return s;
}
const WORD_IDS = 1 << 17;

// A short "Name:" / "Name -" / "CITY (Agency) —" lead-in before the body.
const PREFIX_RE = /^[^:：\-–—]{1,60}?\s*[:：\-–—]\s+/u;

/**
 * For each line, the earlier line it duplicates (if any). Only the later
 * copy is linked, so callers can decide which of the two to keep.
 */
export function findDuplicates(lines: readonly Line[]): Map<number, DuplicateLink> {
  const out = new Map<number, DuplicateLink>();
  const byKey = new Map<string, number>();
  const shingleOwners = new Map<ShingleKey, number[]>();
  const sets: (Set<ShingleKey> | undefined)[] = [];
  const ids = new Map<string, number>();
  let words = 0;
  for (const l of lines) words += l.words.length;
  const numeric = words < WORD_IDS;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.words.length < MIN_WORDS) continue;
    const key = l.words.join(' ');
    const prev = byKey.get(key);
    if (prev !== undefined) {
      out.set(i, { other: prev, kind: 'exact', similarity: 1 });
      continue;
    }
    byKey.set(key, i);
    const set = shingleSet(l.words, ids, numeric);
    sets[i] = set;
    // Candidate earlier lines sharing any shingle, scored by overlap count.
    const shared = new Map<number, number>();
    for (const sh of set) {
      const owners = shingleOwners.get(sh);
      if (owners) for (const o of owners) shared.set(o, (shared.get(o) ?? 0) + 1);
    }
    let best: DuplicateLink | undefined;
    for (const [o, inter] of shared) {
      const other = sets[o]!;
      // One copy containing the other almost whole: a prefix or suffix was added.
      const contain = inter / Math.min(set.size, other.size);
      const extra = Math.abs(l.words.length - lines[o]!.words.length);
      if (contain >= 0.95 && extra > 0 && extra <= PREFIX_MAX_WORDS) {
        if (!best || best.kind !== 'prefixed' || contain > best.similarity) best = { other: o, kind: 'prefixed', similarity: contain };
        continue;
      }
      const jac = inter / (set.size + other.size - inter);
      if (jac >= NEAR_JACCARD && (!best || (best.kind === 'near' && jac > best.similarity))) best = { other: o, kind: 'near', similarity: jac };
    }
    if (!best) {
      const m = PREFIX_RE.exec(l.folded);
      if (m && m[0].split(' ').length <= PREFIX_MAX_WORDS + 1) {
        const rest = (l.folded.slice(m[0].length).match(/[\p{L}\p{N}_]+/gu) ?? []).join(' ');
        const o = byKey.get(rest);
        if (o !== undefined && o !== i) best = { other: o, kind: 'prefixed', similarity: 1 };
      }
    }
    if (best) out.set(i, best);
    for (const sh of set) {
      const owners = shingleOwners.get(sh);
      // Bounded so that thousands of near-identical rows (tables, listings)
      // stay linear; the first copies already carry the shingle.
      if (!owners) shingleOwners.set(sh, [i]);
      else if (owners.length < MAX_OWNERS) owners.push(i);
    }
  }
  return out;
}
