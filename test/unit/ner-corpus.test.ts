import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorpusNames, detectEntities } from '../../server/src/core/detect/entities/index';
import type { EntityCandidate } from '../../server/src/core/detect/types';

/** A candidate over the first occurrence of `name` in `text`. */
function cand(text: string, name: string, label: string, confidence = 0.9, source = 'tagger'): EntityCandidate {
  const start = text.indexOf(name);
  assert.ok(start >= 0);
  return { start, end: start + name.length, label, normalized: name, confidence, source };
}

const docA = 'قال السناتور الجمهوري كرمبالي ان المشروع سيعرض على اللجنة الاسبوع المقبل .';
// In docB nothing around the name says "person" (with "واكد كرمبالي ان" the tagger finds it alone).
const docB = 'وعرضت الصحف تفاصيل الخطة امس ، وتحدث كرمبالي عن التصويت .\n\nوقد رد وكرمبالي على الاسئلة .';
const at = (text: string, ents: EntityCandidate[], word: string) => ents.filter((e) => text.slice(e.start, e.end) === word);

test('corpus names: a name found in one document is suggested where it recurs in another', () => {
  const corpus = new CorpusNames();
  corpus.observe('a', docA, [cand(docA, 'كرمبالي', 'PER')]);
  assert.equal(corpus.size, 1);
  assert.deepEqual(corpus.lookup('كرمبالي'), { label: 'PER', confidence: 0.9, documents: 1 });
  const found = detectEntities(docB, { corpus, corpusDocId: 'b' });
  const hits = at(docB, found, 'كرمبالي');
  assert.equal(hits.length, 2, JSON.stringify(found)); // وكرمبالي: the conjunction stays outside the span
  assert.ok(hits.every((e) => e.label === 'PER' && e.source === 'corpus' && e.confidence >= 0.5));
  // Without the corpus the tagger alone does not find it there (so the test measures the corpus).
  assert.ok(!detectEntities(docB).some((e) => docB.slice(e.start, e.end) === 'كرمبالي' && e.label === 'PER'));
});

test('corpus names: forget, own document left out, inconsistent labels and weak or corpus-made candidates ignored', () => {
  const corpus = new CorpusNames();
  corpus.observe('a', docA, [cand(docA, 'كرمبالي', 'PER')]);
  corpus.forget('a');
  assert.equal(corpus.size, 0);
  assert.equal(corpus.lookup('كرمبالي'), undefined);
  // A document is not evidence for itself.
  corpus.observe('b', docB, [cand(docB, 'كرمبالي', 'PER')]);
  assert.equal(corpus.lookup('كرمبالي', 'b'), undefined);
  assert.ok(corpus.lookup('كرمبالي'));
  // Re-observing replaces; labels split across documents are not used.
  corpus.observe('b', docB, [cand(docB, 'كرمبالي', 'ORG')]);
  corpus.observe('a', docA, [cand(docA, 'كرمبالي', 'PER')]);
  assert.equal(corpus.lookup('كرمبالي'), undefined);
  const weak = new CorpusNames();
  weak.observe('a', docA, [cand(docA, 'كرمبالي', 'PER', 0.55), cand(docA, 'السناتور', 'PER', 0.9, 'corpus')]);
  assert.equal(weak.lookup('كرمبالي'), undefined);
  assert.equal(weak.lookup('السناتور'), undefined);
});

test('corpus names: a common word is not propagated alone', () => {
  const text = 'وقال الوزير ان الحكومة ستعمل على الخطة .';
  const corpus = new CorpusNames();
  corpus.observe('a', text, [cand(text, 'الحكومة', 'PER')]);
  const other = 'واكدت الحكومة ان الخطة ستنفذ .';
  assert.ok(!detectEntities(other, { corpus }).some((e) => e.source === 'corpus'));
});

test('corpus names: a document counts once per name and label however often it has it; forgetting it takes out all it added', () => {
  const corpus = new CorpusNames();
  const name = (label: string, confidence: number, source = 'tagger') => ({ normalized: 'كرمبالي', label, confidence, source });
  corpus.observeNames('a', [name('PER', 0.9), name('PER', 0.7), name('ORG', 0.8), name('PER', 0.5), name('PER', 0.9, 'corpus')]);
  corpus.observeNames('b', [name('PER', 0.8)]);
  const totals = () => [...corpus.totalsEntries()].map(([k, l, [d, m, c]]) => [k, l, d, m, Math.round(c * 1e9) / 1e9]);
  // The weak and the corpus-made mentions are not evidence.
  assert.deepEqual(totals(), [
    ['كرمبالي', 'PER', 2, 3, 2.4],
    ['كرمبالي', 'ORG', 1, 1, 0.8],
  ]);
  // PER has 3 of 4 mentions (under 80 %): not consistent. Seen from `a`, only `b` counts.
  assert.equal(corpus.lookup('كرمبالي'), undefined);
  const fromA = corpus.lookup('كرمبالي', 'a')!;
  assert.equal(fromA.label, 'PER');
  assert.equal(fromA.documents, 1);
  assert.ok(Math.abs(fromA.confidence - 0.8) < 1e-9);
  corpus.forget('a');
  assert.deepEqual(totals(), [['كرمبالي', 'PER', 1, 1, 0.8]]);
  assert.ok(corpus.startsName('كرمبالي'));
  corpus.forget('b');
  assert.deepEqual(totals(), []);
  assert.ok(!corpus.startsName('كرمبالي'));
});

test('corpus names: a name met capitalised is not suggested where the same words are written in lower case', () => {
  const corpus = new CorpusNames();
  const named = 'Readers of the Pioneer Herald wrote to Stellwick Media about the story.';
  corpus.observe('a', named, [cand(named, 'Stellwick Media', 'ORG'), cand(named, 'Pioneer Herald', 'ORG')]);
  const text = 'The council met Stellwick Media on Monday. Critics of the media said the pioneer herald of the plan had left.';
  const found = detectEntities(text, { corpus, corpusDocId: 'b' });
  const spans = found.map((e) => text.slice(e.start, e.end));
  assert.ok(spans.includes('Stellwick Media'), JSON.stringify(found));
  assert.ok(!spans.some((s) => /^(media|pioneer herald)$/.test(s)), JSON.stringify(found));
  // Capitalised again, the corpus name is found (the rule is about case, not about the words).
  const again = 'A statement from the Pioneer Herald followed.';
  assert.ok(detectEntities(again, { corpus, corpusDocId: 'c' }).some((e) => again.slice(e.start, e.end) === 'Pioneer Herald'));
});
