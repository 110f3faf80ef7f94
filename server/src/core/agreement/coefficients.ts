/**
 * Chance-corrected agreement coefficients on nominal data: Cohen's κ (two
 * annotators), Fleiss' κ (a fixed number of annotators per unit) and
 * Krippendorff's α (any number, missing values allowed).
 *
 * Each is an accumulator fed one unit at a time, so a corpus of millions of
 * tokens is scored without keeping its units in memory. A coefficient whose
 * chance agreement is total (every value in one category) is 0/0: it is
 * reported as null, never as 1 or 0, because the data cannot tell.
 */
import type { AlphaResult, KappaResult } from '../../protocol';

// Declared in protocol.ts: the CLI's JSON and the server's agreement report carry them.
export type { AlphaResult, KappaResult } from '../../protocol';


function chanceCorrected(observed: number, expected: number): number | null {
  return expected >= 1 ? null : (observed - expected) / (1 - expected);
}

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/**
 * The distinct values of one unit with their counts. A unit has a handful of
 * values (one per annotator), so a linear scan beats a Map: this runs once
 * per token of the corpus.
 */
function countValues(values: readonly (string | null | undefined)[]): { keys: string[]; counts: number[]; present: number } {
  const keys: string[] = [];
  const counts: number[] = [];
  let present = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    present++;
    const k = keys.indexOf(v);
    if (k >= 0) counts[k]++;
    else {
      keys.push(v);
      counts.push(1);
    }
  }
  return { keys, counts, present };
}

/**
 * Cohen's κ (Cohen 1960): κ = (p_o − p_e) / (1 − p_e), where p_e uses each
 * annotator's own category proportions.
 */
export class CohenKappa {
  private n = 0;
  private agree = 0;
  private readonly marginA = new Map<string, number>();
  private readonly marginB = new Map<string, number>();

  add(a: string, b: string, count = 1): void {
    this.n += count;
    if (a === b) this.agree += count;
    bump(this.marginA, a, count);
    bump(this.marginB, b, count);
  }

  result(): KappaResult {
    if (this.n === 0) return { units: 0, observed: null, expected: null, kappa: null };
    const observed = this.agree / this.n;
    let expected = 0;
    for (const [c, na] of this.marginA) expected += (na / this.n) * ((this.marginB.get(c) ?? 0) / this.n);
    return { units: this.n, observed, expected, kappa: chanceCorrected(observed, expected) };
  }
}

/**
 * Fleiss' κ (Fleiss 1971): every unit is rated by the same number of raters
 * r; P_i = (Σ_j n_ij² − r) / (r(r − 1)), P̄ the mean of P_i, P̄_e = Σ_j p_j²
 * with p_j the share of all ratings in category j.
 */
export class FleissKappa {
  private units = 0;
  private sumP = 0;
  private ratings = 0;
  private readonly totals = new Map<string, number>();

  constructor(readonly raters: number) {
    if (!Number.isInteger(raters) || raters < 2) throw new RangeError(`Fleiss' kappa needs at least two raters per unit, got ${raters}`);
  }

  /** One unit: how many raters chose each category (the counts sum to `raters`). */
  addCounts(counts: Iterable<[string, number]>): void {
    let sum = 0;
    let squares = 0;
    for (const [c, k] of counts) {
      if (k === 0) continue;
      sum += k;
      squares += k * k;
      bump(this.totals, c, k);
    }
    if (sum !== this.raters) throw new RangeError(`a unit rated ${sum} times where every unit must be rated ${this.raters} times`);
    this.units++;
    this.ratings += sum;
    this.sumP += (squares - this.raters) / (this.raters * (this.raters - 1));
  }

  /** One unit: the category each rater chose. */
  addValues(values: readonly string[]): void {
    const { keys, counts } = countValues(values);
    this.addCounts(keys.map((k, i) => [k, counts[i]] as [string, number]));
  }

  result(): KappaResult {
    if (this.units === 0) return { units: 0, observed: null, expected: null, kappa: null };
    const observed = this.sumP / this.units;
    let expected = 0;
    for (const t of this.totals.values()) expected += (t / this.ratings) ** 2;
    return { units: this.units, observed, expected, kappa: chanceCorrected(observed, expected) };
  }
}


/**
 * Krippendorff's α for nominal data (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability"): α = 1 − D_o / D_e over the coincidence
 * matrix, where a unit with m_u values contributes 1/(m_u − 1) per ordered
 * pair of values and units with fewer than two values are left out. Missing
 * values (an annotator who did not do a document) are simply absent.
 * Only the diagonal of the coincidence matrix and its marginals matter for
 * the nominal metric, so that is all that is kept.
 */
export class KrippendorffAlpha {
  private units = 0;
  /** Σ_c o_cc: coincidences of a value with itself. */
  private diagonal = 0;
  private readonly marginals = new Map<string, number>();

  /** One unit: the values present (missing ones left out). */
  addValues(values: readonly (string | null | undefined)[]): void {
    const { keys, counts, present: m } = countValues(values);
    if (m < 2) return;
    this.units++;
    keys.forEach((c, i) => {
      const k = counts[i];
      this.diagonal += (k * (k - 1)) / (m - 1);
      bump(this.marginals, c, k);
    });
  }

  result(): AlphaResult {
    let n = 0;
    let sameByChance = 0;
    for (const nc of this.marginals.values()) {
      n += nc;
      sameByChance += nc * (nc - 1);
    }
    if (n < 2) return { units: this.units, values: n, observedDisagreement: null, expectedDisagreement: null, alpha: null };
    // D_o = (n − Σ o_cc) / n and D_e = (n(n − 1) − Σ n_c(n_c − 1)) / (n(n − 1)).
    const observedDisagreement = (n - this.diagonal) / n;
    const expectedDisagreement = (n * (n - 1) - sameByChance) / (n * (n - 1));
    return {
      units: this.units,
      values: n,
      observedDisagreement,
      expectedDisagreement,
      alpha: expectedDisagreement === 0 ? null : 1 - observedDisagreement / expectedDisagreement,
    };
  }
}

// ---------------------------------------------------------------------------
// Whole-table forms, as textbooks print the data

/** Cohen's κ of a square contingency table: `table[i][j]` = units annotator A put in category i and B in j. */
export function cohenKappaOfTable(table: readonly (readonly number[])[]): KappaResult {
  const k = new CohenKappa();
  table.forEach((row, i) => {
    if (row.length !== table.length) throw new RangeError('the contingency table must be square');
    row.forEach((n, j) => {
      if (n > 0) k.add(String(i), String(j), n);
    });
  });
  return k.result();
}

/** Fleiss' κ of a subjects × categories table of counts (each row sums to the number of raters). */
export function fleissKappaOfTable(table: readonly (readonly number[])[]): KappaResult {
  if (table.length === 0) return { units: 0, observed: null, expected: null, kappa: null };
  const raters = table[0].reduce((s, x) => s + x, 0);
  const k = new FleissKappa(raters);
  for (const row of table) k.addCounts(row.map((n, j) => [String(j), n] as [string, number]));
  return k.result();
}

/** Krippendorff's α (nominal) of an observers × units matrix; null or undefined = missing. */
export function krippendorffAlphaOfMatrix(matrix: readonly (readonly (string | number | null | undefined)[])[]): AlphaResult {
  const a = new KrippendorffAlpha();
  const width = Math.max(0, ...matrix.map((r) => r.length));
  for (let u = 0; u < width; u++) a.addValues(matrix.map((r) => (r[u] === null || r[u] === undefined ? null : String(r[u]))));
  return a.result();
}
