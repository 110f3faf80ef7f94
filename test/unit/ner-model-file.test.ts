import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectEntities, loadModel } from '../../server/src/core/detect/entities/index';
import { deserializeModel, ModelFileError, packModel, serializeModel, TAGS, type PackedModel, type SerializedModel, type TaggerModel } from '../../server/src/core/detect/entities/tagger';
import { base64ToBytes, bytesToBase64 } from '../../server/src/core/text/base64';

/** A small valid BIOES model: two features, a transition table, three words. */
function validModel(): SerializedModel {
  return JSON.parse(JSON.stringify(serializeModel(smallModel()))) as SerializedModel;
}

function smallModel(): TaggerModel {
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
  return model;
}

/** The model with one change, parsed from JSON as a file would be (so 1e999 is Infinity). */
function broken(change: (m: Record<string, any>) => void): SerializedModel {
  const m = validModel() as unknown as Record<string, any>;
  change(m);
  return JSON.parse(JSON.stringify(m).replace(/"__INF__"/g, '1e999')) as SerializedModel;
}

function refused(m: SerializedModel | PackedModel, reason: RegExp): void {
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
  refused(broken((m) => (m.format = 'ner-crf/2')), /unknown model format "ner-crf\/2" \(expected "ner-perceptron\/2" or "ner-perceptron\/1"\)/);
  refused(null as unknown as SerializedModel, /a model file is a JSON object \(found null\)/);
  refused([] as unknown as SerializedModel, /a model file is a JSON object \(found a list\)/);
  refused(broken((m) => (m.freq['x'] = 'a b')), /"freq" key "x" is not a word count/);
  refused(broken((m) => (m.freq['0'] = 'a b')), /"freq" key "0" is not a word count/);
  refused(broken((m) => (m.freq['3'] = ['a', 'b'])), /"freq"\["3"\] must be a space-separated string of words \(found a list\)/);
  refused(broken((m) => (m.freq = 'a b')), /"freq" must be an object/);
  refused(broken((m) => (m.meta = 3)), /"meta" must be an object \(found 3\)/);
});

/** The small model in the packed form, with one change, as read from a file. */
function packed(change: (m: Record<string, any>) => void = () => undefined): PackedModel {
  const m = JSON.parse(JSON.stringify(packModel(smallModel()))) as Record<string, any>;
  change(m);
  return m as PackedModel;
}
const b64 = (bytes: number[]) => bytesToBase64(Uint8Array.from(bytes));
const int32s = (xs: number[]) => {
  const v = new DataView(new ArrayBuffer(xs.length * 4));
  xs.forEach((x, i) => v.setInt32(i * 4, x, true));
  return bytesToBase64(new Uint8Array(v.buffer));
};

test('the packed form reads back the same weights, words and transitions as the list form', () => {
  const p = packed();
  assert.equal(p.format, 'ner-perceptron/2');
  assert.equal(p.features, 'w=بغداد\nb');
  const m = deserializeModel(p);
  const l = deserializeModel(validModel());
  assert.deepEqual([...m.weights.keys()].sort(), [...l.weights.keys()].sort());
  for (const [f, w] of l.weights) assert.deepEqual([...m.weights.get(f)!], [...w], f);
  assert.deepEqual([...m.trans], [...l.trans]);
  assert.deepEqual([...m.freq], [...l.freq]);
  assert.deepEqual(m.meta, l.meta);
  assert.equal(m.temperature, 16);
});

test('the shipped model tags a text the same in the packed form and in the list form', () => {
  const shipped = loadModel();
  const lists = deserializeModel(JSON.parse(JSON.stringify(serializeModel(shipped, { minWeight: 1e-9 }))) as SerializedModel);
  const repacked = deserializeModel(JSON.parse(JSON.stringify(packModel(lists, { minWeight: 1e-9 }))) as PackedModel);
  const text = 'قال الرئيس الفرنسي إيمانويل ماكرون في باريس إن الأمم المتحدة ستعقد اجتماعا في جنيف مع وزير الخارجية الأمريكي.';
  const a = detectEntities(text, { model: shipped, english: false });
  assert.ok(a.length >= 3, 'the text has names to find');
  assert.deepEqual(detectEntities(text, { model: lists, english: false }), a);
  assert.deepEqual(detectEntities(text, { model: repacked, english: false }), a);
});

test('a feature holding a line break keeps the model in the list form', () => {
  const m = smallModel();
  m.weights.set('w=a\nb', Float32Array.from({ length: TAGS.length }, (_, i) => (i === 1 ? 3 : 0)));
  const s = packModel(m);
  assert.equal(s.format, 'ner-perceptron/1');
  assert.equal(deserializeModel(JSON.parse(JSON.stringify(s))).weights.get('w=a\nb')![1], 3);
});

test('packed weights that do not add up, leave the tag range or repeat a tag are refused, naming what is wrong', () => {
  refused(packed((m) => (m.counts = b64([1]))), /"counts" gives 1 features, "features" lists 2/);
  refused(packed((m) => (m.counts = b64([2, 0]))), /feature "b" weighs on 0 tags \(the model has 17 tags\)/);
  refused(packed((m) => (m.counts = b64([18, 1]))), /weighs on 18 tags/);
  refused(packed((m) => (m.counts = b64([1, 1]))), /"tagIndex" holds 3 tags, "counts" adds up to 2/);
  refused(packed((m) => (m.tagIndex = b64([0, 17, 5]))), /feature "w=بغداد": tag index 17 is out of range \(the model has 17 tags, 0–16\)/);
  refused(packed((m) => (m.tagIndex = b64([4, 4, 5]))), /feature "w=بغداد": tag index 4 is listed twice or out of order/);
  refused(packed((m) => (m.weights = int32s([1, 2]))), /"weights" holds 8 bytes, 12 expected \(4 per weight\)/);
  refused(packed((m) => (m.features = 'b\nb')), /feature "b" is listed twice/);
  refused(packed((m) => (m.features = ['b'])), /"features" must be a string of features, one per line \(found a list\)/);
  refused(packed((m) => (m.weights = 'AAA*')), /"weights" must be a base64 string \(found "AAA\*"\)/);
  refused(packed((m) => delete m.tagIndex), /"tagIndex" must be a base64 string \(found undefined\)/);
  refused(packed((m) => (m.freq = 'a b')), /"freq" must be an object/);
  refused(packed((m) => (m.tags[3] = 'X-PER')), /tag 3 is "X-PER"/);
});

test('base64 round-trips every length and refuses what is not base64', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
    const s = bytesToBase64(bytes);
    assert.equal(s, Buffer.from(bytes).toString('base64'), `length ${n}`);
    assert.deepEqual(base64ToBytes(s), bytes);
  }
  const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 255);
  assert.deepEqual(base64ToBytes(bytesToBase64(big)), big);
  for (const bad of ['A', 'AB=', 'AB=C', 'A=BC', '====', 'ÀBCD', 'AB CD', 'AB\nC']) assert.equal(base64ToBytes(bad), undefined, JSON.stringify(bad));
});
