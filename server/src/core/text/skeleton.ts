/**
 * Consonant skeletons that let a Latin-script name and its Arabic transliteration
 * meet on one key: Alexander and ألكسندر both give LKSNDR, Hermann and هيرمان HRMN.
 * Vowels and the letters Arabic uses to write them (ا و ي ى ة ء ع) are dropped, the
 * consonants Arabic merges are merged (p/b, v/f, s/z, g/j, c/k/q), an h counts only
 * at the start of a word, doubled consonants are written once; C stands for "sh".
 * English "ch" is ambiguous (Michael مايكل, Michel ميشيل, Charles تشارلز), so a Latin
 * name can have several skeletons.
 */

const ARABIC: Record<string, string> = {
  'ب': 'B', 'پ': 'B', 'ت': 'T', 'ط': 'T', 'ث': 'T', 'ج': 'G', 'گ': 'G', 'غ': 'G', 'ح': 'H', 'خ': 'K',
  'د': 'D', 'ض': 'D', 'ذ': 'D', 'ر': 'R', 'ز': 'S', 'س': 'S', 'ص': 'S', 'ظ': 'S', 'ش': 'C', 'ف': 'F',
  'ڤ': 'F', 'ق': 'K', 'ك': 'K', 'ل': 'L', 'م': 'M', 'ن': 'N', 'ه': 'H',
};

/** Skeleton of a folded Arabic word (arabic.ts foldArabic). */
export function arabicSkeleton(folded: string): string {
  let out = '';
  for (let i = 0; i < folded.length; i++) {
    let c = ARABIC[folded[i]] ?? '';
    if (c === 'H' && i > 0) c = '';
    if (c && out[out.length - 1] !== c) out += c;
  }
  return out;
}

const DIGRAPHS: [string, string[]][] = [
  ['sch', ['C']],
  ['sh', ['C']],
  ['ch', ['K', 'C', 'TC']],
  ['ph', ['F']],
  ['th', ['T']],
  ['ck', ['K']],
  ['gh', ['']],
];

/** Skeletons of a Latin-script name (one per reading of an ambiguous "ch"). */
export function latinSkeletons(name: string): string[] {
  const s = name.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');
  let outs = [''];
  for (let i = 0; i < s.length; ) {
    const d = DIGRAPHS.find(([g]) => s.startsWith(g, i));
    const options = d ? d[1] : [latinLetter(s, i)];
    outs = outs.flatMap((o) => options.map((x) => o + x));
    i += d ? d[0].length : 1;
  }
  return [...new Set(outs.map((o) => o.replace(/(.)\1+/g, '$1')))];
}

function latinLetter(s: string, i: number): string {
  const c = s[i];
  if ('aeiouyw'.includes(c)) return '';
  if (c === 'h') return i === 0 ? 'H' : '';
  if (c === 'x') return 'KS';
  if (c === 'q' || c === 'k') return 'K';
  if (c === 'c') return 'eiy'.includes(s[i + 1] ?? '') ? 'S' : 'K';
  if (c === 'g' || c === 'j') return 'G';
  if (c === 'v' || c === 'f') return 'F';
  if (c === 's' || c === 'z') return 'S';
  if (c === 'p' || c === 'b') return 'B';
  return c.toUpperCase();
}
