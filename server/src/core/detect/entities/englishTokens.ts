/**
 * Tokens and sentences of English (Latin-script) text for the English tagger. Unlike the
 * general tokenizer (text/tokenize.ts) it keeps what an English name is written with in
 * one token — abbreviations with their dots (U.S., D.C., Dr.), hyphens and apostrophes
 * inside words (Min-Woo, O'Brien), domains, hashtags and handles (Secunia.com,
 * #IStandWithAhmed) — and splits the possessive 's off (Trump's → Trump + 's), because
 * entity spans end where those tokens end. Offsets are UTF-16, into the text given.
 */

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
  const out: EnToken[] = [];
  const slice = text.slice(from, to);
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(slice); m !== null; m = TOKEN_RE.exec(slice)) {
    let t = m[0];
    let start = from + m.index;
    // Dr. Smith, Inc.: the full stop belongs to the abbreviation.
    if (slice[m.index + t.length] === '.' && ABBREVIATIONS.has(t.toLowerCase())) {
      t += '.';
      TOKEN_RE.lastIndex++;
    }
    const poss = t.length > 2 ? POSSESSIVE_RE.exec(t) : null;
    if (poss) {
      out.push({ start, end: start + poss[1].length, text: poss[1], lower: poss[1].toLowerCase() });
      start += poss[1].length;
      t = poss[2];
    }
    out.push({ start, end: start + t.length, text: t, lower: t.toLowerCase() });
  }
  return out;
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
    if (!brk && next && text.slice(tokens[i].end, next.start).includes('\n')) brk = true;
    if (brk) push(i + 1);
  }
  return out;
}
