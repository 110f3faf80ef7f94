/**
 * What is known about the whole corpus, assembled from document summaries:
 * block counts (for `repeated` boilerplate), names the detector found across
 * documents, the user's accepted and rejected names (suggested or suppressed
 * everywhere), boilerplate decisions (applied to the same block everywhere),
 * per-document entity counts (hovers, the Entities view), label consistency
 * and review progress. Pure: the host reads files and hands summaries in.
 */
import type { ReviewProgress, ReviewStatus, SidecarAnnotation, TagFilter, WorkspaceEntity } from '../../protocol';
import { matchesTagFilter } from '../annotations/tags';
import { blockKey } from '../detect/boilerplate';
import { CorpusIndex } from '../detect/boilerplate/corpusIndex';
import { corpusRejections, CorpusNames, EntityDictionary, normalizeEntity } from '../detect/entities';
import { HashCounts } from '../text/hashCounts';
import { emptyStats, type CorpusStats } from './stats';
import { eachEntityMention, sameDecisions, sameSummary, type DocumentSummary } from './summary';
import { checkTotals, type CorpusTotals } from './totals';
import { LabelMap } from '../labels/labelMap';

/** normalised name → label → [documents, mentions, last counting pass]. */
type EntityTotals = Map<string, LabelMap<[number, number, number]>>;

/** Numbers each counting pass, so that a document counts once per name however many mentions it has. */
let countPasses = 0;

/** Adds a document's entity counts to `totals` (`sign` 1), or takes them out (-1). */
function countEntitiesInto(totals: EntityTotals, s: DocumentSummary, sign: 1 | -1): void {
  const pass = ++countPasses;
  eachEntityMention(s, (label, normalized, _text, n) => {
    let byLabel = totals.get(normalized);
    if (!byLabel) {
      if (sign < 0) return;
      totals.set(normalized, (byLabel = new LabelMap()));
    }
    let v = byLabel.get(label);
    if (!v) {
      if (sign < 0) return;
      byLabel.set(label, (v = [0, 0, 0]));
    }
    if (v[2] !== pass) {
      v[2] = pass;
      v[0] += sign;
    }
    v[1] += sign * n;
    if (v[0] <= 0) {
      byLabel.delete(label);
      if (!byLabel.size) totals.delete(normalized);
    }
  });
}

/** A name accepted with more than one label across the corpus. */
export interface Inconsistency {
  normalized: string;
  /** The label most mentions carry (ties: alphabetical). */
  majority: string;
  /** label → accepted mentions and documents with that label. */
  labels: Record<string, { mentions: number; documents: number }>;
  /** The minority mentions: document, annotation id, code point span, text and label. */
  minority: { docId: string; id: string; start: number; end: number; text: string; label: string }[];
}

export class CorpusMemory {
  readonly blocks = new CorpusIndex();
  /** Names the detector found across the corpus, suggested where they recur untagged. */
  readonly names = new CorpusNames();
  private readonly summaries = new Map<string, DocumentSummary>();
  /**
   * normalised name → label → [documents, mentions, last count() pass] over the documents held
   * (entityCountsOf each): what a hover on a name tells, without a pass over every document.
   */
  private readonly entityTotals: EntityTotals = new Map();
  private dictionaryCache: EntityDictionary | null = null;
  private decisionsCache: Map<string, boolean> | null = null;
  private labelsCache: Map<string, Map<string, { mentions: number; documents: Set<string> }>> | null = null;
  /** Increases whenever a decision anywhere changes (what other documents suggest may then change too). */
  decisionsVersion = 0;
  /**
   * Increases whenever what is held changes: a document added, removed, or replaced by a summary
   * that says something else (a buffer summarised again as it is on disk changes nothing). Figures
   * computed over the whole corpus hold while it stays the same (the Review Queue's exact ones).
   */
  contentVersion = 0;
  /** Decisions of documents not held here, from corpus statistics (`fromStats`). */
  private base: Pick<CorpusStats, 'accepted' | 'rejected' | 'decisions'> | null = null;

  /**
   * A corpus memory holding no document, only the statistics of a whole
   * corpus (from `news-annotator index`): every corpus-wide signal is what a
   * process holding the whole corpus would give. Documents of that corpus are
   * then `attachOwn`ed, so that, as in the whole corpus, none counts as
   * evidence for itself.
   */
  static fromStats(stats: CorpusStats): CorpusMemory {
    const m = new CorpusMemory();
    m.blocks.addBase(Object.entries(stats.blocks).map(([k, n]): [number, number] => [parseInt(k, 36), n]), stats.documents);
    for (const [key, byLabel] of Object.entries(stats.names)) for (const [label, v] of Object.entries(byLabel)) m.names.addBase(key, label, v);
    m.base = { accepted: stats.accepted, rejected: stats.rejected, decisions: stats.decisions };
    return m;
  }

  /** A document the statistics already count: only its own names are registered (see fromStats). */
  attachOwn(docId: string, s: DocumentSummary): void {
    this.contentVersion++;
    this.names.attachOwn(docId, s.found);
  }

  /** The mergeable statistics of this memory (see stats.ts); `analysis` names what found the names. */
  toStats(analysis: string): CorpusStats {
    const out = emptyStats(analysis);
    out.documents = this.blocks.size;
    for (const [hash, n] of this.blocks.entries()) out.blocks[hash.toString(36)] = n;
    for (const [key, label, [d, m, c]] of this.names.totalsEntries()) {
      const byLabel = (out.names[key] ??= {});
      byLabel[label] = [d, m, Math.round(c * 1e6) / 1e6];
    }
    const dict = this.dictionary();
    for (const [key, byLabel] of dict.acceptedEntries()) out.accepted[key] = Object.fromEntries(byLabel);
    for (const [key, labels] of dict.rejectedEntries()) out.rejected[key] = [...labels].sort();
    for (const [key, isBoilerplate] of this.boilerplateDecisions()) out.decisions[key] = isBoilerplate;
    return out;
  }

  get documentCount(): number {
    return this.summaries.size;
  }

  has(docId: string): boolean {
    return this.summaries.has(docId);
  }

  summary(docId: string): DocumentSummary | undefined {
    return this.summaries.get(docId);
  }

  docIds(): IterableIterator<string> {
    return this.summaries.keys();
  }

  /** Every document with its summary. */
  entries(): IterableIterator<[string, DocumentSummary]> {
    return this.summaries.entries();
  }

  /**
   * One copy of each name string for the whole corpus: the same names recur
   * in thousands of articles, and each summary would otherwise hold its own.
   */
  private readonly strings = new Map<string, string>();

  intern(x: string): string {
    const known = this.strings.get(x);
    if (known !== undefined) return known;
    this.strings.set(x, x);
    return x;
  }

  /** Interns names, texts (a text equal to its name stays that very string) and labels of found names or entity counts. */
  private internColumns(c: { normalized: string[]; text: string[]; labels: string[] }): void {
    for (let i = 0; i < c.normalized.length; i++) {
      const same = c.text[i] === c.normalized[i];
      c.normalized[i] = this.intern(c.normalized[i]);
      c.text[i] = same ? c.normalized[i] : this.intern(c.text[i]);
    }
    c.labels = c.labels.map((l) => this.intern(l));
  }

  /**
   * Adds or replaces a document. `interned`: its strings are this memory's already (a summary
   * cache reading its string tables through `intern`), so they need not be looked up one by one.
   */
  set(docId: string, s: DocumentSummary, interned = false): void {
    if (!interned) {
      // One copy of each string: a summary sent by a worker has its own.
      this.internColumns(s.found);
      s.found.sources = s.found.sources.map((x) => this.intern(x));
    }
    const prev = this.summaries.get(docId);
    if (!prev || !sameSummary(prev, s)) this.contentVersion++;
    if (prev) this.count(prev, -1);
    this.count(s, 1);
    this.summaries.set(docId, s);
    this.blocks.setKeys(docId, s.blockKeys);
    this.names.observeNames(docId, s.found);
    // A new document without decisions changes no dictionary, so nothing is rebuilt: during a scan that
    // would be every document, and everything computed from the decisions would be computed again each time.
    if (!sameDecisions(prev?.decided ?? [], s.decided)) this.invalidate(changedNames(prev?.decided ?? [], s.decided));
  }

  remove(docId: string): void {
    // An attached document (attachOwn) has no summary here, only its own names.
    const prev = this.summaries.get(docId);
    // (Attached documents belong to corpus statistics, which nothing compares versions of.)
    if (!prev) return this.names.forget(docId);
    this.contentVersion++;
    this.summaries.delete(docId);
    this.count(prev, -1);
    this.blocks.removeDocument(docId);
    this.names.forget(docId);
    this.invalidate(changedNames(prev.decided, []));
  }

  /** Adds a document's entity counts to the corpus totals (`sign` 1), or takes them out (-1). */
  private count(s: DocumentSummary, sign: 1 | -1): void {
    countEntitiesInto(this.entityTotals, s, sign);
  }

  /**
   * The corpus-wide totals (see totals.ts) over the documents held, less the `excluded` ones:
   * what a snapshot of the other documents' summaries counts. Nothing held changes.
   */
  totals(excluded: Iterable<string> = []): CorpusTotals {
    const out = [...excluded].map((id) => this.summaries.get(id)).filter((s): s is DocumentSummary => !!s);
    const blocks = new HashCounts(this.blocks.distinctKeys);
    for (const [k, n] of this.blocks.entries()) blocks.add(k, n);
    for (const s of out) for (const k of s.blockKeys) blocks.add(k, -1);
    const keys: number[] = [];
    const counts: number[] = [];
    for (const [k, n] of blocks.entries()) {
      keys.push(k);
      counts.push(n);
    }
    const entities: EntityTotals = new Map();
    for (const [name, byLabel] of this.entityTotals) entities.set(name, new LabelMap([...byLabel].map(([label, v]): [string, [number, number, number]] => [label, [v[0], v[1], v[2]]])));
    for (const s of out) countEntitiesInto(entities, s, -1);
    const rows: CorpusTotals['entities'] = { keys: [], labels: [], numbers: [] };
    for (const [name, byLabel] of entities) {
      for (const [label, v] of byLabel) {
        rows.keys.push(name);
        rows.labels.push(label);
        rows.numbers.push(v[0], v[1]);
      }
    }
    return { blocks: { keys: Float64Array.from(keys), counts: Int32Array.from(counts) }, names: this.names.totalsRows(out.map((s) => s.found)), entities: rows };
  }

  /**
   * Takes in totals that count exactly `docs` (a snapshot kept with the summary cache, and the
   * cached summaries it was made from): the totals are added to what is counted here, and each
   * document is held without counting its mentions and blocks again. A document held here
   * already keeps its own summary; the snapshot's count of it is taken out. Totals that could
   * not have been counted from documents throw, before anything changes (checkTotals).
   * Returns the documents held from now on with the snapshot's summary.
   */
  installTotals(t: CorpusTotals, docs: Iterable<[string, DocumentSummary]>): Set<string> {
    checkTotals(t);
    this.contentVersion++;
    for (let i = 0; i < t.blocks.keys.length; i++) this.blocks.addCount(t.blocks.keys[i], t.blocks.counts[i]);
    const n = t.names;
    for (let i = 0; i < n.keys.length; i++) this.names.addBase(this.intern(n.keys[i]), this.intern(n.labels[i]), [n.numbers[3 * i], n.numbers[3 * i + 1], n.numbers[3 * i + 2]]);
    const e = t.entities;
    for (let i = 0; i < e.keys.length; i++) {
      const name = this.intern(e.keys[i]);
      let byLabel = this.entityTotals.get(name);
      if (!byLabel) this.entityTotals.set(name, (byLabel = new LabelMap()));
      const v = byLabel.get(e.labels[i]);
      if (v) {
        v[0] += e.numbers[2 * i];
        v[1] += e.numbers[2 * i + 1];
      } else byLabel.set(this.intern(e.labels[i]), [e.numbers[2 * i], e.numbers[2 * i + 1], 0]);
    }
    const installed = new Set<string>();
    for (const [docId, s] of docs) {
      if (this.summaries.has(docId)) {
        this.count(s, -1);
        this.names.uncount(s.found);
        this.blocks.uncount(s.blockKeys);
        continue;
      }
      this.summaries.set(docId, s);
      this.blocks.registerCounted(docId, s.blockKeys);
      this.names.registerCounted(docId, s.found);
      installed.add(docId);
    }
    this.invalidate();
    return installed;
  }

  /**
   * The names whose entity decisions changed at each recent decisions version (null: anything
   * may have changed), oldest first: what a document's estimate depends on (see namesChangedSince).
   */
  private readonly changeLog: { version: number; names: ReadonlySet<string> | null }[] = [];

  /**
   * The normalised names whose entity decisions changed anywhere since `version` (accepted,
   * rejected, relabelled or undone); null when that is not known (too long ago, or something
   * other than decisions changed). A document none of whose found names is among them keeps
   * the estimate it had at `version` (ReviewQueue): re-estimating every document after each
   * decision took 2.2 s at 100,000 documents.
   */
  namesChangedSince(version: number): ReadonlySet<string> | null {
    if (version === this.decisionsVersion) return new Set();
    const log = this.changeLog;
    if (!log.length || log[0].version > version + 1) return null;
    const out = new Set<string>();
    for (let i = log.length - 1; i >= 0 && log[i].version > version; i--) {
      const names = log[i].names;
      if (!names) return null;
      for (const n of names) out.add(n);
    }
    return out;
  }

  /** `names`: the normalised names whose entity decisions changed (null: not known, anything may have). */
  private invalidate(names: ReadonlySet<string> | null = null): void {
    this.decisionsVersion++;
    this.changeLog.push({ version: this.decisionsVersion, names });
    if (this.changeLog.length > MAX_CHANGE_LOG) this.changeLog.shift();
    this.dictionaryCache = null;
    this.decisionsCache = null;
    this.labelsCache = null;
  }

  /** Names accepted anywhere are suggested everywhere; rejected ones are suppressed. */
  dictionary(): EntityDictionary {
    if (!this.dictionaryCache) {
      const d = new EntityDictionary();
      // Document order must not matter: every acceptance first, then every rejection.
      for (const [key, byLabel] of Object.entries(this.base?.accepted ?? {})) for (const [label, n] of Object.entries(byLabel)) d.addKey(key, label, n);
      for (const s of this.summaries.values()) for (const a of s.decided) if (a.kind === 'entity' && a.status === 'accepted' && a.label) d.add(a.text, a.label);
      for (const [key, labels] of Object.entries(this.base?.rejected ?? {})) for (const label of labels) d.rejectKey(key, label);
      for (const s of this.summaries.values()) for (const a of corpusRejections(acceptedEntities(s.decided), rejectedEntities(s.decided))) d.reject(a.text, a.label);
      this.dictionaryCache = d;
    }
    return this.dictionaryCache;
  }

  /**
   * User boilerplate decisions by block key: true = boilerplate, false =
   * article text. When documents disagree on a block, article text wins: a
   * wrong "keep" costs a line of noise, a wrong "remove" loses article text.
   */
  boilerplateDecisions(): Map<string, boolean> {
    if (!this.decisionsCache) {
      const m = new Map<string, boolean>(Object.entries(this.base?.decisions ?? {}));
      for (const s of this.summaries.values()) {
        for (const a of s.decided) {
          if (a.kind !== 'boilerplate') continue;
          const isBoilerplate = a.status === 'accepted' && a.category !== 'none';
          const key = blockKey(a.text);
          m.set(key, (m.get(key) ?? true) && isBoilerplate);
        }
      }
      this.decisionsCache = m;
    }
    return this.decisionsCache;
  }

  /** In how many documents a normalised name occurs with a label, and how often in all. */
  mentions(label: string, normalized: string): { documents: number; total: number } {
    const v = this.entityTotals.get(normalized)?.get(label);
    return { documents: v?.[0] ?? 0, total: v?.[1] ?? 0 };
  }

  /** Every entity of the corpus (of the documents whose tags pass `filter`), most frequent first, for the Entities view. */
  entities(toUri: (docId: string) => string, limit = 5000, filter?: TagFilter): WorkspaceEntity[] {
    /** normalised name → label → the entity, and the row of the document last counted in it. */
    const all = new Map<string, Map<string, { e: WorkspaceEntity; row?: { uri: string; count: number }; doc?: string }>>();
    let uri = '';
    const add = (docId: string, label: string, normalized: string, text: string, count: number): void => {
      let byLabel = all.get(normalized);
      if (!byLabel) all.set(normalized, (byLabel = new Map()));
      let x = byLabel.get(label);
      if (!x) byLabel.set(label, (x = { e: { label, normalized, text, count: 0, documents: [] } }));
      x.e.count += count;
      if (x.doc !== docId) {
        x.doc = docId;
        x.e.documents.push((x.row = { uri, count: 0 }));
      }
      x.row!.count += count;
    };
    for (const [docId, s] of this.summaries) {
      if (!matchesTagFilter(s.tags, filter)) continue;
      uri = toUri(docId);
      eachEntityMention(s, (label, normalized, text, count) => add(docId, label, normalized, text, count));
    }
    const rows: WorkspaceEntity[] = [];
    for (const byLabel of all.values()) for (const x of byLabel.values()) rows.push(x.e);
    return rows.sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)).slice(0, limit);
  }

  /** Has this normalised name been accepted (with any label) anywhere in the corpus? */
  isAcceptedName(normalized: string): boolean {
    return this.acceptedLabels().has(normalized);
  }

  /** normalised name → label → accepted mentions and the documents holding them. */
  private acceptedLabels(): Map<string, Map<string, { mentions: number; documents: Set<string> }>> {
    if (!this.labelsCache) {
      const m = new Map<string, Map<string, { mentions: number; documents: Set<string> }>>();
      for (const [docId, s] of this.summaries) {
        for (const a of s.decided) {
          if (a.kind !== 'entity' || a.status !== 'accepted' || !a.label) continue;
          const key = normalizeEntity(a.text);
          if (!key) continue;
          let byLabel = m.get(key);
          if (!byLabel) m.set(key, (byLabel = new Map()));
          let v = byLabel.get(a.label);
          if (!v) byLabel.set(a.label, (v = { mentions: 0, documents: new Set() }));
          v.mentions++;
          v.documents.add(docId);
        }
      }
      this.labelsCache = m;
    }
    return this.labelsCache;
  }

  /** Names accepted with different labels across the corpus, each with its minority mentions. */
  inconsistencies(): Inconsistency[] {
    const out: Inconsistency[] = [];
    for (const [normalized, byLabel] of this.acceptedLabels()) {
      if (byLabel.size < 2) continue;
      const ranked = [...byLabel.entries()].sort((a, b) => b[1].mentions - a[1].mentions || (a[0] < b[0] ? -1 : 1));
      const majority = ranked[0][0];
      const labels: Inconsistency['labels'] = {};
      for (const [l, v] of ranked) labels[l] = { mentions: v.mentions, documents: v.documents.size };
      const minority: Inconsistency['minority'] = [];
      for (const [label, v] of ranked.slice(1)) {
        for (const docId of [...v.documents].sort()) {
          for (const a of this.summaries.get(docId)!.decided) {
            if (a.kind === 'entity' && a.status === 'accepted' && a.label === label && normalizeEntity(a.text) === normalized) {
              minority.push({ docId, id: a.id, start: a.start, end: a.end, text: a.text, label });
            }
          }
        }
      }
      out.push({ normalized, majority, labels, minority });
    }
    return out.sort((a, b) => (a.normalized < b.normalized ? -1 : a.normalized > b.normalized ? 1 : 0));
  }

  /** The label counts of one normalised name across the corpus (for a diagnostic's data). */
  labelCounts(normalized: string): Record<string, { mentions: number; documents: number }> {
    const out: Record<string, { mentions: number; documents: number }> = {};
    for (const [l, v] of this.acceptedLabels().get(normalized) ?? []) out[l] = { mentions: v.mentions, documents: v.documents.size };
    return out;
  }

  reviewStatus(docId: string): ReviewStatus {
    return this.summaries.get(docId)?.review ?? 'todo';
  }

  progress(): ReviewProgress {
    const p: ReviewProgress = { done: 0, inProgress: 0, todo: 0, total: this.summaries.size };
    for (const s of this.summaries.values()) {
      if (s.review === 'done') p.done++;
      else if (s.review === 'in-progress') p.inProgress++;
      else p.todo++;
    }
    return p;
  }
}

/** Decisions versions whose changed names are kept (a client that asks less often re-estimates everything). */
const MAX_CHANGE_LOG = 256;

/** The normalised names of the entity decisions in one list and not, identical, in the other. */
function changedNames(before: readonly SidecarAnnotation[], after: readonly SidecarAnnotation[]): Set<string> {
  const out = new Set<string>();
  const key = (a: SidecarAnnotation) => `${a.id}\u0000${a.status}\u0000${a.label ?? ''}\u0000${a.text}\u0000${a.orphaned ? 1 : 0}`;
  const was = new Set(before.filter((a) => a.kind === 'entity').map(key));
  const is = new Set(after.filter((a) => a.kind === 'entity').map(key));
  for (const a of before) if (a.kind === 'entity' && !is.has(key(a))) out.add(normalizeEntity(a.text));
  for (const a of after) if (a.kind === 'entity' && !was.has(key(a))) out.add(normalizeEntity(a.text));
  return out;
}

const acceptedEntities = (decided: readonly SidecarAnnotation[]) => decided.filter((a) => a.kind === 'entity' && a.status === 'accepted');
const rejectedEntities = (decided: readonly SidecarAnnotation[]) => decided.filter((a) => a.kind === 'entity' && a.status === 'rejected');
