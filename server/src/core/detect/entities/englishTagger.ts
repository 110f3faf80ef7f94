/**
 * The English tagger: the shared averaged perceptron (tagger.ts: BIOES tags, Viterbi,
 * forward–backward confidences) over English tokens and features (englishTokens.ts,
 * englishFeatures.ts). Analysis is shared by training and tagging, so both see exactly
 * the same tokens, sentences and features.
 */
import { ownString } from '../../text/ownString';
import { WordCache } from '../../text/wordCache';
import { CUE_LISTS, emitEnAsNeighbour, emitEnContextFeatures, emitEnWordFeatures, enTokenFeatures, enTokenInfos, MID_CAPITAL, newTokenInfo, type EnEmitPair, type EnFeatureContext, type EnTokenInfo, type WordFacts } from './englishFeatures';
import { englishLexicon } from './englishLexicon';
import { englishSentences, tokenizeEnglishAs, type EnToken } from './englishTokens';
import { addWordScores, decodeNames, emissionScratch, featureIndex, FeatureScorer, NEIGHBOUR_OFFSETS, type PathSpan, type TaggerModel, type TrainingSentence, type WordScores } from './tagger';

export interface EnAnalysis {
  text: string;
  tokens: EnToken[];
  /** The same objects as `tokens`, with what the features read. */
  infos: EnTokenInfo[];
  sentences: [number, number][];
  ctx: EnFeatureContext;
  /** The frequencies as given, when a Map: tagging with a model of these frequencies keeps word scores across documents. */
  freq?: Map<string, number>;
}

/**
 * Analyses the given character ranges of `text` (default: all of it) as English.
 * `freq`: lower-cased training-text frequencies (a Map, or a lookup for leave-one-out counts).
 */
export function analyseEnglish(text: string, freq: Map<string, number> | ((w: string) => number), ranges: [number, number][] = [[0, text.length]]): EnAnalysis {
  const tokens: EnTokenInfo[] = [];
  const sentences: [number, number][] = [];
  for (const [from, to] of ranges) {
    const toks = tokenizeEnglishAs(text, from, to, newTokenInfo);
    const base = tokens.length;
    for (const t of toks) tokens.push(t);
    for (const [s, e] of englishSentences(text, toks)) sentences.push([base + s, base + e]);
  }
  const ctx: EnFeatureContext = { freq: typeof freq === 'function' ? freq : (w) => freq.get(w) ?? 0 };
  return { text, tokens, infos: enTokenInfos(tokens, sentences, englishLexicon()), sentences, ctx, ...(typeof freq === 'function' ? {} : { freq }) };
}

/**
 * Word scores (tagger.ts WordScores) of a token text, slot 0 without the document cues.
 * The text alone decides them (lower case, shape, capital, lexicon classes, and the
 * model's frequency of the word), so with the model's own frequencies they are kept
 * across documents: a scan meets the same words in article after article. The document
 * cues (EnTokenInfo.doc) differ from document to document and are scored per document
 * (DocCueScores).
 */
interface ScoreCache {
  words: WordCache<WordScores>;
  /** Whether the scores may be kept on the words' facts (WordFacts.tagging): the model's own frequencies. */
  onFacts: boolean;
}

/**
 * What tagging keeps on a word's facts (WordFacts.tagging), for the first model that tags the
 * word with its own frequencies (the shipped one, in practice; others keep theirs in their
 * ScoreCache): its scores, and the model's word pairs that start with it, by template
 * (PAIR_TEMPLATES; null: none).
 */
interface KeptScores {
  model: TaggerModel;
  scores: WordScores;
  pairs: (Map<string, number> | null | undefined)[];
}
const PAIR_TEMPLATES = ['w-1w=', 'ww+1='];
/**
 * Bound of a shared cache (5 × 17 scores, about 750 bytes a word; emptied when full,
 * text/wordCache.ts). It holds the words whose facts keep another model's scores: the first
 * model to tag a word keeps its scores on the facts, under the facts cache's bound.
 */
const MAX_CACHED_WORDS = 20_000;
const sharedScores = new WeakMap<TaggerModel, ScoreCache>();

/** The model's shared cache when `a` was analysed with its frequencies, else one for this pass alone. */
function scoreCache(a: EnAnalysis, model: TaggerModel): ScoreCache {
  if (a.freq === undefined || a.freq !== model.freq) return { words: new WordCache(Infinity), onFacts: false };
  let c = sharedScores.get(model);
  if (!c) sharedScores.set(model, (c = { words: new WordCache(MAX_CACHED_WORDS), onFacts: true }));
  return c;
}

/**
 * Scores of the document cues of a cue list (row EnTokenInfo.docId: its cues as bits), filled
 * as the sentences need them. The model alone decides them, so they are kept per model: one
 * row for each of the at most 2^11 lists.
 */
interface DocCueScores {
  v: Float64Array;
  done: Uint8Array;
}
const cueScores = new WeakMap<TaggerModel, DocCueScores>();
function docCueScores(model: TaggerModel): DocCueScores {
  let c = cueScores.get(model);
  if (!c) cueScores.set(model, (c = { v: new Float64Array(CUE_LISTS * model.tags.length), done: new Uint8Array(CUE_LISTS) }));
  return c;
}

/** Emission scores of sentence [s, e): word and neighbour features from the word caches, the rest looked up. */
/** Into `em` (zeroed, n × T). */
function sentenceEmissions(a: EnAnalysis, [s, e]: [number, number], model: TaggerModel, c: ScoreCache, cues: DocCueScores, em: Float64Array): Float64Array {
  const infos = a.infos.slice(s, e);
  const T = model.tags.length;
  const idx = featureIndex(model);
  const n = infos.length;
  const sc = new FeatureScorer(idx);
  const pair = pairsFrom(sc, model, c.onFacts);
  const words = new Array<WordScores>(n);
  for (let i = 0; i < n; i++) {
    const kept = c.onFacts ? keptOn(infos[i].facts, model, T) : undefined;
    if (kept) {
      words[i] = kept.scores;
      continue;
    }
    const text = infos[i].text;
    let w = c.words.get(text);
    if (!w) c.words.set(ownString(text), (w = { v: new Float64Array(5 * T), done: 0 }));
    words[i] = w;
  }
  addWordScores(em, n, T, words, (i, k, v, from) => {
    sc.out = v;
    sc.base = from;
    if (k === 0) emitEnWordFeatures(infos[i], a.ctx, sc.add, false);
    else emitEnAsNeighbour(infos[i], NEIGHBOUR_OFFSETS[k - 1], sc.add);
  });
  for (let i = 0; i < n; i++) {
    const doc = infos[i].doc;
    if (doc) {
      const row = infos[i].docId! * T;
      if (!cues.done[infos[i].docId!]) {
        sc.out = cues.v;
        sc.base = row;
        for (const cue of doc) sc.add('d=', cue);
        cues.done[infos[i].docId!] = 1;
      }
      for (let t = 0; t < T; t++) em[i * T + t] += cues.v[row + t];
    }
    sc.out = em;
    sc.base = i * T;
    emitEnContextFeatures(infos, i, sc.add, true, pair);
  }
  return em;
}

/** The scores kept on a word's facts for `model`: made if the facts hold none, undefined if they hold another model's. */
function keptOn(facts: WordFacts, model: TaggerModel, T: number): KeptScores | undefined {
  // The slot is typed loosely in englishFeatures.ts (which knows nothing of models); only this file writes it.
  const k = facts.tagging as KeptScores | undefined;
  if (k) return k.model === model ? k : undefined;
  const made: KeptScores = { model, scores: { v: new Float64Array(5 * T), done: 0 }, pairs: [undefined, undefined] };
  facts.tagging = made;
  return made;
}

/**
 * Word-pair features (FeatureScorer.pair) that take the left word's pairs from its kept scores
 * when it has them: the lookup by the left word is then made once per word, not per token.
 */
function pairsFrom(sc: FeatureScorer, model: TaggerModel, onFacts: boolean): EnEmitPair {
  return (template, left, right, leftToken) => {
    const slot = PAIR_TEMPLATES.indexOf(template);
    const kept = onFacts && leftToken && slot >= 0 ? keptOn(leftToken.facts, model, model.tags.length) : undefined;
    if (!kept) return sc.pair(template, left, right);
    let rights = kept.pairs[slot];
    if (rights === undefined) rights = kept.pairs[slot] = sc.pairRights(template, left) ?? null;
    if (rights) sc.addCode(rights.get(right));
  };
}

/** Emission scores of one sentence of `a`, as tagging computes them (for tests and checks). */
export function englishEmissions(a: EnAnalysis, sentence: [number, number], model: TaggerModel): Float64Array {
  const T = model.tags.length;
  return sentenceEmissions(a, sentence, model, scoreCache(a, model), docCueScores(model), new Float64Array((sentence[1] - sentence[0]) * T));
}

/** A name the English tagger found (tagger.ts PathSpan), token indices into the analysis. */
export type EnTaggedSpan = PathSpan;

/** Viterbi spans of every sentence, with marginal-based confidence. */
export function tagEnglish(a: EnAnalysis, model: TaggerModel): EnTaggedSpan[] {
  const out: EnTaggedSpan[] = [];
  const T = model.tags.length;
  const cache = scoreCache(a, model);
  const cues = docCueScores(model);
  for (const r of a.sentences) {
    const n = r[1] - r[0];
    if (n === 0) continue;
    // A sentence whose only capital is an ordinary word opening it (The results were clear.)
    // holds no name to find: skip the decoding.
    let capped = false;
    for (let i = r[0]; i < r[1] && !capped; i++) {
      const t = a.infos[i];
      capped = (t.cap && !(t.first && t.classes?.includes('w') && !((t.docId ?? 0) & MID_CAPITAL))) || t.text[0] === '#' || t.text[0] === '@';
    }
    if (!capped) continue;
    const em = sentenceEmissions(a, r, model, cache, cues, emissionScratch(n * T));
    decodeNames(em, n, model, r[0], out);
  }
  return out;
}

/** Training sentences with gold BIOES (or BIO) tags from spans in UTF-16 offsets. */
export function enTrainingSentences(a: EnAnalysis, spans: { start: number; end: number; label: string }[], tags: string[]): TrainingSentence[] {
  const gold = new Array<number>(a.tokens.length).fill(0);
  const hasEnd = tags.some((t) => t.startsWith('E-'));
  const sorted = [...spans].sort((x, y) => x.start - y.start);
  let k0 = 0;
  for (const sp of sorted) {
    while (k0 < a.tokens.length && a.tokens[k0].end <= sp.start) k0++;
    const ks: number[] = [];
    for (let k = k0; k < a.tokens.length && a.tokens[k].start < sp.end; k++) ks.push(k);
    ks.forEach((k, n) => {
      const prefix = !hasEnd ? (n === 0 ? 'B' : 'I') : ks.length === 1 ? 'S' : n === 0 ? 'B' : n === ks.length - 1 ? 'E' : 'I';
      const tag = tags.indexOf(`${prefix}-${sp.label}`);
      if (tag >= 0) gold[k] = tag;
    });
  }
  return a.sentences.map(([s, e]) => {
    const infos = a.infos.slice(s, e);
    return { feats: infos.map((_, i) => enTokenFeatures(infos, i, a.ctx)), gold: gold.slice(s, e) };
  });
}
