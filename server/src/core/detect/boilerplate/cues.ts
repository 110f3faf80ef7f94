/**
 * Cue phrases (data/boilerplate-cues.json plus user settings) matched on
 * folded token sequences. A phrase is indexed by its first token so a block
 * costs one map lookup per token, whatever the number of phrases.
 */
import { RE2JS } from 're2js';
import cueData from '../../../../../data/boilerplate-cues.json';
import { cueTokens, foldText, isWordToken } from './fold';

// User patterns (`re:` cues) come from settings, and settings come from the workspace: untrusted.
// They are compiled with RE2 (re2js, linear-time matching: no catastrophic backtracking such as
// `^(a+)+$`), bounded in number and length, and can be switched off altogether (Restricted Mode).
/** At most this many `re:` patterns are used; the rest are reported and ignored. */
export const MAX_USER_PATTERNS = 50;
/** Longer `re:` patterns are reported and ignored (matching costs text length × pattern size). */
export const MAX_PATTERN_LENGTH = 300;

export interface CueOptions {
  /** Compile `re:` cues; false ignores them (e.g. in an untrusted workspace). Default true. */
  patterns?: boolean;
}

interface UserPattern {
  category: string;
  re: RE2JS;
  text: string;
}

/**
 * Compiles the `re:` cues of `extra` (`{"share": ["re:^partager"]}`) with a
 * linear-time engine. Never throws: what cannot be used is in `problems`,
 * one message per pattern, meant for the user.
 */
export function compileUserPatterns(extra: Record<string, readonly string[]>, options: CueOptions = {}): { patterns: UserPattern[]; problems: string[] } {
  if (options.patterns === false) {
    const ignored = Object.entries(extra).flatMap(([category, list]) =>
      Array.isArray(list) ? list.filter((raw) => typeof raw === 'string' && raw.startsWith('re:')).map(() => category) : [],
    );
    return {
      patterns: [],
      problems: ignored.length
        ? [`boilerplate.extraCues: ${ignored.length} pattern(s) (re:…) ignored: patterns from an untrusted workspace are not used; plain cue phrases still are.`]
        : [],
    };
  }
  return compilePatterns(extra, MAX_USER_PATTERNS, MAX_PATTERN_LENGTH);
}

function compilePatterns(extra: Record<string, readonly string[]>, maxCount: number, maxLength: number): { patterns: UserPattern[]; problems: string[] } {
  const patterns: UserPattern[] = [];
  const problems: string[] = [];
  let overflow = 0;
  for (const [category, list] of Object.entries(extra)) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      if (typeof raw !== 'string' || !raw.startsWith('re:')) continue;
      const text = raw.slice(3);
      const where = `boilerplate.extraCues.${category}: pattern ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)}`;
      if (patterns.length >= maxCount) {
        overflow++;
        continue;
      }
      if (text.length > maxLength) problems.push(`${where} ignored: longer than ${maxLength} characters.`);
      else {
        try {
          patterns.push({ category, re: RE2JS.compile(text), text });
        } catch (e) {
          problems.push(`${where} ignored: ${(e as Error).message} (patterns use RE2 syntax: no backreferences or lookaround).`);
        }
      }
    }
  }
  if (overflow) problems.push(`boilerplate.extraCues: ${overflow} more pattern(s) ignored: at most ${maxCount} patterns are used.`);
  return { patterns, problems };
}

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
  private readonly regexes: UserPattern[] = [];
  /** Why some `re:` cues are not used (too long, too many, malformed, not allowed). */
  readonly problems: string[] = [];

  /**
   * `builtin`: the shipped cue list (trusted: its patterns are always used);
   * `user`: the user's extra cues, whose `re:` patterns are bounded and may be
   * switched off with `options.patterns: false`.
   */
  constructor(builtin: Record<string, readonly string[] | string>, user?: Record<string, readonly string[] | string>, options: CueOptions = {}) {
    for (const [src, trusted] of [[builtin, true], [user ?? {}, false]] as const) {
      const lists: Record<string, readonly string[]> = {};
      for (const [category, list] of Object.entries(src)) {
        if (category.startsWith('_') || !Array.isArray(list)) continue;
        lists[category] = list;
        for (const raw of list) if (typeof raw === 'string' && !raw.startsWith('re:')) this.add(category, raw);
      }
      const compiled = trusted ? compilePatterns(lists, Infinity, Infinity) : compileUserPatterns(lists, options);
      // Loops, not push(...): a hostile setting may hold 100,000 entries.
      for (const r of compiled.patterns) this.regexes.push(r);
      for (const m of compiled.problems) this.problems.push(m);
    }
  }

  private add(category: string, raw: string): void {
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
      if (r.re.matcher(folded).find()) hits.push({ category: r.category, phrase: `${r.category} pattern`, whole: true, atStart: true, coverage: 1 });
    }
    return hits;
  }
}

let defaultMatcher: CueMatcher | undefined;
const extraCache = new WeakMap<Record<string, string[]>, CueMatcher>();
const literalCache = new WeakMap<Record<string, string[]>, CueMatcher>();

/**
 * The built-in matcher, or one that also knows the user's extra phrases
 * (cached per settings object). `options.patterns: false` leaves out the
 * user's `re:` patterns; the built-in list's own patterns are always used.
 */
export function getCueMatcher(extra?: Record<string, string[]>, options: CueOptions = {}): CueMatcher {
  if (!extra) return (defaultMatcher ??= new CueMatcher(cueData as Record<string, string[] | string>));
  const cache = options.patterns === false ? literalCache : extraCache;
  let m = cache.get(extra);
  if (!m) {
    m = new CueMatcher(cueData as Record<string, string[] | string>, extra, options);
    cache.set(extra, m);
  }
  return m;
}
