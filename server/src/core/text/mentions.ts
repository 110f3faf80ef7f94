/**
 * Whether a substring match is a mention of a name rather than part of a
 * longer word. Arabic writes conjunctions and prepositions onto the next word
 * (وباكستان = "and Pakistan"), so a match may follow one to three proclitic
 * letters at the start of a word and still be a mention of the name.
 */
import { foldWithMap } from './arabic';
import { tokenize, type Token } from './tokenize';

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

// ---------------------------------------------------------------------------
// Every mention of a name in a text, for corpus-wide decisions.

/** Conjunctions, then prepositions, then the article, each optional: وبال, فل, كال, ال, و … */
const CONJ = ['', 'و', 'ف'];
const PREP = ['', 'ب', 'ك', 'ل'];
const ART = ['', 'ال'];
const PREFIXES: string[] = [...new Set(CONJ.flatMap((c) => PREP.flatMap((p) => ART.map((a) => c + p + a))))]
  // ل + ال is written لل (للعراق): the article's alef drops after the preposition.
  .concat(CONJ.map((c) => c + 'لل'))
  .sort((a, b) => b.length - a.length);

const LATIN = /[A-Za-z\u00C0-\u024F]/;

/**
 * Spans (UTF-16) of every whole-word mention of `name` in `text`, matched on
 * folded Arabic (alef and hamza forms, taa marbuta, alef maqsura, diacritics
 * and tatweel do not matter) with proclitics (و ف ب ك ل, the article ال, and
 * their combinations: وبال…) written onto the first word left outside the
 * span. Latin-script words must match exactly (case included): "Apple" is
 * not "apple".
 */
export function findNameMentions(text: string, name: string): { start: number; end: number }[] {
  const want = tokenize(name).filter((t) => t.kind !== 'symbol');
  if (!want.length) return [];
  const tokens = tokenize(text);
  const out: { start: number; end: number }[] = [];
  const sameWord = (t: Token, w: Token): boolean => (LATIN.test(w.text) ? t.text === w.text : t.folded === w.folded);
  // The name's own article may stand merged with a preposition in the text (ال + ل → لل).
  const head = want[0];
  const headBare = head.folded.startsWith('ال') && head.folded.length > 3 ? head.folded.slice(2) : undefined;
  for (let i = 0; i + want.length <= tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'symbol') continue;
    let skip = -1;
    if (sameWord(t, head)) skip = 0;
    else if (!LATIN.test(head.text)) {
      for (const p of PREFIXES) {
        if (!p || !t.folded.startsWith(p)) continue;
        const rest = t.folded.slice(p.length);
        if (rest === head.folded || (p.endsWith('لل') && headBare !== undefined && rest === headBare)) {
          // Keep the merged article's lam (the name's ال) inside the span: للعراق → لعراق.
          skip = p.endsWith('لل') && rest === headBare ? p.length - 1 : p.length;
          break;
        }
      }
    }
    if (skip < 0) continue;
    let ok = true;
    for (let k = 1; k < want.length && ok; k++) ok = sameWord(tokens[i + k], want[k]);
    if (!ok) continue;
    const start = t.start + (skip ? foldWithMap(t.text).map[skip] : 0);
    const last = tokens[i + want.length - 1];
    out.push({ start, end: last.end });
    i += want.length - 1;
  }
  return out;
}

/** How many times `name` occurs in `text` as a whole word (exact spelling; a proclitic before it is allowed). */
export function countMentions(text: string, name: string): number {
  let n = 0;
  if (!name) return 0;
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) if (isWordBoundaryMatch(text, i, i + name.length)) n++;
  return n;
}
