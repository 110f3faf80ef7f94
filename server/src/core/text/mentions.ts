/**
 * Whether a substring match is a mention of a name rather than part of a
 * longer word. Arabic writes conjunctions and prepositions onto the next word
 * (وباكستان = "and Pakistan"), so a match may follow one to three proclitic
 * letters at the start of a word and still be a mention of the name.
 */

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
/** و/ف, then ب/ك/ل, or لل: the letters that may be glued before a name. */
const PROCLITICS = /^(?:[وف]?[بكل]?|[وف]?لل)$/;

/** True when text[start,end) is not glued to surrounding letters (UTF-16 offsets). */
export function isWordBoundaryMatch(text: string, start: number, end: number): boolean {
  if (isWordChar(charAt(text, end))) return false;
  let s = start;
  for (let c = charBefore(text, s); isWordChar(c); c = charBefore(text, s)) s -= c!.length;
  if (s === start) return true;
  const glued = text.slice(s, start);
  return glued.length <= 3 && PROCLITICS.test(glued);
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

function charAt(text: string, at: number): string | undefined {
  return at < text.length ? String.fromCodePoint(text.codePointAt(at)!) : undefined;
}

function charBefore(text: string, at: number): string | undefined {
  if (at <= 0) return undefined;
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(at - 2, at);
  }
  return text[at - 1];
}
