/**
 * Tokeniser for news text: words (letters, marks, digits), numbers with
 * inner separators (6.3, 1,000), and single non-space symbols. Every token
 * keeps UTF-16 offsets into the original string, so spans built from tokens
 * are exact whatever the folding did (diacritics, tatweel, astral symbols).
 */
import { foldArabic } from './arabic';

export interface Token {
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number;
  end: number;
  text: string;
  /** Folded form (see arabic.ts). */
  folded: string;
  kind: 'word' | 'number' | 'symbol';
}

// Inner separators only count between digits (6.3, 1,000), never after a word.
const TOKEN_RE = /\p{N}+(?:[.,٫٬]\p{N}+)*(?:[\p{L}\p{M}\p{N}\u0640\u200c\u200d]+)?|[\p{L}\p{M}\p{N}\u0640\u200c\u200d]+|\S/gu;
const HAS_LETTER = /[\p{L}]/u;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      p++;
      continue;
    }
    // A run of ASCII letters and digits that nothing after it can extend (a number's separator,
    // a character beyond ASCII: a letter, mark or joiner) is the token TOKEN_RE would read there:
    // cut by a loop, it costs a fraction of the expression (English lines are mostly such runs).
    if (isAsciiAlnum(c)) {
      let q = p + 1;
      let letter = c >= 65;
      for (let d = c; q < n && isAsciiAlnum((d = text.charCodeAt(q))); q++) letter ||= d >= 65;
      const after = q < n ? text.charCodeAt(q) : 32;
      if (after < 128 && !(c < 65 && (after === 46 || after === 44))) {
        const t = text.slice(p, q);
        out.push({ start: p, end: q, text: t, folded: t.toLowerCase(), kind: letter ? 'word' : 'number' });
        p = q;
        continue;
      }
    }
    TOKEN_RE.lastIndex = p;
    const m = TOKEN_RE.exec(text);
    if (m === null) break;
    out.push(tokenOf(m[0], m.index));
    p = m.index + m[0].length;
  }
  return out;
}

/** The reference form of tokenize: the regular expression alone (tests compare the two). */
export function tokenizeByRegExp(text: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) out.push(tokenOf(m[0], m.index));
  return out;
}

/** [A-Za-z0-9]. */
export const isAsciiAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

function tokenOf(t: string, start: number): Token {
  const folded = foldArabic(t);
  // Invisible or decorative units alone (RLM, a lone tatweel used as a dash) fold to
  // nothing: they stay symbols and keep their own text as folded form.
  const kind: Token['kind'] = folded === '' ? 'symbol' : HAS_LETTER.test(t) ? 'word' : /^\p{N}/u.test(t) ? 'number' : 'symbol';
  return { start, end: start + t.length, text: t, folded: folded || t, kind };
}

const SENTENCE_END = new Set(['.', '!', '?', '؟', '؛', '…']);

/**
 * Arabic names of Latin letters, as news spells out acronyms with them: سي.أن.أن (CNN),
 * بي. بي. سي (BBC), إف . بي . آي (FBI), إتش.إس.بي.سي (HSBC). Left out: the ones that are
 * also common words able to end or start a sentence (في "in", أو "or", ال, ما, لا).
 */
const LETTER_NAMES = new Set(
  'ايه إيه أيه اي أي آي إي بي سي دي اف إف جي جاي اتش إتش كي إل ام إم ان إن أن كيو ار آر اس إس تي يو دبليو اكس إكس واي زد زي'.split(' ').map(foldArabic),
);

/** A letter of a spelled-out acronym: an Arabic letter name (الكي as in الكي. جي. بي. too) or one Latin capital. */
function isLetterName(t: Token | undefined): boolean {
  if (!t || t.kind !== 'word') return false;
  if (/^[A-Z]$/.test(t.text)) return true;
  return LETTER_NAMES.has(t.folded) || (t.folded.startsWith('ال') && LETTER_NAMES.has(t.folded.slice(2)));
}

/**
 * Splits token indices into sentences: after sentence-final punctuation, and
 * at every line break (scraped articles put one paragraph or one block per line).
 * A full stop between two letters of a spelled-out acronym (بي. بي. سي, U.S.) does
 * not end a sentence: the split cut the name of the organisation in two, and no
 * tag sequence could then cover it (ANERcorp has 29 such splits in 11 documents).
 * Returns [startIndex, endIndex) pairs.
 */
export function sentenceRanges(text: string, tokens: Token[]): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    let brk = t.kind === 'symbol' && SENTENCE_END.has(t.text) && !(t.text === '.' && isLetterName(tokens[i - 1]) && isLetterName(next));
    if (!brk && next) {
      for (let k = t.end; k < next.start; k++) {
        const c = text.charCodeAt(k);
        if (c === 10 || c === 13) {
          brk = true;
          break;
        }
      }
    }
    if (brk || !next) {
      out.push([s, i + 1]);
      s = i + 1;
    }
  }
  return out;
}
