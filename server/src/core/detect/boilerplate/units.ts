/**
 * What the boilerplate detector's regular expressions ask of a UTF-16 unit (a word unit?
 * a space? Chinese or Japanese? its folded form?), answered once per unit and kept in
 * tables, so that the lines of a page are folded and tokenised by loops: on Arabic and
 * English pages the expressions (Unicode classes, a normalisation and five replacements
 * per line) were about a third of the detector's time.
 *
 * Each answer is what the expression gives for the unit alone, computed with that very
 * expression the first time the unit is met, so the loops cannot drift from the
 * expressions. A string the tables cannot answer for (a surrogate pair; a capital sigma,
 * whose lower case depends on what follows it) is left to the expressions: callers
 * fall back when told so.
 */

/** [\p{L}\p{N}_]: a unit of a word. */
export const WORD = 1;
/** \s (after folding: the unit folds to one space). */
export const SPACE = 2;
/** Han, Hiragana or Katakana: a word of its own (no spaces in Chinese or Japanese). */
export const CJK = 4;
/** Left to the expressions: a surrogate (a code point takes two units). */
export const OTHER = 8;
const KNOWN = 128;

const WORD_UNIT = /^[\p{L}\p{N}_]$/u;
const SPACE_UNIT = /^\s$/;
const CJK_UNIT = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]$/u;

const classes = new Uint8Array(65536);

/** The class bits of unit `c` (WORD, SPACE, CJK, or OTHER). */
export function unitClass(c: number): number {
  let k = classes[c]!;
  if (k === 0) {
    if (c >= 0xd800 && c <= 0xdfff) k = OTHER;
    else {
      const ch = String.fromCharCode(c);
      k = (WORD_UNIT.test(ch) ? WORD : 0) | (SPACE_UNIT.test(ch) ? SPACE : 0) | (CJK_UNIT.test(ch) ? CJK : 0);
    }
    classes[c] = k |= KNOWN;
  }
  return k & ~KNOWN;
}

/** Whether unit `c` is a word unit ([\p{L}\p{N}_]); a surrogate is not answered here (OTHER). */
export const isWordUnit = (c: number) => (unitClass(c) & WORD) !== 0;

/**
 * foldText by units: `foldUnit` (fold.ts foldText's steps before white space is collapsed) is
 * applied once per unit and kept in a table of the function returned; a string then folds as
 * each unit's form, runs of white space as one space, none at either end. The function returns
 * undefined when a unit needs the steps over the whole string: a surrogate, the capital sigma, or
 * a unit whose form holds white space without being one space.
 */
export function unitFolder(foldUnit: (unit: string) => string): (s: string) => string | undefined {
  const folds: (string | null | undefined)[] = new Array(65536);
  return (s) => {
    let out = '';
    let space = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      let f = folds[c];
      if (f === undefined) folds[c] = f = unitFold(c, foldUnit);
      if (f === null) return undefined;
      if (f === '') continue;
      if (f === ' ') {
        space = out.length > 0;
        continue;
      }
      if (space) {
        out += ' ';
        space = false;
      }
      out += f;
    }
    return out;
  };
}

/** A unit's folded form, `' '` for white space, null where it depends on its neighbours. */
function unitFold(c: number, foldUnit: (unit: string) => string): string | null {
  // A surrogate belongs to a code point of two units; a capital sigma lower-cases to ς at the
  // end of a word and to σ elsewhere.
  if ((c >= 0xd800 && c <= 0xdfff) || c === 0x3a3) return null;
  const f = foldUnit(String.fromCharCode(c));
  if (f === '') return '';
  if (SPACE_UNIT.test(f)) return ' ';
  return /\s/.test(f) ? null : f;
}
