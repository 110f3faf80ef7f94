/**
 * The review queue: which document most needs a human next. A document's
 * need is its open suggestions weighted by uncertainty: every open entity
 * suggestion counts, more when the detector is unsure (low confidence) and
 * more again when the name was never accepted anywhere in the corpus (a
 * decision there teaches the most); names the dictionary suggests (accepted
 * elsewhere, unannotated here) and boilerplate count less, being quick to
 * confirm. Ties go by name; done documents come last.
 */
import type { AnnotationStatus, DocumentTags, ReviewQueueDocument, ReviewStatus, SidecarAnnotation } from '../../protocol';
import type { Suggestions } from '../analyze';
import { mentionConfidence, mentionEnd, mentionStart, observedLabel, observedSource } from '../detect/entities';
import type { CorpusMemory } from './memory';
import type { DocumentSummary } from './summary';
import { lowerBound } from '../text/lowerBound';

/** Below this confidence an entity suggestion counts as uncertain. */
export const UNCERTAIN_BELOW = 0.7;

export interface QueueStats {
  openSuggestions: number;
  uncertain: number;
  newNames: number;
  fromDictionary: number;
  accepted: number;
  priority: number;
}

interface Weighable {
  confidence: number;
  source: string;
  normalized: string;
}

function weigh(entities: readonly Weighable[], boilerplate: number, accepted: number, memory: CorpusMemory): QueueStats {
  let priority = 0.25 * boilerplate;
  let uncertain = 0;
  let newNames = 0;
  let fromDictionary = 0;
  for (const e of entities) {
    const dictionary = e.source.includes('dictionary');
    const isNew = !dictionary && !memory.isAcceptedName(e.normalized);
    if (e.confidence < UNCERTAIN_BELOW) uncertain++;
    if (isNew) newNames++;
    if (dictionary) fromDictionary++;
    priority += dictionary ? 0.5 : 1 + (1 - e.confidence) + (isNew ? 1 : 0);
  }
  return { openSuggestions: entities.length + boilerplate, uncertain, newNames, fromDictionary, accepted, priority: Math.round(priority * 1000) / 1000 };
}

function acceptedEntities(decided: readonly SidecarAnnotation[]): number {
  let n = 0;
  for (const a of decided) if (a.kind === 'entity' && a.status === 'accepted' && !a.orphaned) n++;
  return n;
}

/** Exact figures: from the suggestions the editor shows (computed with the whole corpus known). */
export function statsFromSuggestions(s: Suggestions, decided: readonly SidecarAnnotation[], memory: CorpusMemory): QueueStats {
  return weigh(s.entities, s.boilerplate.length, acceptedEntities(decided), memory);
}

/**
 * An estimate from the summary alone (no text at hand): the detector's names
 * minus those decided in the document or rejected anywhere. It leaves out
 * what only the whole corpus adds (names propagated from other documents, the
 * dictionary's suggestions, boilerplate); the server replaces it with exact
 * figures in the background.
 */
export function estimateFromSummary(summary: DocumentSummary, memory: CorpusMemory): QueueStats {
  const decided = summary.decided;
  const dictionary = memory.dictionary();
  const f = summary.found;
  const n = f.numbers;
  const open: Weighable[] = [];
  const entityDecisions = decided.filter((a) => a.kind === 'entity');
  mentions: for (let i = 0; i < f.normalized.length; i++) {
    const start = mentionStart(n, i);
    const end = mentionEnd(n, i);
    for (const a of entityDecisions) {
      if (a.status === 'accepted' && a.start < end && start < a.end) continue mentions;
      if ((a.status as AnnotationStatus) === 'rejected' && a.start === start && a.end === end) continue mentions;
    }
    // `normalized` is normalizeName(text): normalising again for every name of the corpus made this the scan's bottleneck.
    if (dictionary.isRejectedKey(f.normalized[i], observedLabel(f, i)!)) continue;
    open.push({ confidence: mentionConfidence(n, i), source: observedSource(f, i)!, normalized: f.normalized[i] });
  }
  return weigh(open, 0, acceptedEntities(decided), memory);
}

/**
 * Does the document have a found name among `names`? Its estimate (estimateFromSummary)
 * depends on the corpus through the decisions about those names only: when none of them
 * changed, the estimate still holds.
 */
export function mentionsAny(summary: DocumentSummary, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const found = summary.found.normalized;
  if (names.size === 1) {
    // One decision (the usual case): comparing strings is cheaper than hashing them (60 names a document, 100,000 documents).
    const [only] = names;
    for (let i = 0; i < found.length; i++) if (found[i] === only) return true;
    return false;
  }
  for (let i = 0; i < found.length; i++) if (names.has(found[i])) return true;
  return false;
}

export interface QueueRow extends QueueStats {
  id: string;
  name: string;
  status: ReviewStatus;
  exact: boolean;
  tags: DocumentTags;
}

/** Queue order: not-done documents by need (highest first), then by name; done documents last, by name. */
export function queueOrder(a: Pick<QueueRow, 'status' | 'priority' | 'name'>, b: Pick<QueueRow, 'status' | 'priority' | 'name'>): number {
  const da = a.status === 'done' ? 1 : 0;
  const db = b.status === 'done' ? 1 : 0;
  if (da !== db) return da - db;
  if (!da && a.priority !== b.priority) return b.priority - a.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function orderQueue<T extends Pick<QueueRow, 'status' | 'priority' | 'name'>>(rows: T[]): T[] {
  return rows.sort(queueOrder);
}

type Ordered = Pick<QueueRow, 'status' | 'priority' | 'name'>;

/**
 * The first `k` rows in queue order, gathered in one pass: the client asks
 * for the top of the queue while a scan adds documents, and sorting 100,000
 * rows for each ask would take the main thread from the scan. A row is made
 * only when its key (`offer`'s probe, which may be reused) earns it a place.
 */
export class QueueTop<T extends Ordered> {
  readonly rows: T[] = [];

  constructor(private readonly k: number) {}

  offer(probe: Ordered, make: () => T): void {
    const top = this.rows;
    const k = this.k;
    if (k <= 0 || (top.length === k && queueOrder(probe, top[k - 1]) >= 0)) return;
    // Binary search for its place among the best so far.
    top.splice(lowerBound(top.length, (i) => queueOrder(top[i], probe) <= 0), 0, make());
    if (top.length > k) top.pop();
  }
}

export function toQueueDocument(row: QueueRow, uri: string): ReviewQueueDocument {
  return {
    uri,
    status: row.status,
    openSuggestions: row.openSuggestions,
    uncertain: row.uncertain,
    newNames: row.newNames,
    fromDictionary: row.fromDictionary,
    accepted: row.accepted,
    priority: row.priority,
    exact: row.exact,
    tags: row.tags,
  };
}
