import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectEntities, lastTaggerPasses, loadModel, reuseTaggerPasses, type TaggerPasses } from '../../server/src/core/detect/entities/index';
import { defaultGazetteer } from '../../server/src/core/detect/entities/gazetteer';
import { analyse, sentenceEmissions, sentenceFeatures, tagSpans } from '../../server/src/core/detect/entities/pipeline';
import { latinStretches, loadEnglishModel } from '../../server/src/core/detect/entities/english';
import { enTokenFeatures } from '../../server/src/core/detect/entities/englishFeatures';
import { analyseEnglish, englishEmissions, tagEnglish } from '../../server/src/core/detect/entities/englishTagger';
import { featureIndex, FeatureScorer, TAGS, type TaggerModel } from '../../server/src/core/detect/entities/tagger';

const workspace = path.join(__dirname, '../fixtures/workspace');
const texts = fs
  .readdirSync(workspace)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => fs.readFileSync(path.join(workspace, f), 'utf8'));

/** Tagged with frequencies as a function: nothing is shared across documents. */
function alone(text: string) {
  const model = loadModel();
  return tagSpans(analyse(text, (w) => model.freq.get(w) ?? 0, defaultGazetteer()), model);
}

function shared(text: string) {
  const model = loadModel();
  return tagSpans(analyse(text, model.freq, defaultGazetteer()), model);
}

test('word scores kept across documents give exactly what each document tagged alone gives', () => {
  const first = texts.map(shared);
  // Again, now that every word of every document is in the shared caches, and in another order.
  const again = [...texts].reverse().map(shared).reverse();
  const single = texts.map(alone);
  assert.ok(first.some((spans) => spans.length > 5), 'the fixtures have names to find');
  assert.deepEqual(again, first);
  assert.deepEqual(single, first);
});

// Tokens outside the sentences the Arabic tagger reads (a page's English lines) share one info
// per word across documents (features.ts tokenInfos); a gazetteer match marks a copy.
test('infos of tokens outside tagged sentences are what each document analysed alone gives, and a match marks no other', () => {
  const model = loadModel();
  const docs = [
    'قال وزير الخارجية لشبكة CNN إن المحادثات ستستمر.\nTalks in the United States ended without a deal, CNN said.\nThe talks ended in Amman.',
    'Officials of United met in Cairo.\nأعلن الأردن أمس عن خطة جديدة.',
    'The talks ended in Amman. Talks in Jordan ended with United.',
  ];
  const fields = (a: ReturnType<typeof analyse>) => a.infos.map((t) => ({ ...t }));
  // Alone: frequencies as a function share nothing; the tagged flags are the only other input.
  const alone = docs.map((t) => fields(analyse(t, (w) => model.freq.get(w) ?? 0, defaultGazetteer(), true)));
  const kept = docs.map((t) => analyse(t, model.freq, defaultGazetteer(), true));
  const before = kept.map(fields);
  for (const t of [...docs].reverse()) analyse(t, model.freq, defaultGazetteer(), true);
  assert.deepEqual(before, alone);
  assert.deepEqual(kept.map(fields), before, 'analysing other documents changed nothing of these');
  const united = (k: number) => kept[k].infos.filter((t) => t.folded === 'united');
  assert.ok(united(0)[0].gaz, 'the Latin match (United States) is marked');
  assert.equal(united(1)[0].gaz, undefined, 'United alone is no match, in any document');
  assert.equal(united(1)[0], united(2)[0], 'the tokens of a word outside tagged sentences share its info');
  const cnn = kept[0].infos.filter((t) => t.folded === 'cnn');
  assert.equal(cnn.length, 2);
  assert.ok(cnn[0].agg && cnn[1].agg === undefined, 'cues go to the tagged token, not to the shared info of the other');
});

test('emission scores do not depend on which document filled the cache', () => {
  const model = loadModel();
  const text = texts[0];
  const sentence = (a: ReturnType<typeof analyse>) => a.sentences.find(([s, e]) => e - s > 8)!;
  const cold = analyse(text, (w) => model.freq.get(w) ?? 0, defaultGazetteer());
  for (const t of texts) shared(t);
  const warm = analyse(text, model.freq, defaultGazetteer());
  const a = sentenceEmissions(cold, sentence(cold), model);
  const b = sentenceEmissions(warm, sentence(warm), model);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `score ${i}: ${a[i]} vs ${b[i]}`);
});

// Found on Arabic Wikipedia text (3,000 documents in one process): a stray sukun before a
// number makes a symbol token (ْ33) that folds like the number 33. The scores were kept by
// folded form alone, so whichever came first gave its shape's scores to the other.
test('a symbol and a number that fold alike keep scores of their own', () => {
  const model = loadModel();
  const gaz = defaultGazetteer();
  const symbolFirst = analyse('وصل ْ33 زائرا إلى المدينة القديمة.', model.freq, gaz, true);
  assert.equal(symbolFirst.tokens.find((t) => t.folded === '33')?.kind, 'symbol');
  tagSpans(symbolFirst, model);
  const text = 'قتل 33 شخصا في بغداد أمس، وقال الشرطي إن التحقيق مستمر.';
  const warm = analyse(text, model.freq, gaz, true);
  const cold = analyse(text, (w) => model.freq.get(w) ?? 0, gaz, true);
  assert.equal(warm.tokens.find((t) => t.folded === '33')?.kind, 'number');
  for (let k = 0; k < warm.sentences.length; k++) {
    const a = sentenceEmissions(warm, warm.sentences[k], model);
    const b = sentenceEmissions(cold, cold.sentences[k], model);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `sentence ${k}, score ${i}: ${a[i]} vs ${b[i]}`);
  }
});

// English: word scores are kept per token text across documents (englishTagger.ts), the
// document cues scored per document. The same word with other cues in other documents
// (Jordan the person, Jordan the country) must not carry one document's cues into another.
const english = [
  fs.readFileSync(path.join(workspace, '002_border_talks_en.txt'), 'utf8'),
  'Jordan said on Monday that the team would travel to Amman. Coach Michael Jordan told reporters in Chicago that Jordan was ready.',
  'Talks in Jordan ended without a deal. Officials from Jordan and Egypt met in Cairo, and the Foreign Ministry of Jordan said more talks were planned.',
  'The Monday meeting was short. Reporters said the coach would not travel. Egypt, Jordan and Iran sent delegations to the United Nations in New York.',
];

function englishSpans(text: string, shareScores: boolean) {
  const model = loadEnglishModel();
  const a = analyseEnglish(text, shareScores ? model.freq : (w) => model.freq.get(w) ?? 0, latinStretches(text));
  return tagEnglish(a, model);
}

test('English word scores kept across documents give exactly what each document tagged alone gives', () => {
  const first = english.map((t) => englishSpans(t, true));
  const again = [...english].reverse().map((t) => englishSpans(t, true)).reverse();
  const single = english.map((t) => englishSpans(t, false));
  assert.ok(first.every((spans) => spans.length >= 3), 'every text has names to find');
  assert.deepEqual(again, first);
  assert.deepEqual(single, first);
});

test('English emission scores are the sum of the weights of the features training gives each token', () => {
  const model = loadEnglishModel();
  // The shared cache filled from the documents above first: Jordan, Egypt and Cairo are in it, with other cues.
  for (const t of english) englishSpans(t, true);
  const text = 'Jordan is a small country. Jordan borders Egypt by sea, and officials in Cairo and in Jordan said the border would open.';
  const a = analyseEnglish(text, model.freq, latinStretches(text));
  const T = model.tags.length;
  const idx = featureIndex(model);
  assert.ok(a.sentences.length >= 2);
  for (const r of a.sentences) {
    const em = englishEmissions(a, r, model);
    const infos = a.infos.slice(r[0], r[1]);
    infos.forEach((_, i) => {
      const expected = new Float64Array(T);
      for (const f of enTokenFeatures(infos, i, a.ctx)) {
        const eq = f.indexOf('=');
        const code = idx.maps.get(eq < 0 ? f : f.slice(0, eq + 1))?.get(eq < 0 ? '' : f.slice(eq + 1));
        if (code !== undefined) for (let k = code >>> 5; k < (code >>> 5) + (code & 31); k++) expected[idx.tag[k]!] += idx.w[k]!;
      }
      for (let t = 0; t < T; t++) assert.ok(Math.abs(em[i * T + t]! - expected[t]!) < 1e-6, `token ${infos[i]!.text}, tag ${model.tags[t]}: ${em[i * T + t]} vs ${expected[t]}`);
    });
  }
});

test("English scores kept on a word's facts are never another model's", () => {
  const shipped = loadEnglishModel();
  // The shipped model's scores and word pairs are kept on the facts of these words.
  for (const t of english) englishSpans(t, true);
  // Another model with the same frequencies (so it may keep scores too) and weights of its own.
  const other: TaggerModel = { ...shipped, weights: new Map([['w=jordan', Float32Array.from(shipped.tags, (_, k) => k + 1)], ['w-1w=in|jordan', Float32Array.from(shipped.tags, () => 5)]]), meta: { language: 'en' } };
  const text = 'Talks in Jordan ended. Officials from Jordan and Egypt met in Cairo.';
  for (const model of [other, shipped, other]) {
    const a = analyseEnglish(text, model.freq, latinStretches(text));
    for (const r of a.sentences) {
      const em = englishEmissions(a, r, model);
      const infos = a.infos.slice(r[0], r[1]);
      infos.forEach((_, i) => {
        const expected = scoreOf(model, enTokenFeatures(infos, i, a.ctx));
        for (let t = 0; t < model.tags.length; t++) assert.ok(Math.abs(em[i * model.tags.length + t]! - expected[t]!) < 1e-6, `${model === other ? 'other' : 'shipped'} model, token ${infos[i]!.text}, tag ${model.tags[t]}`);
      });
    }
  }
  const a = analyseEnglish(text, other.freq, latinStretches(text));
  const jordan = a.infos.findIndex((t) => t.text === 'Jordan');
  const em = englishEmissions(a, a.sentences[0]!, other);
  assert.equal(em[jordan * other.tags.length], 1 + 5, "the other model's own weights for Jordan (w= and the pair after in)");
});

/** The weights of features in the string form training gives them, summed per tag. */
function scoreOf(model: TaggerModel, feats: string[]): Float64Array {
  const idx = featureIndex(model);
  const out = new Float64Array(model.tags.length);
  for (const f of feats) {
    const eq = f.indexOf('=');
    const code = idx.maps.get(eq < 0 ? f : f.slice(0, eq + 1))?.get(eq < 0 ? '' : f.slice(eq + 1));
    if (code !== undefined) for (let k = code >>> 5; k < (code >>> 5) + (code & 31); k++) out[idx.tag[k]!] += idx.w[k]!;
  }
  return out;
}

test('Arabic emission scores are the sum of the weights of the features training gives each token', () => {
  const model = loadModel();
  // Word pairs the model knows (قال الرئيس, وزير الخارجية), a bar standing as a word, and document cues.
  const text = 'قال الرئيس المصري حسني مبارك إن وزير الخارجية أحمد أبو الغيط سيزور باريس | وقال مبارك إن الزيارة مهمة .\nوأضاف الرئيس أن وزير الخارجية التقى نظيره الفرنسي في باريس .';
  const a = analyse(text, model.freq, defaultGazetteer(), true);
  const T = model.tags.length;
  const idx = featureIndex(model);
  const pairs = [...idx.maps.get('w-1w=')!.keys(), ...idx.maps.get('ww+1=')!.keys()];
  let pairsFound = 0;
  for (const r of a.sentences) {
    const em = sentenceEmissions(a, r, model);
    sentenceFeatures(a, r).forEach((feats, i) => {
      if (feats.some((f) => (f.startsWith('w-1w=') || f.startsWith('ww+1=')) && pairs.includes(f.slice(f.indexOf('=') + 1)))) pairsFound++;
      const expected = scoreOf(model, feats);
      // The Arabic word scores are kept in single precision (pipeline.ts): a relative tolerance.
      for (let t = 0; t < T; t++) assert.ok(Math.abs(em[i * T + t]! - expected[t]!) < 1e-5 * Math.max(1, Math.abs(expected[t]!)), `token ${i} of ${r}, tag ${model.tags[t]}: ${em[i * T + t]} vs ${expected[t]}`);
    });
  }
  assert.ok(pairsFound >= 2, `the text has word pairs the model knows (${pairsFound})`);
});

test('a word pair is found by its two words, whatever bars the words hold', () => {
  const T = TAGS.length;
  const weights = new Map<string, Float32Array>();
  const weight = (f: string, tag: number, w: number) => {
    const v = new Float32Array(T);
    v[tag] = w;
    weights.set(f, v);
  };
  weight('w-1w=x||y', 1, 1); // "x|" then "y", or "x" then "|y"
  weight('w-1w=a|b', 2, 10);
  weight('ww+1=a|b', 3, 100);
  const model: TaggerModel = { tags: TAGS, weights, trans: new Float32Array((T + 1) * T), freq: new Map(), temperature: 1, meta: {} };
  const sc = new FeatureScorer(featureIndex(model));
  const found = (template: string, left: string, right: string) => {
    sc.out = new Float64Array(T);
    sc.base = 0;
    sc.pair(template, left, right);
    return [...sc.out].findIndex((v) => v !== 0);
  };
  assert.equal(found('w-1w=', 'x|', 'y'), 1);
  assert.equal(found('w-1w=', 'x', '|y'), 1);
  assert.equal(found('w-1w=', 'a', 'b'), 2);
  assert.equal(found('ww+1=', 'a', 'b'), 3);
  assert.equal(found('w-1w=', 'x', 'y'), -1);
  assert.equal(found('w-1w=', 'a|', 'b'), -1);
  assert.equal(found('w-1w=', 'x||', 'y'), -1);
  assert.equal(found('w-1w=', 'b', 'a'), -1);
  // Scores add up from the base given, into the array given.
  sc.out = new Float64Array(2 * T);
  sc.base = T;
  sc.pair('w-1w=', 'a', 'b');
  sc.pair('w-1w=', 'a', 'b');
  assert.equal(sc.out[T + 2], 20);
});

test('the taggers’ passes kept as JSON (as between the CLI’s two passes) give the same detection without tagging again', () => {
  // Arabic with English lines: both taggers have passes to keep.
  const text = `${texts[0]}\n\nPresident Joe Biden met Chancellor Olaf Scholz in Berlin on Monday, the White House said.\n`;
  const fresh = detectEntities(text);
  const kept = lastTaggerPasses(text);
  assert.ok(kept && kept.tagged.length > 0 && kept.english && kept.english.length > 0, 'both taggers found names');
  const passes = JSON.parse(JSON.stringify(kept)) as TaggerPasses;
  assert.equal(lastTaggerPasses(text, { model: sameWeightsOtherModel() }), undefined, 'another model: nothing to reuse');

  detectEntities(texts[1]); // another text in between, as in a second pass
  reuseTaggerPasses(text, passes);
  assert.deepEqual(detectEntities(text), fresh);

  // What is handed over is what the detection uses (the taggers do not run again): passes without names give none from them.
  detectEntities(texts[1]);
  reuseTaggerPasses(text, { tagged: [], english: [] });
  const without = detectEntities(text, { gazetteer: false });
  assert.ok(!without.some((e) => e.source === 'tagger' || e.source === 'english'), JSON.stringify(without.slice(0, 3)));
  // English passes missing while English detection is on: not reused, the text is tagged again.
  detectEntities(texts[1]);
  reuseTaggerPasses(text, { tagged: [] });
  assert.deepEqual(detectEntities(text), fresh);
});

/** A model that is not the shipped one (another object with the same weights). */
function sameWeightsOtherModel(): TaggerModel {
  return { ...loadModel() };
}
