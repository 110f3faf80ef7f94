/**
 * Feature extraction for the sequence tagger: one list of string features
 * per token. Context (gazetteer matches, triggers, word frequencies) is
 * computed once per document and passed in, so extraction stays linear.
 */
import { procliticLength } from '../../text/arabic';
import type { Token } from '../../text/tokenize';
import type { Gazetteer, GazetteerMatch } from './gazetteer';

export interface FeatureContext {
  gazetteer: Gazetteer;
  /** Folded word → frequency in the training text (0 = unseen). */
  freq: (w: string) => number;
}

export interface TokenInfo {
  folded: string;
  stem: string;
  /** Proclitic prefix length (folded units), see arabic.ts. */
  clitic: number;
  gaz?: string;
  kind: Token['kind'];
  /** Cues seen around other occurrences of the same stem in the document (see aggregateContext). */
  agg?: string[];
}

/** Known-word lookup for proclitic stripping: training frequency plus gazetteer names. */
export function knownLookup(ctx: FeatureContext): (w: string) => number {
  return (w) => ctx.freq(w) + (ctx.gazetteer.words.get(w) ?? 0) * 5;
}

export function tokenInfos(tokens: Token[], ctx: FeatureContext, matches: GazetteerMatch[]): TokenInfo[] {
  const known = knownLookup(ctx);
  const infos: TokenInfo[] = tokens.map((t) => {
    const clitic = t.kind === 'word' ? procliticLength(t.folded, known) : 0;
    let stem = t.folded.slice(clitic);
    if (stem.length > 4 && (stem.startsWith('ال') || stem.startsWith('لل'))) stem = stem.slice(2);
    return { folded: t.folded, stem, clitic, kind: t.kind };
  });
  for (const m of matches) {
    for (let k = m.first; k < m.last; k++) infos[k].gaz = `${m.entry.l}${m.entry.t[0]}${k === m.first ? 'B' : 'I'}${m.last - m.first > 1 ? 'm' : ''}`;
  }
  if (AGGREGATE) aggregateContext(infos, ctx);
  return infos;
}

const AGGREGATE = process.env.NER_NO_AGG !== '1';

/**
 * Document-level context aggregation (non-local features): a name is often
 * introduced once with a telling context (the minister X, X said, after a
 * given name) and then repeated bare. Each word collects the local cues of
 * every occurrence of its stem in the document — no predictions involved, so
 * training and tagging see exactly the same features.
 */
function aggregateContext(infos: TokenInfo[], ctx: FeatureContext): void {
  const gaz = ctx.gazetteer;
  const cues = new Map<string, Set<string>>();
  const trig = (j: number) => (j < 0 || j >= infos.length || infos[j].kind !== 'word' ? undefined : gaz.triggers.get(infos[j].folded) ?? gaz.triggers.get(infos[j].folded.slice(infos[j].clitic)));
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (t.kind !== 'word' || t.stem.length < 2) continue;
    let set = cues.get(t.stem);
    if (!set) cues.set(t.stem, (set = new Set()));
    const p1 = trig(i - 1);
    if (p1) for (const l of p1) set.add('t-1' + l);
    const p2 = trig(i - 2);
    if (p2) for (const l of p2) set.add('t-2' + l);
    const n1 = trig(i + 1);
    if (n1) for (const l of n1) set.add('t1' + l);
    if (i > 0 && gaz.givenNames.has(infos[i - 1].stem)) set.add('gn-1');
    if (i + 1 < infos.length && gaz.givenNames.has(infos[i + 1].stem)) set.add('gn+1');
    if (i + 1 < infos.length && gaz.nationalities.has(infos[i + 1].folded.slice(infos[i + 1].clitic))) set.add('nat1');
    if (t.gaz) set.add('g' + t.gaz.slice(0, -1));
    if (t.clitic) set.add('cl');
    if (i > 0 && infos[i - 1].kind === 'symbol' && OPEN_QUOTES.has(infos[i - 1].folded)) set.add('q');
    set.add(t.folded.startsWith('ال', t.clitic) ? 'al' : 'noal');
    if (FE) {
      if (i > 0 && infos[i - 1].kind === 'word') set.add('<' + infos[i - 1].stem);
      if (i + 1 < infos.length && infos[i + 1].kind === 'word') set.add('>' + infos[i + 1].stem);
    }
  }
  for (const t of infos) {
    if (t.kind !== 'word' || t.stem.length < 2) continue;
    const set = cues.get(t.stem);
    if (set && set.size) t.agg = [...set];
  }
}

const NAME_PARTICLES = new Set(['عبد', 'بن', 'ابن', 'ابو', 'ابي', 'ابا', 'بنت', 'ام', 'ال', 'ولد', 'دي', 'دو', 'فان', 'فون', 'دل', 'لا']);
const OPEN_QUOTES = new Set(['"', '“', '«', '„', "'", '(']);

function freqBucket(n: number): string {
  return n === 0 ? '0' : n === 1 ? '1' : n < 5 ? '2' : n < 20 ? '3' : n < 100 ? '4' : '5';
}

function shape(t: TokenInfo): string {
  if (t.kind !== 'word') return t.kind === 'number' ? 'N' : t.folded.length === 1 ? 'P' : 'S';
  const c = t.folded.charCodeAt(0);
  const script = c >= 0x0600 && c <= 0x06ff ? 'A' : c < 0x250 ? 'L' : 'O';
  const len = t.folded.length;
  return script + (len <= 2 ? '2' : len <= 4 ? '4' : len <= 7 ? '7' : '9');
}

/**
 * Receives one feature as a template (constant, e.g. `w=`) and a value (e.g.
 * the folded word). Tagging looks the pair up in nested maps, so no feature
 * string is built: hashing freshly concatenated strings was most of the cost.
 * Training joins the two (`w=` + value), which is the form the model stores.
 */
export type Emit = (template: string, value: string) => void;

/** Features of token `i` of a sentence (tokens [0, n) of `infos`, the sentence only). */
export function tokenFeatures(infos: TokenInfo[], i: number, ctx: FeatureContext, raw: Token[]): string[] {
  const f: string[] = [];
  emitFeatures(infos, i, ctx, raw, (t, v) => f.push(t + v));
  return f;
}

export function emitFeatures(infos: TokenInfo[], i: number, ctx: FeatureContext, raw: Token[], f: Emit): void {
  const t = infos[i];
  const w = t.folded;
  const s = t.stem;
  f('b', '');
  f('w=', w);
  f('s=', s);
  f('sh=', shape(t));
  f('fq=', freqBucket(ctx.freq(w)));
  f('sfq=', freqBucket(ctx.freq(s)));
  const at = (k: number) => (k < 0 ? '<s>' : k >= infos.length ? '</s>' : infos[k].folded);
  const st = (k: number) => (k < 0 ? '<s>' : k >= infos.length ? '</s>' : infos[k].stem);
  if (t.kind === 'word') {
    for (let k = 1; k <= 3 && k < s.length; k++) f(PREFIX[k], s.slice(0, k));
    for (let k = 1; k <= 4 && k < s.length; k++) f(SUFFIX[k], s.slice(-k));
    if (t.clitic) f('cl=', w.slice(0, t.clitic));
    if (w.startsWith('ال', t.clitic)) f('al', '');
    if (/^[A-Z]/.test(raw[i].text)) f('cap', '');
  }
  if (i === 0) f('first', '');
  f('w-1=', at(i - 1));
  f('w+1=', at(i + 1));
  f('w-2=', at(i - 2));
  f('w+2=', at(i + 2));
  f('s-1=', st(i - 1));
  f('s+1=', st(i + 1));
  f('w-1w=', at(i - 1) + '|' + w);
  f('ww+1=', w + '|' + at(i + 1));
  if (FA) {
    f('s-1s=', st(i - 1) + '|' + s);
    f('ss+1=', s + '|' + st(i + 1));
    f('w-2w-1=', at(i - 2) + '|' + at(i - 1));
    f('w+1w+2=', at(i + 1) + '|' + at(i + 2));
  }
  if (FB) {
    if (i > 0 && infos[i - 1].kind === 'word') f('p-1=', infos[i - 1].stem.slice(0, 2));
    if (i + 1 < infos.length && infos[i + 1].kind === 'word') f('p+1=', infos[i + 1].stem.slice(0, 2));
    if (i + 1 < infos.length && infos[i + 1].kind === 'word') f('x3+1=', infos[i + 1].stem.slice(-3));
    f('s-2=', st(i - 2));
    f('s+2=', st(i + 2));
  }
  if (i > 0) {
    f('x-1=', infos[i - 1].stem.slice(-2));
    f('sh-1=', shape(infos[i - 1]));
  }
  if (i + 1 < infos.length) {
    f('x+1=', infos[i + 1].stem.slice(-2));
    f('sh+1=', shape(infos[i + 1]));
  }
  // Gazetteer: the token's own match, and its neighbours'.
  f('g=', t.gaz ?? '-');
  if (i > 0 && infos[i - 1].gaz) f('g-1=', infos[i - 1].gaz!);
  if (i + 1 < infos.length && infos[i + 1].gaz) f('g+1=', infos[i + 1].gaz!);
  const gaz = ctx.gazetteer;
  if (gaz.givenNames.has(s) || gaz.givenNames.has(w)) f('gn', '');
  if (i > 0 && gaz.givenNames.has(infos[i - 1].stem)) f('gn-1', '');
  if (i + 1 < infos.length && gaz.givenNames.has(infos[i + 1].stem)) f('gn+1', '');
  if (FC) {
    if (i > 1 && gaz.givenNames.has(infos[i - 2].stem)) f('gn-2', '');
    if (i + 2 < infos.length && gaz.givenNames.has(infos[i + 2].stem)) f('gn+2', '');
    if (i > 0 && NAME_PARTICLES.has(infos[i - 1].folded)) f('pt-1', '');
    if (i + 1 < infos.length && NAME_PARTICLES.has(infos[i + 1].folded)) f('pt+1', '');
  }
  // Trigger words up to two tokens before, and one after.
  for (const k of [-2, -1, 1]) {
    const j = i + k;
    if (j < 0 || j >= infos.length) continue;
    const labels = gaz.triggers.get(infos[j].folded) ?? gaz.triggers.get(infos[j].folded.slice(infos[j].clitic));
    if (labels) for (const l of labels) f(TRIGGER[k + 2], l);
  }
  // Nationality adjectives (الإيراني) sit next to names and are not names themselves.
  for (const k of [-2, -1, 0, 1]) {
    const j = i + k;
    if (j >= 0 && j < infos.length && gaz.nationalities.has(infos[j].folded.slice(infos[j].clitic))) f(NATIONALITY[k + 2], '');
  }
  const own = gaz.triggers.get(w) ?? gaz.triggers.get(s);
  if (own) for (const l of own) f('tr0=', l);
  if (t.agg) for (const v of t.agg) f('d=', v);
}

const FA = /A/.test(process.env.NER_FEAT ?? '');
const FB = /B/.test(process.env.NER_FEAT ?? '');
const FE = /E/.test(process.env.NER_FEAT ?? '');
const FC = /C/.test(process.env.NER_FEAT ?? '');
const PREFIX = ['', 'p1=', 'p2=', 'p3='];
const SUFFIX = ['', 'x1=', 'x2=', 'x3=', 'x4='];
const TRIGGER = ['tr-2=', 'tr-1=', '', 'tr1='];
const NATIONALITY = ['nat-2', 'nat-1', 'nat0', 'nat1'];
