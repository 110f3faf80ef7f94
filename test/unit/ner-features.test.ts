import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClusters, WordClusters } from '../../server/src/core/detect/entities/clusters';
import fc from 'fast-check';
import { defaultGazetteer, FirstUnits, Gazetteer } from '../../server/src/core/detect/entities/gazetteer';
import { analyse, sentenceFeatures } from '../../server/src/core/detect/entities/pipeline';
import { foldArabic } from '../../server/src/core/text/arabic';

test('cluster paths are read per word, and a file with a path that is not a bit string is refused', () => {
  const c = new WordClusters({ paths: { '0110': 'باريس لندن', '0111': 'قال' } });
  assert.equal(c.path('لندن'), '0110');
  assert.equal(c.path('قال'), '0111');
  assert.equal(c.path('مدريد'), undefined);
  assert.throws(() => new WordClusters({ paths: { '01x': 'a' } }), /not a bit string/);
});

test('the shipped clusters put words used alike together', () => {
  const c = defaultClusters();
  assert.ok(c.size > 20000, `only ${c.size} words`);
  const path = (w: string) => c.path(foldArabic(w)) ?? '';
  const shared = (a: string, b: string) => {
    let k = 0;
    while (k < a.length && a[k] === b[k]) k++;
    return k;
  };
  // Two capitals share more of their path with each other than with a verb of saying.
  assert.ok(shared(path('باريس'), path('لندن')) > shared(path('باريس'), path('قال')), `باريس ${path('باريس')} لندن ${path('لندن')} قال ${path('قال')}`);
});

test('cluster prefixes, name-token groups and neighbours reach the tagger as features', () => {
  const gazetteer = defaultGazetteer();
  const text = 'وقال جونسون إن باريس ترحب بالقرار.';
  const a = analyse(text, new Map(), gazetteer);
  const feats = sentenceFeatures(a, a.sentences[0]);
  const of = (word: string) => feats[a.tokens.findIndex((t) => t.text === word)];
  const johnson = of('جونسون');
  const paris = of('باريس');
  assert.ok(johnson.some((f) => f.startsWith('c4=')) && johnson.some((f) => f.startsWith('c10=')), johnson.join(' '));
  assert.ok(johnson.includes(`pn=${gazetteer.nameTokens.get('جونسون')}`), 'a Wikidata name token');
  // The word after a name token sees it as its left neighbour.
  assert.ok(of('إن').some((f) => f.startsWith('pn-1=')));
  assert.ok(paris.some((f) => f.startsWith('cc-1=')), 'the neighbour’s cluster');
});

test('Wikidata name tokens leave out common words, world cities are matched with their country', () => {
  const g = defaultGazetteer();
  for (const common of ['من', 'في', 'على', 'كان']) assert.equal(g.nameTokens.get(common), undefined, common);
  for (const name of ['جون', 'سميث', 'محمد']) assert.ok(g.nameTokens.get(foldArabic(name)), name);
  const text = 'وصل الوفد إلى مدينة لييج البلجيكية';
  const m = g.match(analyse(text, new Map(), g).tokens);
  const liege = m.find((x) => x.entry.o === 'world-cities');
  assert.ok(liege, 'a city from the world-cities list');
  assert.equal(liege!.entry.l, 'LOC');
  assert.ok(liege!.entry.c, 'with its country');
});

test('gazetteer data without name tokens still loads (older gazetteer files)', () => {
  const g = new Gazetteer({ entries: [], triggers: {}, givenNames: [], blacklist: [] });
  assert.equal(g.nameTokens.size, 0);
});

test('the first-units filter of gazetteer heads never turns a key away, and turns most other words away', () => {
  const unit = fc.oneof(fc.constantFrom(...'abcdeféأبتجدهوي ل'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
  const word = fc.array(unit, { minLength: 1, maxLength: 6 }).map((us) => us.join(''));
  fc.assert(
    fc.property(fc.array(word, { maxLength: 40 }), word, fc.nat({ max: 3 }), (keys, other, from) => {
      const f = new FirstUnits();
      for (const k of keys) f.add(k);
      for (const k of keys) {
        assert.ok(f.mayStart(k), k);
        assert.ok(f.mayStart('xyz'.slice(0, from) + k, from), `${k} from ${from}`);
      }
      if (!keys.some((k) => k[0] === other[0])) assert.equal(f.mayStart(other), false);
    }),
    { numRuns: 2000 },
  );
  // The shipped gazetteer's Latin heads (country names) start with every letter, yet the pairs
  // of units turn most English words away.
  const g = new FirstUnits();
  for (const k of ['afghanistan', 'albania', 'algeria', 'bahrain', 'canada', 'the gambia', 'x']) g.add(k);
  assert.deepEqual(['said', 'the', 'ministry', 'al', 'xy', 'x', 'th', 'can'].map((w) => g.mayStart(w)), [false, true, false, true, false, true, true, true]);
});
