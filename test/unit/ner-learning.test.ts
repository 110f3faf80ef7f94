import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADAPT_KNOWN_BOUND, adaptModel, detectEntities, loadModel } from '../../server/src/core/detect/entities/index';

/** Accepted annotations on a few documents: an organisation name the shipped model does not know. */
const NAME = 'تيلوران';
const accepted = [
  'أعلنت تيلوران أمس عن نتائجها السنوية في مؤتمر صحفي.',
  'وقالت تيلوران في بيان إن أرباحها ارتفعت بنسبة عشرة في المائة.',
  'ووقعت تيلوران اتفاقا مع الحكومة لتوسيع أعمالها في المنطقة.',
  'وأكد متحدث باسم تيلوران أن المفاوضات ستستمر الأسبوع المقبل.',
].map((text) => ({ text, entities: [{ start: text.indexOf(NAME), end: text.indexOf(NAME) + NAME.length, label: 'ORG' }] }));

/** Documents set aside: never used for adapting. */
const heldAside = [
  'ذكرت تيلوران أن مبيعاتها تراجعت خلال الربع الأخير من العام.',
  'ونفت تيلوران الاتهامات التي وجهت إليها في الصحافة المحلية.',
  'من جهتها رحبت تيلوران بقرار المحكمة وقالت إنه ينصف موظفيها.',
];

function found(model: ReturnType<typeof loadModel>): number {
  return heldAside.filter((text) => detectEntities(text, { model }).some((e) => e.label === 'ORG' && text.slice(e.start, e.end) === NAME)).length;
}

test('adapting on a few accepted annotations makes a missed name be suggested on held-aside documents', () => {
  const base = loadModel();
  const before = found(base);
  let progress = 0;
  const adapted = adaptModel(base, accepted, { epochs: 5, onProgress: (done, total) => (progress = done / total) });
  const after = found(adapted);
  assert.equal(progress, 1);
  assert.ok(before < heldAside.length, `the base model already finds the name in ${before} documents; pick another`);
  assert.equal(after, heldAside.length, `found in ${after}/${heldAside.length} held-aside documents after adapting (before: ${before})`);
  // The base model is left as it was.
  assert.equal(found(base), before);
});

test('adapting does not break what the model already knew', () => {
  const base = loadModel();
  const text = 'وصل الرئيس المصري إلى بغداد قادما من القاهرة للقاء المسؤولين العراقيين.';
  const adapted = adaptModel(base, accepted, { epochs: 5 });
  const places = (m: typeof base) => detectEntities(text, { model: m }).filter((e) => e.label === 'LOC').map((e) => text.slice(e.start, e.end));
  assert.deepEqual(places(adapted), places(base));
  assert.ok(places(base).includes('بغداد'));
});

test("adapting moves what the shipped model knows by at most the bound; the new name's own features learn freely", () => {
  const base = loadModel();
  const adapted = adaptModel(base, accepted, { epochs: 5 });
  const T = base.tags.length;
  assert.ok(ADAPT_KNOWN_BOUND > 0 && ADAPT_KNOWN_BOUND < 1, `bound ${ADAPT_KNOWN_BOUND}`);
  // Weights are kept as 32-bit floats: a little rounding on top of the bound.
  const within = (x: number, y: number) => Math.abs(x - y) <= ADAPT_KNOWN_BOUND * (1 + 1e-5) + Math.abs(y) * 1e-6;
  let moved = 0;
  for (const [f, w] of base.weights) {
    const a = adapted.weights.get(f) ?? new Float32Array(T);
    for (let t = 0; t < T; t++) {
      assert.ok(within(a[t], w[t]), `${f} tag ${base.tags[t]}: ${w[t]} → ${a[t]}`);
      if (a[t] !== w[t]) moved++;
    }
  }
  assert.ok(moved > 0, 'known weights may move, within the bound');
  for (let i = 0; i < base.trans.length; i++) assert.ok(within(adapted.trans[i], base.trans[i]), `transition ${i}: ${base.trans[i]} → ${adapted.trans[i]}`);
  const fresh = [...adapted.weights].filter(([f]) => !base.weights.has(f) && f.includes(NAME));
  assert.ok(fresh.length > 0, 'the name gives the model features it did not have');
  assert.ok(
    fresh.some(([, w]) => w.some((x) => Math.abs(x) > 10 * ADAPT_KNOWN_BOUND)),
    'and they learn beyond the bound of known ones',
  );
});

test('a model survives a JSON round trip', () => {
  const base = loadModel();
  assert.ok(base.weights.size > 10000);
  assert.equal(base.tags[0], 'O');
});

test('rejected suggestions teach the tagger too: a word rejected as a name stops being suggested', () => {
  const base = loadModel();
  // بوتيك ("boutique") after a verb of saying looks like a person's name to the shipped tagger.
  const word = 'بوتيك';
  const frame = (w: string) => [`وقال ${w} إن الاجتماع سيعقد غدا.`, `وأكد ${w} أن المحادثات مستمرة.`, `وأضاف ${w} أن الوضع مستقر.`, `وذكر ${w} أن القرار نهائي.`];
  const held = [`وأوضح ${word} أن اللجنة ستجتمع.`, `ونفى ${word} الأنباء.`, `وقال ${word} إن الاتفاق قريب.`];
  const suggested = (m: typeof base, text: string) => detectEntities(text, { model: m }).some((e) => text.slice(e.start, e.end) === word);
  const before = held.filter((t) => suggested(base, t)).length;
  assert.ok(before > 0, 'the shipped tagger no longer suggests the word; pick another');
  const adapted = adaptModel(
    base,
    frame(word).map((text) => ({ text, entities: [], rejected: detectEntities(text, { model: base }).map((e) => ({ start: e.start, end: e.end, label: e.label })) })),
  );
  assert.equal(held.filter((t) => suggested(adapted, t)).length, 0, `still suggested after rejecting it in four sentences (before: ${before} of ${held.length})`);
});

test('sentences without any decision are not taught (a partly reviewed document)', () => {
  const base = loadModel();
  // Two sentences: the first carries an accepted name, the second a name nobody annotated yet.
  const text = 'أعلنت تيلوران أمس عن نتائجها السنوية.\nوقال ميرفاندو إن الشركة ستتوسع.';
  const first = text.indexOf('تيلوران');
  const adapted = adaptModel(base, [{ text, entities: [{ start: first, end: first + 'تيلوران'.length, label: 'ORG' }] }]);
  // Had the second sentence been taught, ميرفاندو would have been learnt as "not a name".
  const probe = 'وقال ميرفاندو إن الاتفاق قريب.';
  const per = (m: typeof base) => detectEntities(probe, { model: m, minConfidence: 0 }).filter((e) => probe.slice(e.start, e.end) === 'ميرفاندو').map((e) => e.confidence)[0] ?? 0;
  assert.ok(per(adapted) >= per(base) - 0.05, `confidence for the undecided name fell from ${per(base)} to ${per(adapted)}`);
});

test('a document marked done teaches its sentences without decisions too: they hold no name', () => {
  const base = loadModel();
  // بوتيك after a verb of saying looks like a person's name to the shipped tagger (above).
  const word = 'بوتيك';
  const held = [`وأوضح ${word} أن اللجنة ستجتمع.`, `ونفى ${word} الأنباء.`, `وقال ${word} إن الاتفاق قريب.`];
  const suggested = (m: typeof base) => held.filter((t) => detectEntities(t, { model: m }).some((e) => t.slice(e.start, e.end) === word)).length;
  // One decided sentence (a name accepted), and undecided ones where the word is no name.
  const text = ['أعلنت تيلوران أمس عن نتائجها السنوية.', `وقال ${word} إن الاجتماع سيعقد غدا.`, `وأكد ${word} أن المحادثات مستمرة.`, `وأضاف ${word} أن الوضع مستقر.`, `وذكر ${word} أن القرار نهائي.`].join(' ');
  const entities = [{ start: text.indexOf(NAME), end: text.indexOf(NAME) + NAME.length, label: 'ORG' }];
  const partly = adaptModel(base, [{ text, entities }], { epochs: 5 });
  const done = adaptModel(base, [{ text, entities, complete: true }], { epochs: 5 });
  assert.ok(suggested(base) > 0, 'the shipped tagger suggests the word');
  assert.equal(suggested(partly), suggested(base), 'an undecided sentence of a document not marked done teaches nothing');
  assert.equal(suggested(done), 0, 'marked done: the word is taught as no name');
});
