/**
 * Agreement coefficients against published worked examples (to four
 * decimals) and small cases computed by hand. Each example names its source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CohenKappa,
  cohenKappaOfTable,
  FleissKappa,
  fleissKappaOfTable,
  KrippendorffAlpha,
  krippendorffAlphaOfMatrix,
} from '../../server/src/core/agreement/coefficients';

/** Equal to `places` decimals: within half a unit of the last published digit. */
function near(actual: number | null, expected: number, what: string, places = 4): void {
  assert.ok(actual !== null, `${what}: got null`);
  assert.ok(Math.abs(actual - expected) <= 0.5 * 10 ** -places, `${what}: ${actual} vs ${expected} (to ${places} decimals)`);
}

// ---------------------------------------------------------------------------
// Cohen's kappa

test("Cohen's κ: the grant-proposal example (Wikipedia, \"Cohen's kappa\", Simple example): p_o 0.7, p_e 0.5, κ 0.4", () => {
  // 50 proposals; rows = reader A (yes, no), columns = reader B (yes, no).
  const r = cohenKappaOfTable([
    [20, 5],
    [10, 15],
  ]);
  assert.equal(r.units, 50);
  near(r.observed, 0.7, 'p_o');
  near(r.expected, 0.5, 'p_e');
  near(r.kappa, 0.4, 'κ');
});

test("Cohen's κ: same 60 % agreement, different κ (Wikipedia, \"Cohen's kappa\", Same percentages but different numbers): 0.1304 and 0.2593", () => {
  near(cohenKappaOfTable([[45, 15], [25, 15]]).kappa, 0.1304, 'first table');
  near(cohenKappaOfTable([[25, 35], [5, 35]]).kappa, 0.2593, 'second table');
});

test("Cohen's κ: R package irr, kappa2(anxiety[, 2:3]) = -0.006289308 (unweighted; the irr 'anxiety' data, raters 2 and 3)", () => {
  // The 20 subjects of irr's `anxiety` data set (Gamer, Lemon, Fellows & Singh), as quoted in statsmodels' test suite.
  const rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
  const rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];
  const k = new CohenKappa();
  rater2.forEach((v, i) => k.add(String(v), String(rater3[i])));
  const r = k.result();
  assert.equal(r.units, 20);
  near(r.kappa, -0.006289308, 'κ', 6);
});

test("Cohen's κ by hand: 10 tokens, 8 agreements", () => {
  // A: PER PER O O O O O O LOC LOC ; B: PER O O O O O O O LOC PER
  // p_o = 8/10; A's shares PER .2 O .6 LOC .2; B's PER .2 O .7 LOC .1
  // p_e = .04 + .42 + .02 = .48; κ = (.8 − .48) / .52 = 0.615384…
  const a = ['PER', 'PER', 'O', 'O', 'O', 'O', 'O', 'O', 'LOC', 'LOC'];
  const b = ['PER', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'LOC', 'PER'];
  const k = new CohenKappa();
  a.forEach((x, i) => k.add(x, b[i]));
  const r = k.result();
  near(r.observed, 0.8, 'p_o');
  near(r.expected, 0.48, 'p_e');
  near(r.kappa, 0.32 / 0.52, 'κ');
});

test("Cohen's κ: perfect agreement is 1; one category everywhere is undefined (null), not 1; nothing compared is null", () => {
  const k = new CohenKappa();
  for (const v of ['a', 'b', 'b', 'c']) k.add(v, v);
  assert.equal(k.result().kappa, 1);
  const flat = new CohenKappa();
  for (let i = 0; i < 5; i++) flat.add('O', 'O');
  assert.deepEqual(flat.result(), { units: 5, observed: 1, expected: 1, kappa: null });
  assert.deepEqual(new CohenKappa().result(), { units: 0, observed: null, expected: null, kappa: null });
});

// ---------------------------------------------------------------------------
// Fleiss' kappa

test("Fleiss' κ: the worked example of Wikipedia's \"Fleiss' kappa\" (10 subjects, 14 raters, 5 categories): P̄ 0.378, P̄_e 0.2128, κ 0.2099", () => {
  const r = fleissKappaOfTable([
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ]);
  assert.equal(r.units, 10);
  near(r.observed, 0.378022, 'P̄', 6);
  near(r.expected, 0.212755, 'P̄_e', 6);
  near(r.kappa, 0.2099, 'κ');
});

test("Fleiss' κ: Fleiss (1971), Psychological Bulletin 76(5), table 1 — 30 patients, 6 psychiatrists, 5 diagnoses: κ 0.430 (R irr kappam.fleiss(diagnoses) = 0.4302445)", () => {
  // Counts per patient of the diagnoses depression, personality disorder, schizophrenia, neurosis, other.
  const table = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
  ];
  const r = fleissKappaOfTable(table);
  assert.equal(r.units, 30);
  near(r.observed, 0.556, 'P̄', 3);
  near(r.expected, 0.220, 'P̄_e', 3);
  near(r.kappa, 0.4302445, 'κ', 6);
});

test("Fleiss' κ by hand: 3 raters, 4 units; with 2 raters it is Scott's π", () => {
  // Units (a,a,a) (a,a,b) (b,b,b) (a,b,b): P_i = 1, 1/3, 1, 1/3 → P̄ = 2/3.
  // Totals a 6, b 6 of 12 → P̄_e = .5; κ = (2/3 − .5)/.5 = 1/3.
  const k = new FleissKappa(3);
  for (const u of [['a', 'a', 'a'], ['a', 'a', 'b'], ['b', 'b', 'b'], ['a', 'b', 'b']]) k.addValues(u);
  near(k.result().kappa, 1 / 3, 'κ');
  // Scott's π of the grant example: p_o .7, pooled shares yes 55/100, no 45/100 → p_e .505, π = .195/.495.
  const pi = fleissKappaOfTable([...Array(20).fill([2, 0]), ...Array(5 + 10).fill([1, 1]), ...Array(15).fill([0, 2])]);
  near(pi.kappa, 0.195 / 0.495, "Scott's π");
});

test("Fleiss' κ refuses units with another number of ratings", () => {
  const k = new FleissKappa(3);
  assert.throws(() => k.addValues(['a', 'b']), /rated 2 times/);
  assert.throws(() => new FleissKappa(1), RangeError);
});

// ---------------------------------------------------------------------------
// Krippendorff's alpha

test("Krippendorff's α: Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, example C (4 observers, 12 units, missing values): nominal α 0.743", () => {
  const _ = null;
  const r = krippendorffAlphaOfMatrix([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ]);
  // Unit 12 has a single value: not pairable. n = 40 pairable values; α = 113/152 exactly.
  assert.equal(r.units, 11);
  assert.equal(r.values, 40);
  near(r.alpha, 113 / 152, 'α');
  near(r.alpha, 0.7434, 'α');
});

test("Krippendorff's α: Krippendorff (2011), example A (binary data, two observers, no missing values): α 0.095", () => {
  const r = krippendorffAlphaOfMatrix([
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
  ]);
  // o_00 = 10, o_01 = o_10 = 4, o_11 = 2; n_0 = 14, n_1 = 6: α = 1 − 19·8/(2·14·6) = 2/21.
  assert.equal(r.values, 20);
  near(r.alpha, 0.0952, 'α');
});

test("Krippendorff's α: the computational example of Wikipedia's \"Krippendorff's alpha\" (3 coders, 15 units, missing values): nominal α 0.691", () => {
  const _ = null;
  const r = krippendorffAlphaOfMatrix([
    [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
    [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
    [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
  ]);
  assert.equal(r.values, 26);
  near(r.alpha, 56 / 81, 'α');
  near(r.alpha, 0.6914, 'α');
});

test("Krippendorff's α: with two annotators and no missing value it is Scott's π corrected for sample size", () => {
  // α = 1 − (n − 1)/n · (1 − π) with n the number of values (Krippendorff 2011, section B).
  const a = ['x', 'x', 'y', 'y', 'z', 'x', 'y', 'z', 'z', 'x'];
  const b = ['x', 'y', 'y', 'y', 'z', 'x', 'x', 'z', 'y', 'x'];
  const alpha = new KrippendorffAlpha();
  const fleiss = new FleissKappa(2);
  a.forEach((v, i) => {
    alpha.addValues([v, b[i]]);
    fleiss.addValues([v, b[i]]);
  });
  const pi = fleiss.result().kappa!;
  const n = 20;
  near(alpha.result().alpha, 1 - ((n - 1) / n) * (1 - pi), 'α', 10);
});

test("Krippendorff's α: one category everywhere is undefined (null); lone values are ignored", () => {
  const a = new KrippendorffAlpha();
  a.addValues(['O', 'O', null]);
  a.addValues(['O', undefined, 'O']);
  a.addValues(['PER', null, null]);
  assert.deepEqual(a.result(), { units: 2, values: 4, observedDisagreement: 0, expectedDisagreement: 0, alpha: null });
  assert.equal(new KrippendorffAlpha().result().alpha, null);
});
