/**
 * Folding shared by cue matching, duplicate detection, the corpus index and
 * user decisions: two renderings of the same block on different pages
 * (different case, diacritics, Arabic letter variants, dates and counters)
 * must get the same key.
 */
import { OTHER, SPACE, unitClass, unitFolder, WORD } from './units';

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

/** Lower case, no diacritics, unified letter variants, single spaces; digits kept. */
export function foldText(s: string): string {
  // ASCII has no marks, tatweel, invisible controls or letter variants, and NFD leaves it as it
  // is: lower case and spaces are all there is to do (the normalisation and the five passes were
  // a twentieth of the boilerplate detector's time on English pages). One pass finds whether the
  // text is ASCII and whether its white space is already single spaces between words, as on
  // most lines: then collapsing would only copy it (a new string for every line of an English
  // page, the most the detector allocated after the duplicate finder).
  let single = true;
  const last = s.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = s.charCodeAt(i);
    // Other text unit by unit, each unit's form found once by the steps below (units.ts): a
    // quarter of their time on Arabic lines, whose every step is per unit.
    if (c >= 128) return foldByUnits(s) ?? foldTextBySteps(s);
    if (c === 32) {
      if (i === 0 || i === last || s.charCodeAt(i - 1) === 32) single = false;
    } else if (c >= 9 && c <= 13) single = false;
  }
  const lower = s.toLowerCase();
  return single ? lower : lower.replace(SPACES, ' ').trim();
}
const foldByUnits = unitFolder(foldSteps);

/** The reference form of foldText: its steps over the whole string (tests compare the two). */
export function foldTextBySteps(s: string): string {
  return foldSteps(s).replace(SPACES, ' ').trim();
}

/** foldText's steps before white space is collapsed: what units.ts applies to one unit. */
function foldSteps(s: string): string {
  return s
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(TATWEEL, '')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(LETTER_RE, (c) => LETTER_MAP[c] ?? c);
}

/** Like foldText, and every digit run becomes `0` (dates, counters, ids vary). */
export function foldKey(s: string): string {
  return foldText(s).replace(DIGITS, '0');
}

// Words (letters, digits, joiners inside words) or single punctuation marks.
const CUE_TOKEN_RE = /[\p{L}\p{N}_]+(?:['’\-.][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]/gu;
const WORDLIKE_RE = /^[\p{L}\p{N}_]/u;

export function cueTokens(folded: string): string[] {
  return unitCueTokens(folded) ?? cueTokensByRegExp(folded);
}

/** The reference form of cueTokens: the regular expression alone (tests compare the two). */
export function cueTokensByRegExp(folded: string): string[] {
  return folded.match(CUE_TOKEN_RE) ?? [];
}

/**
 * The tokens of CUE_TOKEN_RE by a loop over the units (units.ts), a third of the expression's time;
 * undefined when a unit is left to the expression (a surrogate).
 */
function unitCueTokens(s: string): string[] | undefined {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const k = unitClass(s.charCodeAt(i));
    if (k & OTHER) return undefined;
    if (k & SPACE) {
      i++;
      continue;
    }
    if (!(k & WORD)) {
      out.push(s[i]!);
      i++;
      continue;
    }
    let j = i + 1;
    for (;;) {
      let c = 0;
      while (j < n && (c = unitClass(s.charCodeAt(j))) & WORD) j++;
      if (c & OTHER) return undefined;
      // A joiner (' ’ - .) between word units continues the token: u.s, e-mail, don't.
      const u = s.charCodeAt(j);
      if (j + 1 < n && (u === 39 || u === 0x2019 || u === 45 || u === 46) && unitClass(s.charCodeAt(j + 1)) & WORD) j += 2;
      else break;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

export function isWordToken(tok: string): boolean {
  return WORDLIKE_RE.test(tok);
}
