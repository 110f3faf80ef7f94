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
import { joinedPair, type Emit, type EmitPair } from './features';
import type { EnglishLexicon } from './englishLexicon';
import type { EnToken } from './englishTokens';

export interface EnTokenInfo {
  text: string;
  lower: string;
  shape: string;
  /** Lexicon classes of the lower-cased word (englishLexicon.ts codes). */
  classes?: string[];
  /** Starts with a capital letter (or a digit inside a capitalised run). */
  cap: boolean;
  /** First word of its sentence (after opening quotes or brackets). */
  first: boolean;
  /** Multi-word lexicon match covering the token: class codes + B (first word) or I. */
  phrase?: string;
  /** Cues from every occurrence of the lower-cased word in the document (shared array). */
  doc?: string[];
  /** With `doc`: its word's number among the document's words with cues (0, 1, …), for per-document score arrays. */
  docId?: number;
}

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
interface WordFacts {
  shape: string;
  cap: boolean;
  classes: string[] | undefined;
}
/** Bound of a shared cache (about 150 bytes a word); emptied when full. */
const MAX_CACHED_FACTS = 20_000;
const factsByLexicon = new WeakMap<EnglishLexicon, Map<string, WordFacts>>();

/**
 * The shape, capital and lexicon classes of a token text: one lookup by the text once it has
 * been met, where computing them took a shape walk, a regular expression and a lookup by the
 * lower-cased word in the large word lists (the single costliest line of English analysis).
 */
function wordFacts(text: string, lower: string, lex: EnglishLexicon): WordFacts {
  let cache = factsByLexicon.get(lex);
  if (!cache) factsByLexicon.set(lex, (cache = new Map()));
  let f = cache.get(text);
  if (!f) {
    f = { shape: wordShape(text), cap: UPPER.test(text[0] ?? ''), classes: lex.word.get(lower) };
    if (cache.size >= MAX_CACHED_FACTS) cache.clear();
    cache.set(ownString(text), f);
  }
  return f;
}

/** Per-token information for a sentence-split document (tokens of the English stretches). */
export function enTokenInfos(tokens: EnToken[], sentences: [number, number][], lex: EnglishLexicon): EnTokenInfo[] {
  const infos: EnTokenInfo[] = tokens.map((t) => {
    const f = wordFacts(t.text, t.lower, lex);
    const info: EnTokenInfo = { text: t.text, lower: t.lower, shape: f.shape, cap: f.cap, first: false };
    if (f.classes) info.classes = f.classes;
    return info;
  });
  for (const [s, e] of sentences) {
    let i = s;
    while (i < e && OPENERS.has(tokens[i].text)) i++;
    if (i < e) infos[i].first = true;
  }
  phraseMatches(tokens, infos, lex);
  documentCues(infos);
  return infos;
}

/** Longest multi-word lexicon entries (New York City, Los Angeles Lakers) over capitalised words. */
function phraseMatches(tokens: EnToken[], infos: EnTokenInfo[], lex: EnglishLexicon): void {
  for (let i = 0; i < tokens.length; i++) {
    if (!infos[i].cap) continue;
    const bucket = lex.phrases.get(tokens[i].lower);
    if (!bucket) continue;
    for (const p of bucket) {
      const n = p.words.length;
      if (i + n > tokens.length) continue;
      let ok = true;
      for (let k = 1; k < n && ok; k++) ok = tokens[i + k].lower === p.words[k];
      if (!ok) continue;
      const code = p.classes.join('');
      for (let k = 0; k < n; k++) infos[i + k].phrase = code + (k === 0 ? 'B' : 'I');
      i += n - 1;
      break;
    }
  }
}

/**
 * Cues from all occurrences of each word that is written capitalised somewhere: a name
 * is introduced once in a telling context (Mr. X, X said, in X) and recurs bare.
 * Computed from the text alone, so training and tagging see the same features.
 */
function documentCues(infos: EnTokenInfo[]): void {
  const cues = new Map<string, Set<string>>();
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (!t.cap) continue;
    let set = cues.get(t.lower);
    if (!set) cues.set(t.lower, (set = new Set()));
    const prev = i > 0 ? infos[i - 1] : undefined;
    const next = i + 1 < infos.length ? infos[i + 1] : undefined;
    if (!t.first) set.add('mc');
    if (prev && prev.cap && !prev.first) set.add('run');
    if (next && next.cap) set.add('run');
    if (!t.first && !(prev?.cap) && !(next?.cap)) set.add('solo');
    if (prev?.classes?.includes('T')) set.add('ti');
    if (prev?.cap && prev.classes?.includes('G')) set.add('gn');
    if (next && SAID.has(next.lower)) set.add('said');
    if (prev && PLACE_PREPOSITIONS.has(prev.lower)) set.add('in');
    if (prev?.lower === 'the') set.add('the');
    if (next?.lower === "'s" || next?.lower === '’s') set.add('poss');
    if (next?.lower === 'of' && i + 2 < infos.length && infos[i + 2].cap) set.add('of');
  }
  // Written in lower case elsewhere: an ordinary word (The, Police) more than a name.
  for (const t of infos) if (!t.cap && LOWER.test(t.text)) cues.get(t.lower)?.add('lc');
  const arrays = new Map<string, { arr: string[]; id: number }>();
  let ids = 0;
  for (const t of infos) {
    if (!t.cap) continue;
    let entry = arrays.get(t.lower);
    if (!entry) {
      const arr = [...(cues.get(t.lower) ?? [])].sort();
      arrays.set(t.lower, (entry = { arr, id: arr.length ? ids++ : -1 }));
    }
    if (entry.arr.length) (t.doc = entry.arr), (t.docId = entry.id);
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
 * Features of the token in its place in sentence [0, n) of `infos`. `skipCached`: leave
 * out the neighbour features, whose scores the caller adds from per-word caches.
 */
export function emitEnContextFeatures(infos: EnTokenInfo[], i: number, f: Emit, skipCached: boolean, pair: EmitPair = joinedPair(f)): void {
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
  const pc = i > 0 ? (infos[i - 1].cap ? 'C' : 'c') : '^';
  const nc = i + 1 < n ? (infos[i + 1].cap ? 'C' : 'c') : '$';
  f('cc=', pc + (t.cap ? 'C' : 'c') + nc);
  // Word pairs only around capitalised words, where names are: elsewhere they would only
  // say "not a name" again, at the cost of a string built and looked up per token.
  if (t.cap || pc === 'C' || nc === 'C') {
    pair('w-1w=', i > 0 ? infos[i - 1].lower : '<s>', t.lower);
    pair('ww+1=', t.lower, i + 1 < n ? infos[i + 1].lower : '</s>');
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
