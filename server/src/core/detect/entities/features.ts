/**
 * Feature extraction for the sequence tagger: one list of string features
 * per token. Context (gazetteer matches, triggers, word frequencies) is
 * computed once per document and passed in, so extraction stays linear.
 */
import { procliticLength } from '../../text/arabic';
import { arabicSkeleton } from '../../text/skeleton';
import type { Token } from '../../text/tokenize';
import { ownString } from '../../text/ownString';
import { WordCache } from '../../text/wordCache';
import type { Gazetteer, GazetteerMatch } from './gazetteer';

export interface FeatureContext {
  gazetteer: Gazetteer;
  /** Folded word → frequency in the training text (0 = unseen). */
  freq: (w: string) => number;
  /** Is this (raw, Arabic) word a common dictionary word? (text/lexicon.ts; absent: no such feature.) */
  lexicon?: (raw: string) => boolean;
  /** Word cluster bit string of a folded word (clusters.ts; absent: no cluster features). */
  clusters?: (folded: string) => string | undefined;
}

export interface TokenInfo {
  folded: string;
  stem: string;
  /** Proclitic prefix length (folded units), see arabic.ts. */
  clitic: number;
  gaz?: string;
  kind: Token['kind'];
  /** Lookups shared by the token's own and its neighbours' features (computed once per token). */
  gn?: boolean;
  trig?: string[];
  nat?: boolean;
  /** Arabic words only: known to the common-word lexicon (one answer per folded form in a document). */
  lex?: boolean;
  /** Not a dictionary word, with the consonant skeleton of Latin-script names of these classes (Gazetteer.latinNames). */
  latin?: string;
  /** Cues seen around other occurrences of the same stem in the document (see documentCues). */
  agg?: string[];
  /** With `agg`: its stem's number among the document's stems with cues (0, 1, …), for per-document score arrays. */
  aggId?: number;
  /** Word cluster bit string of the word (or of the word without its proclitics). */
  cp?: string;
  /** Group of the word as a Wikidata person-name token (Gazetteer.nameTokens). */
  pn?: string;
}

/** Known-word lookup for proclitic stripping: training frequency plus gazetteer names. */
export function knownLookup(ctx: FeatureContext): (w: string) => number {
  return (w) => ctx.freq(w) + (ctx.gazetteer.words.get(w) ?? 0) * 5;
}

/**
 * What a word's features need from its folded form alone, given the model's word
 * frequencies and the gazetteer: the same in every document, so tagging keeps it across
 * documents (pipeline.ts). Whether the word is a dictionary word is decided per document
 * (tokenInfos), so the Latin-name skeleton that depends on it is kept for either answer.
 */
export interface WordType {
  kind: Token['kind'];
  stem: string;
  clitic: number;
  gn?: boolean;
  trig?: string[];
  nat?: boolean;
  pn?: string;
  cp?: string;
  /** Latin-name classes of the word's consonant skeleton, used when it is not a dictionary word. */
  latinIfUnknown?: string;
  /** Arabic letters: the lexicon is asked. */
  arabic: boolean;
  /** The info of the word's tokens outside tagged sentences, shared by them (tokenInfos). */
  info?: TokenInfo;
}

/**
 * A token's info as its type decides it. Every field from the start, in one order: one object
 * shape for all tokens, so the feature code reading them stays monomorphic (fields added as
 * found gave V8 a shape per combination).
 */
function typeInfo(type: WordType, folded: string): TokenInfo {
  return {
    folded,
    stem: type.stem,
    clitic: type.clitic,
    gaz: undefined,
    kind: type.kind,
    gn: type.gn ? true : undefined,
    trig: type.trig,
    nat: type.nat ? true : undefined,
    lex: undefined,
    latin: undefined,
    agg: undefined,
    aggId: undefined,
    cp: type.cp,
    pn: type.pn,
  };
}

/** A copy of `t`, of the same shape (typeInfo). */
function copyInfo(t: TokenInfo): TokenInfo {
  return { folded: t.folded, stem: t.stem, clitic: t.clitic, gaz: t.gaz, kind: t.kind, gn: t.gn, trig: t.trig, nat: t.nat, lex: t.lex, latin: t.latin, agg: t.agg, aggId: t.aggId, cp: t.cp, pn: t.pn };
}

export function wordType(folded: string, kind: Token['kind'], ctx: FeatureContext, known: (w: string) => number): WordType {
  const clitic = kind === 'word' ? procliticLength(folded, known) : 0;
  let stem = folded.slice(clitic);
  if (stem.length > 4 && (stem.startsWith('ال') || stem.startsWith('لل'))) stem = stem.slice(2);
  const type: WordType = { kind, stem, clitic, arabic: kind === 'word' && ARABIC_LETTER.test(folded), info: undefined };
  const gaz = ctx.gazetteer;
  if (gaz.givenNames.has(stem)) type.gn = true;
  const bare = clitic ? folded.slice(clitic) : folded;
  const trig = gaz.triggers.get(folded) ?? gaz.triggers.get(bare);
  if (trig) type.trig = trig;
  if (gaz.nationalities.has(bare)) type.nat = true;
  if (kind === 'word') {
    const pn = gaz.nameTokens.get(bare);
    if (pn) type.pn = pn;
    const cp = ctx.clusters ? (ctx.clusters(folded) ?? (clitic ? ctx.clusters(bare) : undefined)) : undefined;
    if (cp) type.cp = cp;
  }
  // A word the dictionary does not know whose consonants are those of a Latin-script
  // name (هيرمان: Hermann) is most likely that name transliterated: +0.3 F1 in CV with
  // each of three seeds, mostly PER recall on Western names the given-name list lacks.
  // Words that fold to the article's letters are left out, hamzated alef included
  // (ألفريد); including those measured −0.1 to −0.15 F1 over two seeds.
  if (type.arabic && !type.nat && !bare.startsWith('ال')) {
    const k = arabicSkeleton(bare);
    const classes = k.length >= 3 ? gaz.latinNames.get(k) : undefined;
    if (classes) type.latinIfUnknown = classes;
  }
  return type;
}

/**
 * Per-token feature inputs of a document. `types` (folded form → WordType) may be shared
 * across documents tagged with the same word frequencies and gazetteer (see wordType).
 * `tagged` (one flag per token): only these tokens' features will be read, so the document
 * cues (`agg`) are gathered only for their stems — from every occurrence of those stems,
 * as without it. Tagging passes the tokens of its Arabic sentences: a page's English
 * lines are then not walked for cues nothing reads.
 */
export function tokenInfos(tokens: Token[], ctx: FeatureContext, matches: GazetteerMatch[], types: WordCache<WordType> = new WordCache(Infinity), tagged?: Uint8Array): TokenInfo[] {
  const known = knownLookup(ctx);
  // Keyed by folded form so that every token of a word (and the per-word score caches) agree.
  const lexicon = new Map<string, boolean>();
  const shared = tagged ? new Uint8Array(tokens.length) : undefined;
  const infos: TokenInfo[] = tokens.map((t, i) => {
    let type = types.get(t.folded);
    if (!type || type.kind !== t.kind) {
      type = wordType(t.folded, t.kind, ctx, known);
      types.set(ownString(t.folded), type);
    }
    const perDocument = ctx.lexicon !== undefined && type.arabic;
    // A token no tagged sentence holds gets only what its type decides: one object per type,
    // shared by its tokens in every document (the English lines of a page are most of its
    // tokens; an object each was a twentieth of their analysis). A gazetteer match copies it
    // below before marking it; nothing else writes to those tokens' infos.
    if (tagged && !tagged[i] && !perDocument) {
      shared![i] = 1;
      return (type.info ??= typeInfo(type, t.folded));
    }
    const info = typeInfo(type, t.folded);
    if (ctx.lexicon && type.arabic) {
      let inLexicon = lexicon.get(t.folded);
      if (inLexicon === undefined) lexicon.set(t.folded, (inLexicon = ctx.lexicon(t.text)));
      // Nationality adjectives are common words too, though the lexicon (names left out) lacks most.
      info.lex = inLexicon || info.nat === true;
      if (!info.lex && type.latinIfUnknown) info.latin = type.latinIfUnknown;
    }
    return info;
  });
  for (const m of matches) {
    // The large world-cities list (Wikidata labels, some wrong) gets features of its own,
    // so its matches do not dilute what a curated city match tells the tagger.
    const type = m.entry.o === 'world-cities' ? 'w' : m.entry.t[0];
    for (let k = m.first; k < m.last; k++) {
      if (shared?.[k]) (infos[k] = copyInfo(infos[k])), (shared[k] = 0);
      infos[k].gaz = `${m.entry.l}${type}${k === m.first ? 'B' : 'I'}${m.last - m.first > 1 ? 'm' : ''}`;
    }
  }
  let stems: Set<string> | undefined;
  if (tagged) {
    stems = new Set();
    for (let i = 0; i < infos.length; i++) if (tagged[i] && infos[i].kind === 'word') stems.add(infos[i].stem);
  }
  // A page without Arabic sentences (an English article) has no cues to gather.
  if (stems && stems.size === 0) return infos;
  const cues = documentCues(infos, stems);
  // One array per stem, shared by its occurrences, and a number (tagging keeps the scores of its cues in that row).
  // Not on the shared infos of untagged tokens: no feature reads them there.
  const arrays = new Map<string, { arr: string[]; id: number }>();
  let ids = 0;
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (t.kind !== 'word' || t.stem.length < 2 || (stems && !stems.has(t.stem)) || shared?.[i]) continue;
    let entry = arrays.get(t.stem);
    if (!entry) {
      const set = cues.get(t.stem);
      const arr = set ? [...set] : [];
      arrays.set(t.stem, (entry = { arr, id: arr.length ? ids++ : -1 }));
    }
    if (entry.arr.length) (t.agg = entry.arr), (t.aggId = entry.id);
  }
  return infos;
}

/**
 * Document-level context aggregation (non-local features): a name is often
 * introduced once with a telling context (the minister X, X said, after a
 * given name) and then repeated bare. Each word collects the local cues of
 * every occurrence of its stem in the document (trigger words around it, a
 * given name before or after, a nationality adjective after, a quote before,
 * the article, the neighbouring stems) — no predictions involved, so training
 * and tagging see exactly the same features. +1.0 F1 in CV. `stems`: only these stems' cues.
 */
export function documentCues(infos: TokenInfo[], stems?: Set<string>): Map<string, Set<string>> {
  const cues = new Map<string, Set<string>>();
  const trig = (j: number) => (j < 0 || j >= infos.length || infos[j].kind !== 'word' ? undefined : infos[j].trig);
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (t.kind !== 'word' || t.stem.length < 2 || (stems && !stems.has(t.stem))) continue;
    let set = cues.get(t.stem);
    if (!set) cues.set(t.stem, (set = new Set()));
    const p1 = trig(i - 1);
    if (p1) for (const l of p1) set.add('t-1' + l);
    const p2 = trig(i - 2);
    if (p2) for (const l of p2) set.add('t-2' + l);
    const n1 = trig(i + 1);
    if (n1) for (const l of n1) set.add('t1' + l);
    if (i > 0 && infos[i - 1].gn) set.add('gn-1');
    if (i + 1 < infos.length && infos[i + 1].gn) set.add('gn+1');
    if (i + 1 < infos.length && infos[i + 1].nat) set.add('nat1');
    if (t.gaz) set.add('g' + t.gaz.slice(0, -1));
    if (t.clitic) set.add('cl');
    if (i > 0 && infos[i - 1].kind === 'symbol' && OPEN_QUOTES.has(infos[i - 1].folded)) set.add('q');
    set.add(t.folded.startsWith('ال', t.clitic) ? 'al' : 'noal');
    if (i > 0 && infos[i - 1].kind === 'word') set.add('<' + infos[i - 1].stem);
    if (i + 1 < infos.length && infos[i + 1].kind === 'word') set.add('>' + infos[i + 1].stem);
  }
  return cues;
}


const ARABIC_LETTER = /[\u0620-\u064a]/;
/** Bound of a shared WordType cache (about 200 bytes each; emptied when full, text/wordCache.ts). */
export const MAX_CACHED_TYPES = 100_000;
const OPEN_QUOTES = new Set(['"', '“', '«', '„', "'", '(']);

function freqBucket(n: number): string {
  return n === 0 ? '0' : n === 1 ? '1' : n < 5 ? '2' : n < 20 ? '3' : n < 100 ? '4' : '5';
}

function shape(t: TokenInfo): string {
  if (t.kind !== 'word') return t.kind === 'number' ? 'N' : t.folded.length === 1 ? 'P' : 'S';
  const c = t.folded.charCodeAt(0);
  const script = c >= 0x0600 && c <= 0x06ff ? 'A' : c < 0x250 ? 'L' : 'O';
  const len = t.folded.length;
  return script + (len <= 2 ? '2' : len <= 4 ? '4' : len <= 7 ? '7' : '9');
}

/**
 * Receives one feature as a template (constant, e.g. `w=`) and a value (e.g.
 * the folded word). Tagging looks the pair up in nested maps, so no feature
 * string is built: hashing freshly concatenated strings was most of the cost.
 * Training joins the two (`w=` + value), which is the form the model stores.
 */
export type Emit = (template: string, value: string) => void;
/** Receives a word-pair feature: the value is `left|right` (tagging looks the two words up without joining them). */
export type EmitPair = (template: string, left: string, right: string) => void;
/** The pair as one feature value, as training and the model file have it. */
export const joinedPair = (f: Emit): EmitPair => (template, left, right) => f(template, left + '|' + right);

/** Features of token `i` of a sentence (tokens [0, n) of `infos`, the sentence only). */
export function tokenFeatures(infos: TokenInfo[], i: number, ctx: FeatureContext, raw: Token[]): string[] {
  const f: string[] = [];
  emitFeatures(infos, i, ctx, raw, (t, v) => f.push(t + v));
  return f;
}

/**
 * Features of the word alone (its folded form decides them all, given the model's
 * word frequencies and the gazetteer): tagging scores them once per distinct word
 * of a document.
 */
export function emitWordFeatures(t: TokenInfo, ctx: FeatureContext, f: Emit): void {
  const w = t.folded;
  const s = t.stem;
  f('b', '');
  f('w=', w);
  f('s=', s);
  f('sh=', shape(t));
  f('fq=', freqBucket(ctx.freq(w)));
  f('sfq=', freqBucket(ctx.freq(s)));
  if (t.kind === 'word') {
    for (let k = 1; k <= 3 && k < s.length; k++) f(PREFIX[k], s.slice(0, k));
    for (let k = 1; k <= 4 && k < s.length; k++) f(SUFFIX[k], s.slice(-k));
    if (t.clitic) f('cl=', w.slice(0, t.clitic));
    if (w.startsWith('ال', t.clitic)) f('al', '');
  }
  // Names are rarely dictionary words, and an unseen word that the dictionary knows is
  // rarely a name: the pair separates the unknown words the frequency alone cannot.
  if (t.lex !== undefined) f('lx=', (t.lex ? '1' : '0') + freqBucket(ctx.freq(w)));
  const gaz = ctx.gazetteer;
  if (t.gn || gaz.givenNames.has(w)) f('gn', '');
  if (t.latin) for (const c of t.latin) f(c === 'P' ? 'wn' : 'wx=', c === 'P' ? '' : c);
  const own = gaz.triggers.get(w) ?? gaz.triggers.get(s);
  if (own) for (const l of own) f('tr0=', l);
  if (t.pn) f('pn=', t.pn);
  if (t.cp) for (let k = 0; k < CLUSTER_PREFIXES.length; k++) f(CLUSTER_TEMPLATES[k], t.cp.slice(0, CLUSTER_PREFIXES[k]));
}

/**
 * Cluster path prefixes used as features (coarse to fine; a shorter path is used whole),
 * after Ratinov & Roth (2009), who used 4, 6, 10 and 20 over 1,000 Brown clusters.
 */
const CLUSTER_PREFIXES = [4, 6, 10, 20];
const CLUSTER_TEMPLATES = CLUSTER_PREFIXES.map((k) => `c${k}=`);

export function emitFeatures(infos: TokenInfo[], i: number, ctx: FeatureContext, raw: Token[], f: Emit): void {
  emitWordFeatures(infos[i], ctx, f);
  emitContextFeatures(infos, i, raw, f, false);
}

/**
 * Features of the token in its place: neighbours, gazetteer and trigger context,
 * document-level cues. `skipCached`: leave out the neighbour features
 * (emitAsNeighbour) and the document-level `d=` features, whose scores the
 * caller adds from per-word caches.
 */
export function emitContextFeatures(infos: TokenInfo[], i: number, raw: Token[], f: Emit, skipCached: boolean, pair: EmitPair = joinedPair(f)): void {
  const t = infos[i];
  const w = t.folded;
  if (t.kind === 'word' && /^[A-Z]/.test(raw[i].text)) f('cap', '');
  if (i === 0) f('first', '');
  const n = infos.length;
  const wPrev = i > 0 ? infos[i - 1].folded : '<s>';
  const wNext = i + 1 < n ? infos[i + 1].folded : '</s>';
  if (!skipCached) {
    if (i > 0) emitAsNeighbour(infos[i - 1], -1, f);
    if (i + 1 < n) emitAsNeighbour(infos[i + 1], 1, f);
    if (i > 1) emitAsNeighbour(infos[i - 2], -2, f);
    if (i + 2 < n) emitAsNeighbour(infos[i + 2], 2, f);
  }
  if (i === 0) {
    f('w-1=', '<s>');
    f('s-1=', '<s>');
  }
  if (i + 1 >= n) {
    f('w+1=', '</s>');
    f('s+1=', '</s>');
  }
  if (i < 2) f('w-2=', '<s>');
  if (i + 2 >= n) f('w+2=', '</s>');
  pair('w-1w=', wPrev, w);
  pair('ww+1=', w, wNext);
  // Gazetteer: the token's own match, and its neighbours'.
  f('g=', t.gaz ?? '-');
  if (i > 0 && infos[i - 1].gaz) f('g-1=', infos[i - 1].gaz!);
  if (i + 1 < n && infos[i + 1].gaz) f('g+1=', infos[i + 1].gaz!);
  if (i > 0 && infos[i - 1].gn) f('gn-1', '');
  if (i + 1 < n && infos[i + 1].gn) f('gn+1', '');
  if (i > 0 && infos[i - 1].latin?.includes('P')) f('wn-1', '');
  if (i + 1 < n && infos[i + 1].latin?.includes('P')) f('wn+1', '');
  // Trigger words up to two tokens before, and one after.
  for (let k = -2; k <= 1; k++) {
    const j = i + k;
    if (k === 0 || j < 0 || j >= n) continue;
    const labels = infos[j].trig;
    if (labels) for (const l of labels) f(TRIGGER[k + 2], l);
  }
  // Nationality adjectives (الإيراني) sit next to names and are not names themselves.
  for (let k = -2; k <= 1; k++) {
    const j = i + k;
    if (j >= 0 && j < n && infos[j].nat) f(NATIONALITY[k + 2], '');
  }
  if (t.agg && !skipCached) for (const v of t.agg) f('d=', v);
}

/**
 * Features a word gives the token `offset` places away from it (its word, stem,
 * ending and shape as seen from there). They depend on the word alone, so tagging
 * scores them once per distinct word and offset.
 */
export function emitAsNeighbour(t: TokenInfo, offset: -2 | -1 | 1 | 2, f: Emit): void {
  if (offset === -1) {
    f('w-1=', t.folded);
    f('s-1=', t.stem);
    f('x-1=', t.stem.slice(-2));
    f('sh-1=', shape(t));
    if (t.cp) (f('c-1=', t.cp.slice(0, 6)), f('cc-1=', t.cp));
    if (t.pn) f('pn-1=', t.pn);
  } else if (offset === 1) {
    f('w+1=', t.folded);
    f('s+1=', t.stem);
    f('x+1=', t.stem.slice(-2));
    f('sh+1=', shape(t));
    if (t.cp) (f('c+1=', t.cp.slice(0, 6)), f('cc+1=', t.cp));
    if (t.pn) f('pn+1=', t.pn);
  } else if (offset === -2) f('w-2=', t.folded);
  else f('w+2=', t.folded);
}

const PREFIX = ['', 'p1=', 'p2=', 'p3='];
const SUFFIX = ['', 'x1=', 'x2=', 'x3=', 'x4='];
const TRIGGER = ['tr-2=', 'tr-1=', '', 'tr1='];
const NATIONALITY = ['nat-2', 'nat-1', 'nat0', 'nat1'];
