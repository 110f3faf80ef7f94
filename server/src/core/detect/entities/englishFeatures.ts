/**
 * Features of the English tagger, one list per token, in the template/value form the
 * shared perceptron uses (tagger.ts featureIndex; features.ts Emit): training joins the
 * two into the string the model stores, tagging looks the pair up without building it.
 *
 * Classic features of feature-based English NER (word, shape, affixes, neighbours, word
 * lists), and document-level cues: how the same word is written and surrounded elsewhere
 * in the document (capitalised inside a sentence, after a title, in lower case…), which
 * tells a name at the start of a sentence from an ordinary word, and a person's bare
 * surname from a place.
 */
import { ownString } from '../../text/ownString';
import { WordCache } from '../../text/wordCache';
import { joinedPair, type Emit } from './features';
import type { EnglishLexicon } from './englishLexicon';
import type { EnToken } from './englishTokens';

/** A token of the English tagger's analysis with what its features read: made by the tokenizer (newTokenInfo), completed by enTokenInfos. */
export interface EnTokenInfo extends EnToken {
  shape: string;
  /** Lexicon classes of the lower-cased word (englishLexicon.ts codes). */
  classes?: readonly string[];
  /** Starts with a capital letter (or a digit inside a capitalised run). */
  cap: boolean;
  /** First word of its sentence (after opening quotes or brackets). */
  first: boolean;
  /** Multi-word lexicon match covering the token: class codes + B (first word) or I. */
  phrase?: string;
  /** Cues from every occurrence of the lower-cased word in the document (shared array). */
  doc?: string[];
  /** With `doc`: the same cues as bits (documentCues), a number per cue list for the score cache of each model. */
  docId?: number;
  /** What the token's text decides, shared by every token of that text (wordFacts). */
  facts: WordFacts;
}

/**
 * Receives a word-pair feature as features.ts EmitPair does, with the token of the left word when there is
 * one: tagging keeps what it looked up for that word on its facts (WordFacts.tagging).
 */
export type EnEmitPair = (template: string, left: string, right: string, leftToken?: EnTokenInfo) => void;

export interface EnFeatureContext {
  /** Lower-cased word → frequency in the training text (0 = unseen). */
  freq: (w: string) => number;
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;

/** Word shape with runs collapsed: Obama Xx, U.S. X.X., NASA X, iPhone xXx, Cloud9 Xxd. */
export function wordShape(s: string): string {
  let out = '';
  let last = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    // ASCII without regular expressions (most of the text); the Unicode classes for the rest.
    const c =
      code < 128
        ? code >= 65 && code <= 90
          ? 'X'
          : code >= 97 && code <= 122
            ? 'x'
            : code >= 48 && code <= 57
              ? 'd'
              : ch
        : UPPER.test(ch)
          ? 'X'
          : LOWER.test(ch)
            ? 'x'
            : DIGIT.test(ch)
              ? 'd'
              : ch;
    if (c !== last || !'Xxd'.includes(c)) out += c;
    last = c;
  }
  return out.length > 8 ? out.slice(0, 8) : out;
}

const OPENERS = new Set(['"', '“', '‘', "'", '(', '[', '«', '-', '—', '–', '•', '*']);
const SAID = new Set(['said', 'says', 'told', 'added', 'explained', 'stated', 'wrote', 'asked', 'replied', 'noted', 'argued', 'believes', 'thinks']);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'to', 'across', 'outside', 'inside', 'throughout']);

/** What a token's text alone decides (shape, capital, lexicon classes), kept across documents. */
export interface WordFacts {
  shape: string;
  cap: boolean;
  classes: readonly string[] | undefined;
  hasLower: boolean;
  /**
   * The English tagger's scores of the word for one model (englishTagger.ts), kept here so that
   * each token finds them without a lookup of its own: every token used to make two lookups by
   * its text in tables of up to 20,000 words (these facts, then those scores).
   */
  tagging: object | undefined;
}
/**
 * Bound of a shared cache (about 150 bytes a word, and about 750 more for a word the tagger
 * has scored: its kept scores, WordFacts.tagging; emptied when full, text/wordCache.ts).
 */
const MAX_CACHED_FACTS = 20_000;
const factsByLexicon = new WeakMap<EnglishLexicon, WordCache<WordFacts>>();

/**
 * The shape, capital and lexicon classes of a token text: one lookup by the text once it has
 * been met, where computing them took a shape walk, a regular expression and a lookup by the
 * lower-cased word in the large word lists (the single costliest line of English analysis).
 */
function wordFacts(text: string, lower: string, lex: EnglishLexicon, cache: WordCache<WordFacts>): WordFacts {
  let f = cache.get(text);
  if (!f) {
    f = { shape: wordShape(text), cap: UPPER.test(text[0] ?? ''), classes: lex.word.get(lower), hasLower: LOWER.test(text), tagging: undefined };
    cache.set(ownString(text), f);
  }
  return f;
}

/**
 * The facts cache of a lexicon, looked up once per document (not once per token). A function of
 * its own: a token loop whose callback closed over a variable assigned in the same function
 * counted 5 % more instructions for the English tagger (valgrind, 2026-12-04).
 */
function factsOf(lex: EnglishLexicon): WordCache<WordFacts> {
  let facts = factsByLexicon.get(lex);
  if (!facts) factsByLexicon.set(lex, (facts = new WordCache(MAX_CACHED_FACTS)));
  return facts;
}

/** Facts of no word: what a token holds from the tokenizer until enTokenInfos reads its own. */
const NO_FACTS: WordFacts = { shape: '', cap: false, classes: undefined, hasLower: false, tagging: undefined };

/**
 * A token as tokenizeEnglishAs makes it for the tagger. Every field is there from the start, in
 * one order: the features read these objects token after token, and fields added to some of
 * them only would give the engine a shape per mix.
 */
export function newTokenInfo(start: number, end: number, text: string, lower: string): EnTokenInfo {
  return { start, end, text, lower, shape: '', cap: false, first: false, classes: undefined, phrase: undefined, doc: undefined, docId: undefined, facts: NO_FACTS };
}

/** Completes the tokens (newTokenInfo) of a sentence-split document (the English stretches) in place. */
export function enTokenInfos(infos: EnTokenInfo[], sentences: [number, number][], lex: EnglishLexicon): EnTokenInfo[] {
  const hasLower = new Uint8Array(infos.length);
  const facts = factsOf(lex);
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    const f = wordFacts(t.text, t.lower, lex, facts);
    if (f.hasLower) hasLower[i] = 1;
    t.shape = f.shape;
    t.cap = f.cap;
    t.classes = f.classes;
    t.facts = f;
  }
  for (const [s, e] of sentences) {
    let i = s;
    while (i < e && OPENERS.has(infos[i].text)) i++;
    if (i < e) infos[i].first = true;
  }
  phraseMatches(infos, lex);
  documentCues(infos, hasLower);
  return infos;
}

/** Longest multi-word lexicon entries (New York City, Los Angeles Lakers) over capitalised words. */
function phraseMatches(infos: EnTokenInfo[], lex: EnglishLexicon): void {
  for (let i = 0; i < infos.length; i++) {
    if (!infos[i].cap) continue;
    const bucket = lex.phrases.get(infos[i].lower);
    if (!bucket) continue;
    for (const p of bucket) {
      const n = p.words.length;
      if (i + n > infos.length) continue;
      let ok = true;
      for (let k = 1; k < n && ok; k++) ok = infos[i + k].lower === p.words[k];
      if (!ok) continue;
      const code = p.classes.join('');
      for (let k = 0; k < n; k++) infos[i + k].phrase = code + (k === 0 ? 'B' : 'I');
      i += n - 1;
      break;
    }
  }
}

/**
 * The document cues (documentCues), one bit each. A word's cues are a set of them, so its
 * cue list is one of at most 2^11, built once and shared by every document, and tagging
 * scores each list once per model (englishTagger.ts).
 */
const CUES = ['mc', 'run', 'solo', 'ti', 'gn', 'said', 'in', 'the', 'poss', 'of', 'lc'] as const;
const bit = (c: (typeof CUES)[number]) => 1 << CUES.indexOf(c);
const [MC, RUN, SOLO, TI, GN, SAID_CUE, IN, THE, POSS, OF, LC] = CUES.map(bit);
/** The bit of the cue `mc` (capitalised inside a sentence somewhere in the document). */
export const MID_CAPITAL = MC;
/** How many cue lists there are (sets of cue bits). */
export const CUE_LISTS = 1 << CUES.length;
const cueLists: string[][] = [];
/** The sorted cue names of a set of cue bits: one shared array per set. */
export function cueList(bits: number): string[] {
  return (cueLists[bits] ??= CUES.filter((c) => bits & bit(c)).sort());
}

/**
 * Cues from all occurrences of each word that is written capitalised somewhere: a name
 * is introduced once in a telling context (Mr. X, X said, in X) and recurs bare.
 * Computed from the text alone, so training and tagging see the same features.
 * `hasLower[i]`: token i has a lower-case letter.
 */
function documentCues(infos: EnTokenInfo[], hasLower: Uint8Array): void {
  const cues = new Map<string, number>();
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (!t.cap) continue;
    let set = cues.get(t.lower) ?? 0;
    const prev = i > 0 ? infos[i - 1] : undefined;
    const next = i + 1 < infos.length ? infos[i + 1] : undefined;
    if (!t.first) set |= MC;
    if (prev && prev.cap && !prev.first) set |= RUN;
    if (next && next.cap) set |= RUN;
    if (!t.first && !(prev?.cap) && !(next?.cap)) set |= SOLO;
    if (prev?.classes?.includes('T')) set |= TI;
    if (prev?.cap && prev.classes?.includes('G')) set |= GN;
    if (next && SAID.has(next.lower)) set |= SAID_CUE;
    if (prev && PLACE_PREPOSITIONS.has(prev.lower)) set |= IN;
    if (prev?.lower === 'the') set |= THE;
    if (next?.lower === "'s" || next?.lower === '’s') set |= POSS;
    if (next?.lower === 'of' && i + 2 < infos.length && infos[i + 2].cap) set |= OF;
    cues.set(t.lower, set);
  }
  // Written in lower case elsewhere: an ordinary word (The, Police) more than a name.
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (t.cap || !hasLower[i]) continue;
    const set = cues.get(t.lower);
    if (set !== undefined) cues.set(t.lower, set | LC);
  }
  for (const t of infos) {
    if (!t.cap) continue;
    const set = cues.get(t.lower)!;
    if (set) (t.doc = cueList(set)), (t.docId = set);
  }
}

function freqBucket(n: number): string {
  return n === 0 ? '0' : n === 1 ? '1' : n < 5 ? '2' : n < 20 ? '3' : n < 100 ? '4' : '5';
}

const PREFIX = ['', 'p1=', 'p2=', 'p3='];
const SUFFIX = ['', 'x1=', 'x2=', 'x3=', 'x4='];

/**
 * Features of the token alone: its text decides them, and the document cues of its
 * lower-cased form (`withDocCues`), which tagging scores apart: the rest is kept per
 * token text across documents (englishTagger.ts).
 */
export function emitEnWordFeatures(t: EnTokenInfo, ctx: EnFeatureContext, f: Emit, withDocCues = true): void {
  const w = t.lower;
  f('b', '');
  f('w=', w);
  f('sh=', t.shape);
  f('len=', w.length < 3 ? String(w.length) : w.length < 6 ? 'm' : 'l');
  const n = w.length;
  for (let k = 1; k <= 3 && k < n; k++) f(PREFIX[k], w.slice(0, k));
  for (let k = 1; k <= 4 && k < n; k++) f(SUFFIX[k], w.slice(-k));
  const fq = freqBucket(ctx.freq(w));
  f('fq=', (t.cap ? 'C' : 'c') + fq);
  if (t.classes) for (const c of t.classes) f('c=', (t.cap ? 'C' : 'c') + c);
  if (withDocCues && t.doc) for (const c of t.doc) f('d=', c);
}

/** Features a token gives its neighbour `offset` places away (its word, shape and classes as seen from there). */
export function emitEnAsNeighbour(t: EnTokenInfo, offset: -2 | -1 | 1 | 2, f: Emit): void {
  if (offset === -1) {
    f('w-1=', t.lower);
    f('sh-1=', t.shape);
    if (t.classes) for (const c of t.classes) f('c-1=', c);
  } else if (offset === 1) {
    f('w+1=', t.lower);
    f('sh+1=', t.shape);
    if (t.classes) for (const c of t.classes) f('c+1=', c);
  } else if (offset === -2) f('w-2=', t.lower);
  else f('w+2=', t.lower);
}

/**
 * The `cc=` values (previous, own and next capital: ^ or $ at the sentence's edges, C, c), made
 * once: a string joined for every token is then hashed for the lookup, every token again.
 */
const CAPITALS = ['^', 'c', 'C'].flatMap((p) => ['c', 'C'].flatMap((own) => ['$', 'c', 'C'].map((nx) => p + own + nx)));

/**
 * Features of the token in its place in sentence [0, n) of `infos`. `skipCached`: leave
 * out the neighbour features, whose scores the caller adds from per-word caches.
 */
export function emitEnContextFeatures(infos: EnTokenInfo[], i: number, f: Emit, skipCached: boolean, pair: EnEmitPair = joinedPair(f)): void {
  const t = infos[i];
  const n = infos.length;
  f('fs=', t.first ? 'F' + t.shape : t.shape);
  if (!skipCached) {
    if (i > 0) emitEnAsNeighbour(infos[i - 1], -1, f);
    if (i + 1 < n) emitEnAsNeighbour(infos[i + 1], 1, f);
    if (i > 1) emitEnAsNeighbour(infos[i - 2], -2, f);
    if (i + 2 < n) emitEnAsNeighbour(infos[i + 2], 2, f);
  }
  if (i === 0) f('w-1=', '<s>');
  if (i + 1 >= n) f('w+1=', '</s>');
  if (i < 2) f('w-2=', '<s>');
  if (i + 2 >= n) f('w+2=', '</s>');
  // Capitalisation of the neighbours with the token's own: runs of capitalised words.
  const pc = i > 0 ? (infos[i - 1].cap ? 2 : 1) : 0;
  const nc = i + 1 < n ? (infos[i + 1].cap ? 2 : 1) : 0;
  f('cc=', CAPITALS[pc * 6 + (t.cap ? 3 : 0) + nc]!);
  // Word pairs only around capitalised words, where names are: elsewhere they would only
  // say "not a name" again, at the cost of a string built and looked up per token.
  if (t.cap || pc === 2 || nc === 2) {
    if (i > 0) pair('w-1w=', infos[i - 1].lower, t.lower, infos[i - 1]);
    else pair('w-1w=', '<s>', t.lower);
    pair('ww+1=', t.lower, i + 1 < n ? infos[i + 1].lower : '</s>', t);
  }
  if (t.phrase) f('ph=', t.phrase);
  if (i > 0 && infos[i - 1].phrase) f('ph-1=', infos[i - 1].phrase!);
  if (i + 1 < n && infos[i + 1].phrase) f('ph+1=', infos[i + 1].phrase!);
}

export function enTokenFeatures(infos: EnTokenInfo[], i: number, ctx: EnFeatureContext): string[] {
  const out: string[] = [];
  const f: Emit = (template, value) => out.push(template + value);
  emitEnWordFeatures(infos[i], ctx, f);
  emitEnContextFeatures(infos, i, f, false);
  return out;
}
