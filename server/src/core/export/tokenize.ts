/**
 * The tokeniser shared by the CoNLL exporter and by `placeImported`: split at
 * separators (whitespace, controls, bidi marks) and around punctuation and
 * symbols, and wherever the caller forces a cut (entity boundaries, so that a
 * proclitic like و in وباكستان becomes its own token when only باكستان is
 * annotated). Works on code point arrays so offsets are code points.
 */

/**
 * Separators never belong to a token: whitespace, C0/C1 controls (a NEL or a
 * vertical tab inside a token would break line-based readers) and the bidi
 * controls (U+061C, U+200E/F, U+202A–E, U+2066–9), which are invisible
 * direction marks in scraped Arabic rather than part of any word.
 * ZWJ/ZWNJ are not separators: they are spelling in Persian and in emoji.
 */
const SEPARATOR = /^[\s\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/u;
const LINE_BREAK = /^[\n\r\u000B\u000C\u0085\u2028\u2029]$/u;
const PUNCT_OR_SYMBOL = /^[\p{P}\p{S}]$/u;
/** What stays attached to a punctuation/symbol token: combining marks, variation selectors, skin tones, tag characters. */
const ATTACHES = /^[\p{M}\p{Emoji_Modifier}\u{E0020}-\u{E007F}]$/u;
const ZWJ = '\u200D';
/** A token made of one of these, followed by a separator or the end, ends a sentence. */
const SENTENCE_END = /^[.!?؟۔…]/u;

export function isSeparator(cp: string): boolean {
  return SEPARATOR.test(cp);
}

export function isLineBreak(cp: string): boolean {
  return LINE_BREAK.test(cp);
}

export interface Token {
  /** Code point offsets, end exclusive. */
  start: number;
  end: number;
  /** A line break occurs between the previous token and this one. */
  lineBreakBefore: boolean;
  /** Some separator occurs between the previous token and this one. */
  spaceBefore: boolean;
}

/**
 * Tokens of `cps`. `cut[i]` non-zero forces a token boundary before code point i.
 */
export function tokenize(cps: readonly string[], cut?: Uint8Array): Token[] {
  const n = cps.length;
  const tokens: Token[] = [];
  let lineBreak = false;
  let space = false;
  let i = 0;
  const forced = (k: number): boolean => cut !== undefined && cut[k] !== 0;
  while (i < n) {
    const c = cps[i];
    if (isSeparator(c)) {
      space = true;
      if (isLineBreak(c)) lineBreak = true;
      i++;
      continue;
    }
    const start = i;
    i++;
    if (PUNCT_OR_SYMBOL.test(c)) {
      // One punctuation mark or symbol (emoji) per token, with what modifies it.
      while (i < n && !forced(i)) {
        if (ATTACHES.test(cps[i])) i++;
        else if (cps[i] === ZWJ && i + 1 < n && !forced(i + 1) && !isSeparator(cps[i + 1])) i += 2;
        else break;
      }
    } else {
      while (i < n && !forced(i) && !isSeparator(cps[i]) && !PUNCT_OR_SYMBOL.test(cps[i])) i++;
    }
    tokens.push({ start, end: i, lineBreakBefore: lineBreak, spaceBefore: space });
    lineBreak = false;
    space = false;
  }
  return tokens;
}

/** Whether a sentence may end after `tok` (followed by `next`, if any). */
export function endsSentence(cps: readonly string[], tok: Token, next: Token | undefined): boolean {
  if (!next) return true;
  if (next.lineBreakBefore) return true;
  return next.spaceBefore && tok.end - tok.start >= 1 && SENTENCE_END.test(cps[tok.start]) && isPunctuationToken(cps, tok);
}

function isPunctuationToken(cps: readonly string[], tok: Token): boolean {
  return PUNCT_OR_SYMBOL.test(cps[tok.start]);
}
