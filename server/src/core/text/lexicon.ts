/**
 * "Is this a known common word?": a small hunspell-compatible checker over the
 * Ayaspell Arabic dictionary without its proper-name sections
 * (data/lexicon/ar-hunspell.json, built by scripts/build-lexicon.ts; MPL 1.1).
 * Names are rarely dictionary words, so this is a feature for the entity tagger.
 *
 * It mirrors hunspell's acceptance for what ar.aff uses: two-character flags,
 * PFX/SFX rules (strip, add, condition, cross product), suffix continuation
 * classes (two suffix levels), prefix + suffix combinations, IGNORE and ICONV.
 * ar.aff has no NEEDAFFIX, FORBIDDENWORD, ONLYINCOMPOUND, CIRCUMFIX, compounding
 * or COMPLEXPREFIXES (the build script refuses an .aff that has them), and no
 * prefix has continuation flags. Not mirrored: hunspell's spell-level handling
 * of hyphens (default BREAK: each part a word) and numbers, which concerns
 * whole tokens rather than words.
 * Pure: no fs, no editor imports.
 */
import { ownString } from './ownString';
import { indexArray, StringTable } from './stringTable';
import { WordCache } from './wordCache';

/** [flag, cross product 1/0, strip, add, condition, continuation flags]; flags are two-character codes, concatenated. */
export type AffixRow = [flag: string, cross: 0 | 1, strip: string, add: string, condition: string, continuation: string];

export interface LexiconData {
  about?: string;
  /** Characters removed from the input (already removed from stems and affixes). */
  ignore: string;
  /** Input conversions [from, to]. */
  iconv: [string, string][];
  prefixes: AffixRow[];
  suffixes: AffixRow[];
  /** The flag strings of the stems ('' for none). */
  flags: string[];
  /**
   * Flags → the stems that have them, space-separated. The key lists indexes into `flags`,
   * comma-separated when a stem is listed with different flags (homonyms: each must
   * satisfy the rules by itself).
   */
  stems: Record<string, string>;
}

/** A flag set: flags[id] is 1 when the flag is in the set. */
type Flags = Uint8Array;

interface Affix {
  flag: number;
  cross: boolean;
  /** One entry per character of the condition: undefined for '.', else the characters of `[...]` (or the literal) and whether it is `[^...]`. */
  cond: ({ chars: string; not: boolean } | undefined)[];
  cont: Flags | undefined;
}

/** The affixes that add the same string and strip the same string: they share the stem to look up. */
interface Group {
  strip: string;
  affixes: Affix[];
}
/**
 * Affixes by their added string: a trie over its characters (from the end of the
 * word for suffixes), so the affixes that fit a word are found without slicing it.
 */
interface Index {
  groups?: Group[];
  next?: Map<number, Index>;
}

export class AffixLexicon {
  /** The stems (108,000 in ar.aff's dictionary; packed, as each scan thread holds a copy). */
  private readonly stems: StringTable;
  /** Each stem's flag sets by stem id: an index into `homonymSets` (one set for most stems, several for homonyms). */
  private readonly homonymsOf: Uint8Array | Uint16Array | Uint32Array;
  private readonly homonymSets: Flags[][];
  private readonly prefixes: Index = {};
  private readonly suffixes: Index = {};
  /** Continuation flag → the suffixes whose continuation class has it (which may precede a suffix with that flag). */
  private readonly inner = new Map<number, Index>();
  private readonly ignore: RegExp | undefined;
  private readonly iconv = new Map<string, [string, string][]>();

  private constructor(data: LexiconData) {
    const ids = new Map<string, number>();
    for (const [flag] of [...data.prefixes, ...data.suffixes]) if (!ids.has(flag)) ids.set(flag, ids.size);
    // Flags that name no affix cannot matter, so they are left out of the sets.
    const flagSet = (s: string): Flags | undefined => {
      if (!s) return undefined;
      const set = new Uint8Array(ids.size);
      for (let i = 0; i + 1 < s.length; i += 2) {
        const id = ids.get(s.slice(i, i + 2));
        if (id !== undefined) set[id] = 1;
      }
      return set;
    };
    const none = new Uint8Array(ids.size);
    const sets = data.flags.map((flags) => flagSet(flags) ?? none);
    const words: string[] = [];
    const setOf: number[] = [];
    const homonymSets: Flags[][] = [];
    for (const [key, list] of Object.entries(data.stems)) {
      const set = homonymSets.push(key.split(',').map((i) => sets[Number(i)])) - 1;
      for (const stem of list.split(' ')) words.push(stem), setOf.push(set);
    }
    const { table, ids: stemIds } = StringTable.from(words);
    // A stem listed under several keys has all their flag sets (hunspell's homonyms), in order.
    const joined = new Int32Array(table.size).fill(-1);
    for (let i = 0; i < stemIds.length; i++) {
      const id = stemIds[i];
      if (joined[id] < 0) joined[id] = setOf[i];
      else joined[id] = homonymSets.push([...homonymSets[joined[id]], ...homonymSets[setOf[i]]]) - 1;
    }
    this.stems = table;
    this.homonymSets = homonymSets;
    this.homonymsOf = indexArray(homonymSets.length, joined.length);
    this.homonymsOf.set(joined);
    const add = (index: Index, [, , strip, added]: AffixRow, a: Affix, suffix: boolean) => {
      let node = index;
      for (const ch of suffix ? [...added].reverse() : added) {
        node.next ??= new Map();
        const c = ch.charCodeAt(0);
        if (!node.next.has(c)) node.next.set(c, {});
        node = node.next.get(c)!;
      }
      const group = node.groups?.find((g) => g.strip === strip);
      if (group) group.affixes.push(a);
      else (node.groups ??= []).push({ strip, affixes: [a] });
    };
    for (const [rows, index] of [[data.prefixes, this.prefixes], [data.suffixes, this.suffixes]] as const) {
      for (const row of rows) {
        const [flag, cross, , , condition, cont] = row;
        const a: Affix = { flag: ids.get(flag)!, cross: cross === 1, cond: parseCondition(condition), cont: flagSet(cont) };
        const suffix = index === this.suffixes;
        add(index, row, a, suffix);
        // Only suffixes stack (two levels); hunspell stacks prefixes only under COMPLEXPREFIXES.
        for (let id = 0; suffix && a.cont && id < a.cont.length; id++) {
          if (!a.cont[id]) continue;
          if (!this.inner.has(id)) this.inner.set(id, {});
          add(this.inner.get(id)!, row, a, true);
        }
      }
    }
    this.ignore = data.ignore ? new RegExp(`[${data.ignore.replace(/[\\\]^-]/g, '\\$&')}]`, 'g') : undefined;
    for (const [from, to] of data.iconv) {
      const list = this.iconv.get(from[0]) ?? [];
      list.push([from, to]);
      list.sort((x, y) => y[0].length - x[0].length); // the longest match wins
      this.iconv.set(from[0], list);
    }
  }

  static fromData(data: LexiconData): AffixLexicon {
    return new AffixLexicon(data);
  }

  /**
   * Answers already given: news repeats the same few thousand words in every article, and
   * affix stripping costs microseconds per word. Bounded: emptied when full (wordCache.ts).
   */
  private readonly memo = new WordCache<boolean>(MEMO_SIZE);

  /** Is `word` (one token) a dictionary word, by itself or with its affixes? */
  has(word: string): boolean {
    let known = this.memo.get(word);
    if (known === undefined) {
      this.memo.set(ownString(word), (known = this.check(word)));
    }
    return known;
  }

  private check(word: string): boolean {
    let w = this.iconv.size > 0 ? this.convert(word) : word;
    if (this.ignore) w = w.replace(this.ignore, '');
    // Trailing dots are punctuation to hunspell too. Unlike hunspell, nothing left
    // (e.g. a lone tatweel) is not a word.
    if (w.endsWith('.')) w = w.replace(/\.+$/, '');
    if (!w) return false;
    return this.stems.has(w) || this.prefixed(w, false) || this.suffixed(w, this.suffixes, undefined) || this.twoSuffixes(w, undefined) || this.prefixed(w, true);
  }

  /** The flag sets of a stem, one per homonym; undefined when it is not a stem. */
  private homonyms(stem: string): Flags[] | undefined {
    const id = this.stems.id(stem);
    return id < 0 ? undefined : this.homonymSets[this.homonymsOf[id]];
  }

  private convert(word: string): string {
    let out = '';
    for (let i = 0; i < word.length; ) {
      const hit = this.iconv.get(word[i])?.find(([from]) => word.startsWith(from, i));
      out += hit ? hit[1] : word[i];
      i += hit ? hit[0].length : 1;
    }
    return out;
  }

  /**
   * prefix + stem, or prefix + stem + suffix when both allow the cross product;
   * with `twoSuffixes`, prefix + stem + suffix + suffix (hunspell's last resort).
   */
  private prefixed(w: string, twoSuffixes: boolean): boolean {
    // n: length of the added string; hunspell leaves at least one character of the word.
    let node: Index | undefined = this.prefixes;
    for (let n = 0; node && n < w.length; node = node.next?.get(w.charCodeAt(n++))) {
      if (!node.groups) continue;
      const rest = w.slice(n);
      for (const g of node.groups) {
        const stem = g.strip + rest;
        const homonyms = twoSuffixes ? undefined : this.homonyms(stem);
        let cross: Affix[] | undefined;
        for (const p of g.affixes) {
          if (!matchesStart(p.cond, stem)) continue;
          if (homonyms) for (const f of homonyms) if (f[p.flag]) return true;
          if (p.cross) (cross ??= []).push(p);
        }
        // The prefixes of a group differ only by flags: the suffixes are looked for once for all of them.
        if (cross && (twoSuffixes ? this.twoSuffixes(stem, cross) : this.suffixed(stem, this.suffixes, cross))) return true;
      }
    }
    return false;
  }

  /**
   * stem + suffix from `index` (all suffixes, or those an outer suffix may follow);
   * with `pfx`, prefixes already removed: the suffix must allow the cross product,
   * and the stem (or the suffix's continuation class) must allow one of the prefixes.
   */
  private suffixed(w: string, index: Index, pfx: Affix[] | undefined): boolean {
    let node: Index | undefined = index;
    for (let n = 0; node && n < w.length; node = node.next?.get(w.charCodeAt(w.length - ++n))) {
      if (!node.groups) continue;
      const base = w.slice(0, w.length - n);
      for (const g of node.groups) {
        const stem = base + g.strip;
        const homonyms = this.homonyms(stem);
        if (!homonyms) continue;
        for (const s of g.affixes) {
          if ((pfx && !s.cross) || !matchesEnd(s.cond, stem)) continue;
          for (const f of homonyms) {
            if (!pfx) {
              if (f[s.flag]) return true;
              continue;
            }
            // A prefix's continuation class can enable a suffix the stem lacks (none in ar.aff).
            for (const p of pfx) if ((f[s.flag] || p.cont?.[s.flag]) && (f[p.flag] || s.cont?.[p.flag])) return true;
          }
        }
      }
    }
    return false;
  }

  /** stem + suffix + suffix (the inner suffix's continuation class has the outer one's flag), after prefixes `pfx` if given. */
  private twoSuffixes(w: string, pfx: Affix[] | undefined): boolean {
    let node: Index | undefined = this.suffixes;
    for (let n = 0; node && n < w.length; node = node.next?.get(w.charCodeAt(w.length - ++n))) {
      if (!node.groups) continue;
      const base = w.slice(0, w.length - n);
      for (const g of node.groups) {
        const stem = base + g.strip;
        for (const s of g.affixes) {
          const inner = this.inner.get(s.flag);
          if (!inner || (pfx && !s.cross) || !matchesEnd(s.cond, stem)) continue;
          if (!pfx) {
            if (this.suffixed(stem, inner, undefined)) return true;
            continue;
          }
          // hunspell: an outer suffix whose continuation class has the prefix's flag frees the inner one from the prefix.
          const bound = pfx.filter((p) => !s.cont?.[p.flag]);
          if (bound.length < pfx.length && this.suffixed(stem, inner, undefined)) return true;
          if (bound.length > 0 && this.suffixed(stem, inner, bound)) return true;
        }
      }
    }
    return false;
  }
}

/** hunspell conditions: a sequence of '.', a literal character, `[abc]` or `[^abc]`. */
function parseCondition(condition: string): Affix['cond'] {
  const out: Affix['cond'] = [];
  if (condition === '.') return out;
  for (let i = 0; i < condition.length; i++) {
    const c = condition[i];
    if (c === '.') out.push(undefined);
    else if (c === '[') {
      const close = condition.indexOf(']', i);
      const not = condition[i + 1] === '^';
      out.push({ chars: condition.slice(i + (not ? 2 : 1), close), not });
      i = close;
    } else out.push({ chars: c, not: false });
  }
  return out;
}

function matchesAt(cond: Affix['cond'], s: string, from: number): boolean {
  if (from < 0 || from + cond.length > s.length) return false;
  for (let i = 0; i < cond.length; i++) {
    const c = cond[i];
    if (c && c.chars.includes(s[from + i]) === c.not) return false;
  }
  return true;
}
const matchesStart = (cond: Affix['cond'], stem: string) => cond.length === 0 || matchesAt(cond, stem, 0);
const matchesEnd = (cond: Affix['cond'], stem: string) => cond.length === 0 || matchesAt(cond, stem, stem.length - cond.length);

const MEMO_SIZE = 50_000;

let shipped: AffixLexicon | undefined;

/** The Arabic common-word lexicon (loaded once, on first use). */
export function arabicLexicon(): AffixLexicon {
  // require (not import) so the JSON is only read on first use (inlined in the CLI bundle, from dist/data by the server).
  return (shipped ??= AffixLexicon.fromData(require('../../../../data/lexicon/ar-hunspell.json') as LexiconData));
}
