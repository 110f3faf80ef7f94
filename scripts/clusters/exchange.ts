/**
 * Word classes by the exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney
 * 1998): every word is moved, in turn, to the class that most increases the likelihood
 * of the class-bigram model P(w_i | w_{i-1}) = P(c_i | c_{i-1}) P(w_i | c_i), the same
 * objective Brown et al. (1992) optimise by agglomeration, until few words move.
 * hierarchy.ts then merges the classes agglomeratively into Brown's binary tree, so
 * the tagger can use path prefixes (coarse to fine classes).
 *
 * Cost per pass: for each word, each class, the word's distinct neighbouring classes
 * (O(C · Σ neighbours)); a few seconds per pass for C = 256 over 9 M tokens.
 * Deterministic: the initial classes follow frequency rank, and words are visited in
 * rank order.
 */

/** Bigram counts over a vocabulary, both ways, in compressed rows. */
export interface Bigrams {
  /** Vocabulary size; word ids are 0 … V−1, most frequent first. */
  V: number;
  /** Unigram counts per word. */
  count: Float64Array;
  succStart: Int32Array;
  succWord: Int32Array;
  succCount: Float64Array;
  predStart: Int32Array;
  predWord: Int32Array;
  predCount: Float64Array;
}

/**
 * Counts the bigrams of a token stream (word ids, −1 = a break no bigram crosses,
 * e.g. a paragraph end). Sorting packed keys keeps memory at 8 bytes per token, where a
 * hash map of millions of pairs would take gigabytes.
 */
export function countBigrams(stream: Int32Array, V: number): Bigrams {
  const count = new Float64Array(V);
  let pairs = 0;
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] >= 0) count[stream[i]]++;
    if (i > 0 && stream[i] >= 0 && stream[i - 1] >= 0) pairs++;
  }
  const fwd = new Float64Array(pairs);
  const bwd = new Float64Array(pairs);
  let k = 0;
  for (let i = 1; i < stream.length; i++) {
    const u = stream[i - 1];
    const v = stream[i];
    if (u < 0 || v < 0) continue;
    fwd[k] = u * V + v;
    bwd[k++] = v * V + u;
  }
  fwd.sort();
  bwd.sort();
  const rows = (keys: Float64Array) => {
    let distinct = 0;
    for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) distinct++;
    const start = new Int32Array(V + 1);
    const word = new Int32Array(distinct);
    const n = new Float64Array(distinct);
    let j = -1;
    for (let i = 0; i < keys.length; i++) {
      if (i === 0 || keys[i] !== keys[i - 1]) {
        j++;
        const row = Math.floor(keys[i] / V);
        word[j] = keys[i] - row * V;
        start[row + 1]++;
      }
      n[j]++;
    }
    for (let r = 0; r < V; r++) start[r + 1] += start[r];
    return { start, word, n };
  };
  const s = rows(fwd);
  const p = rows(bwd);
  return { V, count, succStart: s.start, succWord: s.word, succCount: s.n, predStart: p.start, predWord: p.word, predCount: p.n };
}

/** x ln x, tabulated for the small counts that dominate. */
const TABLE = 1 << 20;
const xlogxTable = new Float64Array(TABLE);
for (let x = 1; x < TABLE; x++) xlogxTable[x] = x * Math.log(x);
function xlogx(x: number): number {
  return x < TABLE ? xlogxTable[x] : x * Math.log(x);
}

export interface ExchangeResult {
  /** Class of every word. */
  cls: Int32Array;
  /** Class-bigram counts, C × C (row: left class). */
  N: Float64Array;
  /** Class counts. */
  Nc: Float64Array;
  /** Log-likelihood (up to a constant) after each pass. */
  history: number[];
}

/** Σ N(c,d) ln N(c,d) − 2 Σ N(c) ln N(c): the class-dependent part of the log-likelihood. */
export function objective(N: Float64Array, Nc: Float64Array): number {
  let s = 0;
  for (let i = 0; i < N.length; i++) s += xlogx(N[i]);
  for (let c = 0; c < Nc.length; c++) s -= 2 * xlogx(Nc[c]);
  return s;
}

export function exchangeClusters(
  b: Bigrams,
  C: number,
  opts: { maxPasses?: number; minMovedFraction?: number; onPass?: (pass: number, moved: number, ll: number) => void } = {},
): ExchangeResult {
  const { V } = b;
  // Initial classes: the C − 1 most frequent words each alone, the rest round-robin.
  const cls = new Int32Array(V);
  for (let w = 0; w < V; w++) cls[w] = w < C ? w : w % C;
  const N = new Float64Array(C * C);
  const Nc = new Float64Array(C);
  for (let u = 0; u < V; u++) {
    Nc[cls[u]] += b.count[u];
    for (let k = b.succStart[u]; k < b.succStart[u + 1]; k++) N[cls[u] * C + cls[b.succWord[k]]] += b.succCount[k];
  }
  const R = new Float64Array(C);
  const L = new Float64Array(C);
  const touchedR = new Int32Array(C);
  const touchedL = new Int32Array(C);
  const history: number[] = [];
  const maxPasses = opts.maxPasses ?? 20;
  const minMoved = Math.max(1, Math.floor(V * (opts.minMovedFraction ?? 0.001)));
  for (let pass = 0; pass < maxPasses; pass++) {
    let moved = 0;
    for (let w = 0; w < V; w++) {
      const a = cls[w];
      const nw = b.count[w];
      // The word's bigram counts with each neighbouring class (its own bigram apart).
      let self = 0;
      let nR = 0;
      let nL = 0;
      for (let k = b.succStart[w]; k < b.succStart[w + 1]; k++) {
        const v = b.succWord[k];
        if (v === w) {
          self = b.succCount[k];
          continue;
        }
        const d = cls[v];
        if (R[d] === 0) touchedR[nR++] = d;
        R[d] += b.succCount[k];
      }
      for (let k = b.predStart[w]; k < b.predStart[w + 1]; k++) {
        const v = b.predWord[k];
        if (v === w) continue;
        const c = cls[v];
        if (L[c] === 0) touchedL[nL++] = c;
        L[c] += b.predCount[k];
      }
      // Take the word out of its class.
      for (let q = 0; q < nR; q++) N[a * C + touchedR[q]] -= R[touchedR[q]];
      for (let q = 0; q < nL; q++) N[touchedL[q] * C + a] -= L[touchedL[q]];
      N[a * C + a] -= self;
      Nc[a] -= nw;
      // The class where putting it back gains most.
      // Its own class first, so that a tie keeps it where it is.
      let best = a;
      let bestGain = -Infinity;
      for (let step = -1; step < C; step++) {
        const c = step < 0 ? a : step;
        if (step >= 0 && c === a) continue;
        let gain = 0;
        const row = c * C;
        for (let q = 0; q < nR; q++) {
          const d = touchedR[q];
          if (d === c) continue;
          const x = N[row + d];
          gain += xlogx(x + R[d]) - xlogx(x);
        }
        for (let q = 0; q < nL; q++) {
          const e = touchedL[q];
          if (e === c) continue;
          const x = N[e * C + c];
          gain += xlogx(x + L[e]) - xlogx(x);
        }
        const xcc = N[row + c];
        gain += xlogx(xcc + R[c] + L[c] + self) - xlogx(xcc);
        gain -= 2 * (xlogx(Nc[c] + nw) - xlogx(Nc[c]));
        if (gain > bestGain + 1e-9) {
          bestGain = gain;
          best = c;
        }
      }
      // Put it there.
      for (let q = 0; q < nR; q++) N[best * C + touchedR[q]] += R[touchedR[q]];
      for (let q = 0; q < nL; q++) N[touchedL[q] * C + best] += L[touchedL[q]];
      N[best * C + best] += self;
      Nc[best] += nw;
      if (best !== a) {
        cls[w] = best;
        moved++;
      }
      for (let q = 0; q < nR; q++) R[touchedR[q]] = 0;
      for (let q = 0; q < nL; q++) L[touchedL[q]] = 0;
    }
    const ll = objective(N, Nc);
    history.push(ll);
    opts.onPass?.(pass + 1, moved, ll);
    if (moved < minMoved) break;
  }
  return { cls, N, Nc, history };
}
