/**
 * The English tagger: the shared averaged perceptron (tagger.ts: BIOES tags, Viterbi,
 * forward–backward confidences) over English tokens and features (englishTokens.ts,
 * englishFeatures.ts). Analysis is shared by training and tagging, so both see exactly
 * the same tokens, sentences and features.
 */
import { emitEnAsNeighbour, emitEnContextFeatures, emitEnWordFeatures, enTokenFeatures, enTokenInfos, type EnFeatureContext, type EnTokenInfo } from './englishFeatures';
import { englishLexicon } from './englishLexicon';
import { englishSentences, tokenizeEnglish, type EnToken } from './englishTokens';
import { featureIndex, marginals, viterbi, type TaggerModel, type TrainingSentence } from './tagger';

export interface EnAnalysis {
  text: string;
  tokens: EnToken[];
  infos: EnTokenInfo[];
  sentences: [number, number][];
  ctx: EnFeatureContext;
}

/**
 * Analyses the given character ranges of `text` (default: all of it) as English.
 * `freq`: lower-cased training-text frequencies (a Map, or a lookup for leave-one-out counts).
 */
export function analyseEnglish(text: string, freq: Map<string, number> | ((w: string) => number), ranges: [number, number][] = [[0, text.length]]): EnAnalysis {
  const tokens: EnToken[] = [];
  const sentences: [number, number][] = [];
  for (const [from, to] of ranges) {
    const toks = tokenizeEnglish(text, from, to);
    const base = tokens.length;
    for (const t of toks) tokens.push(t);
    for (const [s, e] of englishSentences(text, toks)) sentences.push([base + s, base + e]);
  }
  const ctx: EnFeatureContext = { freq: typeof freq === 'function' ? freq : (w) => freq.get(w) ?? 0 };
  return { text, tokens, infos: enTokenInfos(tokens, sentences, englishLexicon()), sentences, ctx };
}

interface ScoreCache {
  model: TaggerModel;
  /** Document token → distinct-text id. */
  ids: Int32Array;
  /** Per text id, five score vectors: its own features (slot 0) and as the neighbour at −2, −1, +1, +2. */
  vec: Float64Array;
  done: Uint8Array;
}
const OFFSETS = [-2, -1, 1, 2] as const;

/** A fresh cache for one tagging pass over `a` (its buffers are reused by the next pass). */
function scoreCache(a: EnAnalysis, model: TaggerModel): ScoreCache {
  const ids = new Int32Array(a.infos.length);
  const byText = new Map<string, number>();
  for (let i = 0; i < a.infos.length; i++) {
    const w = a.infos[i].text;
    let id = byText.get(w);
    if (id === undefined) byText.set(w, (id = byText.size));
    ids[i] = id;
  }
  const T = model.tags.length;
  // Score vectors live in buffers reused from document to document (allocating them per
  // document kept the garbage collector busy); `done` is cleared, a slot is zeroed when filled.
  const need = byText.size * 5;
  if (scratch.done.length < need) scratch.done = new Uint8Array(need * 2);
  if (scratch.vec.length < need * T) scratch.vec = new Float64Array(need * T * 2);
  scratch.done.fill(0, 0, need);
  return { model, ids, vec: scratch.vec, done: scratch.done };
}
const scratch = { vec: new Float64Array(0), done: new Uint8Array(0) };

/** Emission scores of sentence [s, e): word and neighbour features from per-text caches, the rest looked up. */
function sentenceEmissions(a: EnAnalysis, [s, e]: [number, number], model: TaggerModel, c: ScoreCache): Float64Array {
  const infos = a.infos.slice(s, e);
  const T = model.tags.length;
  const idx = featureIndex(model);
  const n = infos.length;
  const em = new Float64Array(n * T);
  const vec = c.vec;
  let out: Float64Array = em;
  let base = 0;
  const TG = idx.tag;
  const WS = idx.w;
  const add = (template: string, value: string) => {
    const code = idx.maps.get(template)?.get(value);
    if (code === undefined) return;
    for (let k = code >>> 5, end = k + (code & 31); k < end; k++) out[base + TG[k]] += WS[k];
  };
  for (let i = 0; i < n; i++) {
    const id = c.ids[s + i];
    out = vec;
    for (let k = 0; k < 5; k++) {
      const slot = id * 5 + k;
      if (c.done[slot]) continue;
      c.done[slot] = 1;
      base = slot * T;
      vec.fill(0, base, base + T);
      if (k === 0) emitEnWordFeatures(infos[i], a.ctx, add);
      else emitEnAsNeighbour(infos[i], OFFSETS[k - 1], add);
    }
    // The token's own scores, and its scores as a neighbour onto the tokens that see it.
    for (let t = 0; t < T; t++) em[i * T + t] += vec[id * 5 * T + t];
    for (let k = 0; k < 4; k++) {
      const j = i - OFFSETS[k];
      if (j < 0 || j >= n) continue;
      const from = (id * 5 + k + 1) * T;
      for (let t = 0; t < T; t++) em[j * T + t] += vec[from + t];
    }
    out = em;
    base = i * T;
    emitEnContextFeatures(infos, i, add, true);
  }
  return em;
}

export interface EnTaggedSpan {
  /** Token indices, end exclusive. */
  first: number;
  last: number;
  label: string;
  /** Lowest marginal probability of the span's tags. */
  confidence: number;
}

/** Viterbi spans of every sentence, with marginal-based confidence. */
export function tagEnglish(a: EnAnalysis, model: TaggerModel): EnTaggedSpan[] {
  const out: EnTaggedSpan[] = [];
  const T = model.tags.length;
  const tags = model.tags;
  const cache = scoreCache(a, model);
  for (const r of a.sentences) {
    const n = r[1] - r[0];
    if (n === 0) continue;
    // A sentence whose only capital is an ordinary word opening it (The results were clear.)
    // holds no name to find: skip the decoding.
    let capped = false;
    for (let i = r[0]; i < r[1] && !capped; i++) {
      const t = a.infos[i];
      capped = (t.cap && !(t.first && t.classes?.includes('w') && !t.doc?.includes('mc'))) || t.text[0] === '#' || t.text[0] === '@';
    }
    if (!capped) continue;
    const em = sentenceEmissions(a, r, model, cache);
    const path = viterbi(em, n, model.trans, tags);
    if (path.every((t) => t === 0)) continue;
    const marg = marginals(em, n, model.trans, tags, model.temperature);
    for (let i = 0; i < n; i++) {
      const tag = tags[path[i]];
      if (!tag.startsWith('B-') && !tag.startsWith('S-')) continue;
      const label = tag.slice(2);
      let j = i + 1;
      if (tag.startsWith('B-')) {
        while (j < n && tags[path[j]] === 'I-' + label) j++;
        if (j < n && tags[path[j]] === 'E-' + label) j++;
      }
      let conf = 0;
      for (let t = 0; t < T; t++) if (tags[t] === 'B-' + label || tags[t] === 'S-' + label) conf += marg[i * T + t];
      for (let k = i + 1; k < j; k++) {
        let m = 0;
        for (let t = 0; t < T; t++) if (tags[t].endsWith('-' + label)) m += marg[k * T + t];
        conf = Math.min(conf, m);
      }
      out.push({ first: r[0] + i, last: r[0] + j, label, confidence: conf });
      i = j - 1;
    }
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
