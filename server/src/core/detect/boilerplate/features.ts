/**
 * Per-line signals. Every line of a scraped page is a block candidate (the
 * html-text style dumps put one DOM block per line); these are the cheap,
 * language-independent measurements the classifier combines.
 */
import { CueHit, CueMatcher } from './cues';
import { cueTokens, foldText } from './fold';
import { CJK, isWordUnit, OTHER, unitClass, WORD } from './units';
import { languageCount, stopLangs } from './stopwords';

export interface Line {
  /** UTF-16 offsets of the line without its newline, trimmed of outer spaces. */
  start: number;
  end: number;
  text: string;
  folded: string;
  /** Word tokens of the folded text. */
  words: string[];
  cueTokens: string[];
  index: number;
  /** 0-based line number in the text (empty lines counted). */
  lineNo: number;
  /** Blank lines were between this line and the previous non-empty one. */
  paragraphStart: boolean;
  /** Number of lines in this line's run of lines not separated by blank lines. */
  groupSize: number;
  /** The stoplists of each word (stopwords.ts stopLangs), once asked for (wordStopLangs). */
  stopLangs?: (readonly number[] | undefined)[];
}

/** The stoplists of each of the line's words, looked up once for the language guess and the line's features. */
function wordStopLangs(line: Line): (readonly number[] | undefined)[] {
  return (line.stopLangs ??= line.words.map(stopLangs));
}

export interface LineFeatures {
  nWords: number;
  nChars: number;
  endPunct: boolean;
  stopDensity: number;
  /** Sentence-internal punctuation per word (commas, semicolons…). */
  commaRate: number;
  sentences: number;
  hasLink: boolean;
  digitRatio: number;
  upperRatio: number;
  titleRatio: number;
  /** Title Case share of the first five cased words (a headline glued to a teaser). */
  headTitleRatio: number;
  separators: number;
  avgWordLen: number;
  hasQuote: boolean;
  cues: CueHit[];
}

const WORD_RE = /[\p{L}\p{N}_]+/gu;
// Chinese and Japanese are written without spaces: each character counts as
// a word, or a whole sentence would look like one long "word".
const CJK_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/gu;
const HAS_CJK_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;

export function wordsOf(folded: string): string[] {
  return unitWords(folded) ?? wordsByRegExp(folded);
}

/**
 * The words of WORD_RE (each Chinese or Japanese character a word of its own) by a loop over the
 * units (units.ts); undefined when a unit is left to the expressions (a surrogate).
 */
function unitWords(s: string): string[] | undefined {
  const out: string[] = [];
  const n = s.length;
  for (let i = 0; i < n; ) {
    const k = unitClass(s.charCodeAt(i));
    if (k & OTHER) return undefined;
    if (!(k & WORD)) {
      i++;
      continue;
    }
    if (k & CJK) {
      out.push(s[i]!);
      i++;
      continue;
    }
    let j = i + 1;
    for (; j < n; j++) {
      const c = unitClass(s.charCodeAt(j));
      if (c & OTHER) return undefined;
      if (!(c & WORD) || c & CJK) break;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** The reference form of wordsOf: the regular expressions alone (tests compare the two). */
export function wordsByRegExp(folded: string): string[] {
  const s = HAS_CJK_RE.test(folded) ? folded.replace(CJK_RE, ' $& ') : folded;
  return s.match(WORD_RE) ?? [];
}
const TERMINAL_RE = /[.!?؟。！？…।۔](?:["'”’»)\]]*)\s*$/u;
const SENTENCE_RE = /[.!?؟。！？।۔](?=\s|["”’»)]|$)/gu;
const COMMA_RE = /[,،;؛:，、]/gu;
const URL_RE = /https?:\/\/|www\./i;
const EMAIL_RE = /[\w.-]+@[\w-]+\.\w/;
const HANDLE_RE = /(?:^|\s)[@#][\p{L}\p{N}_]{2,}/u;
const DOMAIN_RE = /\w\.(?:com|org|net|ru|co|uk|de|fr|io)\b/i;

// Cheap character checks first: the combined pattern backtracks badly on long lines.
function hasLink(t: string): boolean {
  const at = t.includes('@');
  if (at && EMAIL_RE.test(t)) return true;
  if ((at || t.includes('#')) && HANDLE_RE.test(t)) return true;
  if (!t.includes('.') && !t.includes(':')) return false;
  return URL_RE.test(t) || DOMAIN_RE.test(t);
}
const SEPARATOR_RE = /[|•·›»«>\/\\▶►◄]/gu;
const QUOTE_RE = /["“”«»„]/u;

export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let pos = 0;
  let blank = true;
  let lineNo = 0;
  const n = text.length;
  while (pos <= n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let s = pos;
    let e = nl;
    if (e > s && text.charCodeAt(e - 1) === 13) e--;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) {
      const t = text.slice(s, e);
      const folded = foldText(t);
      out.push({
        start: s,
        end: e,
        text: t,
        folded,
        words: wordsOf(folded),
        cueTokens: cueTokens(folded),
        index: out.length,
        lineNo,
        paragraphStart: blank,
        groupSize: 1,
      });
      blank = false;
    } else {
      blank = true;
    }
    pos = nl + 1;
    lineNo++;
  }
  for (let i = 0; i < out.length; ) {
    let j = i + 1;
    while (j < out.length && !out[j]!.paragraphStart) j++;
    for (let k = i; k < j; k++) out[k]!.groupSize = j - i;
    i = j;
  }
  return out;
}

/** Index of the stoplist that best explains the document (or -1). */
export function documentLanguage(lines: readonly Line[]): number {
  const counts = new Array<number>(languageCount()).fill(0);
  let seen = 0;
  for (const l of lines) {
    // Prose lines carry the language; menus are often in English anyway.
    if (l.words.length < 8) continue;
    for (const langs of wordStopLangs(l)) {
      if (langs) for (const li of langs) counts[li]!++;
      if (++seen > 4000) break;
    }
    if (seen > 4000) break;
  }
  let best = -1;
  let bestCount = 0;
  counts.forEach((c, i) => {
    if (c > bestCount) {
      best = i;
      bestCount = c;
    }
  });
  return best;
}

export function lineFeatures(line: Line, lang: number, cues: CueMatcher): LineFeatures {
  const t = line.text;
  const words = line.words;
  const nWords = words.length;
  let stop = 0;
  let wordChars = 0;
  const wordLangs = wordStopLangs(line);
  for (let k = 0; k < nWords; k++) {
    wordChars += words[k]!.length;
    const langs = wordLangs[k];
    if (langs && (lang < 0 || langs.includes(lang))) stop++;
  }
  let letters = 0;
  let upper = 0;
  let digits = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) {
      upper++;
      letters++;
    } else if (c >= 97 && c <= 122) letters++;
    else if (c > 127) {
      // Uncased scripts (Hebrew, Arabic, Persian, Urdu; CJK) skip the case test.
      if ((c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfeff) || (c >= 0x3040 && c <= 0x9fff)) {
        if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06f0 && c <= 0x06f9)) digits++;
        else if (c >= 0x0621 && c <= 0x064a) letters++;
        else if (c >= 0x0671 && c <= 0x06d3) letters++;
        else if (c >= 0x05d0 && c <= 0x05ea) letters++;
        else if (c >= 0x3040) letters++;
        continue;
      }
      const ch = t[i]!;
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      if (lo !== up) {
        letters++;
        if (ch === up) upper++;
      } else if (/\p{Nd}/u.test(ch)) digits++;
      else if (/\p{L}/u.test(ch)) letters++;
    }
  }
  // Title Case counts only where the script has case, from the words' first units: found by a
  // loop over the units (units.ts), or, where a unit is left to the expression (a surrogate),
  // from match(), which gives the words without a match object each (matchAll's were a fifth of
  // this function's time).
  let titled = 0;
  let cased = 0;
  let headTitled = 0;
  const countFirst = (c: number) => {
    // ASCII needs no case mapping.
    let isCased: boolean;
    let isUpper: boolean;
    if (c < 128) {
      isUpper = c >= 65 && c <= 90;
      isCased = isUpper || (c >= 97 && c <= 122);
    } else {
      const f = String.fromCharCode(c);
      const up = f.toUpperCase();
      isCased = f.toLowerCase() !== up;
      isUpper = f === up;
    }
    if (isCased) {
      cased++;
      if (isUpper) {
        titled++;
        if (cased <= 5) headTitled++;
      }
    }
  };
  if (hasOtherUnit(t)) for (const w of t.match(WORD_RE) ?? []) countFirst(w.charCodeAt(0));
  else for (let i = 0; i < t.length; i++) if (isWordUnit(t.charCodeAt(i)) && !(i > 0 && isWordUnit(t.charCodeAt(i - 1)))) countFirst(t.charCodeAt(i));
  const tokens = line.cueTokens;
  return {
    nWords,
    nChars: t.length,
    endPunct: TERMINAL_RE.test(t),
    stopDensity: nWords ? stop / nWords : 0,
    commaRate: nWords ? (t.match(COMMA_RE)?.length ?? 0) / nWords : 0,
    sentences: t.match(SENTENCE_RE)?.length ?? 0,
    hasLink: hasLink(t),
    digitRatio: letters + digits ? digits / (letters + digits) : 0,
    upperRatio: letters ? upper / letters : 0,
    titleRatio: cased ? titled / cased : 0,
    headTitleRatio: cased >= 5 ? headTitled / 5 : 0,
    separators: t.match(SEPARATOR_RE)?.length ?? 0,
    avgWordLen: nWords ? wordChars / nWords : 0,
    hasQuote: QUOTE_RE.test(t),
    cues: cues.match(line.folded, tokens),
  };
}

/** Cue hits that are decisive for a block of this size. */
export function strongCues(f: LineFeatures): CueHit[] {
  return f.cues.filter(
    (c) => c.whole || c.coverage >= 0.5 || (c.atStart && (f.nWords <= 12 || LEAD_CUES.has(c.category))) || f.nWords <= 8,
  );
}
// A line that opens with "Read also:" or "Sponsored" is a teaser or an ad
// however long it runs; an opening "By …" or "Photo …" may start a sentence.
const LEAD_CUES = new Set(['related', 'advertisement']);

export const FEATURE_NAMES = [
  'bias', 'logWords', 'short', 'mid', 'endPunct', 'stop', 'stopLong', 'comma', 'sentences', 'link', 'digit', 'upper',
  'title', 'headTitle', 'sep', 'avgLen', 'quote', 'cueStrong', 'cueWeak', 'dup', 'pos', 'pos2', 'alone', 'inList', 'flat',
] as const;

/**
 * Whether blank lines mark paragraphs in this text. Text extractors put a
 * blank line between block elements and none between the items of a list or
 * menu, so a paragraph standing alone is a prose signal; in a text without
 * blank lines that signal says nothing and is switched off.
 */
export function blankLinesMeaningful(lines: readonly Line[]): boolean {
  let starts = 0;
  for (const l of lines) if (l.paragraphStart) starts++;
  return lines.length >= 4 && starts >= 0.15 * lines.length;
}

/** Numeric vector for the linear classifier (order = FEATURE_NAMES). */
export function featureVector(f: LineFeatures, relPos: number, dup: boolean, group: number): number[] {
  const strong = strongCues(f).length > 0;
  const lw = Math.log1p(f.nWords);
  return [
    1,
    lw,
    f.nWords <= 3 ? 1 : 0,
    f.nWords > 3 && f.nWords < 10 ? 1 : 0,
    f.endPunct ? 1 : 0,
    f.stopDensity,
    f.stopDensity * Math.min(lw, 4),
    Math.min(f.commaRate * 10, 3),
    Math.min(f.sentences, 5),
    f.hasLink ? 1 : 0,
    f.digitRatio,
    f.upperRatio,
    f.titleRatio,
    f.nWords >= 12 && f.headTitleRatio >= 0.8 ? 1 : 0,
    Math.min(f.separators, 5),
    Math.min(f.avgWordLen / 10, 2),
    f.hasQuote ? 1 : 0,
    strong ? 1 : 0,
    !strong && f.cues.length > 0 ? 1 : 0,
    dup ? 1 : 0,
    relPos,
    relPos * relPos,
    group === 1 ? 1 : 0,
    group >= 3 ? 1 : 0,
    // group = 0: the text has no blank-line structure, so the two above are unknown.
    group === 0 ? 1 : 0,
  ];
}

/** Whether a unit of `s` is left to the expressions (units.ts OTHER: a surrogate). */
function hasOtherUnit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (unitClass(s.charCodeAt(i)) & OTHER) return true;
  return false;
}
