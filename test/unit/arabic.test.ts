import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldArabic, foldUnit, foldWithMap, procliticLength, stemOf, stripDiacritics } from '../../server/src/core/text/arabic';
import { sentenceRanges, tokenize, tokenizeByRegExp } from '../../server/src/core/text/tokenize';

test('folding: alef forms, taa marbuta, alef maqsura, Persian/Urdu letters, diacritics, tatweel, digits', () => {
  assert.equal(foldArabic('أإآٱ'), 'اااا');
  assert.equal(foldArabic('مدرسة'), 'مدرسه');
  assert.equal(foldArabic('مستشفى'), 'مستشفي');
  assert.equal(foldArabic('پاکستان'), 'باكستان');
  assert.equal(foldArabic('ایران'), 'ايران');
  assert.equal(foldArabic('خانۀ'), 'خانه');
  assert.equal(foldArabic('مُحَمَّد'), 'محمد');
  assert.equal(foldArabic('الـــقدس'), 'القدس');
  assert.equal(foldArabic('٢٠٢٤ ۱۴۰۳'), '2024 1403');
  assert.equal(foldArabic('Blinken'), 'blinken');
  assert.equal(stripDiacritics('السُّنّة'), 'السنة');
});

test('foldWithMap maps every folded unit back to its original offset', () => {
  const s = 'قَالَ 😀 إيران';
  const { folded, map } = foldWithMap(s);
  assert.equal(folded, 'قال 😀 ايران');
  for (let i = 0; i < folded.length; i++) {
    const o = s[map[i]];
    assert.equal(foldArabic(o), folded[i], `unit ${i}`);
  }
  assert.equal(map[folded.length], s.length);
});

test('proclitics: stripped when the rest is known, kept when the word itself is a name', () => {
  const known = new Map([['باكستان', 50], ['بغداد', 40], ['لبنان', 30], ['فرنسا', 30], ['كندا', 10], ['القاهره', 20]]);
  const k = (w: string) => known.get(w) ?? 0;
  assert.equal(procliticLength('وباكستان', k), 1);
  assert.equal(procliticLength('بغداد', k), 0);
  assert.equal(procliticLength('لبنان', k), 0);
  assert.equal(procliticLength('ولبنان', k), 1);
  assert.equal(procliticLength('وفرنسا', k), 1);
  assert.equal(procliticLength('فرنسا', k), 0);
  assert.equal(procliticLength('كندا', k), 0);
  assert.equal(procliticLength('وبالقاهره', k), 2);
  assert.equal(procliticLength('بالقاهره'), 1, 'preposition before the article, even unknown');
  assert.equal(procliticLength('للرئيس'), 0, 'ل + ال leaves no suffix to keep');
  assert.equal(procliticLength('وجيلاني'), 1, 'conjunction before an unknown word');
  assert.equal(stemOf('والقاهره', k), 'قاهره');
});

test('tokens keep exact UTF-16 offsets around astral characters and diacritics', () => {
  const text = '😀 وباكستان 𝒜 قالَ: 6.3 مليون، "غزة" 2002م.\nسطر 🇵🇸 جديد';
  const toks = tokenize(text);
  for (const t of toks) assert.equal(text.slice(t.start, t.end), t.text);
  assert.deepEqual(
    toks.filter((t) => t.kind !== 'symbol').map((t) => t.folded),
    ['وباكستان', '𝒜', 'قال', '6.3', 'مليون', 'غزه', '2002م', 'سطر', 'جديد'],
  );
  const emoji = toks.find((t) => t.text === '😀')!;
  assert.equal(emoji.end - emoji.start, 2);
  const ranges = sentenceRanges(text, toks);
  assert.equal(ranges.length, 2, 'a full stop and a line break end sentences');
});

test('a full stop inside a spelled-out acronym does not end the sentence', () => {
  const sentences = (text: string) => {
    const toks = tokenize(text);
    return sentenceRanges(text, toks).map(([s, e]) => text.slice(toks[s].start, toks[e - 1].end));
  };
  assert.deepEqual(sentences('قالت شبكة سي.أن.أن إن المنطقة ستكون آمنة. وأضافت الشبكة'), ['قالت شبكة سي.أن.أن إن المنطقة ستكون آمنة.', 'وأضافت الشبكة']);
  assert.deepEqual(sentences('ذكرت إذاعة بي. بي. سي أن الوفد وصل. ثم غادر'), ['ذكرت إذاعة بي. بي. سي أن الوفد وصل.', 'ثم غادر']);
  assert.deepEqual(sentences('خدم في الكي. جي. بي. وعاد إلى موسكو'), ['خدم في الكي. جي. بي.', 'وعاد إلى موسكو'], 'the last full stop of an acronym still ends a sentence');
  assert.deepEqual(sentences('talks with the U.S. Then they left'), ['talks with the U.S.', 'Then they left']);
  // Ordinary sentences that end and start with short words still split.
  assert.deepEqual(sentences('وصل الوفد في. من جهة أخرى'), ['وصل الوفد في.', 'من جهة أخرى']);
});

test('tokenize reads ASCII words without the regular expression, and every token as the expression alone would', () => {
  // Pieces at the edges of the fast path (number separators, letters and marks beyond ASCII,
  // joiners, odd spaces, format controls) run together in every order.
  const pieces = ['Obama', 'u', 'S', '5', '2024', '3a', 'ab12', '.', ',', '٫', '٬', '-', "'", '’', 'é', 'İ', 'ب', 'الأمم', '\u064e', '\u0640', '\u200c', '\u200d',
    '\u200f', '\u202b', ' ', '\n', '\t', '\r', '\u00a0', '\u2009', '٣', '😀', '"', '#', '@'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(tokenize(text), tokenizeByRegExp(text));
    }),
    { numRuns: 3000 },
  );
});

test('foldArabic folds ASCII to its lower case, as unit by unit', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
      let byUnit = '';
      for (let i = 0; i < s.length; i++) byUnit += foldUnit(s.charCodeAt(i));
      assert.equal(foldArabic(s), byUnit);
    }),
    { numRuns: 2000 },
  );
  assert.equal(foldArabic('CNN Reuters-2024'), 'cnn reuters-2024');
});
