/**
 * Gazetteer lookup over token sequences. Names are matched on folded tokens
 * (arabic.ts), longest match first; the first token may carry proclitics
 * (وباكستان), which are then left out of the span.
 */
import data from '../../../../../data/gazetteers/gazetteer.json';
import { foldArabic, PROCLITICS } from '../../text/arabic';
import { tokenize, type Token } from '../../text/tokenize';
import { PackedMap } from '../../text/stringTable';
import type { EntityFacts } from '../types';

export interface GazetteerEntry {
  n: string;
  t: string;
  l: string;
  c?: string;
  i?: string;
  a?: string[];
  o: string;
}

export interface GazetteerMatch {
  /** Token indices, end exclusive. */
  first: number;
  last: number;
  /** Folded units of the first token left out (proclitics). */
  skip: number;
  entry: GazetteerEntry;
}

interface Node {
  /** Absent on the last word of a name (most nodes: an empty Map each was 1 MB per scan thread). */
  next?: Map<string, Node>;
  entry?: GazetteerEntry;
}

/**
 * Which UTF-16 units start a key of a map, and which pairs of units: most tokens of a page
 * (every Latin word of an English page) start with a unit no gazetteer name or trigger word
 * starts with, or, since the country names give every Latin letter a key, with a pair of
 * units none starts with. A few array reads answer for those, where a lookup in a map of
 * thousands of names cost a hash and a probe (a tenth of the Arabic pipeline's pass over an
 * English page). The pairs are filed under a 16-bit hash: a collision only sends a word on
 * to the lookup, as before.
 */
export class FirstUnits {
  private readonly flags = new Uint8Array(65536);
  /** Units that are a key on their own. */
  private readonly single = new Uint8Array(65536);
  private readonly pairs = new Uint8Array(65536);
  add(key: string): void {
    if (!key.length) return;
    const c = key.charCodeAt(0);
    this.flags[c] = 1;
    if (key.length === 1) this.single[c] = 1;
    else this.pairs[pairHash(c, key.charCodeAt(1))] = 1;
  }
  /** False only when no key added starts with s[from..] as its first units (s[from..] is then no key; an empty rest may be). */
  mayStart(s: string, from = 0): boolean {
    if (from >= s.length) return true;
    const c = s.charCodeAt(from);
    if (this.flags[c] !== 1) return false;
    return from + 1 >= s.length ? this.single[c] === 1 : this.pairs[pairHash(c, s.charCodeAt(from + 1))] === 1;
  }
}
const pairHash = (a: number, b: number) => (Math.imul(a, 0x9e37) ^ b) & 0xffff;

export class Gazetteer {
  private readonly root: Node = { next: new Map() };
  private readonly heads = new FirstUnits();
  private readonly triggerHeads = new FirstUnits();
  readonly givenNames: Set<string>;
  /**
   * Consonant skeleton (text/skeleton.ts) of Latin-script names → their classes: P given
   * name, S surname, L place, O organisation (compromise's lexicon, compiled at build time).
   */
  readonly latinNames: Map<string, string>;
  /**
   * Folded person-name tokens of Wikidata humans → their group: how much more often the
   * token is a name than a word (a, b, c) and how common a name it is (3, 2, 1); see
   * scripts/build-gazetteers.ts.
   */
  readonly nameTokens: PackedMap<string>;
  readonly blacklist: Set<string>;
  /** Folded trigger word → labels it announces (read-only: triggersAt keeps which units start one). */
  readonly triggers: ReadonlyMap<string, string[]>;
  /** Folded single-token names (for the proclitic vocabulary check). */
  readonly words = new Map<string, number>();
  /** Folded nationality adjectives derived from country names (إيران → إيراني, الإيرانية…). */
  readonly nationalities = new Set<string>();

  constructor(d: {
    entries: GazetteerEntry[];
    triggers: Record<string, string[]>;
    givenNames: string[];
    blacklist: string[];
    latinNames?: Record<string, string>;
    nameTokens?: Record<string, string>;
    /** Cities of the world-cities list by ISO country code: `name|alternative|…;name…` (compact: 5,000 of them). */
    worldCities?: { countries: Record<string, string>; cities: Record<string, string> };
  }) {
    this.latinNames = new Map(Object.entries(d.latinNames ?? {}));
    // After every other entry, which win a shared name (insert keeps the first).
    const world: GazetteerEntry[] = [];
    for (const [code, list] of Object.entries(d.worldCities?.cities ?? {})) {
      const country = d.worldCities!.countries[code] ?? code;
      for (const city of list.split(';')) {
        const [n, ...a] = city.split('|');
        if (n) world.push({ n, t: 'city', l: 'LOC', c: country, ...(a.length ? { a } : {}), o: 'world-cities' });
      }
    }
    d = { ...d, entries: [...d.entries, ...world] };
    this.nameTokens = PackedMap.fromGroups(d.nameTokens ?? {});
    for (const e of d.entries) for (const name of [e.n, ...(e.a ?? [])]) this.insert(name, e);
    for (const e of d.entries) if (e.t === 'country') for (const name of [e.n, ...(e.a ?? [])]) this.addNationality(foldArabic(name));
    this.givenNames = new Set(d.givenNames.map(foldArabic));
    this.blacklist = new Set(d.blacklist.map(foldArabic));
    const triggers = new Map<string, string[]>();
    for (const [label, words] of Object.entries(d.triggers)) {
      for (const w of words) {
        const f = foldArabic(w);
        const l = triggers.get(f) ?? [];
        if (!l.includes(label)) l.push(label);
        triggers.set(f, l);
        this.triggerHeads.add(f);
      }
    }
    this.triggers = triggers;
  }

  /** The labels the trigger word `folded.slice(from)` announces (as triggers.get, without the slice for most words). */
  triggersAt(folded: string, from = 0): string[] | undefined {
    if (!this.triggerHeads.mayStart(folded, from)) return undefined;
    return this.triggers.get(from ? folded.slice(from) : folded);
  }

  /**
   * Arabic nisba adjectives of a one-word country name: drop the article and a
   * final ا / يا / ه, add ي (فرنسا → فرنسي, ألمانيا → ألماني, السعودية → سعودي).
   * News writes "the Swiss Federer", so these announce a name next to them;
   * ANERcorp itself does not tag them.
   */
  private addNationality(folded: string): void {
    if (folded.includes(' ') || !/^[\u0600-\u06ff]+$/.test(folded)) return;
    let stem = folded.startsWith('ال') ? folded.slice(2) : folded;
    if (stem.endsWith('يا')) stem = stem.slice(0, -2);
    else if (stem.endsWith('ا') || stem.endsWith('ه')) stem = stem.slice(0, -1);
    if (stem.length < 2) return;
    for (const end of ['ي', 'يه', 'يون', 'يين', 'يان']) {
      this.nationalities.add(stem + end);
      this.nationalities.add('ال' + stem + end);
    }
  }

  private insert(name: string, entry: GazetteerEntry): void {
    const toks = tokenize(name).map((t) => t.folded);
    if (toks.length === 0) return;
    this.heads.add(toks[0]);
    let node = this.root;
    for (const t of toks) {
      this.words.set(t, (this.words.get(t) ?? 0) + 1);
      node.next ??= new Map();
      let n = node.next.get(t);
      if (!n) node.next.set(t, (n = {}));
      node = n;
    }
    // First entry wins: countries are inserted before cities of the same name.
    if (!node.entry) node.entry = entry;
  }

  /** Longest non-overlapping matches, left to right. */
  match(tokens: Token[]): GazetteerMatch[] {
    const out: GazetteerMatch[] = [];
    for (let i = 0; i < tokens.length; ) {
      const m = this.matchAt(tokens, i);
      if (m) {
        out.push(m);
        i = m.last;
      } else i++;
    }
    return out;
  }

  private matchAt(tokens: Token[], i: number): GazetteerMatch | undefined {
    const first = tokens[i].folded;
    // The whole token first; then without each proclitic it may start with (no allocation
    // per token: most tokens start with none, and every token of a document comes here).
    let best = this.walk(tokens, i, first, 0, undefined);
    if (best || !PROCLITIC_STARTS.has(first.charCodeAt(0))) return best; // a match of the whole token beats a stripped one (بغداد)
    for (const p of PROCLITICS) if (first.length > p.length + 1 && first.startsWith(p)) best = this.walk(tokens, i, first.slice(p.length), p.length, best);
    return best;
  }

  /** The longest entry from token i (its folded form as `head`) that is longer than `best`. */
  private walk(tokens: Token[], i: number, head: string, skip: number, best: GazetteerMatch | undefined): GazetteerMatch | undefined {
    if (head.length && !this.heads.mayStart(head)) return best;
    let node = this.root.next?.get(head);
    let j = i + 1;
    while (node) {
      if (node.entry && (!best || j > best.last)) best = { first: i, last: j, skip, entry: node.entry };
      if (j >= tokens.length) break;
      node = node.next?.get(tokens[j].folded);
      j++;
    }
    return best;
  }
}

/** First UTF-16 units of the proclitics (a token starting with none of them has none to strip). */
const PROCLITIC_STARTS = new Set(PROCLITICS.map((p) => p.charCodeAt(0)));

export function factsOf(e: GazetteerEntry): EntityFacts {
  const f: EntityFacts = { canonical: e.n, type: e.t, origin: e.o };
  if (e.t === 'country') {
    if (e.i) f.iso = e.i;
  } else if (e.c) f.country = e.c;
  if (e.a && e.a.length) f.altNames = e.a.slice(0, 8);
  return f;
}

let shared: Gazetteer | undefined;
/** The shipped gazetteer, built once on first use. */
export function defaultGazetteer(): Gazetteer {
  return (shared ??= new Gazetteer(data as never));
}
