/**
 * Averaged-perceptron sequence tagger over BIOES tags (BIO models still load)
 * with first-order tag transitions, decoded by Viterbi under the scheme's
 * constraints (I-X and E-X only after B-X or I-X; B-X and I-X continued).
 * Confidence comes from forward–backward marginals over the same scores,
 * divided by a temperature fitted at training time.
 */
import { ownString } from '../../text/ownString';

export interface TaggerModel {
  /** `O`, `B-PER`, `I-PER`, … */
  tags: string[];
  /** Feature → one weight per tag (averaged). */
  weights: Map<string, Float32Array>;
  /** (tags + 1) × tags: row `tags.length` is the sentence start. */
  trans: Float32Array;
  /** Folded word → frequency in the training text. */
  freq: Map<string, number>;
  /** Score scale for marginals (higher = flatter). */
  temperature: number;
  meta: Record<string, unknown>;
}

export const LABELS = ['PER', 'ORG', 'LOC', 'MISC'];
/**
 * BIOES: a name's last token (E) and one-token names (S) have tags of their own, so
 * the weights can learn how names end, not only how they start. In CV over ANERcorp
 * (npm run eval:ner) 0.769 → 0.776 micro-F1 over BIO, mostly precision; BIO models
 * (tags O, B-X, I-X) still decode, everything below works for both.
 */
export const TAGS = ['O', ...LABELS.flatMap((l) => [`B-${l}`, `I-${l}`, `E-${l}`, `S-${l}`])];
/** The same labels as BIO tags: 9 tags instead of 17, so decoding and scoring cost about half. */
export const BIO_TAGS = ['O', ...LABELS.flatMap((l) => [`B-${l}`, `I-${l}`])];

/**
 * allowed[p * T + c]: may tag c follow tag p (p = T: sentence start)? Row T + 1:
 * may c end a sentence? Works for BIO and BIOES tag sets: I-X (and E-X) only
 * after B-X or I-X; with E tags, B-X and I-X must be continued.
 */
function allowedMatrix(tags: string[]): Uint8Array {
  const T = tags.length;
  const hasEnd = tags.some((t) => t.startsWith('E-'));
  const open = (t: string | undefined) => t !== undefined && (t.startsWith('B-') || t.startsWith('I-'));
  const a = new Uint8Array((T + 2) * T);
  for (let p = 0; p <= T; p++) {
    const pt = p < T ? tags[p] : undefined;
    for (let c = 0; c < T; c++) {
      const ct = tags[c];
      const continues = ct.startsWith('I-') || ct.startsWith('E-');
      if (continues) a[p * T + c] = open(pt) && pt!.slice(2) === ct.slice(2) ? 1 : 0;
      else a[p * T + c] = hasEnd && open(pt) ? 0 : 1;
    }
  }
  for (let c = 0; c < T; c++) a[(T + 1) * T + c] = hasEnd && open(tags[c]) ? 0 : 1;
  return a;
}


/**
 * The allowed pairs as lists: tags pred[predOff[c] .. predOff[c + 1]) may precede c,
 * tags succ[succOff[p] .. succOff[p + 1]) may follow p. BIOES allows 97 of the 289
 * pairs, so the T² loops of Viterbi and forward–backward walk these instead of the whole
 * matrix; flat arrays (not an array per tag) and a cache keyed by the tags array itself
 * (not its joined text, once per sentence) took a fifth off both decoders.
 */
interface PairLists {
  ok: Uint8Array;
  predOff: Int32Array;
  pred: Int32Array;
  succOff: Int32Array;
  succ: Int32Array;
}
const pairLists = new WeakMap<string[], PairLists>();
function pairs(tags: string[]): PairLists {
  let v = pairLists.get(tags);
  if (!v) {
    const T = tags.length;
    const ok = allowedMatrix(tags);
    const predOff = new Int32Array(T + 1);
    const succOff = new Int32Array(T + 1);
    const pred: number[] = [];
    const succ: number[] = [];
    for (let c = 0; c < T; c++) {
      predOff[c] = pred.length;
      for (let p = 0; p < T; p++) if (ok[p * T + c]) pred.push(p);
    }
    predOff[T] = pred.length;
    for (let p = 0; p < T; p++) {
      succOff[p] = succ.length;
      for (let c = 0; c < T; c++) if (ok[p * T + c]) succ.push(c);
    }
    succOff[T] = succ.length;
    v = { ok, predOff, pred: Int32Array.from(pred), succOff, succ: Int32Array.from(succ) };
    pairLists.set(tags, v);
  }
  return v;
}

/**
 * Weights regrouped by feature template (`w=`, `s-1=`, …) then value; built once per
 * model. Weights are sparse — a pruned feature weighs on 2–3 of the 17 tags on
 * average, and adding them is most of the tagging time — and packed: one array of
 * tag indices and one of weights for the whole model, each feature a small integer
 * `offset << 5 | count` into them (no per-feature object for the heap to carry).
 */
export interface FeatureIndex {
  maps: Map<string, Map<string, number>>;
  tag: Uint8Array;
  w: Float32Array;
}
const indexes = new WeakMap<TaggerModel, FeatureIndex>();

/** A model read in the packed form comes with its index built (modelFile.ts). */
export function adoptFeatureIndex(model: TaggerModel, idx: FeatureIndex): void {
  indexes.set(model, idx);
}

/** A feature's offset is kept in the 26 bits above its 5-bit count (a 32-bit integer). */
export const MAX_WEIGHTS = 1 << 26;

/**
 * Files feature `f` (`template=value`, or a template alone) in the index, its weights being
 * `count` entries of `tag`/`w` from `offset`. Returns false when the feature is there already.
 */
export function indexFeature(idx: FeatureIndex, f: string, offset: number, count: number): boolean {
  const eq = f.indexOf('=');
  const template = eq < 0 ? f : f.slice(0, eq + 1);
  let m = idx.maps.get(template);
  if (!m) idx.maps.set(ownString(template), (m = new Map()));
  // A value of 13 characters or more cut from a model file's feature list would be a view
  // into the whole list (1.2 million characters for the Arabic model), kept by 8,000 of them.
  const value = eq < 0 ? '' : ownString(f.slice(eq + 1));
  if (m.has(value)) return false;
  m.set(value, (offset << 5) | count);
  return true;
}

export function featureIndex(model: TaggerModel): FeatureIndex {
  let idx = indexes.get(model);
  if (idx) return idx;
  // A feature's count of non-zero tags must fit the 5 low bits of its code.
  if (model.tags.length > 31) throw new Error(`a tagger model may have at most 31 tags (this one has ${model.tags.length})`);
  let total = 0;
  for (const w of model.weights.values()) for (let t = 0; t < w.length; t++) if (w[t] !== 0) total++;
  // …and its offset the 26 bits above them (a 32-bit integer).
  if (total >= MAX_WEIGHTS) throw new Error(`a tagger model may have at most ${MAX_WEIGHTS} non-zero weights (this one has ${total})`);
  idx = { maps: new Map(), tag: new Uint8Array(total), w: new Float32Array(total) };
  let k = 0;
  for (const [f, w] of model.weights) {
    const offset = k;
    for (let t = 0; t < w.length; t++) if (w[t] !== 0) (idx.tag[k] = t), (idx.w[k++] = w[t]);
    indexFeature(idx, f, offset, k - offset);
  }
  indexes.set(model, idx);
  return idx;
}

/**
 * Word-pair features (`w-1w=` with the value `left|right`) regrouped by their left word:
 * tagging looks a pair up by its two words, whose hashes the engine keeps with the strings,
 * instead of joining them into a new string to hash for every token (most pairs a text
 * holds are not in the model). A value with several bars is filed under each split, so a
 * lookup finds exactly the values `left + '|' + right` would.
 */
const pairIndexes = new WeakMap<FeatureIndex, Map<string, Map<string, Map<string, number>>>>();
function pairIndexesOf(idx: FeatureIndex): Map<string, Map<string, Map<string, number>>> {
  let byTemplate = pairIndexes.get(idx);
  if (!byTemplate) pairIndexes.set(idx, (byTemplate = new Map()));
  return byTemplate;
}
function buildPairIndex(idx: FeatureIndex, template: string): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const [value, code] of idx.maps.get(template) ?? []) {
    for (let bar = value.indexOf('|'); bar >= 0; bar = value.indexOf('|', bar + 1)) {
      const left = value.slice(0, bar);
      let right = m.get(left);
      if (!right) m.set(left, (right = new Map()));
      right.set(value.slice(bar + 1), code);
    }
  }
  pairIndexesOf(idx).set(template, m);
  return m;
}

/**
 * Adds the weights of the features it is given (features.ts Emit, EmitPair) into `out` from
 * index `base`: how both taggers build emission scores without building feature strings.
 */
export class FeatureScorer {
  out: Float32Array | Float64Array = new Float64Array(0);
  base = 0;
  private readonly tag: Uint8Array;
  private readonly w: Float32Array;
  private readonly pairs: Map<string, Map<string, Map<string, number>>>;
  constructor(private readonly idx: FeatureIndex) {
    this.tag = idx.tag;
    this.w = idx.w;
    this.pairs = pairIndexesOf(idx);
  }
  /** Adds the weights of one feature (a code of the index), if the model has it. */
  addCode(code: number | undefined): void {
    if (code === undefined) return;
    const { out, base, tag, w } = this;
    for (let k = code >>> 5, end = k + (code & 31); k < end; k++) out[base + tag[k]] += w[k];
  }
  readonly add = (template: string, value: string): void => this.addCode(this.idx.maps.get(template)?.get(value));
  readonly pair = (template: string, left: string, right: string): void => this.addCode(this.pairRights(template, left)?.get(right));
  /** The codes of a pair template's values whose left word is `left`, by right word (undefined: none). */
  pairRights(template: string, left: string): Map<string, number> | undefined {
    return (this.pairs.get(template) ?? buildPairIndex(this.idx, template)).get(left);
  }
}

/**
 * Scratch arrays reused across sentences (tagging a document would otherwise allocate
 * a few n × T arrays per sentence, and the garbage collector then shows in the timings).
 */
const scratch = new Map<string, Float64Array | Int32Array>();
function buffer(name: string, size: number): Float64Array;
function buffer(name: string, size: number, int: true): Int32Array;
function buffer(name: string, size: number, int = false): Float64Array | Int32Array {
  let b = scratch.get(name);
  if (!b || b.length < size) scratch.set(name, (b = int ? new Int32Array(Math.max(size, 4096)) : new Float64Array(Math.max(size, 4096))));
  return b.subarray(0, size);
}

/**
 * Zeroed room for a sentence's emission scores (n × T), reused from sentence to sentence:
 * valid until the next call. A typed array per sentence has its memory outside the heap,
 * which costs more to allocate and to collect than its size suggests.
 */
export function emissionScratch(size: number): Float64Array {
  return buffer('emissions', size).fill(0);
}

export function viterbi(em: Float64Array, n: number, trans: ArrayLike<number>, tags: string[]): number[] {
  const T = tags.length;
  if (n === 0) return [];
  const { ok, predOff, pred } = pairs(tags);
  const score = buffer('score', n * T);
  const back = buffer('back', n * T, true);
  for (let c = 0; c < T; c++) score[c] = ok[T * T + c] ? trans[T * T + c] + em[c] : -Infinity;
  // Training calls this with transitions it is updating: they are read as they are, not cached.
  for (let i = 1; i < n; i++) {
    const prev = (i - 1) * T;
    const row = i * T;
    for (let c = 0; c < T; c++) {
      let best = -Infinity;
      let arg = 0;
      for (let q = predOff[c], end = predOff[c + 1]; q < end; q++) {
        const p = pred[q];
        const s = score[prev + p] + trans[p * T + c];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[row + c] = best + em[row + c];
      back[row + c] = arg;
    }
  }
  const lastRow = (n - 1) * T;
  let last = 0;
  for (let c = 1; c < T; c++) if (ok[(T + 1) * T + c] && score[lastRow + c] > score[lastRow + last]) last = c;
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let i = n - 1; i > 0; i--) path[i - 1] = back[i * T + path[i]];
  return path;
}

/**
 * exp(trans / temperature) of the allowed pairs, in the order of the pair lists: `pred[q]`'s
 * potential into its tag at `toward[q]`, `succ[q]`'s from its tag at `from[q]`, and from the
 * sentence start at `start[c]`. Cached per transitions array: only tagging computes
 * marginals, with a model's fixed transitions.
 */
interface Potentials {
  temperature: number;
  toward: Float64Array;
  from: Float64Array;
  start: Float64Array;
}
const potentials = new WeakMap<object, Potentials>();
function transitionPotentials(trans: ArrayLike<number>, tags: string[], temperature: number): Potentials {
  const hit = potentials.get(trans as object);
  if (hit && hit.temperature === temperature) return hit;
  const T = tags.length;
  const { ok, predOff, pred, succOff, succ } = pairs(tags);
  const A = (i: number) => (ok[i] ? Math.exp(trans[i] / temperature) : 0);
  const v: Potentials = { temperature, toward: new Float64Array(pred.length), from: new Float64Array(succ.length), start: new Float64Array(T) };
  for (let c = 0; c < T; c++) for (let q = predOff[c]; q < predOff[c + 1]; q++) v.toward[q] = A(pred[q] * T + c);
  for (let p = 0; p < T; p++) for (let q = succOff[p]; q < succOff[p + 1]; q++) v.from[q] = A(p * T + succ[q]);
  for (let c = 0; c < T; c++) v.start[c] = A(T * T + c);
  potentials.set(trans as object, v);
  return v;
}

/**
 * Posterior marginals P(tag_i = t) (n × T) of the scores divided by
 * `temperature`: forward–backward in probability space with per-position
 * rescaling (no logs or exp inside the T² loops, which keeps it cheap).
 * Only rows [from, to) are computed (the tokens of the names on a path: all a
 * confidence reads): the forward pass stops at `to`, the backward pass at `from`.
 * The result is a scratch array, valid until the next call; other rows hold garbage.
 */
export function marginals(em: Float64Array, n: number, trans: ArrayLike<number>, tags: string[], temperature: number, from = 0, to = n): Float64Array {
  const T = tags.length;
  const k = 1 / temperature;
  const { ok, predOff, pred, succOff, succ } = pairs(tags);
  const { toward, from: leaving, start } = transitionPotentials(trans, tags, temperature);
  // Emission potentials, shifted by each position's maximum for stability: the forward pass reads
  // rows [0, to), the backward pass rows (from, n), so every row (from < to).
  const psi = buffer('psi', n * T);
  for (let i = 0; i < n; i++) {
    const row = i * T;
    let m = -Infinity;
    for (let c = 0; c < T; c++) m = Math.max(m, em[row + c]);
    for (let c = 0; c < T; c++) psi[row + c] = Math.exp((em[row + c] - m) * k);
  }
  const alpha = buffer('alpha', n * T);
  const beta = buffer('beta', n * T);
  for (let i = 0; i < to; i++) {
    const row = i * T;
    const prev = row - T;
    let z = 0;
    for (let c = 0; c < T; c++) {
      let s = 0;
      if (i === 0) s = start[c];
      else for (let q = predOff[c], end = predOff[c + 1]; q < end; q++) s += alpha[prev + pred[q]] * toward[q];
      const v = s * psi[row + c];
      alpha[row + c] = v;
      z += v;
    }
    const inv = 1 / (z || 1);
    for (let c = 0; c < T; c++) alpha[row + c] *= inv;
  }
  // Backward, each row scaled by its own sum (any positive scale per row cancels out below).
  const lastRow = (n - 1) * T;
  for (let c = 0; c < T; c++) beta[lastRow + c] = ok[(T + 1) * T + c];
  const pb = buffer('psiBeta', T);
  for (let i = n - 2; i >= from; i--) {
    const row = i * T;
    const next = row + T;
    for (let c = 0; c < T; c++) pb[c] = psi[next + c] * beta[next + c];
    let z = 0;
    for (let p = 0; p < T; p++) {
      let s = 0;
      for (let q = succOff[p], end = succOff[p + 1]; q < end; q++) s += leaving[q] * pb[succ[q]];
      beta[row + p] = s;
      z += s;
    }
    const inv = 1 / (z || 1);
    for (let p = 0; p < T; p++) beta[row + p] *= inv;
  }
  const out = buffer('marginals', n * T);
  for (let i = from; i < to; i++) {
    const row = i * T;
    let z = 0;
    for (let c = 0; c < T; c++) z += out[row + c] = alpha[row + c] * beta[row + c];
    const inv = 1 / (z || 1);
    for (let c = 0; c < T; c++) out[row + c] *= inv;
  }
  return out;
}

/**
 * The rows of a path that are tagged as part of a name, [first, last + 1): what pathSpans reads of
 * the marginals. Undefined when the path has no name (all O).
 */
export function nameRows(path: number[]): [number, number] | undefined {
  let first = 0;
  while (first < path.length && path[first] === 0) first++;
  if (first === path.length) return undefined;
  let last = path.length - 1;
  while (path[last] === 0) last--;
  return [first, last + 1];
}

/** A name on a decoded path: token indices (end exclusive), its label, and its confidence. */
export interface PathSpan {
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

/**
 * Adds to `out` the names of a sentence's Viterbi `path` (B, I…, E or S; BIO paths too), with
 * token indices shifted by `offset`, and their confidence from the marginals `marg` (n × T):
 * the first token must start a name of the label, later tokens must belong to one (any tag of
 * the label), the lowest of those. Where the tagger hesitates between one name and two adjacent
 * ones (حسين أمير | عبد اللهيان), the tokens are still a name. Both taggers read their paths so.
 */
export function pathSpans(path: number[], marg: Float64Array, tags: string[], offset: number, out: PathSpan[]): void {
  const T = tags.length;
  const n = path.length;
  for (let i = 0; i < n; i++) {
    const tag = tags[path[i]];
    if (!tag.startsWith('B-') && !tag.startsWith('S-')) continue;
    const label = tag.slice(2);
    let j = i + 1;
    if (tag.startsWith('B-')) {
      while (j < n && tags[path[j]] === 'I-' + label) j++;
      if (j < n && tags[path[j]] === 'E-' + label) j++;
    }
    const of = labelTags(tags, label);
    let conf = 0;
    for (const t of of.starts) conf += marg[i * T + t];
    for (let k = i + 1; k < j; k++) {
      let m = 0;
      for (const t of of.all) m += marg[k * T + t];
      conf = Math.min(conf, m);
    }
    out.push({ first: offset + i, last: offset + j, label, confidence: conf });
    i = j - 1;
  }
}

/**
 * The names of one sentence, given its emission scores (n × T): Viterbi's path, and where it
 * holds names, their confidence from the marginals of their rows (pathSpans), added to `out`
 * with token indices shifted by `offset`. Both taggers decode their sentences so.
 */
export function decodeNames(em: Float64Array, n: number, model: TaggerModel, offset: number, out: PathSpan[]): void {
  const path = viterbi(em, n, model.trans, model.tags);
  const rows = nameRows(path);
  if (!rows) return;
  pathSpans(path, marginals(em, n, model.trans, model.tags, model.temperature, rows[0], rows[1]), model.tags, offset, out);
}

/**
 * Scores of one word's features kept across tokens (and documents): five vectors of T,
 * its own word features (slot 0) and its features as the neighbour at −2, −1, +1, +2
 * (slots 1–4), each filled when first needed (`done`: one bit per slot). Both taggers
 * (pipeline.ts, englishTagger.ts) keep them, keyed by what decides those features.
 */
export interface WordScores {
  v: Float32Array | Float64Array;
  done: number;
}

/** Neighbour offsets of slots 1–4 of WordScores. */
export const NEIGHBOUR_OFFSETS = [-2, -1, 1, 2] as const;

/**
 * Adds to the emissions `em` (n × T) of a sentence each token's word scores and its
 * scores as a neighbour onto the tokens that see it. A slot the sentence needs and
 * `words[i]` lacks is filled first by `fill(i, k, v, base)`: token i's slot-k features
 * added into `v` from index `base`.
 */
export function addWordScores(em: Float64Array, n: number, T: number, words: WordScores[], fill: (i: number, k: number, v: WordScores['v'], base: number) => void): void {
  for (let i = 0; i < n; i++) {
    const w = words[i];
    // The slots this sentence needs: the word itself, and each side it has a neighbour on.
    const need = 1 | (i + 2 < n ? 2 : 0) | (i + 1 < n ? 4 : 0) | (i > 0 ? 8 : 0) | (i > 1 ? 16 : 0);
    if ((w.done & need) !== need) {
      for (let k = 0; k < 5; k++) if (need & (1 << k) && !(w.done & (1 << k))) fill(i, k, w.v, k * T);
      w.done |= need;
    }
    const v = w.v;
    const row = i * T;
    for (let t = 0; t < T; t++) em[row + t] += v[t];
    for (let k = 0; k < 4; k++) {
      const j = i - NEIGHBOUR_OFFSETS[k]; // the token that sees token i at this offset
      if (j < 0 || j >= n) continue;
      const from = (k + 1) * T;
      for (let t = 0; t < T; t++) em[j * T + t] += v[from + t];
    }
  }
}

// ---------------------------------------------------------------------------
// Training

export interface TrainingSentence {
  feats: string[][];
  /** Gold tag indices. */
  gold: number[];
  /**
   * Partly labelled sentences: allowed[i * T + t] is 1 where tag t may be the gold tag of
   * token i. Where a token allows several, the gold path is the best one the current
   * weights give among the allowed (latent-variable perceptron), so text whose label is
   * unknown (another corpus's broader MISC) is learnt as neither name nor non-name.
   */
  allowed?: Uint8Array;
  /** Scale of this sentence's updates (default 1): down-weights another domain's text. */
  weight?: number;
  /** Another domain than the model's, for trainPerceptron's `augmentDomains`. */
  domain?: string;
}

/** Prefix of a domain's copy of a feature while training with `augmentDomains`. */
const domainCopy = (domain: string) => `\u0001${domain}\u0001`;

/** Deterministic PRNG (mulberry32) so that training runs are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Adds `u` to the weight at `k` of W, kept within `bound` of its base value `B[k]`, and records
 * the change that happened in the averaged-perceptron sums U (step `c`): the average stays the
 * average of the weights actually held.
 */
function move(W: Float64Array, U: Float64Array, B: Float64Array, k: number, u: number, c: number, bound: number): void {
  if (bound === Infinity) {
    // As without a bound, to the last bit (a trained model does not depend on this option).
    W[k] += u;
    U[k] += u * c;
    return;
  }
  const before = W[k];
  const after = Math.min(B[k] + bound, Math.max(B[k] - bound, before + u));
  W[k] = after;
  U[k] += (after - before) * c;
}

/**
 * Trains (or continues training `base`) with the averaged perceptron.
 * Features are interned to integer ids so an epoch over ~100k tokens takes
 * well under a second.
 */
export function trainPerceptron(
  sentences: TrainingSentence[],
  opts: {
    epochs?: number;
    seed?: number;
    base?: TaggerModel;
    freq?: Map<string, number>;
    /**
     * Loss-augmented decoding: every wrong tag gets this bonus while training,
     * so updates go on until the gold tags win by that margin (used when
     * adapting on a handful of examples, where plain perceptron updates stop
     * at the first correct guess and leave the new name on a knife edge).
     */
    margin?: number;
    /** The tag set of a new model (default TAGS, BIOES; BIO_TAGS works too). Adapting keeps the base's. */
    tags?: string[];
    /**
     * After "frustratingly easy" domain adaptation (Daumé 2007): in sentences of another
     * domain (TrainingSentence.domain) every feature also counts as a copy of that domain's,
     * so where the other corpus's conventions differ (AQMAR tags group nouns as PER) the
     * difference can go to its copies instead of the shared weights. The copies are dropped
     * from the model returned, which is the target domain's, as large and fast as a plain one.
     */
    augmentDomains?: boolean;
    /**
     * Scales the updates of what `base` knows already (its features and the transitions) against
     * those of features it has never seen (1: the same). Adapting with a small share keeps what
     * the shipped model learnt from thousands of sentences, while new names and words learn at
     * full rate from a handful of documents (see adaptModel).
     */
    knownRate?: number;
    /**
     * How far a weight `base` knows may move from its value there, either way (default: no
     * bound). The updates of a few documents each move a feature a little, but a feature that
     * fires everywhere (the bias, "no gazetteer match") sums thousands of them: even at a fiftieth
     * of a step, adapting to 50 documents of Wikipedia moved the bias towards PER by a sixth of its
     * weight, and the model lost 2 points on ANERcorp (see index.ts ADAPT_RATE).
     */
    knownBound?: number;
    /**
     * The base's own tags are the first this many of `base.tags` (adaptModel extends the tag set
     * with labels the user's schema adds, extendTagSet): the weights of the others are new,
     * whatever the feature, so knownRate and knownBound leave them alone (default: all tags).
     */
    knownTags?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): TaggerModel {
  const tags = opts.base?.tags ?? opts.tags ?? TAGS;
  const T = tags.length;
  const ids = new Map<string, number>();
  const intern = (f: string) => {
    let id = ids.get(f);
    if (id === undefined) ids.set(f, (id = ids.size));
    return id;
  };
  if (opts.base) for (const f of opts.base.weights.keys()) intern(f);
  /** Features numbered below this are the base model's (interned first). */
  const knownIds = ids.size;
  const knownRate = opts.knownRate ?? 1;
  const bound = opts.knownBound ?? Infinity;
  const knownTags = opts.knownTags ?? T;
  /** A transition the base knows: from the start or a known tag, to a known tag. */
  const knownPair = (from: number, to: number) => (from === T || from < knownTags) && to < knownTags;
  const featureIds = (fs: string[], domain: string | undefined) => {
    if (!opts.augmentDomains || domain === undefined) return Int32Array.from(fs, intern);
    const copy = domainCopy(domain);
    const out = new Int32Array(fs.length * 2);
    fs.forEach((f, k) => ((out[k] = intern(f)), (out[fs.length + k] = intern(copy + f))));
    return out;
  };
  const data = sentences.map((s) => ({ ids: s.feats.map((fs) => featureIds(fs, s.domain)), gold: s.gold, allowed: s.allowed, weight: s.weight ?? 1 }));

  const W = new Float64Array(ids.size * T);
  const U = new Float64Array(ids.size * T);
  const TW = new Float64Array((T + 1) * T);
  const TU = new Float64Array((T + 1) * T);
  if (opts.base) {
    for (const [f, w] of opts.base.weights) W.set(w, ids.get(f)! * T);
    TW.set(opts.base.trans);
  }
  // The base's weights, for knownBound (copies only when there is a bound).
  const B = Number.isFinite(bound) ? W.slice(0, knownIds * T) : W;
  const TB = Number.isFinite(bound) ? TW.slice() : TW;
  const epochs = opts.epochs ?? 10;
  const margin = opts.margin ?? 0;
  const rand = rng(opts.seed ?? 1);
  const order = data.map((_, i) => i);
  let c = 1;
  const em = new Float64Array(256 * T);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const si of order) {
      const s = data[si];
      const n = s.gold.length;
      const e2 = n * T <= em.length ? em.subarray(0, n * T).fill(0) : new Float64Array(n * T);
      for (let i = 0; i < n; i++) for (const id of s.ids[i]) for (let t = 0; t < T; t++) e2[i * T + t] += W[id * T + t];
      const gold = s.allowed ? constrainedBest(e2, n, TW, tags, s.allowed) : s.gold;
      if (margin) for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (t !== gold[i]) e2[i * T + t] += margin;
      const pred = viterbi(e2, n, TW, tags);
      const uNew = s.weight;
      const uKnown = uNew * knownRate;
      for (let i = 0; i < n; i++) {
        const g = gold[i];
        const p = pred[i];
        if (g !== p) {
          for (const id of s.ids[i]) {
            const known = id < knownIds;
            if (known && g < knownTags) move(W, U, B, id * T + g, uKnown, c, bound);
            else move(W, U, B, id * T + g, uNew, c, Infinity);
            if (known && p < knownTags) move(W, U, B, id * T + p, -uKnown, c, bound);
            else move(W, U, B, id * T + p, -uNew, c, Infinity);
          }
        }
        const gp = i === 0 ? T : gold[i - 1];
        const pp = i === 0 ? T : pred[i - 1];
        if (gp !== pp || g !== p) {
          if (knownPair(gp, g)) move(TW, TU, TB, gp * T + g, uKnown, c, bound);
          else move(TW, TU, TB, gp * T + g, uNew, c, Infinity);
          if (knownPair(pp, p)) move(TW, TU, TB, pp * T + p, -uKnown, c, bound);
          else move(TW, TU, TB, pp * T + p, -uNew, c, Infinity);
        }
      }
      c++;
    }
    opts.onProgress?.(e + 1, epochs);
  }
  const weights = new Map<string, Float32Array>();
  for (const [f, id] of ids) {
    const v = new Float32Array(T);
    let nz = false;
    for (let t = 0; t < T; t++) {
      v[t] = W[id * T + t] - U[id * T + t] / c;
      if (Math.abs(v[t]) > 1e-6) nz = true;
    }
    if (nz) weights.set(f, v);
  }
  // The target domain's model: other domains' copies are dropped.
  if (opts.augmentDomains) for (const f of weights.keys()) if (f.startsWith('\u0001')) weights.delete(f);
  const trans = new Float32Array((T + 1) * T);
  for (let i = 0; i < trans.length; i++) trans[i] = TW[i] - TU[i] / c;
  return {
    tags,
    weights,
    trans,
    freq: opts.freq ?? opts.base?.freq ?? new Map(),
    temperature: opts.base?.temperature ?? 1,
    meta: { ...(opts.base?.meta ?? {}), epochs },
  };
}

/** The best path (Viterbi) among the tags `allowed` at each token: the gold path of a partly labelled sentence. */
function constrainedBest(em: Float64Array, n: number, trans: ArrayLike<number>, tags: string[], allowed: Uint8Array): number[] {
  const masked = new Float64Array(n * tags.length);
  for (let k = 0; k < masked.length; k++) masked[k] = allowed[k] ? em[k] : -1e30;
  return viterbi(masked, n, trans, tags);
}

/** Mean of several models over the same tags (a feature missing from one counts as zero there). */
export function averageModels(models: TaggerModel[]): TaggerModel {
  const T = models[0].tags.length;
  const weights = new Map<string, Float32Array>();
  const trans = new Float32Array(models[0].trans.length);
  for (const m of models) {
    for (const [f, w] of m.weights) {
      let v = weights.get(f);
      if (!v) weights.set(f, (v = new Float32Array(T)));
      for (let t = 0; t < T; t++) v[t] += w[t] / models.length;
    }
    for (let t = 0; t < trans.length; t++) trans[t] += m.trans[t] / models.length;
  }
  return { ...models[0], weights, trans, meta: { ...models[0].meta, runs: models.length } };
}

// The compact JSON form (serializeModel, deserializeModel) lives in modelFile.ts.
export { deserializeModel, packModel, serializeModel, writtenFeatures, ModelFileError, type PackedModel, type SerializedModel } from './modelFile';
