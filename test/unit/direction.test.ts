/** Paragraph direction by the Unicode first-strong rule (UAX #9 P2–P3). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { firstStrongDirection, paragraphDirection } from '../../server/src/core/text/direction';

describe('firstStrongDirection', () => {
  it('Arabic is right-to-left, English left-to-right', () => {
    assert.equal(firstStrongDirection('إيران تطالب باكستان بالعمل لضمان أمن الحدود'), 'rtl');
    assert.equal(firstStrongDirection('Iran asks Pakistan to secure the border'), 'ltr');
    assert.equal(firstStrongDirection('שלום עולם'), 'rtl', 'Hebrew (class R)');
    assert.equal(firstStrongDirection('ދިވެހި'), 'rtl', 'Thaana');
    assert.equal(firstStrongDirection('Привет мир'), 'ltr', 'Cyrillic');
    assert.equal(firstStrongDirection('日本語'), 'ltr', 'CJK letters are L');
  });

  it('mixed lines take the direction of their first strong character', () => {
    assert.equal(firstStrongDirection('وقالت CNN إن الاجتماع انتهى'), 'rtl');
    assert.equal(firstStrongDirection('CNN قالت إن الاجتماع انتهى'), 'ltr', 'a Latin name first makes the line LTR, as the rule says');
    assert.equal(firstStrongDirection('"إيران" said the minister'), 'rtl', 'punctuation is neutral');
  });

  it('numbers, punctuation and spaces never decide', () => {
    assert.equal(firstStrongDirection('2026-11-28 12:30 — 45%'), null);
    assert.equal(firstStrongDirection('١٢٣٤ ٥٦'), null, 'Arabic-Indic digits are AN (weak)');
    assert.equal(firstStrongDirection('۱۲۳'), null, 'extended Arabic-Indic digits are EN (weak)');
    assert.equal(firstStrongDirection('12 أكتوبر 2026'), 'rtl', 'a date starting with digits is RTL when Arabic follows');
    assert.equal(firstStrongDirection('12 October 2026'), 'ltr');
    assert.equal(firstStrongDirection(''), null);
    assert.equal(firstStrongDirection('   \t'), null);
    assert.equal(firstStrongDirection('😀 🎉'), null, 'emoji are neutral');
  });

  it('bidi controls: marks are strong, isolates are skipped, embeddings are not', () => {
    assert.equal(firstStrongDirection('\u200F123 abc'), 'rtl', 'RLM is R');
    assert.equal(firstStrongDirection('\u061C123 abc'), 'rtl', 'ALM is AL');
    assert.equal(firstStrongDirection('\u200E١٢ عربي'), 'ltr', 'LRM is L');
    assert.equal(firstStrongDirection('\u2066Hello\u2069 مرحبا'), 'rtl', 'text inside LRI…PDI is skipped');
    assert.equal(firstStrongDirection('\u2067مرحبا\u2069 Hello'), 'ltr', 'text inside RLI…PDI is skipped');
    assert.equal(firstStrongDirection('\u2068\u2066ab\u2069cd\u2069 عربي'), 'rtl', 'nested isolates are skipped to the matching PDI');
    assert.equal(firstStrongDirection('\u2066Hello مرحبا'), null, 'an unmatched isolate initiator hides the rest of the paragraph');
    assert.equal(firstStrongDirection('\u2069abc'), 'ltr', 'a PDI with no initiator is ignored');
    assert.equal(firstStrongDirection('\u202Babc عربي'), 'ltr', 'RLE is not strong: the L inside the embedding decides');
    assert.equal(firstStrongDirection('\u202Eعربي'), 'rtl');
  });

  it('only the given range is read', () => {
    const t = 'Hello\nمرحبا';
    assert.equal(firstStrongDirection(t, 6), 'rtl');
    assert.equal(firstStrongDirection(t, 0, 5), 'ltr');
    assert.equal(firstStrongDirection(t, 5, 6), null);
  });

  it('astral letters', () => {
    assert.equal(firstStrongDirection('𐤀𐤁'), 'rtl', 'Phoenician (R, astral)');
    assert.equal(firstStrongDirection('𞤀𞤁'), 'rtl', 'Adlam');
    assert.equal(firstStrongDirection('𝐀𝐁'), 'ltr', 'mathematical bold letters are L');
  });
});

describe('paragraphDirection', () => {
  it('falls back to the document direction when nothing is strong', () => {
    assert.deepEqual(paragraphDirection('2026', 'rtl'), { dir: 'rtl', inherited: true });
    assert.deepEqual(paragraphDirection('2026', 'ltr'), { dir: 'ltr', inherited: true });
    assert.deepEqual(paragraphDirection('abc', 'rtl'), { dir: 'ltr', inherited: false });
  });
});
