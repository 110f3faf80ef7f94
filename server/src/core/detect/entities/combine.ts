/**
 * Merges what the detectors found in one document into one list of
 * non-overlapping candidates (token ranges), and propagates names within
 * the document: a later mention of a name found once (or the short form of a
 * full personal name: جيلاني after جليل عباس جيلاني) gets the same label.
 */
import { PROCLITICS } from '../../text/arabic';
import { ownString } from '../../text/ownString';
import { WordCache } from '../../text/wordCache';
import type { EntityFacts } from '../types';
import type { Analysis } from './pipeline';
import { factsOf, type Gazetteer, type GazetteerMatch } from './gazetteer';
import type { TaggedSpan } from './pipeline';
import { triggerSpans, type TriggerSpan } from './triggers';
import { firstToken, type CorpusNames } from './corpus';

/** The corpus memory a document is matched against, and the document's own id there (left out). */
export interface CorpusContext {
  names: CorpusNames;
  docId?: string;
}

export interface Candidate {
  first: number;
  last: number;
  /** Folded units of the first token left out (proclitics). */
  skip: number;
  label: string;
  confidence: number;
  source: string;
  facts?: EntityFacts;
}

/** Confidence given to a gazetteer match that the tagger did not find. */
export const GAZETTEER_ONLY_CONFIDENCE = 0.45;
/** Confidence of a propagated mention, relative to its source mention. */
const PROPAGATED_FACTOR = 0.9;

/** Name particles that cannot stand alone as a short mention. */
const PARTICLES = new Set(['عبد', 'بن', 'ابن', 'ابو', 'بنت', 'ام', 'ال', 'دي', 'دو', 'فان', 'فون', 'لا', 'اف', 'ولد']);
/** Particles that continue an Arabic name (folded): عبد, بن, ابن, أبو, بنت, آل, ولد. */
const JOINING = new Set(['عبد', 'بن', 'ابن', 'ابو', 'بنت', 'ال', 'ولد']);

/**
 * The candidates never overlap one another, so which of them a span touches
 * is read off a token → candidate table instead of scanning them all: a
 * multi-megabyte document has tens of thousands of candidates and matches.
 */
class Candidates {
  readonly list: Candidate[];
  private readonly owner: (Candidate | undefined)[];

  constructor(tokens: number, initial: Candidate[]) {
    this.list = [];
    this.owner = new Array<Candidate | undefined>(tokens);
    for (const c of initial) this.add(c);
  }

  /** The candidates overlapping tokens [first, last), in token order. */
  overlapping(span: { first: number; last: number }): Candidate[] {
    const out: Candidate[] = [];
    for (let i = span.first; i < span.last; i++) {
      const c = this.owner[i];
      if (c && out[out.length - 1] !== c) out.push(c);
    }
    return out;
  }

  add(c: Candidate): void {
    this.list.push(c);
    for (let i = c.first; i < c.last; i++) this.owner[i] = c;
  }

  remove(c: Candidate): void {
    this.list.splice(this.list.indexOf(c), 1);
    for (let i = c.first; i < c.last; i++) if (this.owner[i] === c) this.owner[i] = undefined;
  }
}

/**
 * The units of token `i`'s folded form a name starting there leaves out: its proclitics
 * (وبريطانيا → بريطانيا), unless they are the first letters of the name. The stripping is
 * decided for the features by how common the rest is (arabic.ts procliticLength), so a name
 * whose rest is a frequent word lost its first letters: كوفي read as ك + وفي ("and in"),
 * وليد as ول + يد, فيصل as ف + يصل. Where the whole word is a name (a Wikidata person-name
 * token or a single-word gazetteer name) and the rest is not, the name keeps its letters;
 * a shorter proclitic is left out instead when what follows it is the name (وكوفي → كوفي).
 */
export function nameSkip(a: Analysis, i: number): number {
  const { folded, clitic } = a.infos[i];
  if (!clitic) return 0;
  const gaz = a.ctx.gazetteer;
  // Asked for every token with a proclitic (propagation), and a word's answer is the same in
  // every document: kept per gazetteer and word, with the proclitic it was decided for (the
  // analysis' word frequencies decide that one).
  let known = nameSkips.get(gaz);
  if (!known) nameSkips.set(gaz, (known = new WordCache(MAX_NAME_SKIPS)));
  const hit = known.get(folded);
  if (hit !== undefined && hit >> 2 === clitic) return hit & 3;
  const isName = (w: string) => gaz.nameTokens.has(w) || gaz.words.has(w);
  let skip = clitic;
  if (!isName(folded.slice(clitic))) {
    for (let k = clitic - 1; k >= 0; k--) {
      if ((k === 0 || PROCLITICS.includes(folded.slice(0, k))) && isName(folded.slice(k))) {
        skip = k;
        break;
      }
    }
  }
  // A string of its own: a slice kept in the cache would keep its whole article alive.
  known.set(ownString(folded), (clitic << 2) | skip);
  return skip;
}
/** nameSkip's answers: word → proclitic length × 4 + units left out (both at most 2). */
const nameSkips = new WeakMap<Gazetteer, WordCache<number>>();
/** Bound of that cache (emptied when full, then refilled by the words in use: text/wordCache.ts). */
const MAX_NAME_SKIPS = 50_000;

export function combine(a: Analysis, tagged: TaggedSpan[], gazetteerOn: boolean, corpus?: CorpusContext): Candidate[] {
  const set = new Candidates(a.tokens.length, tagged.map((t) => ({ ...t, skip: nameSkip(a, t.first), source: 'tagger' })));
  if (gazetteerOn) for (const m of a.matches) mergeGazetteer(a, set, m);
  for (const t of triggerSpans(a)) mergeTrigger(a, set, t);
  const cands = set.list;
  cands.sort((x, y) => x.first - y.first);
  joinNameParts(a, cands);
  propagate(a, cands, corpus);
  return cands.sort((x, y) => x.first - y.first);
}

function mergeGazetteer(a: Analysis, cands: Candidates, m: GazetteerMatch): void {
  const inside = cands.overlapping(m);
  const same = inside.find((c) => c.first === m.first && c.last === m.last);
  if (same) {
    if (same.label === m.entry.l) {
      same.confidence = 1 - (1 - same.confidence) * 0.5;
      same.source += '+gazetteer';
      same.facts = factsOf(m.entry);
      same.skip = m.skip;
    }
    return;
  }
  if (inside.length) {
    // A multiword name the tagger split into pieces of the same label (سيستان | وبلوشستان):
    // the gazetteer's whole span wins when every piece lies inside it.
    // One piece inside a longer entry (لبنان in جنوب لبنان) is the tagger's call to make.
    if (inside.length < 2 || !inside.every((c) => c.label === m.entry.l && c.first >= m.first && c.last <= m.last)) return;
    const conf = Math.max(...inside.map((c) => c.confidence));
    for (const c of inside) cands.remove(c);
    cands.add({ first: m.first, last: m.last, skip: m.skip, label: m.entry.l, confidence: 1 - (1 - conf) * 0.5, source: 'tagger+gazetteer', facts: factsOf(m.entry) });
    return;
  }
  const key = a.tokens
    .slice(m.first, m.last)
    .map((t, k) => (k === 0 ? t.folded.slice(m.skip) : t.folded))
    .join(' ');
  if (a.ctx.gazetteer.blacklist.has(key)) return;
  cands.add({ first: m.first, last: m.last, skip: m.skip, label: m.entry.l, confidence: GAZETTEER_ONLY_CONFIDENCE, source: 'gazetteer', facts: factsOf(m.entry) });
}

/**
 * Joins a personal name the tagger cut before a name particle
 * (حسين أمير | عبد اللهيان, محمد | بن سلمان): a particle cannot start a new name
 * right after another one.
 */
function joinNameParts(a: Analysis, cands: Candidate[]): void {
  for (let k = cands.length - 1; k > 0; k--) {
    const prev = cands[k - 1];
    const c = cands[k];
    if (prev.label !== 'PER' || c.label !== 'PER' || prev.last !== c.first || c.skip) continue;
    if (!JOINING.has(a.infos[c.first].folded)) continue;
    prev.last = c.last;
    prev.confidence = Math.min(prev.confidence, c.confidence);
    cands.splice(k, 1);
  }
}

/** A trigger rule's span replaces tagger pieces inside it, never a span reaching outside it. */
function mergeTrigger(a: Analysis, cands: Candidates, t: TriggerSpan): void {
  const inside = cands.overlapping(t);
  if (inside.some((c) => c.first < t.first || c.last > t.last || c.source.includes('gazetteer'))) return;
  const same = inside.find((c) => c.first === t.first && c.last === t.last && c.label === t.label);
  if (same) {
    same.confidence = 1 - (1 - same.confidence) * 0.5;
    same.source += '+trigger';
    return;
  }
  for (const c of inside) cands.remove(c);
  cands.add({ ...t, skip: nameSkip(a, t.first), source: 'trigger' });
}

/** Folded key of tokens [first, last) with the first token's proclitics left out. */
function keyOf(a: Analysis, first: number, last: number, skip: number): string {
  let k = a.infos[first].folded.slice(skip);
  for (let i = first + 1; i < last; i++) k += ' ' + a.infos[i].folded;
  return k;
}

/** Confidence of a corpus suggestion, relative to the mean confidence of its corpus mentions. */
const CORPUS_FACTOR = 0.85;
/** A single-token corpus name must be this rare in the training text (else it is a common word: روى, الصحراء). */
const CORPUS_MAX_FREQ = 5;

function propagate(a: Analysis, cands: Candidate[], corpus?: CorpusContext): void {
  interface Known {
    label: string;
    confidence: number;
    canonical?: string;
    source?: string;
  }
  const known = new Map<string, Known>();
  /**
   * First token of the known names → the most tokens such a name has: other tokens cannot
   * start a mention, and from one that can only the lengths up to that are tried (each try
   * builds a key and looks it up here and in the corpus).
   */
  const longestFrom = new Map<string, number>();
  const remember = (key: string, k: Known) => {
    const old = known.get(key);
    if (!old || old.confidence < k.confidence) known.set(key, { ...k, canonical: k.canonical ?? (old?.label === k.label ? old.canonical : undefined) });
    const first = firstToken(key);
    longestFrom.set(first, Math.max(longestFrom.get(first) ?? 0, key.split(' ').length));
  };
  for (const c of cands) {
    if (c.confidence < 0.5) continue;
    const full = keyOf(a, c.first, c.last, c.skip);
    remember(full, { label: c.label, confidence: c.confidence });
    if (c.label !== 'PER' || c.last - c.first < 2) continue;
    const canonical = a.text.slice(a.tokens[c.first].start, a.tokens[c.last - 1].end);
    for (let s = c.first + 1; s < c.last; s++) {
      const head = a.infos[s].folded;
      if (PARTICLES.has(head) || a.tokens[s].kind !== 'word') continue;
      // A lone surname must be rare enough not to be a common word.
      if (s === c.last - 1 && (head.length < 3 || a.ctx.freq(head) > 20 || a.ctx.gazetteer.givenNames.has(head))) continue;
      const key = keyOf(a, s, c.last, 0);
      const old = known.get(key);
      if (!old) remember(key, { label: 'PER', confidence: c.confidence, canonical });
      else if (old.label === 'PER' && !old.canonical) old.canonical = canonical;
    }
  }
  if (known.size === 0 && !corpus?.names.size) return;
  const lookup = (key: string, single: boolean): Known | undefined => {
    const k = known.get(key);
    if (k || !corpus) return k;
    const h = corpus.names.lookup(key, corpus.docId);
    if (!h) return undefined;
    if (single && (a.ctx.freq(key) > CORPUS_MAX_FREQ || key.length < 3 || (h.label === 'PER' && a.ctx.gazetteer.givenNames.has(key)))) return undefined;
    return { label: h.label, confidence: h.confidence * CORPUS_FACTOR, source: 'corpus' };
  };
  const covered = new Int32Array(a.tokens.length).fill(-1);
  cands.forEach((c, ci) => {
    for (let i = c.first; i < c.last; i++) covered[i] = ci;
  });
  const removed = new Set<number>();
  for (let i = 0; i < a.tokens.length; i++) {
    if (a.tokens[i].kind !== 'word') continue;
    const head = a.infos[i].folded;
    // Where to cut a proclitic: the analysed one, the shorter one a name's span leaves out
    // (nameSkip: وكوفي is و + كوفي where the analysis reads وك + وفي), or (for a word the proclitic
    // check could not know, such as a new name found in this or another document: وكرمبالي) any
    // 1–2 letter one.
    const clitic = a.infos[i].clitic;
    const named = clitic ? nameSkip(a, i) : 0;
    const skips = !clitic ? [0, ...guessedClitics(head)] : named && named !== clitic ? [0, named, clitic] : [0, clitic];
    let longest = 0;
    for (const sk of skips) {
      const first = head.slice(sk);
      longest = Math.max(longest, longestFrom.get(first) ?? 0, corpus ? corpus.names.longestStartingWith(first) : 0);
    }
    for (let len = Math.min(longest, a.tokens.length - i); len >= 1; len--) {
      // Free tokens, or only pieces of the same label strictly inside (ميدل ايست | نيوز), or a weak candidate.
      let free = true;
      for (let j = i; j < i + len && free; j++) {
        const ci = covered[j];
        if (ci < 0) continue;
        const c = cands[ci];
        if (c.source.includes('gazetteer')) free = false;
        // A weak candidate (below the default threshold) over the same tokens is confirmed by the known name.
        else if (c.first === i && c.last === i + len) free = c.confidence < 0.5;
        else free = len > 1 && c.first >= i && c.last <= i + len && c.last - c.first < len;
      }
      if (!free) continue;
      // A name met capitalised (The Times, in this document or another) is not named by the same
      // words in lower case ("three times", "the media"): 29 wrong names of 1,440 in the English
      // evaluation sets, none right.
      if (lowerCaseLatin(a, i, i + len)) continue;
      let hit: Known | undefined;
      let skip = 0;
      for (const sk of skips) {
        hit = lookup(keyOf(a, i, i + len, sk), len === 1);
        if (hit) {
          skip = sk;
          break;
        }
      }
      if (!hit) continue;
      let pieces = false;
      for (let j = i; j < i + len; j++) {
        const c = covered[j] >= 0 ? cands[covered[j]] : undefined;
        // A weak guess of another label over exactly these tokens gives way (it would not be shown).
        if (c && c.label !== hit.label && !(c.first === i && c.last === i + len && c.confidence < 0.5)) pieces = true;
      }
      if (pieces) continue;
      // The pieces it replaces vouch for the mention as much as the earlier full name does.
      let confidence = hit.confidence * PROPAGATED_FACTOR;
      for (let j = i; j < i + len; j++) {
        if (covered[j] < 0) continue;
        removed.add(covered[j]);
        confidence = Math.max(confidence, cands[covered[j]].confidence);
      }
      const c: Candidate = { first: i, last: i + len, skip, label: hit.label, confidence, source: hit.source ?? 'propagation' };
      if (hit.canonical) c.facts = { canonical: hit.canonical, type: 'person' };
      cands.push(c);
      for (let j = i; j < i + len; j++) covered[j] = cands.length - 1;
      i += len - 1;
      break;
    }
  }
  if (removed.size) {
    const keep = cands.filter((_, k) => !removed.has(k));
    cands.length = 0;
    cands.push(...keep);
  }
  linkShortMentions(a, cands, known);
}

/**
 * Whether tokens [from, to) are Latin-script words written without a capital letter (times,
 * media, security): a name met capitalised elsewhere (The Times, MEDIA) is not named there.
 */
function lowerCaseLatin(a: Analysis, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = a.tokens[i];
    if (t.kind !== 'word') continue;
    let latin = false;
    for (const ch of t.text) {
      const c = ch.charCodeAt(0);
      if (c >= 65 && c <= 90) return false;
      if (c >= 97 && c <= 122) latin = true;
      else if (c >= 128) {
        if (UPPER.test(ch) || ARABIC.test(ch)) return false;
        if (LATIN.test(ch)) latin = true;
      }
    }
    // Arabic has no case, and a word of digits or other scripts is left as it was.
    if (!latin) return false;
  }
  return true;
}
const UPPER = /\p{Lu}|\p{Lt}/u;
const ARABIC = /\p{Script=Arabic}/u;
const LATIN = /\p{Script=Latin}/u;

/** Lengths of the proclitics (arabic.ts) a folded word may start with, shortest first, leaving at least 3 letters. */
function guessedClitics(w: string): number[] {
  const out: number[] = [];
  // The list is longest first: walked backwards, the one-letter proclitics come first.
  for (let i = PROCLITICS.length - 1; i >= 0; i--) if (w.startsWith(PROCLITICS[i]) && w.length - PROCLITICS[i].length >= 3) out.push(PROCLITICS[i].length);
  return out;
}

/**
 * Short mentions get a link to the full name, and a full name whose short form
 * is found with more confidence elsewhere in the document is itself more certain.
 */
function linkShortMentions(a: Analysis, cands: Candidate[], known: Map<string, { label: string; canonical?: string }>): void {
  const support = new Map<string, number>();
  for (const c of cands) {
    const k = known.get(keyOf(a, c.first, c.last, c.skip));
    if (!k?.canonical || k.label !== c.label) continue;
    if (!c.facts) c.facts = { canonical: k.canonical, type: 'person' };
    support.set(k.canonical, Math.max(support.get(k.canonical) ?? 0, c.confidence * PROPAGATED_FACTOR));
  }
  for (const c of cands) {
    if (c.label !== 'PER' || c.last - c.first < 2) continue;
    const sup = support.get(a.text.slice(a.tokens[c.first].start, a.tokens[c.last - 1].end));
    if (sup !== undefined && sup > c.confidence) c.confidence = sup;
  }
}
