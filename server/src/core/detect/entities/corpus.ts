/**
 * Corpus-level name memory (transductive): names the detector found with
 * confidence in the documents of a corpus (a workspace folder) are suggested
 * where they recur in another document of it without being found there
 * (سبيكتر, found as PER in one article and missed in the next).
 *
 * Only detector output is observed (never annotations of a gold set), and only
 * names labelled consistently across the corpus are used. Keys are folded
 * forms with proclitics left out (normalize.ts), matched like the in-document
 * propagation (combine.ts), so وسبيكتر finds سبيكتر.
 */
import type { EntityCandidate } from '../types';
import { normalizeName } from './normalize';
import { mentionConfidence, mentionPacked } from './mentionNumbers';
import { LabelMap } from '../../labels/labelMap';

/** Candidates below this confidence are not remembered. */
const OBSERVE_MIN_CONFIDENCE = 0.6;
/** Share of a name's corpus mentions that must carry its majority label. */
const CONSISTENCY = 0.8;

export interface CorpusHit {
  label: string;
  /** Mean confidence of the mentions with that label. */
  confidence: number;
  /** Documents in which the name was found with that label. */
  documents: number;
}

/** A name found in a document, already normalised (normalizeName). */
export interface ObservedName {
  normalized: string;
  label: string;
  confidence: number;
  source: string;
}

/**
 * The same names as columns (a document summary's FoundNames): the numbers of
 * each mention in mentionNumbers' layout.
 */
export interface ObservedColumns {
  normalized: readonly string[];
  numbers: DataView;
  labels: readonly string[];
  sources: readonly string[];
}

type Observed = readonly ObservedName[] | ObservedColumns;

/** The fourth number of a mention: its label's and source's places in the tables. */
export function packLabelSource(label: number, source: number): number {
  return label * 256 + source;
}

/** The label of mention `i` of the columns. */
export function observedLabel(c: ObservedColumns, i: number): string | undefined {
  return c.labels[mentionPacked(c.numbers, i) >>> 8];
}

/** The source of mention `i` of the columns. */
export function observedSource(c: ObservedColumns, i: number): string | undefined {
  return c.sources[mentionPacked(c.numbers, i) & 255];
}

/** Calls `visit` for each name, without making an object of each mention of the columns. */
function eachObserved(found: Observed, visit: (normalized: string, label: string, confidence: number, source: string) => void): void {
  if (Array.isArray(found)) {
    for (const c of found as readonly ObservedName[]) visit(c.normalized, c.label, c.confidence, c.source);
    return;
  }
  const c = found as ObservedColumns;
  for (let i = 0; i < c.normalized.length; i++) visit(c.normalized[i], observedLabel(c, i)!, mentionConfidence(c.numbers, i), observedSource(c, i)!);
}

/** key → label → [documents, mentions, summed confidence, last count pass]. */
type Totals = Map<string, LabelMap<[number, number, number, number]>>;

/** Name totals as parallel rows: key, label, and per row documents, mentions and summed confidence. */
export interface NameTotalsRows {
  keys: string[];
  labels: string[];
  numbers: number[];
}

/**
 * Numbers each counting pass (of any totals), so that a document counts once per name and
 * label however often it has it: the last pass is kept with each total.
 */
let passes = 0;

/**
 * Adds a document's evidence to `totals` (`sign` 1) or takes it out (-1). `added`/`removed`
 * hear of names that enter or leave the totals.
 */
function countInto(totals: Totals, found: Observed, sign: 1 | -1, added?: (key: string) => void, removed?: (key: string) => void): void {
  const pass = ++passes;
  eachObserved(found, (key, label, confidence, source) => {
    if (!isEvidence(key, confidence, source)) return;
    let t = totals.get(key);
    if (!t) {
      if (sign < 0) return;
      totals.set(key, (t = new LabelMap()));
      added?.(key);
    }
    let v = t.get(label);
    if (!v) {
      if (sign < 0) return;
      t.set(label, (v = [0, 0, 0, 0]));
    }
    if (v[3] !== pass) {
      v[3] = pass;
      v[0] += sign;
    }
    v[1] += sign;
    v[2] += sign * confidence;
    if (v[0] <= 0) {
      t.delete(label);
      if (t.size === 0) {
        totals.delete(key);
        removed?.(key);
      }
    }
  });
}

interface DocNames {
  /**
   * The document's mentions as it gave them (a summary's columns, held by the corpus memory
   * anyway): its evidence is computed again when it is forgotten or left out of a lookup. A
   * per-document copy of the evidence was a fifth of the corpus memory (1.7 KB a document).
   */
  found: Observed;
  /** Attached (attachOwn): the totals came with it from corpus statistics, so forgetting it leaves them alone. */
  attached?: boolean;
}

export class CorpusNames {
  private readonly docs = new Map<string, DocNames>();
  /** key → label → [documents, mentions, summed confidence, last count pass] over all documents. */
  private readonly totals: Totals = new Map();
  /** First token of the remembered names → how many names start with it. */
  private readonly firstTokens = new Map<string, number>();
  /**
   * First token → the most tokens a name starting with it has had (an upper bound: it does not
   * shrink on forget). Propagation tries the lengths a name could have from each token; bounded
   * by the corpus' longest name, that was most of its time (a quarter of a document's analysis).
   */
  private readonly longestFrom = new Map<string, number>();

  private noteNewKey(key: string): void {
    const f = firstToken(key);
    this.firstTokens.set(f, (this.firstTokens.get(f) ?? 0) + 1);
    const n = key.split(' ').length;
    if (n > (this.longestFrom.get(f) ?? 0)) this.longestFrom.set(f, n);
  }

  /** Remembers the names found in a document (replacing what was observed for it before). */
  observe(docId: string, text: string, candidates: readonly EntityCandidate[]): void {
    this.observeNames(docId, candidates.map((c) => ({ normalized: normalizeName(text.slice(c.start, c.end)), label: c.label, confidence: c.confidence, source: c.source })));
  }

  /** Same as `observe`, from names already normalised (a document summary: the text need not be at hand). */
  observeNames(docId: string, found: Observed): void {
    this.forget(docId);
    this.docs.set(docId, { found });
    this.count(found, 1);
  }

  /**
   * Adds a document's evidence to the totals (`sign` 1) or takes it out (-1), mention by
   * mention: no table per document (a restart observes 1.2 million mentions at 20,000
   * documents).
   */
  private count(found: Observed, sign: 1 | -1): void {
    countInto(this.totals, found, sign, (key) => this.noteNewKey(key), (key) => this.dropKey(key));
  }

  /** A name left the totals: one name fewer starts with its first token. */
  private dropKey(key: string): void {
    const f = firstToken(key);
    const k = (this.firstTokens.get(f) ?? 0) - 1;
    if (k > 0) this.firstTokens.set(f, k);
    else this.firstTokens.delete(f);
  }

  /**
   * The totals as rows, less the evidence of the `excluded` documents' names (a snapshot of
   * what some of the documents held count: see CorpusMemory.totals). The totals are unchanged.
   */
  totalsRows(excluded: Iterable<Observed> = []): NameTotalsRows {
    const copy: Totals = new Map();
    for (const [key, byLabel] of this.totals) copy.set(key, new LabelMap([...byLabel].map(([label, v]): [string, [number, number, number, number]] => [label, [v[0], v[1], v[2], v[3]]])));
    for (const found of excluded) countInto(copy, found, -1);
    const out: NameTotalsRows = { keys: [], labels: [], numbers: [] };
    for (const [key, byLabel] of copy) {
      for (const [label, v] of byLabel) {
        out.keys.push(key);
        out.labels.push(label);
        out.numbers.push(v[0], v[1], v[2]);
      }
    }
    return out;
  }

  /**
   * Registers a document whose evidence the totals count already (they were read from a
   * snapshot: CorpusMemory.installTotals). Unlike `attachOwn`, forgetting it takes its
   * evidence out, as for an observed document.
   */
  registerCounted(docId: string, found: Observed): void {
    if (this.docs.has(docId)) throw new Error(`${docId} is observed already`);
    this.docs.set(docId, { found });
  }

  /** Takes a document's evidence out of the totals without it being registered (it was counted by a snapshot). */
  uncount(found: Observed): void {
    this.count(found, -1);
  }

  /**
   * Registers a document's own names when the totals already count it (they
   * came from corpus statistics that include the document): lookups leave it
   * out, as `observeNames` would, and the totals do not count it twice.
   */
  attachOwn(docId: string, found: Observed): void {
    this.docs.delete(docId);
    this.docs.set(docId, { found, attached: true });
  }

  /** Every remembered name with, per label, [documents, mentions, summed confidence] (for corpus statistics). */
  *totalsEntries(): IterableIterator<[string, string, [number, number, number]]> {
    for (const [key, byLabel] of this.totals) for (const [label, v] of byLabel) yield [key, label, [v[0], v[1], v[2]]];
  }

  /** Adds totals of documents that are not held here (from corpus statistics). */
  addBase(key: string, label: string, [documents, mentions, confidence]: readonly [number, number, number]): void {
    let t = this.totals.get(key);
    if (!t) {
      this.totals.set(key, (t = new LabelMap()));
      this.noteNewKey(key);
    }
    const v = t.get(label) ?? [0, 0, 0, 0];
    v[0] += documents;
    v[1] += mentions;
    v[2] += confidence;
    t.set(label, v);
  }

  /** Drops what was observed for a document (closed, deleted or about to be re-observed). */
  forget(docId: string): void {
    const d = this.docs.get(docId);
    if (!d) return;
    this.docs.delete(docId);
    if (d.attached) return;
    this.count(d.found, -1);
  }

  get size(): number {
    return this.docs.size;
  }

  /** Does a remembered name start with this folded token? */
  startsName(token: string): boolean {
    return this.firstTokens.has(token);
  }

  /** The most tokens a remembered name starting with `token` may have (0: none starts with it). */
  longestStartingWith(token: string): number {
    return this.firstTokens.has(token) ? (this.longestFrom.get(token) ?? 0) : 0;
  }

  /**
   * The evidence of the document last left out of a lookup: a document's analysis asks for
   * many names in a row, each leaving that document out (computed again for each, the CLI
   * with corpus names ran 6 % slower).
   */
  private own: { found: Observed; evidence: Map<string, Map<string, [number, number]>> } | undefined;

  /** label → [mentions, summed confidence] of one name in one document's evidence. */
  private ownEvidence(docId: string, key: string): Map<string, [number, number]> | undefined {
    const d = this.docs.get(docId);
    if (!d) return undefined;
    if (this.own?.found !== d.found) this.own = { found: d.found, evidence: evidenceOf(d.found) };
    return this.own.evidence.get(key);
  }

  /**
   * The consistent label of a folded name key, or undefined. `excludeDoc`
   * leaves one document's own observations out (a document is not evidence for itself).
   */
  lookup(key: string, excludeDoc?: string): CorpusHit | undefined {
    const t = this.totals.get(key);
    if (!t) return undefined;
    const own = excludeDoc !== undefined ? this.ownEvidence(excludeDoc, key) : undefined;
    let best: CorpusHit | undefined;
    let total = 0;
    let bestMentions = 0;
    for (const [label, [docs, n, conf]] of t) {
      const o = own?.get(label);
      const d = docs - (o ? 1 : 0);
      const m = n - (o ? o[0] : 0);
      const c = conf - (o ? o[1] : 0);
      if (d <= 0 || m <= 0) continue;
      total += m;
      if (m > bestMentions) {
        bestMentions = m;
        best = { label, confidence: c / m, documents: d };
      }
    }
    if (!best || bestMentions < CONSISTENCY * total) return undefined;
    return best;
  }
}

/** The first token of a name key (tokens are separated by single spaces). */
export function firstToken(key: string): string {
  const sp = key.indexOf(' ');
  return sp < 0 ? key : key.slice(0, sp);
}

/** Does a mention count as evidence for its name? Corpus suggestions themselves are not (no self-reinforcement). */
function isEvidence(normalized: string, confidence: number, source: string): boolean {
  return !!normalized && confidence >= OBSERVE_MIN_CONFIDENCE && !source.includes('corpus');
}

/** name → label → [mentions, summed confidence] of a document's mentions that count as evidence. */
function evidenceOf(found: Observed): Map<string, Map<string, [number, number]>> {
  const out = new Map<string, Map<string, [number, number]>>();
  eachObserved(found, (normalized, label, confidence, source) => {
    if (!isEvidence(normalized, confidence, source)) return;
    let byLabel = out.get(normalized);
    if (!byLabel) out.set(normalized, (byLabel = new Map()));
    const v = byLabel.get(label);
    if (v) {
      v[0] += 1;
      v[1] += confidence;
    } else byLabel.set(label, [1, confidence]);
  });
  return out;
}
