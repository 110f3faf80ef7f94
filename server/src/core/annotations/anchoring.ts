/**
 * Re-anchoring stored annotations to a document text that changed outside the
 * editor (git pull, another tool, a re-scrape). Each annotation is kept where
 * its text still is; otherwise the best exact occurrence of its text is chosen
 * by context (prefix/suffix) similarity and closeness to where it was
 * expected; otherwise a bounded fuzzy search near the expected place allows a
 * small edit of the annotated text itself. Whatever cannot be placed with
 * confidence is kept with `orphaned: true` — never dropped, never guessed.
 */
import type { SidecarAnnotation } from '../../protocol';
import { codePointLength, TextIndex } from '../text/offsets';
import { CONTEXT_LENGTH, contextAt, headCodePoints, STRONG_CONTEXT, strongContext, tailCodePoints } from './context';
import { approximateMatches, commonPrefixLength, commonSuffixLength, similarity } from './similarity';
import { lowerBound } from '../text/lowerBound';

export { applyEdits, applyTextEdits, type ApplyEditsResult, type TextEdit } from './edits';

export interface ReanchorOptions {
  /** Timestamp for `modified` of annotations whose text was fuzzily updated. */
  now?: Date;
  /** Longest annotated text (code points) that gets a fuzzy search; longer ones must match exactly. */
  maxFuzzyLength?: number;
  /** Code points searched on each side of the expected place in the fuzzy search (default 600; windows around matching context are searched too). */
  fuzzyWindow?: number;
  /**
   * Most text units the searches may scan in total (default SEARCH_BUDGET).
   * Hostile or unrelated input (200,000 annotations whose texts occur
   * nowhere) would otherwise cost a scan of the whole text each; once spent,
   * the annotations not yet placed are kept as orphans (re-attachable, and
   * tried again on the next load) — never dropped.
   */
  searchBudget?: number;
}

/** 5·10¹⁰ units: seconds of string search at worst (~10,000 searches of a 1.2 MB text), far above what real edits need. */
export const SEARCH_BUDGET = 5e10;

/** Counts the units searched; `spent` once over the budget. */
class Budget {
  private used = 0;
  constructor(private readonly limit: number) {}
  charge(units: number): void {
    this.used += units;
  }
  get spent(): boolean {
    return this.used > this.limit;
  }
}

export interface ReanchorResult {
  /**
   * The annotations that were placed (no `orphaned` flag), in input order, with
   * fresh offsets and context. Disjoint from `orphans`: keep
   * `[...annotations, ...orphans]` — together they are every input annotation.
   */
  annotations: SidecarAnnotation[];
  /** The annotations that could not be placed, with `orphaned: true`, in input order. Never dropped. */
  orphans: SidecarAnnotation[];
  /** How many annotations got new offsets (including re-attached former orphans and fuzzy matches). */
  moved: number;
  /** Ids of annotations placed by the fuzzy search: their `text` was updated and `modified` set; worth a review. */
  fuzzy: string[];
}

interface Candidate {
  start: number;
  end: number;
  score: number;
  context: number;
  /** The nearest code points of context on both sides agree exactly (see strongContext). */
  strong?: boolean;
}

/** Weight of closeness to the expected place, relative to context similarity (max 2). */
const DISTANCE_WEIGHT = 0.5;
/** Scale (code points) of the closeness score: 1/(1+d/scale). */
const DISTANCE_SCALE = 64;
/** A best candidate must beat the runner-up by this much. */
const MIN_MARGIN = 0.05;
/** Context similarity (prefix + suffix, max 2) needed to accept a place that is not unique. Unrelated places score ~0.4. */
const GOOD_CONTEXT = 1.0;
/** A text this long (code points) occurring exactly once is accepted even if its context changed completely. */
const UNIQUE_ALONE = 8;
/** Max candidates that get the full (edit distance) context score. */
const MAX_SCORED = 16;

/**
 * Places `annotations` (orphans included: a former orphan whose text is found
 * again is re-attached) in `text`. Pure; inputs are not mutated.
 */
export function reanchor(text: string, annotations: readonly SidecarAnnotation[], options: ReanchorOptions = {}): ReanchorResult {
  const index = new TextIndex(text);
  const len = index.codePointLength;
  const now = (options.now ?? new Date()).toISOString();
  const maxFuzzy = options.maxFuzzyLength ?? 256;
  const window = options.fuzzyWindow ?? 600;
  const budget = new Budget(options.searchBudget ?? SEARCH_BUDGET);
  const occurrences = new Map<string, number>();
  const search: Search = { index, text, window, budget, occurrences };

  const placed = new Array<{ start: number; end: number; fuzzyText?: string } | undefined>(annotations.length);
  /**
   * Spans already taken, per kind+label → the old span of the annotation that took it: two
   * annotations that were at different places never collapse onto one span (duplicates that were
   * on the same span may move together).
   */
  const claimed = new Map<string, string>();
  const taken = (a: SidecarAnnotation, s: number, e: number): boolean => {
    const by = claimed.get(claimKey(a, s, e));
    return by !== undefined && by !== `${a.start}:${a.end}`;
  };
  const claimKey = (a: SidecarAnnotation, s: number, e: number): string => `${a.kind}\u0000${a.label ?? a.category ?? ''}\u0000${s}\u0000${e}`;

  // Pass 1: annotations still exactly in place with their context intact (the common case) stay put.
  annotations.forEach((a, i) => {
    if (a.text === '' || a.end > len || index.sliceCodePoints(a.start, a.end) !== a.text) return;
    const ctx = contextAt(index, a.start, a.end);
    const noContext = a.prefix === '' && a.suffix === '';
    // Context merely similar: let pass 2 weigh this place against the other occurrences.
    if (noContext || (ctx.prefix === a.prefix && ctx.suffix === a.suffix)) {
      // A former orphan whose text is back exactly where it was also lands here.
      placed[i] = { start: a.start, end: a.end };
      claimed.set(claimKey(a, a.start, a.end), `${a.start}:${a.end}`);
    }
  });

  const place = (i: number, a: SidecarAnnotation, st: number, en: number): void => {
    placed[i] = { start: st, end: en };
    claimed.set(claimKey(a, st, en), `${a.start}:${a.end}`);
  };

  // Pass 2: most edits shift whole stretches of text by one amount. Walk the annotations in old
  // offset order carrying the last observed shift; accept a place only on strong context evidence.
  const order = annotations.map((_, i) => i).sort((x, y) => annotations[x].start - annotations[y].start);
  let delta = 0;
  for (const i of order) {
    const a = annotations[i];
    const p = placed[i];
    if (p) {
      delta = p.start - a.start;
      continue;
    }
    if (a.text === '') continue;
    const m = codePointLength(a.text);
    const guess = a.start + delta;
    if (guess >= 0 && guess + m <= len && !taken(a, guess, guess + m) && index.sliceCodePoints(guess, guess + m) === a.text) {
      if (strongContext(a, contextAt(index, guess, guess + m))) {
        place(i, a, guess, guess + m);
        continue;
      }
    }
    if (budget.spent) continue;
    const { cands } = exactCandidates(search, a, clamp(guess, 0, len));
    const strong = cands.filter((c) => c.strong && c.context >= GOOD_CONTEXT && !taken(a, c.start, c.end));
    if (strong.length === 1) {
      place(i, a, strong[0].start, strong[0].end);
      delta = strong[0].start - a.start;
    }
  }

  // Offset shift observed around already placed annotations, to predict where the others went.
  const anchors = () =>
    annotations
      .map((a, i) => ({ old: a.start, now: placed[i]?.start }))
      .filter((x): x is { old: number; now: number } => x.now !== undefined)
      .sort((x, y) => x.old - y.old);
  let known = anchors();
  const expectedStart = (a: SidecarAnnotation): number => {
    if (known.length === 0) return Math.min(a.start, len);
    const lo = lowerBound(known.length, (i) => known[i].old < a.start);
    const near = [known[lo - 1], known[lo]].filter((x) => x !== undefined);
    const best = near.reduce((p, q) => (Math.abs(q.old - a.start) < Math.abs(p.old - a.start) ? q : p));
    return clamp(a.start + (best.now - best.old), 0, len);
  };

  // Pass 3: the remaining ones weigh every plausible occurrence; the most confident choose first.
  const pending = annotations.map((_, i) => i).filter((i) => placed[i] === undefined && annotations[i].text !== '');
  const choices = pending.flatMap((i) => {
    if (budget.spent) return [];
    const a = annotations[i];
    return [{ i, ...exactCandidates(search, a, expectedStart(a)) }];
  });
  choices.sort((x, y) => (y.cands[0]?.score ?? -1) - (x.cands[0]?.score ?? -1));
  for (const { i, cands, total } of choices) {
    const a = annotations[i];
    const free = cands.filter((c) => !taken(a, c.start, c.end));
    const best = free[0];
    if (!best) continue;
    const second = free[1];
    const noContext = a.prefix === '' && a.suffix === '';
    // A unique occurrence of a long text is trusted on its own; shorter texts need some context support.
    const m = codePointLength(a.text);
    const support = m >= UNIQUE_ALONE ? 0 : m >= 3 ? 0.5 : GOOD_CONTEXT;
    const unique = total === 1 && (noContext || best.context >= support);
    const confident =
      unique ||
      (best.context >= GOOD_CONTEXT && (second === undefined || best.score - second.score >= MIN_MARGIN)) ||
      (noContext && (second === undefined || best.score > second.score));
    if (confident) place(i, a, best.start, best.end);
  }

  // Pass 4: fuzzy search near the expected place for short texts that were themselves edited.
  known = anchors();
  for (const i of pending) {
    if (placed[i]) continue;
    const a = annotations[i];
    const m = Array.from(a.text);
    if (m.length < 4 || m.length > maxFuzzy) continue; // too short to match fuzzily without false hits
    if (budget.spent) break;
    const hit = fuzzyCandidate(search, a, m, expectedStart(a), (s, e) => taken(a, s, e));
    if (!hit) continue;
    place(i, a, hit.start, hit.end);
    placed[i] = { start: hit.start, end: hit.end, fuzzyText: index.sliceCodePoints(hit.start, hit.end) };
  }

  const out: SidecarAnnotation[] = [];
  const orphans: SidecarAnnotation[] = [];
  const fuzzy: string[] = [];
  let moved = 0;
  annotations.forEach((a, i) => {
    const p = placed[i];
    if (!p) {
      // Offsets of an orphan are only a hint; keep them inside the text so ranges can still be shown.
      const n: SidecarAnnotation = { ...a, orphaned: true };
      if (n.end > len) n.end = len;
      if (n.start > n.end) n.start = n.end;
      orphans.push(n);
      return;
    }
    const { prefix, suffix } = contextAt(index, p.start, p.end);
    const n: SidecarAnnotation = { ...a, start: p.start, end: p.end, prefix, suffix };
    delete n.orphaned;
    if (p.fuzzyText !== undefined) {
      n.text = p.fuzzyText;
      n.modified = now;
      fuzzy.push(a.id);
    }
    if (p.start !== a.start || p.end !== a.end || a.orphaned || p.fuzzyText !== undefined) moved++;
    out.push(n);
  });
  return { annotations: out, orphans, moved, fuzzy };
}

/**
 * Prefix + suffix similarity in [0,2] between stored context and the context
 * of a candidate place. Per side: half "how many characters right next to the
 * span still agree" (discriminating: unrelated places share almost none), half
 * normalised edit distance (tolerant of small edits further away).
 */
function contextScore(a: SidecarAnnotation, prefix: string, suffix: string): number {
  return sideScore(a.prefix, prefix, commonSuffixLength) + sideScore(a.suffix, suffix, commonPrefixLength);
}

function sideScore(stored: string, actual: string, adjacent: (x: string, y: string) => number): number {
  if (stored === '' || actual === '') return stored === actual ? 1 : 0; // at a document edge, or not any more
  return 0.5 * (adjacent(stored, actual) / stored.length) + 0.5 * similarity(stored, actual);
}

function closeness(start: number, expected: number): number {
  return DISTANCE_WEIGHT / (1 + Math.abs(start - expected) / DISTANCE_SCALE);
}

interface Candidates {
  /** Best first; at most MAX_SCORED. */
  cands: Candidate[];
  /** Occurrences of the text in the whole document, counted up to 2 (2 means "several"). */
  total: number;
}

/**
 * Plausible exact occurrences of the annotation's text, best first: those
 * still next to a piece of the stored context, those near the expected place,
 * and — only when there is nothing better — the first ones in the document.
 * Bounded so that a very common text ("the") does not cost a full scan with
 * context comparison for every occurrence.
 */
interface Search {
  index: TextIndex;
  text: string;
  window: number;
  budget: Budget;
  /** Occurrences of a text in the whole document (0, 1, or 2 for "several"), by text: names repeat. */
  occurrences: Map<string, number>;
}

function exactCandidates(search: Search, a: SidecarAnnotation, expected: number): Candidates {
  const { index, text, window, budget } = search;
  const m = codePointLength(a.text);
  const starts = new Set<number>();
  const addUnit = (u: number): void => {
    const s = index.toCodePoint(u);
    if (index.toUtf16(s) === u) starts.add(s); // a match inside a surrogate pair is not a real occurrence
  };
  const scan = (needle: string, from: number, until: number, max: number, offset: number): void => {
    let n = 0;
    let last = from;
    for (let u = text.indexOf(needle, from); u >= 0 && u <= until && n < max; u = text.indexOf(needle, u + 1), n++) {
      addUnit(u + offset);
      last = u;
    }
    // What indexOf walked: to the last hit, or to the end when it stopped finding.
    budget.charge(n < max ? text.length - from : last - from);
  };
  const pre = tailCodePoints(a.prefix, STRONG_CONTEXT);
  const suf = headCodePoints(a.suffix, STRONG_CONTEXT);
  if (pre) scan(pre + a.text, 0, text.length, 32, pre.length);
  if (suf) scan(a.text + suf, 0, text.length, 32, 0);
  const len = index.codePointLength;
  scan(a.text, index.toUtf16(clamp(expected - window, 0, len)), index.toUtf16(clamp(expected + window, 0, len)), 256, 0);
  let total = search.occurrences.get(a.text);
  let first = -1;
  if (total === undefined || (starts.size === 0 && total > 0)) {
    first = text.indexOf(a.text);
    total = first < 0 ? 0 : text.indexOf(a.text, first + 1) < 0 ? 1 : 2;
    budget.charge(text.length);
    search.occurrences.set(a.text, total);
  }
  if (starts.size === 0 && first >= 0) scan(a.text, first, text.length, 256, 0);

  const quick = [...starts].map((s) => {
    const ctx = contextAt(index, s, s + m);
    // Cheap pre-score: how many characters next to the span still agree, plus closeness.
    const q = (commonSuffixLength(a.prefix, ctx.prefix) + commonPrefixLength(a.suffix, ctx.suffix)) / (2 * CONTEXT_LENGTH) + closeness(s, expected);
    return { s, q, ctx };
  });
  quick.sort((x, y) => y.q - x.q);
  const cands = quick.slice(0, MAX_SCORED).map(({ s, ctx }) => {
    const context = contextScore(a, ctx.prefix, ctx.suffix);
    return { start: s, end: s + m, context, score: context + closeness(s, expected), strong: strongContext(a, ctx) };
  });
  cands.sort((x, y) => y.score - x.score || x.start - y.start);
  return { cands, total };
}

/**
 * Bounded approximate search: windows around the expected place and around
 * places where the stored prefix/suffix still occur. Accepts a match within
 * 25% edits of the text only if its context agrees well.
 */
function fuzzyCandidate(search: Search, a: SidecarAnnotation, pattern: string[], expected: number, isClaimed: (s: number, e: number) => boolean): Candidate | undefined {
  const { index, window, budget } = search;
  const len = index.codePointLength;
  const maxDist = Math.max(1, Math.floor(pattern.length / 4));
  const ranges: [number, number][] = [[expected - window, expected + pattern.length + window]];
  // Context anchors: the stored prefix's tail ends where the text starts; the suffix's head begins where it ends.
  const text = index.text;
  const probe = (needle: string, toStart: (cp: number) => number): void => {
    if (Array.from(needle).length < 8) return;
    let count = 0;
    budget.charge(text.length);
    for (let u = text.indexOf(needle); u >= 0 && count < 8; u = text.indexOf(needle, u + 1), count++) {
      const c = toStart(index.toCodePoint(u));
      ranges.push([c - maxDist - 8, c + pattern.length + maxDist + 8]);
    }
  };
  const pre = Array.from(a.prefix).slice(-16).join('');
  const suf = Array.from(a.suffix).slice(0, 16).join('');
  probe(pre, (cp) => cp + Array.from(pre).length);
  probe(suf, (cp) => cp - pattern.length);

  let best: Candidate | undefined;
  const seen = new Set<string>();
  for (const [lo0, hi0] of ranges) {
    const lo = clamp(lo0, 0, len);
    const hi = clamp(hi0, lo, len);
    const slice = Array.from(index.sliceCodePoints(lo, hi));
    budget.charge(slice.length * pattern.length);
    for (const h of approximateMatches(pattern, slice, maxDist)) {
      const s = lo + h.start;
      const e = lo + h.end;
      const key = `${s}:${e}`;
      if (seen.has(key) || isClaimed(s, e)) continue;
      seen.add(key);
      if (!/\S/u.test(index.sliceCodePoints(s, e))) continue;
      const ctx = contextAt(index, s, e);
      const context = contextScore(a, ctx.prefix, ctx.suffix);
      // Context must vouch for a fuzzy hit: a similar string elsewhere is not the same mention.
      if (context < GOOD_CONTEXT) continue;
      const score = context + closeness(s, expected) - h.distance / pattern.length;
      if (!best || score > best.score) best = { start: s, end: e, score, context };
    }
  }
  return best;
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}
