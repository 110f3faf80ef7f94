/**
 * Document analysis shared by training and tagging, so both see exactly the
 * same tokens, sentences and features.
 */
import { sentenceRanges, tokenize, type Token } from '../../text/tokenize';
import { emitFeatures, tokenFeatures, tokenInfos, type FeatureContext, type TokenInfo } from './features';
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

/** `freq` gives training-text word frequencies (a Map, or a lookup for leave-one-out counts). */
export function analyse(text: string, freq: Map<string, number> | ((w: string) => number), gazetteer: Gazetteer): Analysis {
  const tokens = tokenize(text);
  const ctx: FeatureContext = { gazetteer, freq: typeof freq === 'function' ? freq : (w) => freq.get(w) ?? 0 };
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

/** Emission scores of a sentence, straight from template/value lookups (see features.ts Emit). */
export function sentenceEmissions(a: Analysis, [s, e]: [number, number], model: TaggerModel): Float64Array {
  const infos = a.infos.slice(s, e);
  const raw = a.tokens.slice(s, e);
  const T = model.tags.length;
  const idx = featureIndex(model);
  const em = new Float64Array(infos.length * T);
  let base = 0;
  const add = (template: string, value: string) => {
    const w = idx.get(template)?.get(value);
    if (w) for (let t = 0; t < T; t++) em[base + t] += w[t];
  };
  for (let i = 0; i < infos.length; i++) {
    base = i * T;
    emitFeatures(infos, i, a.ctx, raw, add);
  }
  return em;
}

/** Gold tags of every token from spans given in UTF-16 offsets. */
export function goldTags(a: Analysis, spans: { start: number; end: number; label: string }[], tags: string[]): number[] {
  const out = new Array<number>(a.tokens.length).fill(0);
  for (const sp of spans) {
    let first = true;
    for (let k = 0; k < a.tokens.length; k++) {
      const t = a.tokens[k];
      if (t.end <= sp.start || t.start >= sp.end) continue;
      const tag = tags.indexOf(`${first ? 'B' : 'I'}-${sp.label}`);
      if (tag < 0) break;
      out[k] = tag;
      first = false;
    }
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
      if (!tag.startsWith('B-')) continue;
      let j = i + 1;
      while (j < n && model.tags[path[j]] === 'I-' + tag.slice(2)) j++;
      // The first token must start a name of this label; later tokens must belong to one
      // (B or I): where the tagger hesitates between one name and two adjacent ones
      // (حسين أمير | عبد اللهيان), the tokens are still a name.
      const b = path[i];
      const inside = model.tags.indexOf('I-' + tag.slice(2));
      let conf = marg[i * T + b];
      for (let k = i + 1; k < j; k++) conf = Math.min(conf, marg[k * T + b] + marg[k * T + inside]);
      out.push({ first: r[0] + i, last: r[0] + j, label: tag.slice(2), confidence: conf });
      i = j - 1;
    }
  }
  return out;
}
