/** Learning a label the shipped tagger does not know (a team's schema adds TEAM), once it has enough examples. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptModel, detectEntities, labelsOf, loadModel, planLabels } from '../../server/src/core/detect/entities/index';
import { extendTagSet, MIN_MENTIONS_TO_LEARN } from '../../server/src/core/detect/entities/tagSet';
import { deserializeModel, serializeModel } from '../../server/src/core/detect/entities/tagger';

const TEAMS = ['الزمالك', 'الوداد', 'الترجي', 'الهلال', 'الرجاء', 'الفيصلي'];

/** Sports reports where club names are annotated TEAM (a label of the team's schema). */
const SENTENCES = [
  'فاز نادي الزمالك على نادي الوداد بهدفين في المباراة النهائية.',
  'وتعادل نادي الترجي مع نادي الهلال في مباراة مثيرة أمس.',
  'وقال مدرب نادي الرجاء إن فريقه سيعود أقوى في الموسم المقبل.',
  'وخسر نادي الفيصلي أمام نادي الزمالك في الدور الأول.',
  'ويستعد نادي الوداد لمواجهة نادي الترجي الأسبوع المقبل.',
  'وأعلن نادي الهلال تعاقده مع لاعب جديد قبل بداية الموسم.',
  'وتصدر نادي الرجاء الترتيب بعد فوزه على نادي الفيصلي.',
];

function examples(sentences: string[]): { text: string; entities: { start: number; end: number; label: string }[] }[] {
  return sentences.map((text) => ({
    text,
    entities: TEAMS.flatMap((t) => {
      const at = text.indexOf(t);
      return at >= 0 ? [{ start: at, end: at + t.length, label: 'TEAM' }] : [];
    }),
  }));
}

const mentions = (ex: ReturnType<typeof examples>) => ex.reduce((n, e) => n + e.entities.length, 0);

test('a new label with too few examples is not learned; its sentences are not taught as "no name"', () => {
  const base = loadModel();
  const few = examples(SENTENCES.slice(0, 2));
  assert.ok(mentions(few) < MIN_MENTIONS_TO_LEARN);
  const plan = planLabels(base, few);
  assert.deepEqual(plan.learn, []);
  assert.deepEqual(plan.notYet.map((n) => [n.label, n.mentions, n.reason]), [['TEAM', 4, 'examples']]);
  const adapted = adaptModel(base, few, { epochs: 3 });
  assert.deepEqual(adapted.tags, base.tags, 'the tag set is unchanged');
});

test('a new label with enough examples is learned: the tagger suggests it on new sentences', () => {
  const base = loadModel();
  const train = examples(SENTENCES);
  assert.ok(mentions(train) >= MIN_MENTIONS_TO_LEARN, `${mentions(train)} mentions`);
  const plan = planLabels(base, train);
  assert.deepEqual(plan.learn, ['TEAM']);
  const adapted = adaptModel(base, train, { epochs: 5, plan });
  assert.deepEqual(labelsOf(adapted).sort(), ['LOC', 'MISC', 'ORG', 'PER', 'TEAM']);
  assert.equal(adapted.tags.length, base.tags.length + 4, 'B-, I-, E-, S-TEAM');
  const held = 'وفاز نادي الهلال على نادي الزمالك في مباراة ودية.';
  const teams = detectEntities(held, { model: adapted, labels: labelsOf(adapted) }).filter((e) => e.label === 'TEAM').map((e) => held.slice(e.start, e.end));
  assert.deepEqual(teams, ['الهلال', 'الزمالك']);
  // It survives saving and loading (the adapted model is kept in the workspace).
  const again = deserializeModel(JSON.parse(JSON.stringify(serializeModel(adapted))));
  assert.deepEqual(detectEntities(held, { model: again, labels: labelsOf(again) }).filter((e) => e.label === 'TEAM').length, 2);
});

test('learning a new label does not change what the model finds elsewhere', () => {
  const base = loadModel();
  const adapted = adaptModel(base, examples(SENTENCES), { epochs: 5 });
  const texts = [
    'وصل الرئيس المصري إلى بغداد قادما من القاهرة للقاء المسؤولين العراقيين.',
    'قال وزير الخارجية الإيراني حسين أمير عبد اللهيان إن بلاده تطالب باكستان بالعمل لضمان أمن الحدود.',
  ];
  for (const text of texts) {
    const names = (m: typeof base) => detectEntities(text, { model: m, labels: labelsOf(m) }).map((e) => `${e.label}:${text.slice(e.start, e.end)}`);
    assert.deepEqual(names(adapted), names(base), text);
  }
});

test('extendTagSet keeps old weights and transitions in place', () => {
  const base = loadModel();
  const ext = extendTagSet(base, ['TEAM']);
  const T = base.tags.length;
  const T2 = ext.tags.length;
  assert.equal(T2, T + 4);
  const [f, w] = base.weights.entries().next().value!;
  assert.deepEqual([...ext.weights.get(f)!.subarray(0, T)], [...w]);
  assert.ok(ext.weights.get(f)!.subarray(T).every((x) => x === 0));
  for (let p = 0; p < T; p++) for (let c = 0; c < T; c++) assert.equal(ext.trans[p * T2 + c], base.trans[p * T + c]);
  for (let c = 0; c < T; c++) assert.equal(ext.trans[T2 * T2 + c], base.trans[T * T + c], 'sentence-start row');
  assert.equal(base.tags.length, T, 'the input is not modified');
  assert.throws(() => extendTagSet(base, ['A', 'B', 'C', 'D']), /at most 31 tags/);
});
