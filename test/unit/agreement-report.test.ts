/**
 * Agreement over documents: exact-span matching, token units shared by all
 * annotators, and which documents and units each coefficient counts. Expected
 * values are worked out by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SidecarAnnotation } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { CohenKappa, FleissKappa, KrippendorffAlpha } from '../../server/src/core/agreement/coefficients';
import { computeAgreement, AgreementAccumulator } from '../../server/src/core/agreement/report';
import { compareSpans, microCounts, scores } from '../../server/src/core/agreement/spans';
import { OUTSIDE, tokenTags } from '../../server/src/core/agreement/units';

const T0 = new Date('2026-02-01T00:00:00.000Z');

function near(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);
}

/** Accepted entity over the first occurrence of `word` (after `from`) in `text`. */
function ent(text: string, word: string, label: string, from = 0): SidecarAnnotation {
  const at = text.indexOf(word, from);
  assert.ok(at >= 0, word);
  return createAnnotation(text, at, at + word.length, { kind: 'entity', label, status: 'accepted', source: 'user' }, T0);
}
function boiler(text: string, piece: string, category: string): SidecarAnnotation {
  const at = text.indexOf(piece);
  return createAnnotation(text, at, at + piece.length, { kind: 'boilerplate', category, status: 'accepted', source: 'user' }, T0);
}

// Tokens: Alice | met | Bob | Smith | in | Paris | . | Acme | Corp | paid | .
const DOC1 = 'Alice met Bob Smith in Paris. Acme Corp paid.';
const X1 = [ent(DOC1, 'Alice', 'PER'), ent(DOC1, 'Bob Smith', 'PER'), ent(DOC1, 'Paris', 'LOC'), ent(DOC1, 'Acme Corp', 'ORG')];
const Y1 = [ent(DOC1, 'Alice', 'PER'), ent(DOC1, 'Bob', 'PER'), ent(DOC1, 'Paris', 'LOC'), ent(DOC1, 'Acme Corp', 'ORG')];
const tags = (s: string) => s.split(' ').map((t) => (t === 'O' ? OUTSIDE : t));
const X1_TAGS = tags('PER O PER PER O LOC O ORG ORG O O');
const Y1_TAGS = tags('PER O PER O O LOC O ORG ORG O O');

test('exact spans: a boundary difference is a miss on both sides; F1 is symmetric', () => {
  const spanOf = (a: SidecarAnnotation) => ({ start: a.start, end: a.end, label: a.label! });
  const byLabel = compareSpans(X1.map(spanOf), Y1.map(spanOf));
  assert.deepEqual(byLabel.get('PER'), { matched: 1, spansA: 2, spansB: 2 });
  assert.deepEqual(byLabel.get('LOC'), { matched: 1, spansA: 1, spansB: 1 });
  const micro = scores(microCounts(byLabel.values()));
  assert.deepEqual(micro, { matched: 3, spansA: 4, spansB: 4, precision: 0.75, recall: 0.75, f1: 0.75 });
  // Y as reference against a one-span annotator: P and R swap, F1 does not move.
  const one = [{ start: 0, end: 5, label: 'PER' }];
  const ab = scores(microCounts(compareSpans(X1.map(spanOf), one).values()));
  const ba = scores(microCounts(compareSpans(one, X1.map(spanOf)).values()));
  assert.equal(ab.precision, 1);
  assert.equal(ab.recall, 0.25);
  assert.equal(ba.precision, 0.25);
  assert.equal(ba.recall, 1);
  assert.equal(ab.f1, ba.f1);
  near(ab.f1, 0.4, 'F1 = 2·1/(4+1)');
  // Same span, different label: no match; a duplicate span counts once.
  const lab = compareSpans([{ start: 0, end: 5, label: 'PER' }, { start: 0, end: 5, label: 'PER' }], [{ start: 0, end: 5, label: 'ORG' }]);
  assert.deepEqual(lab.get('PER'), { matched: 0, spansA: 1, spansB: 0 });
  assert.deepEqual(lab.get('ORG'), { matched: 0, spansA: 0, spansB: 1 });
  assert.deepEqual(scores({ matched: 0, spansA: 0, spansB: 0 }), { matched: 0, spansA: 0, spansB: 0, precision: null, recall: null, f1: null });
});

test('token units: the exporter tokens, cut at every annotator boundary so all annotators tag the same units', () => {
  const cps = Array.from(DOC1);
  const spanOf = (a: SidecarAnnotation) => ({ start: a.start, end: a.end, label: a.label! });
  const [x, y] = tokenTags(cps, [X1.map(spanOf), Y1.map(spanOf)]);
  assert.deepEqual(x, X1_TAGS);
  assert.deepEqual(y, Y1_TAGS);
  // Arabic: one annotator marks باكستان inside وباكستان; both then tag the two units و | باكستان.
  const ar = Array.from('زار وباكستان');
  const [a, b] = tokenTags(ar, [[{ start: 5, end: 12, label: 'LOC' }], []]);
  assert.deepEqual(a, [OUTSIDE, OUTSIDE, 'LOC']);
  assert.deepEqual(b, [OUTSIDE, OUTSIDE, OUTSIDE]);
  // Overlapping spans of one annotator: the CoNLL rule (earliest, then longest) decides.
  const [o] = tokenTags(Array.from('New York City'), [[{ start: 4, end: 8, label: 'LOC' }, { start: 0, end: 13, label: 'MISC' }]]);
  assert.deepEqual(o, ['MISC', 'MISC', 'MISC']);
});

test('two annotators on one document: span P/R/F1, Cohen κ, Fleiss κ and Krippendorff α worked out by hand', () => {
  const r = computeAgreement([{ name: 'doc1.txt', text: DOC1, layers: [{ annotator: 'y', annotations: Y1 }, { annotator: 'x', annotations: X1 }] }]);
  assert.deepEqual(r.annotators, ['x', 'y']);
  assert.equal(r.documents, 1);
  const pair = r.entity.spans.pairs[0];
  assert.equal(pair.a, 'x', 'pairs in name order: the first is the reference');
  assert.equal(pair.b, 'y');
  assert.equal(pair.documents, 1);
  assert.deepEqual(pair.micro, { matched: 3, spansA: 4, spansB: 4, precision: 0.75, recall: 0.75, f1: 0.75 });
  assert.deepEqual(Object.keys(pair.labels), ['LOC', 'ORG', 'PER']);
  assert.equal(pair.labels.PER.f1, 0.5);
  assert.deepEqual(r.entity.spans.allPairs.micro, pair.micro);
  assert.equal(r.entity.spans.allPairs.meanPairF1, 0.75);

  // 11 tokens, 10 agreements. Marginals x: PER 3, O 5, LOC 1, ORG 2; y: PER 2, O 6, LOC 1, ORG 2.
  // p_e = (6 + 30 + 1 + 4)/121 = 41/121 → κ = (110/121 − 41/121)/(80/121) = 69/80.
  const cohen = r.entity.tokens.cohen[0];
  assert.equal(cohen.units, 11);
  near(cohen.observed, 10 / 11, 'p_o');
  near(cohen.kappa, 69 / 80, 'Cohen κ');
  // Fleiss with two raters (Scott's π): pooled PER 5, O 11, LOC 2, ORG 4 of 22 → P_e = 166/484, κ = 274/318.
  assert.deepEqual(r.entity.tokens.fleiss.annotators, ['x', 'y']);
  near(r.entity.tokens.fleiss.kappa, 274 / 318, 'Fleiss κ');
  // α: n = 22, Σ o_cc = 20, Σ n_c(n_c − 1) = 20 + 110 + 2 + 12 = 144 → (21·20 − 144)/(22·21 − 144) = 276/318.
  assert.equal(r.entity.tokens.krippendorff.units, 11);
  assert.equal(r.entity.tokens.krippendorff.values, 22);
  near(r.entity.tokens.krippendorff.alpha, 276 / 318, 'α');

  assert.equal(r.perDocument.length, 1);
  assert.deepEqual(r.perDocument[0].annotators, ['x', 'y']);
  assert.equal(r.perDocument[0].tokens, 11);
  assert.equal(r.perDocument[0].worstEntityF1, 0.75);
  // No boilerplate anywhere: span F1 undefined, token κ undefined (one category), never a fake 1.
  assert.equal(r.boilerplate.spans.pairs[0].micro.f1, null);
  assert.equal(r.boilerplate.tokens.cohen[0].kappa, null);
  assert.equal(r.boilerplate.tokens.krippendorff.alpha, null);
});

test('three annotators, one of whom skipped a document: Cohen per shared documents, Fleiss on documents everyone did, α with a missing value', () => {
  const DOC2 = 'Share this article. Rome hosted NATO talks.\nFollow us on X.';
  const X2 = [ent(DOC2, 'Rome', 'LOC'), ent(DOC2, 'NATO', 'ORG'), boiler(DOC2, 'Share this article.', 'share'), boiler(DOC2, 'Follow us on X.', 'social')];
  const Y2 = [ent(DOC2, 'Rome', 'LOC'), ent(DOC2, 'NATO', 'MISC'), boiler(DOC2, 'Share this article.', 'share')];
  const Z1 = [ent(DOC1, 'Alice', 'PER'), ent(DOC1, 'Paris', 'LOC')];
  const report = computeAgreement([
    { name: 'doc1.txt', text: DOC1, layers: [{ annotator: 'x', annotations: X1 }, { annotator: 'y', annotations: Y1 }, { annotator: 'z', annotations: Z1 }] },
    { name: 'doc2.txt', text: DOC2, layers: [{ annotator: 'x', annotations: X2 }, { annotator: 'y', annotations: Y2 }] },
    { name: 'doc3.txt', text: 'Only one annotator here.', layers: [{ annotator: 'x', annotations: [] }] },
  ]);
  assert.equal(report.documents, 2, 'a document with a single annotator is not compared');
  assert.deepEqual(report.annotators, ['x', 'y', 'z']);
  assert.deepEqual(
    report.entity.spans.pairs.map((p) => [p.a, p.b, p.documents]),
    [['x', 'y', 2], ['x', 'z', 1], ['y', 'z', 1]],
  );
  // x~y: doc1 3 of 4/4, doc2 Rome matched, NATO ORG≠MISC → 4 matched of 6/6.
  assert.deepEqual(report.entity.spans.pairs[0].micro.matched, 4);
  near(report.entity.spans.pairs[0].micro.f1, 4 / 6, 'x~y F1');
  // x~z on doc1: matched Alice, Paris: 2·2/(4+2).
  near(report.entity.spans.pairs[1].micro.f1, 4 / 6, 'x~z F1');
  // All pairs pooled (x~y, x~z, y~z): matched 4+2+2, spans of A 6+4+4, of B 6+2+2.
  assert.deepEqual(
    [report.entity.spans.allPairs.micro.matched, report.entity.spans.allPairs.micro.spansA, report.entity.spans.allPairs.micro.spansB],
    [8, 14, 10],
  );
  near(report.entity.spans.allPairs.micro.f1, 16 / 24, 'pooled F1');
  near(report.entity.spans.allPairs.meanPairF1, 4 / 6, 'mean of the pairs F1 (4/6 each)');

  // Token tags by hand. doc2 tokens: Share this article . Rome hosted NATO talks . Follow us on X .
  const doc2x = tags('O O O O LOC O ORG O O O O O O O');
  const doc2y = tags('O O O O LOC O MISC O O O O O O O');
  const z1 = tags('PER O O O O LOC O O O O O');
  const cohenXY = new CohenKappa();
  [...X1_TAGS, ...doc2x].forEach((t, i) => cohenXY.add(t, [...Y1_TAGS, ...doc2y][i]));
  const xy = report.entity.tokens.cohen[0];
  assert.equal(xy.units, 25);
  assert.equal(xy.documents, 2);
  near(xy.kappa, cohenXY.result().kappa!, 'Cohen x~y');
  const fleiss = new FleissKappa(3);
  X1_TAGS.forEach((t, i) => fleiss.addValues([t, Y1_TAGS[i], z1[i]]));
  assert.equal(report.entity.tokens.fleiss.documents, 1);
  assert.equal(report.entity.tokens.fleiss.units, 11);
  near(report.entity.tokens.fleiss.kappa, fleiss.result().kappa!, 'Fleiss');
  const alpha = new KrippendorffAlpha();
  X1_TAGS.forEach((t, i) => alpha.addValues([t, Y1_TAGS[i], z1[i]]));
  doc2x.forEach((t, i) => alpha.addValues([t, doc2y[i], null]));
  assert.equal(report.entity.tokens.krippendorff.units, 25);
  assert.equal(report.entity.tokens.krippendorff.values, 11 * 3 + 14 * 2);
  near(report.entity.tokens.krippendorff.alpha, alpha.result().alpha!, 'α');

  // Boilerplate as its own layer: x has share + social, y share only.
  const bx = tags('share share share share O O O O O social social social social social');
  const by = tags('share share share share O O O O O O O O O O');
  const cohenB = new CohenKappa();
  [...tags('O O O O O O O O O O O'), ...bx].forEach((t, i) => cohenB.add(t, [...tags('O O O O O O O O O O O'), ...by][i]));
  near(report.boilerplate.tokens.cohen[0].kappa, cohenB.result().kappa!, 'boilerplate Cohen x~y');
  assert.deepEqual(report.boilerplate.spans.pairs[0].labels.share, { matched: 1, spansA: 1, spansB: 1, precision: 1, recall: 1, f1: 1 });
  assert.deepEqual(report.boilerplate.spans.pairs[0].labels.social, { matched: 0, spansA: 1, spansB: 0, precision: null, recall: 0, f1: 0 });

  // Per document, every pair's F1; the worst pair of doc1 is x~z or y~z.
  const d1 = report.perDocument.find((d) => d.document === 'doc1.txt')!;
  assert.deepEqual(d1.pairs.map((p) => `${p.a}~${p.b}`), ['x~y', 'x~z', 'y~z']);
  near(d1.pairs[2].entity.f1, 4 / 6, 'y~z on doc1: Alice, Paris of 4 and 2');
  near(d1.worstEntityF1, 4 / 6, 'worst');
  const d2 = report.perDocument.find((d) => d.document === 'doc2.txt')!;
  near(d2.pairs[0].entity.f1, 0.5, 'doc2 x~y');
  near(d2.pairs[0].boilerplate.f1, 2 / 3, 'doc2 boilerplate x~y');
});

test('--labels: other labels are left out of spans and tokens alike; rejected, orphaned and stale annotations never count', () => {
  const rejected = { ...ent(DOC1, 'Bob Smith', 'PER'), status: 'rejected' as const };
  const orphan = { ...ent(DOC1, 'Acme Corp', 'ORG'), orphaned: true };
  const stale = { ...ent(DOC1, 'Paris', 'LOC'), start: 0, end: 5 }; // text "Paris" no longer at 0-5
  const problems: string[] = [];
  const r = computeAgreement(
    [
      {
        name: 'doc1.txt',
        text: DOC1,
        layers: [
          { annotator: 'x', annotations: [...X1] },
          { annotator: 'y', annotations: [ent(DOC1, 'Alice', 'PER'), rejected, orphan, stale, ent(DOC1, 'Paris', 'LOC')] },
        ],
      },
    ],
    { labels: ['LOC', 'ORG'], onProblem: (m) => problems.push(m) },
  );
  assert.deepEqual(r.labels, ['LOC', 'ORG']);
  assert.deepEqual(Object.keys(r.entity.spans.pairs[0].labels), ['LOC', 'ORG']);
  assert.deepEqual(r.entity.spans.pairs[0].labels.ORG, { matched: 0, spansA: 1, spansB: 0, precision: null, recall: 0, f1: 0 });
  // Tokens: x LOC Paris + ORG Acme Corp, y LOC Paris; every PER token is O for both.
  const k = new CohenKappa();
  tags('O O O O O LOC O ORG ORG O O').forEach((t, i) => k.add(t, tags('O O O O O LOC O O O O O')[i]));
  near(r.entity.tokens.cohen[0].kappa, k.result().kappa!, 'κ with labels');
  assert.ok(problems.some((m) => /doc1\.txt \(y\).*orphaned/.test(m)), problems.join('\n'));
  assert.ok(problems.some((m) => /does not match the document/.test(m)), problems.join('\n'));
});

test('the accumulator refuses the same annotator twice in one document and labels named like Object properties stay data', () => {
  const acc = new AgreementAccumulator();
  assert.throws(() => acc.add({ name: 'd', text: 'a', layers: [{ annotator: 'x', annotations: [] }, { annotator: 'x', annotations: [] }] }), /given twice/);
  const text = 'constructor met __proto__';
  const r = computeAgreement([
    { name: 'd', text, layers: [{ annotator: 'x', annotations: [ent(text, 'constructor', '__proto__')] }, { annotator: 'y', annotations: [ent(text, 'constructor', '__proto__')] }] },
  ]);
  assert.deepEqual(Object.keys(r.entity.spans.pairs[0].labels), ['__proto__']);
  assert.equal(r.entity.spans.pairs[0].labels['__proto__'].f1, 1);
  assert.equal(JSON.parse(JSON.stringify(r)).entity.spans.pairs[0].labels['__proto__'].f1, 1);
});
