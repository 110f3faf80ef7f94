import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAGS, trainPerceptron, viterbi, type TaggerModel, type TrainingSentence } from '../../server/src/core/detect/entities/tagger';

const T = TAGS.length;
const tag = (t: string) => TAGS.indexOf(t);

/** The tag the model gives a one-token sentence with these features. */
function best(model: TaggerModel, feats: string[]): string {
  const em = new Float64Array(T);
  for (const f of feats) {
    const w = model.weights.get(f);
    if (w) for (let t = 0; t < T; t++) em[t] += w[t];
  }
  return TAGS[viterbi(em, 1, model.trans, TAGS)[0]];
}

/** A one-token sentence; `maybe` lists the other tags it may carry (partly labelled). */
function sentence(feats: string[], gold: string, extra: Partial<TrainingSentence> = {}, maybe: string[] = []): TrainingSentence {
  const s: TrainingSentence = { feats: [feats], gold: [tag(gold)], ...extra };
  if (maybe.length) {
    const allowed = new Uint8Array(T);
    allowed[tag(gold)] = 1;
    for (const m of maybe) allowed[tag(m)] = 1;
    s.allowed = allowed;
  }
  return s;
}

test('a token whose label is uncertain is not taught as outside: a name tag it allows is left alone', () => {
  const feats = ['w=دولار', 'bias'];
  // A model that has learnt the word as MISC.
  const base = trainPerceptron(Array.from({ length: 3 }, () => sentence(feats, 'S-MISC')), { epochs: 5 });
  assert.equal(best(base, feats), 'S-MISC');
  // Another corpus's broader MISC over the same word: O or MISC, either is right.
  const uncertain = Array.from({ length: 3 }, () => sentence(feats, 'O', {}, ['S-MISC']));
  assert.equal(best(trainPerceptron(uncertain, { base, epochs: 5 }), feats), 'S-MISC');
  // The same text taught as plain outside pulls the word out of the names.
  const outside = Array.from({ length: 3 }, () => sentence(feats, 'O'));
  assert.equal(best(trainPerceptron(outside, { base, epochs: 5 }), feats), 'O');
  // A tag it does not allow is still corrected: a person becomes O or MISC.
  const asPerson = trainPerceptron(Array.from({ length: 3 }, () => sentence(feats, 'S-PER')), { epochs: 5 });
  assert.notEqual(best(trainPerceptron(uncertain, { base: asPerson, epochs: 5 }), feats), 'S-PER');
});

test('a down-weighted sentence moves the weights less than a full one', () => {
  const full = trainPerceptron([sentence(['w=x'], 'S-PER')], { epochs: 1 });
  const half = trainPerceptron([sentence(['w=x'], 'S-PER', { weight: 0.5 })], { epochs: 1 });
  const f = full.weights.get('w=x')!;
  const h = half.weights.get('w=x')!;
  assert.ok(f[tag('S-PER')] > 0);
  assert.ok(Math.abs(h[tag('S-PER')] - f[tag('S-PER')] / 2) < 1e-6, `${h[tag('S-PER')]} vs ${f[tag('S-PER')]}`);
});

test('with domain copies, the other domain still teaches the shared weights, and the returned model keeps no copy', () => {
  const target = Array.from({ length: 4 }, () => sentence(['w=فريق', 'bias'], 'O'));
  // A word only the other domain has: its shared weights must learn it too.
  const other = Array.from({ length: 4 }, () => sentence(['w=هولندا'], 'S-LOC', { domain: 'wiki', weight: 0.5 }));
  const model = trainPerceptron([...target, ...other], { epochs: 5, augmentDomains: true });
  assert.equal(best(model, ['w=فريق', 'bias']), 'O');
  assert.equal(best(model, ['w=هولندا']), 'S-LOC');
  assert.ok([...model.weights.keys()].every((f) => !f.startsWith('\u0001')), 'no domain copy is left in the model');
  assert.ok(model.weights.has('w=هولندا'));
});
