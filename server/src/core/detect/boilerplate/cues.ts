/**
 * Cue phrases (data/boilerplate-cues.json plus user settings) matched on
 * folded token sequences. A phrase is indexed by its first token so a block
 * costs one map lookup per token, whatever the number of phrases.
 */
import cueData from '../../../../../data/boilerplate-cues.json';
import { cueTokens, foldText, isWordToken } from './fold';

interface Phrase {
  category: string;
  tokens: string[];
  /** Number of word tokens (punctuation excluded), for coverage. */
  words: number;
  atStart: boolean;
  atEnd: boolean;
  text: string;
}

export interface CueHit {
  category: string;
  phrase: string;
  /** The phrase is the whole block (apart from punctuation). */
  whole: boolean;
  atStart: boolean;
  /** Fraction of the block's words the phrase covers. */
  coverage: number;
}

export class CueMatcher {
  private readonly byFirst = new Map<string, Phrase[]>();
  private readonly regexes: { category: string; re: RegExp; text: string }[] = [];

  constructor(sources: readonly Record<string, readonly string[] | string>[]) {
    for (const src of sources) {
      for (const [category, list] of Object.entries(src)) {
        if (category.startsWith('_') || !Array.isArray(list)) continue;
        for (const raw of list) this.add(category, raw);
      }
    }
  }

  private add(category: string, raw: string): void {
    if (raw.startsWith('re:')) {
      try {
        this.regexes.push({ category, re: new RegExp(raw.slice(3), 'u'), text: raw.slice(3) });
      } catch {
        // A malformed user pattern must not break detection.
      }
      return;
    }
    let s = raw;
    const atStart = s.startsWith('^');
    if (atStart) s = s.slice(1);
    const atEnd = s.endsWith('$');
    if (atEnd) s = s.slice(0, -1);
    const tokens = cueTokens(foldText(s));
    if (tokens.length === 0) return;
    const phrase: Phrase = {
      category,
      tokens,
      words: tokens.filter(isWordToken).length,
      atStart,
      atEnd,
      text: s.trim(),
    };
    const first = tokens[0]!;
    let bucket = this.byFirst.get(first);
    if (!bucket) this.byFirst.set(first, (bucket = []));
    bucket.push(phrase);
  }

  /** All cue hits of a block, given its folded text and cue tokens. */
  match(folded: string, tokens: readonly string[]): CueHit[] {
    const hits: CueHit[] = [];
    let firstWord = tokens.findIndex(isWordToken);
    if (firstWord < 0) firstWord = tokens.length;
    let lastWord = tokens.length - 1;
    while (lastWord >= 0 && !isWordToken(tokens[lastWord]!)) lastWord--;
    let nWords = 0;
    for (const t of tokens) if (isWordToken(t)) nWords++;
    for (let i = 0; i < tokens.length; i++) {
      const bucket = this.byFirst.get(tokens[i]!);
      if (!bucket) continue;
      for (const p of bucket) {
        const n = p.tokens.length;
        if (i + n > tokens.length) continue;
        if (p.atStart && i > firstWord) continue;
        let ok = true;
        for (let k = 1; k < n; k++) {
          if (tokens[i + k] !== p.tokens[k]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const endIdx = i + n - 1;
        if (p.atEnd && endIdx < lastWord) continue;
        const whole = i <= firstWord && endIdx >= lastWord;
        hits.push({
          category: p.category,
          phrase: p.text,
          whole,
          atStart: i <= firstWord,
          coverage: nWords > 0 ? Math.min(1, p.words / nWords) : 1,
        });
      }
    }
    for (const r of this.regexes) {
      if (r.re.test(folded)) hits.push({ category: r.category, phrase: `${r.category} pattern`, whole: true, atStart: true, coverage: 1 });
    }
    return hits;
  }
}

let defaultMatcher: CueMatcher | undefined;
const extraCache = new WeakMap<Record<string, string[]>, CueMatcher>();

/** The built-in matcher, or one that also knows the user's extra phrases (cached per settings object). */
export function getCueMatcher(extra?: Record<string, string[]>): CueMatcher {
  if (!extra) return (defaultMatcher ??= new CueMatcher([cueData as Record<string, string[] | string>]));
  let m = extraCache.get(extra);
  if (!m) {
    m = new CueMatcher([cueData as Record<string, string[] | string>, extra]);
    extraCache.set(extra, m);
  }
  return m;
}
