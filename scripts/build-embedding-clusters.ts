/**
 * Builds the second word representation the entity tagger uses as features
 * (data/clusters/ar-embedding-clusters.json): skip-gram word vectors (word2vec's skip-gram
 * with negative sampling, Mikolov et al. 2013) learnt from the same text as the Brown-style
 * clusters (scripts/clusters/text.ts: Arabic Wikipedia plus AQMAR's words, tokenised and
 * folded as the tagger does), then spherical k-means over the vectors at three
 * granularities, nested: each fine cluster belongs to one middle cluster, each middle one to
 * one coarse cluster. Brown classes group words by the words right next to them; the vectors
 * see a wider window, and the two are known to add up as tagger features (Turian et al. 2010).
 * Only the cluster of each word is shipped, never a vector.
 *
 * Deterministic: one thread and a seeded generator, so the same inputs give the same file.
 *
 *   npm run build:embedding-clusters [-- --dims 100] [--window 5] [--negative 5] [--epochs 3]
 *       [--classes 1024,128,16] [--min-count 5] [--keep-count 5] [--training-text none|aqmar|all] [--out FILE]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { hasArabic } from '../server/src/core/text/arabic';
import { CLUSTERING_OPTIONS, clusteringSource, idText, positiveOption, vocabularyText } from './clusters/text';

const { values: opt } = parseArgs({
  options: {
    dims: { type: 'string', default: '100' },
    window: { type: 'string', default: '5' },
    negative: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '3' },
    sample: { type: 'string', default: '1e-4' },
    classes: { type: 'string', default: '1024,128,16' },
    'kmeans-iterations': { type: 'string', default: '25' },
    seed: { type: 'string', default: '1' },
    ...CLUSTERING_OPTIONS,
  },
  strict: true,
  allowPositionals: false,
});
const D = positiveOption('dims', opt.dims);
const WINDOW = positiveOption('window', opt.window);
const NEG = positiveOption('negative', opt.negative);
const EPOCHS = positiveOption('epochs', opt.epochs);
const SAMPLE = Number(opt.sample);
if (!(SAMPLE > 0 && SAMPLE < 1)) throw new Error(`--sample must be a fraction, not ${opt.sample}`);
const LEVELS = opt.classes.split(',').map((c) => positiveOption('classes', c));
if (LEVELS.some((k, i) => i > 0 && k >= LEVELS[i - 1]!)) throw new Error('--classes: finest first, each level smaller than the one before (e.g. 1024,128,16)');
const KMEANS_ITERATIONS = positiveOption('kmeans-iterations', opt['kmeans-iterations']);
const minCount = positiveOption('min-count', opt['min-count']);
const keepCount = positiveOption('keep-count', opt['keep-count']);
const source = clusteringSource(opt['training-text'], opt['ner-dev-head']);
const root = path.resolve(__dirname, '..');
const out = path.resolve(opt.out ?? path.join(root, 'data/clusters/ar-embedding-clusters.json'));

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

/** xorshift32: a small seeded generator, so a rebuild gives the same vectors. */
let rngState = positiveOption('seed', opt.seed) * 2654435761 >>> 0 || 1;
function rand(): number {
  rngState ^= rngState << 13;
  rngState >>>= 0;
  rngState ^= rngState >>> 17;
  rngState ^= rngState << 5;
  rngState >>>= 0;
  return rngState;
}
const rand01 = () => rand() / 4294967296;

const text = idText(source.paragraphs());
console.log(`${text.paragraphCount} paragraphs, ${text.n - text.paragraphCount} tokens, ${text.forms.length} word forms (${secs()})`);
const { vocab, stream, RARE } = vocabularyText(text, minCount);
const V = vocab.length;
const counts = new Float64Array(V);
vocab.forEach(([, c], i) => (counts[i] = c));
let total = 0;
for (let i = 0; i < stream.length; i++) if (stream[i] >= 0 && stream[i] !== RARE) total++;
console.log(`vocabulary ${V} forms seen ≥ ${minCount} times, ${total} of their tokens (${secs()})`);

// Negative samples: the unigram distribution raised to 3/4, as a table.
const TABLE = 1 << 24;
const table = new Int32Array(TABLE);
{
  let z = 0;
  for (let w = 0; w < V; w++) z += Math.pow(counts[w], 0.75);
  let w = 0;
  let acc = Math.pow(counts[0], 0.75) / z;
  for (let i = 0; i < TABLE; i++) {
    table[i] = w;
    if (i / TABLE > acc && w < V - 1) acc += Math.pow(counts[++w], 0.75) / z;
  }
}
// Frequent words are kept with probability (√(f/t) + 1)·t/f (word2vec's subsampling).
const keepP = new Float64Array(V);
for (let w = 0; w < V; w++) {
  const f = counts[w] / total;
  keepP[w] = Math.min(1, (Math.sqrt(f / SAMPLE) + 1) * (SAMPLE / f));
}

const syn0 = new Float32Array(V * D);
const syn1 = new Float32Array(V * D);
for (let i = 0; i < syn0.length; i++) syn0[i] = (rand01() - 0.5) / D;
const neu1e = new Float32Array(D);
const ALPHA = 0.025;
const totalSteps = EPOCHS * total;
let done = 0;
const sentence = new Int32Array(10_000);

/** One skip-gram step: the context word `ctx` predicts `centre` against NEG sampled words. */
function step(ctx: number, centre: number, alpha: number): void {
  const l1 = ctx * D;
  neu1e.fill(0);
  for (let d = 0; d <= NEG; d++) {
    let target = centre;
    let label = 1;
    if (d > 0) {
      target = table[rand() & (TABLE - 1)];
      if (target === centre) continue;
      label = 0;
    }
    const l2 = target * D;
    let f = 0;
    for (let k = 0; k < D; k++) f += syn0[l1 + k] * syn1[l2 + k];
    const g = (label - (f > 6 ? 1 : f < -6 ? 0 : 1 / (1 + Math.exp(-f)))) * alpha;
    for (let k = 0; k < D; k++) {
      neu1e[k] += g * syn1[l2 + k];
      syn1[l2 + k] += g * syn0[l1 + k];
    }
  }
  for (let k = 0; k < D; k++) syn0[l1 + k] += neu1e[k];
}

for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  let i = 0;
  while (i < stream.length) {
    // A paragraph (up to the sentence buffer), frequent words subsampled, rare ones dropped.
    let n = 0;
    for (; i < stream.length && stream[i] >= 0 && n < sentence.length; i++) {
      const w = stream[i];
      if (w === RARE) continue;
      done++;
      if (keepP[w] < 1 && keepP[w] < rand01()) continue;
      sentence[n++] = w;
    }
    if (i < stream.length && stream[i] < 0) i++;
    const alpha = Math.max(ALPHA * 1e-4, ALPHA * (1 - done / (totalSteps + 1)));
    for (let p = 0; p < n; p++) {
      const b = rand() % WINDOW;
      for (let q = p - WINDOW + b; q <= p + WINDOW - b; q++) if (q !== p && q >= 0 && q < n) step(sentence[q], sentence[p], alpha);
    }
  }
  console.log(`epoch ${epoch}/${EPOCHS} (${secs()})`);
}

// The words written to the file: Arabic-script single forms, frequent enough to matter.
const words: number[] = [];
for (let w = 0; w < V; w++) {
  const [form, c] = vocab[w];
  if (c >= keepCount && hasArabic(form) && !form.includes(' ')) words.push(w);
}
const N = words.length;
const X = new Float32Array(N * D);
words.forEach((w, r) => {
  let norm = 0;
  for (let k = 0; k < D; k++) norm += syn0[w * D + k] ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < D; k++) X[r * D + k] = syn0[w * D + k] / norm;
});

/**
 * Spherical k-means of the `n` unit rows of `x` (weighted by `weight`) into `k` clusters,
 * starting from k rows picked at random: the cluster of each row.
 */
function kmeans(x: Float32Array, n: number, weight: Float64Array, k: number, label: string): { assign: Int32Array; centres: Float32Array } {
  const centres = new Float32Array(k * D);
  const picked = new Set<number>();
  for (let c = 0; c < k; c++) {
    let r = rand() % n;
    while (picked.has(r)) r = rand() % n;
    picked.add(r);
    centres.set(x.subarray(r * D, r * D + D), c * D);
  }
  const assign = new Int32Array(n).fill(-1);
  for (let it = 1; it <= KMEANS_ITERATIONS; it++) {
    let moved = 0;
    for (let r = 0; r < n; r++) {
      let best = -Infinity;
      let arg = 0;
      const o = r * D;
      for (let c = 0; c < k; c++) {
        const co = c * D;
        let s = 0;
        for (let j = 0; j < D; j++) s += x[o + j] * centres[co + j];
        if (s > best) (best = s), (arg = c);
      }
      if (assign[r] !== arg) (assign[r] = arg), moved++;
    }
    centres.fill(0);
    for (let r = 0; r < n; r++) {
      const co = assign[r] * D;
      const wt = weight[r];
      for (let j = 0; j < D; j++) centres[co + j] += wt * x[r * D + j];
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let j = 0; j < D; j++) norm += centres[c * D + j] ** 2;
      norm = Math.sqrt(norm);
      // An empty cluster takes a random row, so k clusters stay in use.
      if (norm === 0) {
        const r = rand() % n;
        centres.set(x.subarray(r * D, r * D + D), c * D);
      }
      else for (let j = 0; j < D; j++) centres[c * D + j] /= norm;
    }
    console.log(`k-means ${label}, iteration ${it}: ${moved} moved (${secs()})`);
    if (moved === 0) break;
  }
  return { assign, centres };
}

// Finest level over the words (each counts once: rare names matter as much as frequent
// words), then each coarser level over the centres of the level below, weighted by size.
const levels: Int32Array[] = [];
let level = kmeans(X, N, new Float64Array(N).fill(1), LEVELS[0]!, `${LEVELS[0]} classes`);
levels.push(level.assign);
for (let l = 1; l < LEVELS.length; l++) {
  const below = LEVELS[l - 1]!;
  const size = new Float64Array(below);
  for (const c of levels[l - 1]!) size[c]++;
  const up = kmeans(level.centres, below, size, LEVELS[l]!, `${LEVELS[l]} classes`);
  levels.push(up.assign);
  level = up;
}
// Each word's path, coarse to fine: "3.57.812" (the indices of its cluster at each level).
const byPath = new Map<string, string[]>();
words.forEach((w, r) => {
  const ids: number[] = [levels[0]![r]!];
  for (let l = 1; l < levels.length; l++) ids.push(levels[l]![ids[l - 1]!]!);
  const key = ids.reverse().join('.');
  const list = byPath.get(key) ?? [];
  list.push(vocab[w]![0]);
  byPath.set(key, list);
});
const data = {
  about:
    'Word clusters of folded Arabic word forms: skip-gram word vectors (negative sampling), then nested spherical k-means, built by scripts/build-embedding-clusters.ts. ' +
    source.attribution +
    ' Licence: CC BY-SA 4.0; see data/clusters/NOTICE.md.',
  classes: [...LEVELS].reverse(),
  dims: D,
  window: WINDOW,
  epochs: EPOCHS,
  minCount,
  words: N,
  paths: Object.fromEntries([...byPath].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p, ws]) => [p, ws.join(' ')])),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(data) + '\n');
console.log(`${N} words in ${byPath.size} clusters → ${path.relative(root, out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB) (${secs()})`);
