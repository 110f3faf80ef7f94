/**
 * Document analysis shared by training and tagging, so both see exactly the
 * same tokens, sentences and features.
 */
import { arabicLexicon } from '../../text/lexicon';
import { sentenceRanges, tokenize, type Token } from '../../text/tokenize';
import { emitAsNeighbour, emitContextFeatures, emitWordFeatures, tokenFeatures, tokenInfos, type FeatureContext, type TokenInfo } from './features';
import type { Gazetteer, GazetteerMatch } from './gazetteer';
import { featureIndex, marginals, viterbi, type TaggerModel, type TrainingSentence } from './tagger';

export interface Analysis {
  text: string;
  tokens: Token[];
  infos: TokenInfo[];
  sentences: [number, number][];
  matches: GazetteerMatch[];
  ctx: FeatureContext;
}

/** Sentences longer than this are cut for the tagger (keeps Viterbi cheap on run-on text). */
const MAX_SENTENCE = 120;

const FORMAT_ONLY = /^\p{Cf}+$/u;

/** `freq` gives training-text word frequencies (a Map, or a lookup for leave-one-out counts). */
export function analyse(text: string, freq: Map<string, number> | ((w: string) => number), gazetteer: Gazetteer): Analysis {
  // Invisible format characters standing alone (a right-to-left mark after a word,
  // common in scraped Arabic) would otherwise sit between a word and its neighbour
  // and break every context feature; entity spans take back the directional marks
  // written against them (index.ts withAttachedMarks).
  const tokens = tokenize(text).filter((t) => !FORMAT_ONLY.test(t.text));
  const lexicon = arabicLexicon();
  const ctx: FeatureContext = { gazetteer, freq: typeof freq === 'function' ? freq : (w) => freq.get(w) ?? 0, lexicon: (w) => lexicon.has(w) };
  const matches = gazetteer.match(tokens);
  const infos = tokenInfos(tokens, ctx, matches);
  const sentences: [number, number][] = [];
  for (const [a, b] of sentenceRanges(text, tokens)) for (let s = a; s < b; s += MAX_SENTENCE) sentences.push([s, Math.min(b, s + MAX_SENTENCE)]);
  return { text, tokens, infos, sentences, matches, ctx };
}

export function sentenceFeatures(a: Analysis, [s, e]: [number, number]): string[][] {
  const infos = a.infos.slice(s, e);
  const raw = a.tokens.slice(s, e);
  return infos.map((_, i) => tokenFeatures(infos, i, a.ctx, raw));
}

/** Latin-only sentences are left to the English detector. */
function hasLetters(a: Analysis, [s, e]: [number, number]): boolean {
  for (let i = s; i < e; i++) if (a.tokens[i].kind === 'word' && /[\u0600-\u06ff]/.test(a.tokens[i].text)) return true;
  return false;
}

interface ScoreCache {
  model: TaggerModel;
  /** Document token → distinct-word id. */
  ids: Int32Array;
  /**
   * Per word id, five score vectors: its word features (slot 0), and its features
   * as the neighbour at −2, −1, +1, +2 (slots 1–4); `done` marks the computed ones.
   */
  vec: Float64Array;
  done: Uint8Array;
  /** Per stem cue list: the scores of its document-level features. */
  agg: Map<string[], Float64Array>;
}
/** Per document and model, so each distinct word is scored once (tagging only; training uses tokenFeatures). */
const scoreCaches = new WeakMap<Analysis, ScoreCache>();
const OFFSETS = [-2, -1, 1, 2] as const;

function scoreCache(a: Analysis, model: TaggerModel): ScoreCache {
  let c = scoreCaches.get(a);
  if (c && c.model === model) return c;
  const ids = new Int32Array(a.infos.length);
  const byWord = new Map<string, number>();
  for (let i = 0; i < a.infos.length; i++) {
    const w = a.infos[i].folded;
    let id = byWord.get(w);
    if (id === undefined) byWord.set(w, (id = byWord.size));
    ids[i] = id;
  }
  const T = model.tags.length;
  c = { model, ids, vec: new Float64Array(byWord.size * 5 * T), done: new Uint8Array(byWord.size * 5), agg: new Map() };
  scoreCaches.set(a, c);
  return c;
}

/** Emission scores of a sentence, straight from template/value lookups (see features.ts Emit). */
export function sentenceEmissions(a: Analysis, [s, e]: [number, number], model: TaggerModel): Float64Array {
  const infos = a.infos.slice(s, e);
  const raw = a.tokens.slice(s, e);
  const T = model.tags.length;
  const idx = featureIndex(model);
  const n = infos.length;
  const em = new Float64Array(n * T);
  const c = scoreCache(a, model);
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
  const plus = (i: number, slot: number) => {
    for (let t = 0; t < T; t++) em[i * T + t] += vec[slot * T + t];
  };
  const dIdx = idx.maps.get('d=');
  for (let i = 0; i < n; i++) {
    const id = c.ids[s + i];
    const info = infos[i];
    out = vec;
    for (let k = 0; k < 5; k++) {
      const slot = id * 5 + k;
      if (c.done[slot]) continue;
      c.done[slot] = 1;
      base = slot * T;
      if (k === 0) emitWordFeatures(info, a.ctx, add);
      else emitAsNeighbour(info, OFFSETS[k - 1], add);
    }
    out = em;
    base = i * T;
    plus(i, id * 5);
    for (let k = 0; k < 4; k++) {
      const j = i - OFFSETS[k]; // the token that sees token i at this offset
      if (j >= 0 && j < n) plus(j, id * 5 + k + 1);
    }
    emitContextFeatures(infos, i, raw, add, true);
    const agg = info.agg;
    if (!agg || !dIdx) continue;
    let v = c.agg.get(agg);
    if (!v) {
      v = new Float64Array(T);
      for (const cue of agg) {
        const code = dIdx.get(cue);
        if (code !== undefined) for (let k = code >>> 5, end = k + (code & 31); k < end; k++) v[TG[k]] += WS[k];
      }
      c.agg.set(agg, v);
    }
    for (let t = 0; t < T; t++) em[base + t] += v[t];
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

export function trainingSentences(a: Analysis, spans: { start: number; end: number; label: string }[], tags: string[]): TrainingSentence[] {
  const gold = goldTags(a, spans, tags);
  return a.sentences.map((r) => ({ feats: sentenceFeatures(a, r), gold: gold.slice(r[0], r[1]) }));
}

export interface TaggedSpan {
  /** Token indices, end exclusive. */
  first: number;
  last: number;
  label: string;
  /** Lowest marginal probability of the span's tags. */
  confidence: number;
}

const labelTagCache = new WeakMap<string[], Map<string, { starts: number[]; all: number[] }>>();
/** Indices of the tags that start a name of `label` (B, S), and of all its tags. */
function labelTags(tags: string[], label: string): { starts: number[]; all: number[] } {
  let m = labelTagCache.get(tags);
  if (!m) labelTagCache.set(tags, (m = new Map()));
  let v = m.get(label);
  if (!v) {
    const idx = (p: string) => tags.indexOf(`${p}-${label}`);
    v = { starts: ['B', 'S'].map(idx).filter((x) => x >= 0), all: ['B', 'I', 'E', 'S'].map(idx).filter((x) => x >= 0) };
    m.set(label, v);
  }
  return v;
}

/** Viterbi spans of every sentence with Arabic text, with marginal-based confidence. */
export function tagSpans(a: Analysis, model: TaggerModel): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  const T = model.tags.length;
  for (const r of a.sentences) {
    const n = r[1] - r[0];
    if (n === 0 || !hasLetters(a, r)) continue;
    const em = sentenceEmissions(a, r, model);
    const path = viterbi(em, n, model.trans, model.tags);
    if (path.every((t) => t === 0)) continue;
    const marg = marginals(em, n, model.trans, model.tags, model.temperature);
    for (let i = 0; i < n; i++) {
      const tag = model.tags[path[i]];
      if (!tag.startsWith('B-') && !tag.startsWith('S-')) continue;
      const label = tag.slice(2);
      let j = i + 1;
      if (tag.startsWith('B-')) {
        while (j < n && model.tags[path[j]] === 'I-' + label) j++;
        if (j < n && model.tags[path[j]] === 'E-' + label) j++;
      }
      // The first token must start a name of this label; later tokens must belong to one
      // (any tag of the label): where the tagger hesitates between one name and two adjacent
      // ones (حسين أمير | عبد اللهيان), the tokens are still a name.
      const of = labelTags(model.tags, label);
      let conf = 0;
      for (const t of of.starts) conf += marg[i * T + t];
      for (let k = i + 1; k < j; k++) {
        let m = 0;
        for (const t of of.all) m += marg[k * T + t];
        conf = Math.min(conf, m);
      }
      out.push({ first: r[0] + i, last: r[0] + j, label, confidence: conf });
      i = j - 1;
    }
  }
  return out;
}
