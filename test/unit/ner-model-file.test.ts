import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../server/src/core/detect/entities/index';
import { deserializeModel, ModelFileError, serializeModel, TAGS, type SerializedModel, type TaggerModel } from '../../server/src/core/detect/entities/tagger';

/** A small valid BIOES model: two features, a transition table, three words. */
function validModel(): SerializedModel {
  const T = TAGS.length;
  const w1 = new Float32Array(T);
  w1[0] = 2;
  w1[TAGS.indexOf('S-LOC')] = 5.5;
  const w2 = new Float32Array(T);
  w2[TAGS.indexOf('B-PER')] = -1.25;
  const model: TaggerModel = {
    tags: TAGS,
    weights: new Map([
      ['w=بغداد', w1],
      ['b', w2],
    ]),
    trans: Float32Array.from({ length: (T + 1) * T }, (_, i) => (i % 7) - 3),
    freq: new Map([
      ['في', 12],
      ['بغداد', 3],
      ['قال', 3],
    ]),
    temperature: 16,
    meta: { trainedOn: 'test' },
  };
  return JSON.parse(JSON.stringify(serializeModel(model))) as SerializedModel;
}

/** The model with one change, parsed from JSON as a file would be (so 1e999 is Infinity). */
function broken(change: (m: Record<string, any>) => void): SerializedModel {
  const m = validModel() as unknown as Record<string, any>;
  change(m);
  return JSON.parse(JSON.stringify(m).replace(/"__INF__"/g, '1e999')) as SerializedModel;
}

function refused(m: SerializedModel, reason: RegExp): void {
  assert.throws(
    () => deserializeModel(m),
    (err: unknown) => {
      assert.ok(err instanceof ModelFileError, `expected a ModelFileError, got ${String(err)}`);
      assert.match(err.message, /^not a usable tagger model: /);
      assert.match(err.message, reason);
      return true;
    },
  );
}

test('a valid model file reads back exactly what was written', () => {
  const m = deserializeModel(validModel());
  assert.deepEqual(m.tags, TAGS);
  assert.equal(m.temperature, 16);
  assert.equal(m.weights.get('w=بغداد')![TAGS.indexOf('S-LOC')], 5.5);
  assert.equal(m.weights.get('b')![TAGS.indexOf('B-PER')], -1.25);
  assert.equal(m.trans[1], -2);
  assert.equal(m.freq.get('قال'), 3);
  assert.deepEqual(m.meta, { trainedOn: 'test' });
});

test('the shipped model and an old BIO model pass the checks', () => {
  assert.ok(loadModel().weights.size > 1000);
  const bio = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
  const m = deserializeModel({ format: 'ner-perceptron/1', tags: bio, scale: 100, temperature: 1, trans: new Array(30).fill(0), weights: { b: [1, 100] }, freq: {}, meta: {} });
  assert.equal(m.tags.length, 5);
});

test('tags that are not BIO or BIOES are refused, naming the tag', () => {
  refused(broken((m) => (m.tags[3] = 'X-PER')), /tag 3 is "X-PER": tags after "O" must be B-, I-, E- or S- followed by a label/);
  refused(broken((m) => (m.tags[0] = 'B-LOC')), /the first tag must be "O" \(found "B-LOC"\)/);
  refused(broken((m) => (m.tags[2] = 'B-PER')), /tag "B-PER" is listed twice/);
  refused(broken((m) => (m.tags[4] = 'S-FOO')), /label "PER" has tags B-PER, I-PER, E-PER: a label needs B- and I- \(BIO\) or B-, I-, E- and S- \(BIOES\)/);
  refused(broken((m) => (m.tags = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'E-LOC', 'S-LOC'])), /mixes BIO and BIOES/);
  refused(broken((m) => (m.tags = ['O'])), /no entity label/);
  refused(broken((m) => (m.tags = [])), /"tags" must be a non-empty list/);
  refused(broken((m) => (m.tags = 'O B-PER I-PER')), /"tags" must be a non-empty list/);
  refused(broken((m) => (m.tags = ['O', ...Array.from({ length: 8 }, (_, i) => ['B', 'I', 'E', 'S'].map((p) => `${p}-L${i}`)).flat()])), /"tags" has 33 tags; a tagger model may have at most 31/);
  refused(broken((m) => (m.tags[5] = 7)), /tag 5 is 7/);
});

test('a zero, negative, non-finite or missing scale or temperature is refused', () => {
  refused(broken((m) => (m.scale = 0)), /"scale" must be a finite number above 0 \(found 0\)/);
  refused(broken((m) => (m.scale = -100)), /"scale" must be a finite number above 0 \(found -100\)/);
  refused(broken((m) => (m.scale = '__INF__')), /"scale" must be a finite number above 0 \(found Infinity\)/);
  refused(broken((m) => (m.scale = '100')), /"scale" must be a finite number above 0 \(found "100"\)/);
  refused(broken((m) => delete m.scale), /"scale" must be a finite number above 0 \(found undefined\)/);
  refused(broken((m) => (m.temperature = 0)), /"temperature" must be a finite number above 0 \(found 0\)/);
  refused(broken((m) => (m.temperature = null)), /"temperature" must be a finite number above 0 \(found null\)/);
});

test('a transition table of the wrong size or with non-numbers is refused', () => {
  refused(broken((m) => m.trans.pop()), /"trans" must hold \(tags \+ 1\) × tags = 306 numbers for 17 tags \(found 305\)/);
  refused(broken((m) => m.trans.push(0)), /found 307/);
  refused(broken((m) => (m.trans = m.trans.slice(0, 90))), /found 90/);
  refused(broken((m) => (m.trans = {})), /"trans" must hold .* \(found an object\)/);
  refused(broken((m) => (m.trans[40] = null)), /"trans"\[40\] is null, not a finite number/);
  refused(broken((m) => (m.trans[41] = '__INF__')), /"trans"\[41\] is Infinity, not a finite number/);
});

test('weights with tag indices out of range, odd rows or non-numbers are refused, naming the feature', () => {
  refused(broken((m) => (m.weights['b'] = [17, 100])), /weights\["b"\]\[0\]: tag index 17 is out of range \(the model has 17 tags, 0–16\)/);
  refused(broken((m) => (m.weights['b'] = [-1, 100])), /tag index -1 is out of range/);
  refused(broken((m) => (m.weights['b'] = [1.5, 100])), /tag index 1.5 is out of range/);
  refused(broken((m) => (m.weights['w=بغداد'] = [0, 200, 16])), /weights\["w=بغداد"\] must be a list of tag index, weight pairs \(found 3 numbers\)/);
  refused(broken((m) => (m.weights['b'] = { 1: 100 })), /weights\["b"\] must be a list of tag index, weight pairs \(found an object\)/);
  refused(broken((m) => (m.weights['b'] = [1, null])), /weights\["b"\]\[1\] is null, not a finite number/);
  refused(broken((m) => (m.weights['b'] = [1, 100, 1, 50])), /weights\["b"\] gives tag 1 twice/);
  refused(broken((m) => (m.weights = [])), /"weights" must be an object/);
});

test('a wrong format, a word list that is not one, or no object at all is refused', () => {
  refused(broken((m) => (m.format = 'ner-crf/2')), /unknown model format "ner-crf\/2" \(expected "ner-perceptron\/1"\)/);
  refused(null as unknown as SerializedModel, /a model file is a JSON object \(found null\)/);
  refused([] as unknown as SerializedModel, /a model file is a JSON object \(found a list\)/);
  refused(broken((m) => (m.freq['x'] = 'a b')), /"freq" key "x" is not a word count/);
  refused(broken((m) => (m.freq['0'] = 'a b')), /"freq" key "0" is not a word count/);
  refused(broken((m) => (m.freq['3'] = ['a', 'b'])), /"freq"\["3"\] must be a space-separated string of words \(found a list\)/);
  refused(broken((m) => (m.freq = 'a b')), /"freq" must be an object/);
  refused(broken((m) => (m.meta = 3)), /"meta" must be an object \(found 3\)/);
});
