import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldArabic } from '../../server/src/core/text/arabic';
import { arabicSkeleton, latinSkeletons } from '../../server/src/core/text/skeleton';
import { defaultGazetteer } from '../../server/src/core/detect/entities/gazetteer';
import { analyse } from '../../server/src/core/detect/entities/pipeline';

test('a Latin-script name and its Arabic transliteration share a consonant skeleton', () => {
  const pairs: [string, string][] = [
    ['ألكسندر', 'Alexander'],
    ['هيرمان', 'Hermann'],
    ['جوزيف', 'Joseph'],
    ['مايكل', 'Michael'],
    ['ميشيل', 'Michel'],
    ['تشارلز', 'Charles'],
    ['ديفيد', 'David'],
    ['سيباستيان', 'Sébastien'],
    ['فلاديمير', 'Vladimir'],
    ['غوردون', 'Gordon'],
  ];
  for (const [ar, en] of pairs) assert.ok(latinSkeletons(en).includes(arabicSkeleton(foldArabic(ar))), `${ar} ~ ${en}: ${arabicSkeleton(foldArabic(ar))} vs ${latinSkeletons(en).join('/')}`);
  assert.deepEqual(latinSkeletons('Michael').sort(), ['MCL', 'MKL', 'MTCL'], 'English ch has three readings');
  assert.equal(arabicSkeleton(foldArabic('مدرسة')), 'MDRS', 'a final ta marbuta (folded to ه) is not an h');
  assert.notEqual(arabicSkeleton(foldArabic('هيرمان')), arabicSkeleton(foldArabic('ريمان')), 'an initial h counts');
});

test('Latin-name skeletons mark unknown words only: dictionary words and words with the article are left out', () => {
  const gaz = defaultGazetteer();
  assert.ok(gaz.latinNames.size > 1000, 'compiled from compromise at build time');
  assert.match(gaz.latinNames.get('HRMN') ?? '', /P/);
  const a = analyse('وقال هيرمان إن الكتاب الجديد', () => 0, gaz);
  const byWord = new Map(a.tokens.map((t, i) => [t.text, a.infos[i]]));
  assert.match(byWord.get('هيرمان')!.latin ?? '', /P/);
  assert.equal(byWord.get('الكتاب')!.latin, undefined);
  assert.equal(byWord.get('الجديد')!.latin, undefined);
  assert.equal(byWord.get('وقال')!.latin, undefined, 'قال (KL) is a dictionary word');
});
