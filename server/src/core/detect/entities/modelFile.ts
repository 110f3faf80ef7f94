/**
 * The tagger model's JSON forms, written by `npm run train:ner` and by Learn from
 * Annotations, read from the shipped file or `entities.modelPath`:
 * - `ner-perceptron/2` (packed, what is written): the features as one string, one per
 *   line, and their weights as base64 arrays. Loading it builds the tagger's feature
 *   index directly, without a list and a weight row per feature: the shipped model
 *   (100,000 features) was half the CPU time before a file's first diagnostics.
 * - `ner-perceptron/1` (still read): feature → [tag, weight, …] lists.
 *
 * Reading checks the whole structure before anything is built: a model file comes from
 * the user's disk, and a malformed one (tags outside the BIO/BIOES scheme, a zero scale,
 * a short transition table, tag indices out of range) would otherwise load without a
 * word and leave the tagger suggesting next to nothing. Each refusal names what is wrong.
 */
import { base64ToBytes, bytesToBase64 } from '../../text/base64';
import { ownString } from '../../text/ownString';
import { adoptFeatureIndex, indexFeature, MAX_WEIGHTS, type FeatureIndex, type TaggerModel } from './tagger';

export interface SerializedModel {
  format: 'ner-perceptron/1';
  tags: string[];
  /** Weights are integers: value × scale. */
  scale: number;
  temperature: number;
  trans: number[];
  /** feature → [tagIndex, weight, tagIndex, weight, …] for non-zero weights. */
  weights: Record<string, number[]>;
  /** Words (folded) grouped by frequency: "count": "w1 w2 …". */
  freq: Record<string, string>;
  meta: Record<string, unknown>;
}

/**
 * The packed form. Weights keep `ner-perceptron/1`'s integers (value × scale); the
 * i-th feature's weights are the next `counts[i]` entries of `tagIndex` and `weights`,
 * in increasing tag order.
 */
export interface PackedModel {
  format: 'ner-perceptron/2';
  tags: string[];
  scale: number;
  temperature: number;
  trans: number[];
  /** The features with a non-zero weight, one per line (a feature never holds a line break). */
  features: string;
  /** Base64, one byte per feature: on how many tags it weighs (1 to the number of tags). */
  counts: string;
  /** Base64, one byte per weight: its tag's index. */
  tagIndex: string;
  /** Base64, a little-endian signed 32-bit integer per weight: value × scale. */
  weights: string;
  freq: Record<string, string>;
  meta: Record<string, unknown>;
}

/** A model file that cannot be used, with the reason. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(`not a usable tagger model: ${message}`);
    this.name = 'ModelFileError';
  }
}

/** The packed feature index (tagger.ts featureIndex) counts a feature's tags in 5 bits. */
export const MAX_TAGS = 31;

/** Drops weights below `minWeight` (absolute) and stores the rest as scaled integers. */
export function serializeModel(m: TaggerModel, opts: { minWeight?: number; scale?: number; minFreq?: number } = {}): SerializedModel {
  const scale = opts.scale ?? 100;
  const minW = opts.minWeight ?? 0.5;
  const weights: Record<string, number[]> = {};
  for (const [f, w] of m.weights) {
    const row: number[] = [];
    for (let t = 0; t < w.length; t++) if (Math.abs(w[t]) >= minW) row.push(t, Math.round(w[t] * scale));
    if (row.length) weights[f] = row;
  }
  const freq: Record<string, string[]> = {};
  for (const [w, n] of m.freq) if (n >= (opts.minFreq ?? 1)) (freq[n] ??= []).push(w);
  return {
    format: 'ner-perceptron/1',
    tags: m.tags,
    scale,
    temperature: m.temperature,
    trans: Array.from(m.trans, (x) => Math.round(x * scale)),
    weights,
    freq: Object.fromEntries(Object.entries(freq).map(([n, ws]) => [n, ws.join(' ')])),
    meta: m.meta,
  };
}

/**
 * The packed form of a model (pruned as `serializeModel` prunes). A feature holding a
 * line break cannot be packed; such a model is written in the list form.
 */
export function packModel(m: TaggerModel, opts: Parameters<typeof serializeModel>[1] = {}): PackedModel | SerializedModel {
  const s = serializeModel(m, opts);
  const names = Object.keys(s.weights);
  if (names.some((f) => f.includes('\n'))) return s;
  let total = 0;
  for (const f of names) total += s.weights[f].length / 2;
  const counts = new Uint8Array(names.length);
  const tagIndex = new Uint8Array(total);
  const weights = new DataView(new ArrayBuffer(total * 4));
  let k = 0;
  names.forEach((f, i) => {
    const row = s.weights[f];
    counts[i] = row.length / 2;
    for (let j = 0; j < row.length; j += 2, k++) (tagIndex[k] = row[j]), weights.setInt32(k * 4, row[j + 1], true);
  });
  const { weights: _lists, format: _format, ...rest } = s;
  return { ...rest, format: 'ner-perceptron/2', features: names.join('\n'), counts: bytesToBase64(counts), tagIndex: bytesToBase64(tagIndex), weights: bytesToBase64(new Uint8Array(weights.buffer)) };
}

/** How many features a written model keeps (after pruning). */
export function writtenFeatures(s: PackedModel | SerializedModel): number {
  return s.format === 'ner-perceptron/2' ? (s.features ? s.features.split('\n').length : 0) : Object.keys(s.weights).length;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v) : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v));
const quote = (k: string) => JSON.stringify(k.length > 60 ? k.slice(0, 60) + '…' : k);

/**
 * The tag list must be `O` first, then every label's tags of one scheme: BIO (B-X, I-X)
 * or BIOES (B-X, I-X, E-X, S-X), each tag once. Decoding relies on all of it: tag 0 is
 * "outside", and the allowed transitions come from the prefixes.
 */
function checkTags(tags: unknown): string[] {
  if (!Array.isArray(tags) || tags.length === 0) throw new ModelFileError(`"tags" must be a non-empty list of tags (found ${describe(tags)})`);
  if (tags.length > MAX_TAGS) throw new ModelFileError(`"tags" has ${tags.length} tags; a tagger model may have at most ${MAX_TAGS}`);
  if (tags[0] !== 'O') throw new ModelFileError(`the first tag must be "O" (found ${describe(tags[0])})`);
  const prefixes = new Map<string, Set<string>>();
  const seen = new Set<string>();
  tags.forEach((t: unknown, i) => {
    if (i === 0) return;
    const m = typeof t === 'string' ? /^([BIES])-(\S+)$/.exec(t) : null;
    if (!m) throw new ModelFileError(`tag ${i} is ${describe(t)}: tags after "O" must be B-, I-, E- or S- followed by a label`);
    if (seen.has(t as string)) throw new ModelFileError(`tag ${describe(t)} is listed twice`);
    seen.add(t as string);
    const set = prefixes.get(m[2]) ?? new Set<string>();
    set.add(m[1]);
    prefixes.set(m[2], set);
  });
  if (prefixes.size === 0) throw new ModelFileError('"tags" has no entity label, only "O"');
  const schemes = new Set<string>();
  for (const [label, set] of prefixes) {
    const scheme = [...set].sort().join('');
    if (scheme !== 'BI' && scheme !== 'BEIS') throw new ModelFileError(`label ${describe(label)} has tags ${[...set].map((p) => `${p}-${label}`).join(', ')}: a label needs B- and I- (BIO) or B-, I-, E- and S- (BIOES)`);
    schemes.add(scheme);
  }
  if (schemes.size > 1) throw new ModelFileError('"tags" mixes BIO and BIOES labels');
  return tags as string[];
}

function checkPositive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ModelFileError(`"${name}" must be a finite number above 0 (found ${describe(v)})`);
  return v;
}

export function deserializeModel(s: SerializedModel | PackedModel): TaggerModel {
  const raw: unknown = s;
  if (!isObject(raw)) throw new ModelFileError(`a model file is a JSON object (found ${describe(raw)})`);
  if (raw.format !== 'ner-perceptron/1' && raw.format !== 'ner-perceptron/2') throw new ModelFileError(`unknown model format ${describe(raw.format)} (expected "ner-perceptron/2" or "ner-perceptron/1")`);
  const tags = checkTags(raw.tags);
  const T = tags.length;
  const scale = checkPositive('scale', raw.scale);
  const temperature = checkPositive('temperature', raw.temperature);
  if (!Array.isArray(raw.trans) || raw.trans.length !== (T + 1) * T) {
    throw new ModelFileError(`"trans" must hold (tags + 1) × tags = ${(T + 1) * T} numbers for ${T} tags (found ${Array.isArray(raw.trans) ? raw.trans.length : describe(raw.trans)})`);
  }
  const trans = new Float32Array(raw.trans.length);
  raw.trans.forEach((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelFileError(`"trans"[${i}] is ${describe(x)}, not a finite number`);
    trans[i] = x / scale;
  });
  if (raw.format === 'ner-perceptron/2') {
    const idx = unpack(raw, T, scale);
    const model = { tags, trans, freq: readFreq(raw), temperature, meta: readMeta(raw) } as TaggerModel;
    // The rows are made only for what needs them (training, adaptation, writing the model again).
    let rows: Map<string, Float32Array> | undefined;
    Object.defineProperty(model, 'weights', { enumerable: true, get: () => (rows ??= rowsOf(idx, T)) });
    adoptFeatureIndex(model, idx);
    return model;
  }
  if (!isObject(raw.weights)) throw new ModelFileError(`"weights" must be an object of feature → [tag, weight, …] (found ${describe(raw.weights)})`);
  const entries = Object.entries(raw.weights);
  const weights = new Map<string, Float32Array>();
  // One buffer for all rows: views into it keep memory compact and lookups cache-friendly.
  const buf = new Float32Array(entries.length * T);
  entries.forEach(([f, row], k) => {
    if (!Array.isArray(row) || row.length % 2 !== 0) throw new ModelFileError(`weights[${quote(f)}] must be a list of tag index, weight pairs (found ${Array.isArray(row) ? `${row.length} numbers` : describe(row)})`);
    const v = buf.subarray(k * T, (k + 1) * T);
    const used = new Set<number>();
    for (let j = 0; j < row.length; j += 2) {
      const t: unknown = row[j];
      const w: unknown = row[j + 1];
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= T) throw new ModelFileError(`weights[${quote(f)}][${j}]: tag index ${describe(t)} is out of range (the model has ${T} tags, 0–${T - 1})`);
      if (used.has(t)) throw new ModelFileError(`weights[${quote(f)}] gives tag ${t} twice`);
      used.add(t);
      if (typeof w !== 'number' || !Number.isFinite(w)) throw new ModelFileError(`weights[${quote(f)}][${j + 1}] is ${describe(w)}, not a finite number`);
      v[t] = w / scale;
    }
    weights.set(f, v);
  });
  return { tags, weights, trans, freq: readFreq(raw), temperature, meta: readMeta(raw) };
}

function readFreq(raw: Record<string, unknown>): Map<string, number> {
  if (!isObject(raw.freq)) throw new ModelFileError(`"freq" must be an object of count → words (found ${describe(raw.freq)})`);
  const freq = new Map<string, number>();
  for (const [n, ws] of Object.entries(raw.freq)) {
    const count = Number(n);
    if (!/^[1-9]\d*$/.test(n) || !Number.isSafeInteger(count)) throw new ModelFileError(`"freq" key ${quote(n)} is not a word count (a positive integer)`);
    if (typeof ws !== 'string') throw new ModelFileError(`"freq"[${quote(n)}] must be a space-separated string of words (found ${describe(ws)})`);
    // Own strings: a long word cut from its group would keep the whole group (and the file's text) alive.
    for (const w of ws.split(' ')) if (w) freq.set(ownString(w), count);
  }
  return freq;
}

function readMeta(raw: Record<string, unknown>): Record<string, unknown> {
  if (raw.meta !== undefined && !isObject(raw.meta)) throw new ModelFileError(`"meta" must be an object (found ${describe(raw.meta)})`);
  return (raw.meta as Record<string, unknown> | undefined) ?? {};
}

/** The packed form's weights as the tagger's feature index (tagger.ts featureIndex), checked throughout. */
function unpack(raw: Record<string, unknown>, T: number, scale: number): FeatureIndex {
  const bytes = (name: string): Uint8Array => {
    const v = raw[name];
    const b = typeof v === 'string' ? base64ToBytes(v) : undefined;
    if (!b) throw new ModelFileError(`"${name}" must be a base64 string (found ${describe(v)})`);
    return b;
  };
  if (typeof raw.features !== 'string') throw new ModelFileError(`"features" must be a string of features, one per line (found ${describe(raw.features)})`);
  const names = raw.features === '' ? [] : raw.features.split('\n');
  const counts = bytes('counts');
  const tag = bytes('tagIndex');
  const w = bytes('weights');
  if (counts.length !== names.length) throw new ModelFileError(`"counts" gives ${counts.length} features, "features" lists ${names.length}`);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] < 1 || counts[i] > T) throw new ModelFileError(`feature ${quote(names[i])} weighs on ${counts[i]} tags (the model has ${T} tags)`);
    total += counts[i];
  }
  if (tag.length !== total) throw new ModelFileError(`"tagIndex" holds ${tag.length} tags, "counts" adds up to ${total}`);
  if (w.length !== total * 4) throw new ModelFileError(`"weights" holds ${w.length} bytes, ${total * 4} expected (4 per weight)`);
  if (total >= MAX_WEIGHTS) throw new ModelFileError(`a tagger model may have at most ${MAX_WEIGHTS} non-zero weights (this one has ${total})`);
  const values = new DataView(w.buffer, w.byteOffset, w.byteLength);
  const idx: FeatureIndex = { maps: new Map(), tag, w: new Float32Array(total) };
  let k = 0;
  for (let i = 0; i < names.length; i++) {
    const f = names[i];
    const offset = k;
    for (let end = k + counts[i], prev = -1; k < end; k++) {
      if (tag[k] >= T || tag[k] <= prev) throw new ModelFileError(`feature ${quote(f)}: tag index ${tag[k]} is ${tag[k] >= T ? `out of range (the model has ${T} tags, 0–${T - 1})` : 'listed twice or out of order'}`);
      prev = tag[k];
      idx.w[k] = values.getInt32(k * 4, true) / scale;
    }
    if (!indexFeature(idx, f, offset, k - offset)) throw new ModelFileError(`feature ${quote(f)} is listed twice`);
  }
  return idx;
}

/** A feature → weight-per-tag map from the index (what the list form builds on loading). */
function rowsOf(idx: FeatureIndex, T: number): Map<string, Float32Array> {
  const rows = new Map<string, Float32Array>();
  let n = 0;
  for (const m of idx.maps.values()) n += m.size;
  const buf = new Float32Array(n * T);
  let r = 0;
  for (const [template, m] of idx.maps) {
    for (const [value, code] of m) {
      const v = buf.subarray(r * T, (r + 1) * T);
      r++;
      for (let k = code >>> 5, end = k + (code & 31); k < end; k++) v[idx.tag[k]] = idx.w[k];
      rows.set(template.endsWith('=') ? template + value : template, v);
    }
  }
  return rows;
}
