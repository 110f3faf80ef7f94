/**
 * Three-way merge of sidecars by annotation id, for two writers (two editor
 * windows, the editor and the CLI, a git merge) that changed the same file.
 * Guiding rule: never lose a user's annotation — when in doubt keep it and
 * report a conflict.
 */
import type { Sidecar, SidecarAnnotation } from '../../protocol';
import { SIDECAR_VERSION } from '../../protocol';
import { bareObject, own } from './json';
import { canonicalAnnotation, compareAnnotations } from './sidecar';

export type ConflictType =
  /** The same annotation was changed differently on both sides; the newer `modified` won (mine on a tie). */
  | 'both-modified'
  /** One side deleted the annotation, the other changed it; the changed one was kept. */
  | 'deleted-vs-modified'
  /** The two sides describe different document texts (sha256); offsets from `theirs` may need re-anchoring. */
  | 'document'
  /**
   * The same span (and kind) was decided differently on both sides since the base — relabelled
   * PER here and ORG there, accepted here and rejected there — under different ids (a relabel
   * makes a new annotation). The newer decision was kept, the other one dropped.
   */
  | 'same-span';

export interface Conflict {
  type: ConflictType;
  /** Annotation id (absent for `document`). */
  id?: string;
  /** Which version of the annotation is in the merge result. */
  kept: 'mine' | 'theirs' | 'merged';
  /** same-span: the id of the annotation that was dropped (`id` is the one kept). */
  droppedId?: string;
  /** both-modified: the fields that were changed differently on both sides. */
  fields?: string[];
  /** deleted-vs-modified: who deleted it. */
  deletedBy?: 'mine' | 'theirs';
  base?: SidecarAnnotation;
  mine?: SidecarAnnotation;
  theirs?: SidecarAnnotation;
  /** One line for the user. */
  message: string;
}

export interface MergeResult {
  merged: Sidecar;
  conflicts: Conflict[];
}

/** Fields that move together: taking `start` from one side and `text` from the other would be wrong. */
const GROUPS: readonly (readonly string[])[] = [
  ['start', 'end', 'text', 'prefix', 'suffix', 'orphaned'],
  ['kind', 'label', 'category', 'status'],
];
/** Fields changed by mere re-anchoring; such a change does not outweigh a deletion on the other side. */
const ANCHOR_ONLY = new Set(['start', 'end', 'prefix', 'suffix']);

type Rec = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
function eqAnn(a: SidecarAnnotation, b: SidecarAnnotation): boolean {
  return same(canonicalAnnotation(a), canonicalAnnotation(b));
}
function pick(a: SidecarAnnotation, keys: readonly string[]): unknown[] {
  return keys.map((k) => own(a, k));
}
/** Newer `modified` wins; ties go to mine (the caller's live state). */
function newer(m: SidecarAnnotation, t: SidecarAnnotation): 'mine' | 'theirs' {
  return Date.parse(t.modified) > Date.parse(m.modified) ? 'theirs' : 'mine';
}
/** Did anything beyond the anchoring offsets/context change from base? */
function meaningfullyChanged(b: SidecarAnnotation, x: SidecarAnnotation): boolean {
  const cb = canonicalAnnotation(b);
  const cx = canonicalAnnotation(x);
  const keys = new Set([...Object.keys(cb), ...Object.keys(cx)]);
  for (const k of keys) if (!ANCHOR_ONLY.has(k) && !same(own(cb, k), own(cx, k))) return true;
  return false;
}

/** Every key group of two annotations: the fixed groups, then every other key on its own. */
function groupsOf(...anns: SidecarAnnotation[]): string[][] {
  const grouped = new Set(GROUPS.flat());
  const rest = new Set<string>();
  for (const a of anns) for (const k of Object.keys(a)) if (!grouped.has(k) && k !== 'modified' && k !== 'id') rest.add(k);
  return [...GROUPS.map((g) => [...g]), ...[...rest].sort().map((k) => [k])];
}

/** Field-group three-way merge of one annotation changed on both sides. */
function mergeOne(b: SidecarAnnotation, m: SidecarAnnotation, t: SidecarAnnotation): { value: SidecarAnnotation; conflict?: Conflict } {
  // No prototype: an unknown field named `__proto__` is copied as data.
  const out: Rec = bareObject();
  out.id = m.id;
  const conflicting: string[] = [];
  const winner = newer(m, t);
  for (const g of groupsOf(b, m, t)) {
    const mv = pick(m, g);
    const tv = pick(t, g);
    const bv = pick(b, g);
    let from: SidecarAnnotation;
    if (same(mv, tv) || same(tv, bv)) from = m;
    else if (same(mv, bv)) from = t;
    else {
      conflicting.push(...g.filter((_k, i) => !same(mv[i], tv[i])));
      from = winner === 'mine' ? m : t;
    }
    for (const k of g) {
      const v = own(from, k);
      if (v !== undefined) out[k] = v;
    }
  }
  out.modified = Date.parse(t.modified) > Date.parse(m.modified) ? t.modified : m.modified;
  const value = out as unknown as SidecarAnnotation;
  if (!conflicting.length) return { value };
  return {
    value,
    conflict: {
      type: 'both-modified',
      id: m.id,
      kept: 'merged',
      fields: conflicting,
      base: b,
      mine: m,
      theirs: t,
      message: `Annotation "${m.text}" (${m.id}) was changed on both sides (${conflicting.join(', ')}); kept the ${winner === 'mine' ? 'local' : 'other'} version of those fields (newer modification).`,
    },
  };
}

/** Same decision on the same span: two writers accepting the same suggestion should not produce a duplicate. */
function decisionKey(a: SidecarAnnotation): string {
  return JSON.stringify([a.kind, a.label ?? null, a.category ?? null, a.start, a.end, a.text, a.status, a.note ?? null, !!a.orphaned]);
}

/**
 * Three-way merge. `base` is the sidecar both sides started from (null: none,
 * e.g. both created the file). The result takes `document` from `mine` (the
 * caller's text) and is sorted in on-disk order.
 */
export function mergeSidecars(base: Sidecar | null, mine: Sidecar, theirs: Sidecar): MergeResult {
  const B = new Map((base?.annotations ?? []).map((a) => [a.id, a]));
  const M = new Map(mine.annotations.map((a) => [a.id, a]));
  const T = new Map(theirs.annotations.map((a) => [a.id, a]));
  const ids = [...new Set([...M.keys(), ...T.keys(), ...B.keys()])];
  const result: SidecarAnnotation[] = [];
  const conflicts: Conflict[] = [];
  const addedByMine = new Set<string>();

  for (const id of ids) {
    const b = B.get(id);
    const m = M.get(id);
    const t = T.get(id);
    if (m && t) {
      if (eqAnn(m, t)) result.push(m);
      else if (b && eqAnn(t, b)) result.push(m);
      else if (b && eqAnn(m, b)) result.push(t);
      else if (b) {
        const r = mergeOne(b, m, t);
        result.push(r.value);
        if (r.conflict) conflicts.push(r.conflict);
      } else {
        // Same id added on both sides with different content (id collision): keep the newer whole.
        const w = newer(m, t);
        result.push(w === 'mine' ? m : t);
        conflicts.push({
          type: 'both-modified',
          id,
          kept: w,
          fields: groupsOf(m, t).flat().filter((k) => !same(own(m, k), own(t, k))),
          mine: m,
          theirs: t,
          message: `Annotation id ${id} was created on both sides with different content; kept the ${w === 'mine' ? 'local' : 'other'} one (newer modification).`,
        });
      }
    } else if (m || t) {
      const x = (m ?? t) as SidecarAnnotation;
      const side = m ? 'mine' : 'theirs';
      if (!b) {
        result.push(x); // added on one side
        if (m) addedByMine.add(id);
      } else if (meaningfullyChanged(b, x)) {
        result.push(x);
        conflicts.push({
          type: 'deleted-vs-modified',
          id,
          kept: side,
          deletedBy: side === 'mine' ? 'theirs' : 'mine',
          base: b,
          [side]: x,
          message: `Annotation "${x.text}" (${id}) was deleted on one side and changed on the other; the changed one was kept.`,
        });
      }
      // else: deleted on the other side and not meaningfully changed here → deleted.
    }
    // else: deleted on both sides.
  }

  // Drop a duplicate that the other side added for the very same decision (keep mine).
  const mineKeys = new Set(result.filter((a) => addedByMine.has(a.id)).map(decisionKey));
  const deduped = result.filter((a) => addedByMine.has(a.id) || B.has(a.id) || !mineKeys.has(decisionKey(a)));

  // Decisions made since the base, by side: new annotations and changed labels/statuses.
  const decidedSince = (side: Map<string, SidecarAnnotation>, id: string): boolean => {
    const x = side.get(id);
    const b = B.get(id);
    return !!x && (!b || decision(x) !== decision(b));
  };
  const sides = new Map<string, Side>();
  for (const a of deduped) {
    const m = decidedSince(M, a.id);
    const t = decidedSince(T, a.id);
    if (m || t) sides.set(a.id, m && t ? 'both' : m ? 'mine' : 'theirs');
  }
  const dropped = resolveSameSpan(deduped, sides, conflicts);
  const final = dropped.size ? deduped.filter((a) => !dropped.has(a.id)) : deduped;
  if (dropped.size) {
    // A same-span conflict replaces what was said about a dropped annotation (e.g. "the changed one was kept").
    for (let i = conflicts.length - 1; i >= 0; i--) {
      const c = conflicts[i];
      if (c.type !== 'same-span' && c.id !== undefined && dropped.has(c.id)) conflicts.splice(i, 1);
    }
  }

  if (mine.document.sha256 !== theirs.document.sha256) {
    conflicts.push({
      type: 'document',
      kept: 'mine',
      message: 'The sidecar on disk was written for a different version of the document text; its annotations should be re-anchored to the current text.',
    });
  }

  const merged: Sidecar = { ...(theirs as object), ...(mine as object) } as Sidecar;
  merged.version = SIDECAR_VERSION;
  // Fields of `document` this build does not know are kept from both sides (mine wins).
  merged.document = { ...theirs.document, ...mine.document };
  merged.offsets = 'codepoint';
  merged.annotations = final.sort(compareAnnotations);
  return { merged, conflicts };
}

type Side = 'mine' | 'theirs' | 'both';

/** What a user decided about a span: accepted/rejected, and which label or category. */
function decision(a: SidecarAnnotation): string {
  return `${a.status}\u0000${a.label ?? a.category ?? ''}`;
}

/**
 * Can two decisions on the same span and kind not both hold? Two different
 * labels (categories) accepted, or one label accepted here and rejected there.
 * Rejecting PER and accepting LOC agree, as do two rejections.
 */
function contradicts(x: SidecarAnnotation, y: SidecarAnnotation): boolean {
  const lx = x.label ?? x.category;
  const ly = y.label ?? y.category;
  if (x.status === 'accepted' && y.status === 'accepted') return lx !== ly;
  return lx === ly && x.status !== y.status;
}

/**
 * Two writers that relabel the same span each create a new annotation, so the
 * merge by id sees two additions. Among the decisions made since the base,
 * those on the same span and kind that contradict each other and come from
 * different sides are a conflict: the newer `modified` is kept (mine on a tie)
 * and the other dropped and reported. Linear: annotations are grouped by span.
 * Returns the ids to drop; appends the conflicts.
 */
function resolveSameSpan(annotations: readonly SidecarAnnotation[], sides: ReadonlyMap<string, Side>, conflicts: Conflict[]): Set<string> {
  const groups = new Map<string, SidecarAnnotation[]>();
  for (const a of annotations) {
    if (a.orphaned || !sides.has(a.id)) continue;
    const key = `${a.kind}\u0000${a.start}\u0000${a.end}`;
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }
  const dropped = new Set<string>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const rank = (a: SidecarAnnotation): number => (sides.get(a.id) === 'theirs' ? 1 : 0);
    g.sort((x, y) => Date.parse(y.modified) - Date.parse(x.modified) || rank(x) - rank(y));
    const kept: SidecarAnnotation[] = [];
    for (const x of g) {
      const sx = sides.get(x.id)!;
      const winner = kept.find((k) => contradicts(k, x) && (sides.get(k.id) !== sx || sx === 'both'));
      if (!winner) {
        kept.push(x);
        continue;
      }
      dropped.add(x.id);
      const keptSide = sides.get(winner.id) === 'theirs' ? 'theirs' : 'mine';
      const [mine, theirs] = keptSide === 'mine' ? [winner, x] : [x, winner];
      conflicts.push({
        type: 'same-span',
        id: winner.id,
        droppedId: x.id,
        kept: keptSide,
        mine,
        theirs,
        message: `"${winner.text}" (${winner.start}–${winner.end}) was decided differently by two writers: ${describe(mine)} here, ${describe(theirs)} in the other; kept ${describe(winner)} (the newer decision).`,
      });
    }
  }
  return dropped;
}

function describe(a: SidecarAnnotation): string {
  const what = a.kind === 'entity' ? a.label : a.category === 'none' ? 'not boilerplate' : `boilerplate ${a.category}`;
  return a.status === 'rejected' ? `rejected ${what}` : `${what}`;
}
