/**
 * Folding shared by cue matching, duplicate detection, the corpus index and
 * user decisions: two renderings of the same block on different pages
 * (different case, diacritics, Arabic letter variants, dates and counters)
 * must get the same key.
 */

const MARKS = /\p{M}/gu;
const TATWEEL = /\u0640/g;
// Zero-width and bidi controls are invisible and vary between scrapes.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]/g;
const DIGITS = /\p{Nd}+/gu;
const SPACES = /\s+/g;

// Letter variants that scrapers and writers use interchangeably (after NFD
// has already reduced أ إ آ to ا and ئ ؤ to their bases).
const LETTER_MAP: Record<string, string> = {
  'ى': 'ي', // alef maksura
  'ی': 'ي', // Persian yeh
  'ې': 'ي',
  'ک': 'ك', // Persian keheh
  'ة': 'ه', // teh marbuta
  'ٱ': 'ا',
  'ۀ': 'ه',
  'ہ': 'ه',
  'ھ': 'ه',
};
const LETTER_RE = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'g');

const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, no diacritics, unified letter variants, single spaces; digits kept. */
export function foldText(s: string): string {
  // ASCII has no marks, tatweel, invisible controls or letter variants, and NFD leaves it as it
  // is: lower case and spaces are all there is to do (the normalisation and the five passes were
  // a twentieth of the boilerplate detector's time on English pages).
  if (ASCII.test(s)) return s.toLowerCase().replace(SPACES, ' ').trim();
  return s
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(TATWEEL, '')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(LETTER_RE, (c) => LETTER_MAP[c] ?? c)
    .replace(SPACES, ' ')
    .trim();
}

/** Like foldText, and every digit run becomes `0` (dates, counters, ids vary). */
export function foldKey(s: string): string {
  return foldText(s).replace(DIGITS, '0');
}

// Words (letters, digits, joiners inside words) or single punctuation marks.
const CUE_TOKEN_RE = /[\p{L}\p{N}_]+(?:['’\-.][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]/gu;
const WORDLIKE_RE = /^[\p{L}\p{N}_]/u;

export function cueTokens(folded: string): string[] {
  return folded.match(CUE_TOKEN_RE) ?? [];
}

export function isWordToken(tok: string): boolean {
  return WORDLIKE_RE.test(tok);
}
