/**
 * Arabic-script normalisation ("folding") and proclitic segmentation.
 *
 * Folding maps spelling variants that news text mixes freely onto one form so
 * that mentions match across documents: alef forms, taa marbuta, alef
 * maqsura, Persian/Urdu letter variants, diacritics, tatweel, digits. It is
 * one-to-one or one-to-zero per UTF-16 unit, so a map back to the original
 * offsets is cheap and exact.
 */

/** Units removed entirely: harakat, Quranic marks, tatweel, format controls. */
function isDropped(c: number): boolean {
  return (
    (c >= 0x064b && c <= 0x065f) || // harakat, shadda, sukun…
    c === 0x0670 || // superscript alef
    c === 0x0640 || // tatweel
    (c >= 0x06d6 && c <= 0x06ed) || // Quranic annotation marks
    (c >= 0x0610 && c <= 0x061a) ||
    c === 0x200c || c === 0x200d || c === 0x200e || c === 0x200f || // ZWNJ/ZWJ/LRM/RLM
    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) // bidi embeddings/isolates
  );
}

const CHAR_MAP: Record<number, string> = {};
function mapAll(from: string, to: string): void {
  for (const ch of from) CHAR_MAP[ch.codePointAt(0)!] = to;
}
mapAll('أإآٱٲٳٵ', 'ا');
mapAll('ة', 'ه');
mapAll('ۀەہۂھۃ', 'ه');
mapAll('ىیيۍېۓ', 'ي');
mapAll('ئ', 'ي');
mapAll('ؤۥ', 'و');
mapAll('کڪ', 'ك');
mapAll('گ', 'ك');
mapAll('ڤ', 'ف');
mapAll('پ', 'ب');
mapAll('چ', 'ج');
mapAll('ژ', 'ز');
for (let d = 0; d < 10; d++) {
  CHAR_MAP[0x0660 + d] = String(d); // Arabic-Indic digits
  CHAR_MAP[0x06f0 + d] = String(d); // Persian digits
}

/** Folds one UTF-16 unit: '' when dropped. Latin is lower-cased. */
export function foldUnit(c: number): string {
  if (isDropped(c)) return '';
  const m = CHAR_MAP[c];
  if (m !== undefined) return m;
  if (c >= 65 && c <= 90) return String.fromCharCode(c + 32);
  const ch = String.fromCharCode(c);
  if (c < 0x0250) {
    // Latin-1/Extended-A: lower-case when that keeps one unit (İ would not).
    const low = ch.toLowerCase();
    return low.length === 1 ? low : ch;
  }
  return ch;
}

/** Folded form of a string (see module comment). */
export function foldArabic(s: string): string {
  // ASCII folds to its lower case: one call instead of a string built unit by unit (every
  // token of an English page comes here).
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 128;
  if (ascii) return s.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
    else out += foldUnit(c);
  }
  return out;
}

/**
 * Folded form plus, for every folded unit, the UTF-16 offset of the original
 * unit it came from (and one extra entry: the original length), so a span in
 * the folded text maps back exactly.
 */
export function foldWithMap(s: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const f = foldUnit(s.charCodeAt(i));
    if (f.length === 0) continue;
    folded += f;
    map.push(i);
  }
  map.push(s.length);
  return { folded, map };
}

/** Removes diacritics and tatweel only (keeps letters as written). */
export function stripDiacritics(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (!isDropped(s.charCodeAt(i))) out += s[i];
  return out;
}

export function isArabicLetter(c: number): boolean {
  return (c >= 0x0621 && c <= 0x064a) || (c >= 0x066e && c <= 0x06d3) || (c >= 0x06fa && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc);
}

export function hasArabic(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isArabicLetter(s.charCodeAt(i))) return true;
  return false;
}

/**
 * Proclitic prefixes that can be left out of an entity span while the rest
 * stays a suffix of the token (conjunctions و ف, prepositions ب ل ك). The
 * article ال is not among them: it belongs to names (القاهرة).
 * Longest first, so وب is tried before و.
 */
export const PROCLITICS: readonly string[] = ['وب', 'وك', 'ول', 'فب', 'فك', 'فل', 'و', 'ف', 'ب', 'ك', 'ل'];

/** Answers whether a folded word is a known word (lexicon, gazetteer…), and how common. */
export type WordLookup = (folded: string) => number;

/**
 * Length (in folded units) of the proclitic prefix of a folded word that may
 * be dropped from an entity span, or 0.
 *
 * Many names start with these letters (بغداد لبنان فرنسا كندا واشنطن), so a
 * prefix is only stripped when the evidence says so:
 * - the whole word is not more common than the remainder in `known`, and the
 *   remainder is known; or
 * - the remainder starts with the article ال (وبالقاهرة → القاهرة); or
 * - the prefix is the conjunction و before an unknown word of ≥ 3 letters
 *   (word-initial و is far more often the conjunction than a name's letter).
 * ل + ال is written لل, so "للرئيس" has no strippable prefix that leaves a suffix.
 */
export function procliticLength(folded: string, known?: WordLookup): number {
  const whole = known ? known(folded) : 0;
  for (const p of PROCLITICS) {
    if (!folded.startsWith(p)) continue;
    const rest = folded.slice(p.length);
    if (rest.length < 2) continue;
    if (p.endsWith('ل') && rest.startsWith('ل')) continue; // لل is ل + ال, not a strippable ل
    const restCount = known ? known(rest) : 0;
    if (restCount > 0 && restCount >= whole) return p.length;
    if (rest.startsWith('ال') && rest.length >= 4 && whole === 0) return p.length;
  }
  if (folded.startsWith('و') && folded.length >= 4 && whole === 0 && !folded.startsWith('وو')) {
    // Unknown word after a conjunction: strip و plus a following preposition only if known.
    return 1;
  }
  return 0;
}

/** The word without a strippable proclitic prefix and without the article ال (for features). */
export function stemOf(folded: string, known?: WordLookup): string {
  let s = folded.slice(procliticLength(folded, known));
  if (s.startsWith('ال') && s.length > 4) s = s.slice(2);
  else if (s.startsWith('لل') && s.length > 4) s = s.slice(2);
  return s;
}
