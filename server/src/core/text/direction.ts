/**
 * Base direction of a paragraph by the Unicode Bidirectional Algorithm's
 * first-strong rule (UAX #9, rules P2–P3): the first character of bidi class
 * L decides left-to-right, the first of class R or AL right-to-left;
 * characters between an isolate initiator (LRI, RLI, FSI) and its matching
 * PDI are skipped, and numbers, punctuation, spaces and embedding controls
 * (weak or neutral) never decide.
 *
 * JavaScript has no Bidi_Class property, so the classes come from the
 * scripts: a letter (or spacing mark, or letter number) of a right-to-left
 * script is R/AL, any other is L; LRM is L, RLM R and ALM AL. That is exact
 * for letters, which is what decides in running text.
 */

export type Direction = 'rtl' | 'ltr';

/** Letters of the right-to-left scripts (classes R and AL). */
const RTL_LETTER =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Yezidi}\p{Script=Mende_Kikakui}\p{Script=Old_South_Arabian}\p{Script=Old_North_Arabian}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Nabataean}\p{Script=Palmyrene}\p{Script=Hatran}\p{Script=Manichaean}\p{Script=Avestan}\p{Script=Inscriptional_Parthian}\p{Script=Inscriptional_Pahlavi}\p{Script=Psalter_Pahlavi}\p{Script=Old_Hungarian}\p{Script=Old_Sogdian}\p{Script=Sogdian}\p{Script=Elymaic}\p{Script=Chorasmian}\p{Script=Kharoshthi}\p{Script=Lydian}\p{Script=Cypriot}\p{Script=Old_Turkic}\p{Script=Meroitic_Cursive}\p{Script=Meroitic_Hieroglyphs}]/u;
/** Characters that can be strong at all: letters, spacing combining marks, letter numbers (Ⅻ). */
const STRONG_CANDIDATE = /[\p{L}\p{Mc}\p{Nl}]/u;

const LRM = 0x200e;
const RLM = 0x200f;
const ALM = 0x061c;
const LRI = 0x2066;
const RLI = 0x2067;
const FSI = 0x2068;
const PDI = 0x2069;

/** The bidi class of one code point as far as the first-strong rule cares. */
function strongClass(cp: number, ch: string): Direction | null {
  if (cp === LRM) return 'ltr';
  if (cp === RLM || cp === ALM) return 'rtl';
  if (cp < 0x41) return null; // ASCII controls, spaces, digits, punctuation
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? 'ltr' : null;
  if (!STRONG_CANDIDATE.test(ch)) return null;
  return RTL_LETTER.test(ch) ? 'rtl' : 'ltr';
}

/**
 * Direction of the first strong character of `text[start, end)` (UTF-16
 * offsets), skipping isolated runs; null when there is none (only numbers,
 * punctuation, spaces, or nothing).
 */
export function firstStrongDirection(text: string, start = 0, end = text.length): Direction | null {
  let isolates = 0;
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp === LRI || cp === RLI || cp === FSI) isolates++;
    else if (cp === PDI) {
      if (isolates > 0) isolates--;
    } else if (isolates === 0) {
      const d = strongClass(cp, text.slice(i, i + width));
      if (d) return d;
    }
    i += width;
  }
  return null;
}

/** A paragraph's base direction: its first strong character's, else `fallback` (the document's). */
export function paragraphDirection(text: string, fallback: Direction, start = 0, end = text.length): { dir: Direction; inherited: boolean } {
  const d = firstStrongDirection(text, start, end);
  return d ? { dir: d, inherited: false } : { dir: fallback, inherited: true };
}
