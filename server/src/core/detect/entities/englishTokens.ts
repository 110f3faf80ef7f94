/**
 * Tokens and sentences of English (Latin-script) text for the English tagger. Unlike the
 * general tokenizer (text/tokenize.ts) it keeps what an English name is written with in
 * one token — abbreviations with their dots (U.S., D.C., Dr.), hyphens and apostrophes
 * inside words (Min-Woo, O'Brien), domains, hashtags and handles (Secunia.com,
 * #IStandWithAhmed) — and splits the possessive 's off (Trump's → Trump + 's), because
 * entity spans end where those tokens end. Offsets are UTF-16, into the text given.
 */
import { isAsciiAlnum } from '../../text/tokenize';

export interface EnToken {
  start: number;
  end: number;
  text: string;
  /** Lower-cased text. */
  lower: string;
}

// Order matters: the first alternative that matches at a position wins.
const TOKEN_RE = new RegExp(
  [
    String.raw`(?:https?:\/\/|www\.)[^\s"'<>()]*[^\s"'<>().,;:!?]`, // URL
    String.raw`[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*\.(?:com|org|net|gov|edu|info|io|co\.uk|co|uk|de|fr|ru|ca|au|in)\b`, // domain
    String.raw`[#@][\p{L}\p{N}_]+`, // hashtag, handle
    String.raw`(?:\p{L}\.){2,}|(?:\p{Lu}\.)+\p{Lu}\b`, // U.S., D.C., e.g., and U.S without its last dot
    String.raw`\p{Lu}\.(?=\s+\p{Lu})`, // an initial: L. Ron Hubbard
    String.raw`[\p{L}\p{M}\p{N}]+(?:[-'’&][\p{L}\p{M}\p{N}]+)*`, // word
    String.raw`\S`,
  ].join('|'),
  'gu',
);

/** Words written with a full stop that does not end a sentence. */
const ABBREVIATIONS = new Set('mr mrs ms dr st jr sr prof gen sen rep gov lt col capt sgt maj adm rev fr mt ft inc ltd corp co no vs etc jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '));
const POSSESSIVE_RE = /^(.+?[\p{L}\p{N}])(['’][sS])$/u;

export function tokenizeEnglish(text: string, from = 0, to = text.length): EnToken[] {
  return tokenizeEnglishAs(text, from, to, plainToken);
}

/** Makes the object of a token found at [start, end) (tokenizeEnglishAs). */
export type MakeToken<T extends EnToken> = (start: number, end: number, text: string, lower: string) => T;

const plainToken: MakeToken<EnToken> = (start, end, text, lower) => ({ start, end, text, lower });

/**
 * tokenizeEnglish with the token objects made by `make`: the tagger's analysis makes its
 * per-token objects (englishFeatures.ts EnTokenInfo) here, rather than a token and then an
 * object for its features (two objects per token for the garbage collector).
 */
export function tokenizeEnglishAs<T extends EnToken>(text: string, from: number, to: number, make: MakeToken<T>): T[] {
  const out: T[] = [];
  const slice = text.slice(from, to);
  const end = slice.length;
  let p = 0;
  while (p < end) {
    const c = slice.charCodeAt(p);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      p++;
      continue;
    }
    // Most tokens of a page are plain ASCII words followed by a space or a punctuation mark:
    // those are read here, a few times faster than the regular expression. A run that could be
    // more (U.S., Secunia.com, Min-Woo, O'Brien, http:, a letter beyond ASCII next) and any
    // other character go to TOKEN_RE at the same place, which reads them as before.
    if (isAsciiAlnum(c)) {
      let q = p + 1;
      while (q < end && isAsciiAlnum(slice.charCodeAt(q))) q++;
      if (q >= end || !mayExtend(slice.charCodeAt(q))) {
        const t = slice.slice(p, q);
        pushToken(out, t, from + p, make);
        p = q;
        continue;
      }
    }
    TOKEN_RE.lastIndex = p;
    const m = TOKEN_RE.exec(slice);
    if (m === null) break;
    let t = m[0];
    p = m.index + t.length;
    // Dr. Smith, Inc.: the full stop belongs to the abbreviation.
    if (slice[p] === '.' && ABBREVIATIONS.has(t.toLowerCase())) {
      t += '.';
      p++;
    }
    pushToken(out, t, from + m.index, make);
  }
  return out;
}

/** The reference form of tokenizeEnglish: the regular expression alone (tests compare the two). */
export function tokenizeEnglishByRegExp(text: string, from = 0, to = text.length): EnToken[] {
  const out: EnToken[] = [];
  const slice = text.slice(from, to);
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(slice); m !== null; m = TOKEN_RE.exec(slice)) {
    let t = m[0];
    if (slice[m.index + t.length] === '.' && ABBREVIATIONS.has(t.toLowerCase())) {
      t += '.';
      TOKEN_RE.lastIndex++;
    }
    pushToken(out, t, from + m.index, plainToken);
  }
  return out;
}

/**
 * Whether a character after a run of ASCII letters and digits may make TOKEN_RE read more than
 * the run: a full stop (abbreviations, domains, initials), a joiner inside a word (- ' ’ &), the
 * colon of a URL, or anything beyond ASCII (a letter, mark or digit would continue the word).
 */
const mayExtend = (c: number) => c === 46 || c === 45 || c === 39 || c === 38 || c === 58 || c >= 128;

/** Adds token `t` found at `start`, with the possessive 's split off (Trump's → Trump + 's). */
function pushToken<T extends EnToken>(out: T[], t: string, start: number, make: MakeToken<T>): void {
  // Only a token ending in 's or ’s (after a letter or digit) can be a possessive: the test first.
  const n = t.length;
  const poss = n > 2 && (t.charCodeAt(n - 1) | 32) === 115 && (t[n - 2] === "'" || t[n - 2] === '’') ? POSSESSIVE_RE.exec(t) : null;
  if (poss) {
    out.push(make(start, start + poss[1].length, poss[1], poss[1].toLowerCase()));
    start += poss[1].length;
    t = poss[2];
  }
  out.push(make(start, start + t.length, t, t.toLowerCase()));
}

const SENTENCE_END = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»']);

/**
 * [first, end) token ranges of sentences: after . ! ? (and the quotes or brackets that
 * close with them) and at every line break. Abbreviations keep their full stop inside
 * their token, so U.S. or Dr. never ends one. Long sentences are cut at `max` tokens.
 */
export function englishSentences(text: string, tokens: EnToken[], max = 120): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  const push = (e: number) => {
    for (let a = s; a < e; a += max) out.push([a, Math.min(e, a + max)]);
    s = e;
  };
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    let brk = !next;
    if (!brk && SENTENCE_END.has(tokens[i].text)) {
      let j = i + 1;
      while (j < tokens.length && CLOSERS.has(tokens[j].text) && tokens[j].start === tokens[j - 1].end) j++;
      i = j - 1;
      brk = true;
    }
    if (!brk && next && hasLineBreak(text, tokens[i].end, next.start)) brk = true;
    if (brk) push(i + 1);
  }
  return out;
}

/** Whether text[from, to) holds a line break (without the string a slice would build for every token). */
function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) return true;
  return false;
}
