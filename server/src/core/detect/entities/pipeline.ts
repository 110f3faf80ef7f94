/**
 * Document analysis shared by training and tagging, so both see exactly the
 * same tokens, sentences and features.
 */
import { arabicLexicon } from '../../text/lexicon';
import { sentenceRanges, tokenize, type Token } from '../../text/tokenize';
import { ownString } from '../../text/ownString';
import { WordCache } from '../../text/wordCache';
import { defaultClusters } from './clusters';
import { emitAsNeighbour, emitContextFeatures, emitWordFeatures, MAX_CACHED_TYPES, tokenFeatures, tokenInfos, type FeatureContext, type TokenInfo, type WordType } from './features';
import type { Gazetteer, GazetteerMatch } from './gazetteer';
import { addWordScores, decodeNames, emissionScratch, featureIndex, FeatureScorer, NEIGHBOUR_OFFSETS, type PathSpan, type TaggerModel, type TrainingSentence, type WordScores } from './tagger';

export interface Analysis {
  text: string;
  tokens: Token[];
  infos: TokenInfo[];
  sentences: [number, number][];
  matches: GazetteerMatch[];
  ctx: FeatureContext;
  /** Word types and word scores kept across the documents analysed with the same frequencies and gazetteer. */
  shared?: SharedWords;
  /** Analysed for tagging: which sentences have Arabic letters (the only ones tagSpans tags), by sentence index. */
  arabic?: Uint8Array;
}

/**
 * What tagging keeps across documents: each word's feature inputs (features.ts WordType)
 * and, per model, the scores of its word and neighbour features. Frequent words are
 * looked up once per process instead of once per document.
 */
interface SharedWords {
  types: WordCache<WordType>;
  scores: WeakMap<TaggerModel, WordScoreCache>;
}
const sharedWords = new WeakMap<Map<string, number>, WeakMap<Gazetteer, SharedWords>>();

function sharedFor(freq: Map<string, number>, gazetteer: Gazetteer): SharedWords {
  let byGaz = sharedWords.get(freq);
  if (!byGaz) sharedWords.set(freq, (byGaz = new WeakMap()));
  let s = byGaz.get(gazetteer);
  if (!s) byGaz.set(gazetteer, (s = { types: new WordCache(MAX_CACHED_TYPES), scores: new WeakMap() }));
  return s;
}

/** Sentences longer than this are cut for the tagger (keeps Viterbi cheap on run-on text). */
const MAX_SENTENCE = 120;

const FORMAT_ONLY = /^\p{Cf}+$/u;

/**
 * `freq` gives training-text word frequencies (a Map, or a lookup for leave-one-out counts).
 * `forTagging`: only tagSpans will read the features, and it reads those of sentences with
 * Arabic letters only (features.ts tokenInfos `tagged`); training reads every sentence's.
 */
export function analyse(text: string, freq: Map<string, number> | ((w: string) => number), gazetteer: Gazetteer, forTagging = false): Analysis {
  // Invisible format characters standing alone (a right-to-left mark after a word,
  // common in scraped Arabic) would otherwise sit between a word and its neighbour
  // and break every context feature; entity spans take back the directional marks
  // written against them (index.ts withAttachedMarks).
  // (Only a symbol can be one: a word has a letter, a number starts with a digit.)
  const tokens = tokenize(text).filter((t) => t.kind !== 'symbol' || !FORMAT_ONLY.test(t.text));
  const lexicon = arabicLexicon();
  const clusters = defaultClusters();
  const ctx: FeatureContext = { gazetteer, freq: typeof freq === 'function' ? freq : (w) => freq.get(w) ?? 0, lexicon: (w) => lexicon.has(w), clusters: (w) => clusters.path(w) };
  const matches = gazetteer.match(tokens);
  // Training passes per-document frequencies (a function): nothing is shared then.
  const shared = typeof freq === 'function' ? undefined : sharedFor(freq, gazetteer);
  const sentences: [number, number][] = [];
  for (const [a, b] of sentenceRanges(text, tokens)) for (let s = a; s < b; s += MAX_SENTENCE) sentences.push([s, Math.min(b, s + MAX_SENTENCE)]);
  let tagged: Uint8Array | undefined;
  let arabic: Uint8Array | undefined;
  if (forTagging) {
    tagged = new Uint8Array(tokens.length);
    arabic = new Uint8Array(sentences.length);
    sentences.forEach((r, k) => {
      if (hasArabic(tokens, r)) (arabic![k] = 1), tagged!.fill(1, r[0], r[1]);
    });
  }
  const infos = tokenInfos(tokens, ctx, matches, shared?.types, tagged);
  return { text, tokens, infos, sentences, matches, ctx, ...(shared ? { shared } : {}), ...(arabic ? { arabic } : {}) };
}

export function sentenceFeatures(a: Analysis, [s, e]: [number, number]): string[][] {
  const infos = a.infos.slice(s, e);
  const raw = a.tokens.slice(s, e);
  return infos.map((_, i) => tokenFeatures(infos, i, a.ctx, raw));
}

/** Latin-only sentences are left to the English detector: tagSpans reads only sentences with Arabic letters. */
function hasArabic(tokens: Token[], [s, e]: [number, number]): boolean {
  for (let i = s; i < e; i++) if (tokens[i].kind === 'word' && hasArabicUnit(tokens[i].text)) return true;
  return false;
}
/** /[\u0600-\u06ff]/ without the expression: every word of an English page is asked. */
function hasArabicUnit(w: string): boolean {
  for (let k = 0; k < w.length; k++) if (w.charCodeAt(k) >>> 8 === 6) return true;
  return false;
}

/**
 * Word scores (tagger.ts WordScores) keyed by folded form and, within a word's entry, by the
 * other inputs of those features (scoreSlot): the token's kind and the per-document
 * dictionary answer (features.ts TokenInfo.lex). A folded form's scores for each slot met
 * are chained from the entry (nearly always one: a word is nearly always of one kind, and
 * known or not to the dictionary), which costs no array per word.
 */
interface SlotScores extends WordScores {
  slot: number;
  next: SlotScores | undefined;
}
type WordScoreCache = WordCache<SlotScores>;

/**
 * The place of a token's scores in its folded form's entry: an Arabic word unknown to the
 * dictionary (0) or known (1), another word (2), a number (3), a symbol (4). Two tokens of
 * different kinds can fold alike (a number 33, and the symbol ْ33 that a stray sukun starts),
 * and their shape features differ: keyed by the folded form alone, the first one met gave
 * its scores to the other, so a document's suggestions depended on the documents analysed
 * before it in the same process (and differed between --jobs 1 and --jobs 2).
 */
function scoreSlot(info: TokenInfo): number {
  if (info.lex !== undefined) return info.lex ? 1 : 0;
  return info.kind === 'word' ? 2 : info.kind === 'number' ? 3 : 4;
}
/** Bound of a shared score cache (about 400 bytes a word; emptied when full, text/wordCache.ts). */
const MAX_CACHED_SCORES = 40_000;
/** Tagging without shared words (frequencies given as a function) scores each document on its own. */
const ownScores = new WeakMap<Analysis, { model: TaggerModel; cache: WordScoreCache }>();

function scoreCache(a: Analysis, model: TaggerModel): WordScoreCache {
  if (a.shared) {
    let c = a.shared.scores.get(model);
    if (!c) a.shared.scores.set(model, (c = new WordCache(MAX_CACHED_SCORES)));
    return c;
  }
  let own = ownScores.get(a);
  if (!own || own.model !== model) ownScores.set(a, (own = { model, cache: new WordCache(Infinity) }));
  return own.cache;
}

/**
 * Scores of the document-level features of each stem of a document (features.ts documentCues;
 * row TokenInfo.aggId), filled as the sentences need them. One array per document and model:
 * an array per stem, kept in a weak map by its cue list, cost a tenth of the tagging time in
 * allocation and weak-map upkeep.
 */
interface CueScores {
  model: TaggerModel;
  v: Float64Array;
  done: Uint8Array;
}
const cueScores = new WeakMap<Analysis, CueScores>();
function cueScoresOf(a: Analysis, model: TaggerModel): CueScores {
  let c = cueScores.get(a);
  if (!c || c.model !== model) {
    let stems = 0;
    for (const info of a.infos) if (info.aggId !== undefined && info.aggId >= stems) stems = info.aggId + 1;
    cueScores.set(a, (c = { model, v: new Float64Array(stems * model.tags.length), done: new Uint8Array(stems) }));
  }
  return c;
}

/** Emission scores of a sentence, straight from template/value lookups (see features.ts Emit). */
export function sentenceEmissions(a: Analysis, sentence: [number, number], model: TaggerModel): Float64Array {
  return emissionsInto(a, sentence, model, new Float64Array((sentence[1] - sentence[0]) * model.tags.length));
}

/** sentenceEmissions into `em` (zeroed, n × T): tagging passes the decoders' scratch. */
function emissionsInto(a: Analysis, [s, e]: [number, number], model: TaggerModel, em: Float64Array): Float64Array {
  const infos = a.infos.slice(s, e);
  const raw = a.tokens.slice(s, e);
  const T = model.tags.length;
  const idx = featureIndex(model);
  const n = infos.length;
  const c = scoreCache(a, model);
  const sc = new FeatureScorer(idx);
  const TG = idx.tag;
  const WS = idx.w;
  const dIdx = idx.maps.get('d=');
  const cues = cueScoresOf(a, model);
  const words = new Array<WordScores>(n);
  for (let i = 0; i < n; i++) {
    const info = infos[i];
    const slot = scoreSlot(info);
    const first = c.get(info.folded);
    let w = first;
    while (w !== undefined && w.slot !== slot) w = w.next;
    if (!w) c.set(ownString(info.folded), (w = { v: new Float32Array(5 * T), done: 0, slot, next: first }));
    words[i] = w;
  }
  addWordScores(em, n, T, words, (i, k, v, from) => {
    sc.out = v;
    sc.base = from;
    if (k === 0) emitWordFeatures(infos[i], a.ctx, sc.add);
    else emitAsNeighbour(infos[i], NEIGHBOUR_OFFSETS[k - 1], sc.add);
  });
  sc.out = em;
  for (let i = 0; i < n; i++) {
    const info = infos[i];
    const base = (sc.base = i * T);
    emitContextFeatures(infos, i, raw, sc.add, true, sc.pair);
    const agg = info.agg;
    if (!agg || !dIdx) continue;
    const row = info.aggId! * T;
    if (!cues.done[info.aggId!]) {
      for (const cue of agg) {
        const code = dIdx.get(cue);
        if (code !== undefined) for (let k = code >>> 5, end = k + (code & 31); k < end; k++) cues.v[row + TG[k]] += WS[k];
      }
      cues.done[info.aggId!] = 1;
    }
    for (let t = 0; t < T; t++) em[base + t] += cues.v[row + t];
  }
  return em;
}

/** Gold tags of every token from spans given in UTF-16 offsets. */
export function goldTags(a: Analysis, spans: { start: number; end: number; label: string }[], tags: string[]): number[] {
  const out = new Array<number>(a.tokens.length).fill(0);
  const hasEnd = tags.some((t) => t.startsWith('E-'));
  for (const sp of spans) {
    const ks: number[] = [];
    for (let k = 0; k < a.tokens.length; k++) {
      const t = a.tokens[k];
      if (t.end > sp.start && t.start < sp.end) ks.push(k);
    }
    ks.forEach((k, n) => {
      const prefix = !hasEnd ? (n === 0 ? 'B' : 'I') : ks.length === 1 ? 'S' : n === 0 ? 'B' : n === ks.length - 1 ? 'E' : 'I';
      const tag = tags.indexOf(`${prefix}-${sp.label}`);
      if (tag >= 0) out[k] = tag;
    });
  }
  return out;
}

/**
 * Training sentences of an annotated document. `uncertain` spans are text whose label is
 * not known (e.g. another corpus's broader MISC): their tokens may be outside any name or
 * a name of that label, and the sentence carries the set of allowed gold tags.
 */
export function trainingSentences(
  a: Analysis,
  spans: { start: number; end: number; label: string }[],
  tags: string[],
  opts: { uncertain?: { start: number; end: number; label: string }[]; weight?: number } = {},
): TrainingSentence[] {
  const gold = goldTags(a, spans, tags);
  const T = tags.length;
  // Token → the label it may also carry (uncertain spans only).
  const maybe = new Map<number, string>();
  for (const sp of opts.uncertain ?? []) {
    for (let k = 0; k < a.tokens.length; k++) if (a.tokens[k].end > sp.start && a.tokens[k].start < sp.end && gold[k] === 0) maybe.set(k, sp.label);
  }
  return a.sentences.map((r) => {
    const s: TrainingSentence = { feats: sentenceFeatures(a, r), gold: gold.slice(r[0], r[1]) };
    if (opts.weight !== undefined) s.weight = opts.weight;
    let allowed: Uint8Array | undefined;
    for (let k = r[0]; k < r[1]; k++) {
      const label = maybe.get(k);
      if (label === undefined) continue;
      if (!allowed) {
        allowed = new Uint8Array((r[1] - r[0]) * T);
        for (let i = r[0]; i < r[1]; i++) allowed[(i - r[0]) * T + gold[i]] = 1;
      }
      tags.forEach((t, ti) => {
        if (t.slice(2) === label) allowed![(k - r[0]) * T + ti] = 1;
      });
    }
    if (allowed) s.allowed = allowed;
    return s;
  });
}

/** A name the tagger found (tagger.ts PathSpan), token indices into the document. */
export type TaggedSpan = PathSpan;

/** Viterbi spans of every sentence with Arabic text, with marginal-based confidence. */
export function tagSpans(a: Analysis, model: TaggerModel): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  const T = model.tags.length;
  for (let k = 0; k < a.sentences.length; k++) {
    const r = a.sentences[k];
    const n = r[1] - r[0];
    if (n === 0 || !(a.arabic ? a.arabic[k] === 1 : hasArabic(a.tokens, r))) continue;
    const em = emissionsInto(a, r, model, emissionScratch(n * T));
    decodeNames(em, n, model, r[0], out);
  }
  return out;
}
