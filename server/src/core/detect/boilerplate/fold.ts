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
  return isAscii(folded) ? asciiCueTokens(folded) : (folded.match(CUE_TOKEN_RE) ?? []);
}

/** The tokens of CUE_TOKEN_RE over an ASCII string, by a loop: a third of the time on English lines. */
function asciiCueTokens(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isAsciiSpace(c)) {
      i++;
      continue;
    }
    if (!isAsciiWordUnit(c)) {
      out.push(s[i]!);
      i++;
      continue;
    }
    let j = i + 1;
    for (;;) {
      while (j < n && isAsciiWordUnit(s.charCodeAt(j))) j++;
      // A joiner (' - .) between word units continues the token: u.s, e-mail, don't.
      const k = s.charCodeAt(j);
      if (j + 1 < n && (k === 39 || k === 45 || k === 46) && isAsciiWordUnit(s.charCodeAt(j + 1))) j += 2;
      else break;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Whether every unit of `s` is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** [\p{L}\p{N}_] within ASCII. */
export const isAsciiWordUnit = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/** \s within ASCII (space, tab, line feed, vertical tab, form feed, carriage return). */
const isAsciiSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

export function isWordToken(tok: string): boolean {
  return WORDLIKE_RE.test(tok);
}
