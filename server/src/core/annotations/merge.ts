/**
 * Three-way merge of sidecars by annotation id, for two writers (two editor
 * windows, the editor and the CLI, a git merge) that changed the same file.
 * Guiding rule: never lose a user's annotation — when in doubt keep it and
 * report a conflict.
 */
import type { Sidecar, SidecarAnnotation } from '../../protocol';
import { SIDECAR_VERSION } from '../../protocol';
import { canonicalAnnotation, compareAnnotations } from './sidecar';
import { mergeTags } from './tags';

export type ConflictType =
  /** The same annotation was changed differently on both sides; the newer `modified` won (mine on a tie). */
  | 'both-modified'
  /** One side deleted the annotation, the other changed it; the changed one was kept. */
  | 'deleted-vs-modified'
  /** The two sides describe different document texts (sha256); offsets from `theirs` may need re-anchoring. */
  | 'document'
  /** A document tag was set differently on both sides; the local value was kept. */
  | 'tag';

export interface Conflict {
  type: ConflictType;
  /** Annotation id (absent for `document`). */
  id?: string;
  /** Which version of the annotation is in the merge result. */
  kept: 'mine' | 'theirs' | 'merged';
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
  return keys.map((k) => (a as unknown as Rec)[k]);
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
  for (const k of keys) if (!ANCHOR_ONLY.has(k) && !same(cb[k], cx[k])) return true;
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
  const out: Rec = { id: m.id };
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
      const v = (from as unknown as Rec)[k];
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
          fields: groupsOf(m, t).flat().filter((k) => !same((m as unknown as Rec)[k], (t as unknown as Rec)[k])),
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

  if (mine.document.sha256 !== theirs.document.sha256) {
    conflicts.push({
      type: 'document',
      kept: 'mine',
      message: 'The sidecar on disk was written for a different version of the document text; its annotations should be re-anchored to the current text.',
    });
  }

  const merged: Sidecar = { ...(theirs as object), ...(mine as object) } as Sidecar;
  // Tags merge key by key: a tag one writer set and another left alone is kept.
  const tags = mergeTags(base?.tags, mine.tags, theirs.tags);
  if (tags.tags && Object.keys(tags.tags).length) merged.tags = tags.tags;
  else delete merged.tags;
  for (const message of tags.conflicts) conflicts.push({ type: 'tag', kept: 'mine', message });
  merged.version = SIDECAR_VERSION;
  merged.document = { ...mine.document };
  merged.offsets = 'codepoint';
  merged.annotations = deduped.sort(compareAnnotations);
  return { merged, conflicts };
}
