/**
 * Document tags (`"tags": {"topic": ["politics"], "genre": "news",
 * "exclude": false}` in a sidecar): their shape, an update checked against
 * the label schema, a key-by-key three-way merge, and filters. Pure.
 */
import { EXCLUDE_TAG, TAG_KEY_PATTERN, TAG_LIMITS, type DocumentTags, type TagDefinition, type TagFilter, type TagValue } from '../../protocol';

/** Structural problems of a `tags` value as stored (sidecar validator, importers), each `path: message`. */
export function tagsShapeErrors(value: unknown, path = 'tags'): string[] {
  const errors: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object of tag → value, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > TAG_LIMITS.keys) errors.push(`${path}: at most ${TAG_LIMITS.keys} tags, got ${entries.length}`);
  for (const [k, v] of entries.slice(0, TAG_LIMITS.keys)) {
    const at = `${path}.${k}`;
    if (k.length > TAG_LIMITS.keyLength || !TAG_KEY_PATTERN.test(k)) errors.push(`${path}: ${JSON.stringify(k.slice(0, 50))} is not a tag name (1–${TAG_LIMITS.keyLength} letters, digits, _ - . :)`);
    else if (typeof v === 'boolean') continue;
    else if (typeof v === 'string') {
      if (v.length > TAG_LIMITS.textLength) errors.push(`${at}: at most ${TAG_LIMITS.textLength} characters`);
    } else if (Array.isArray(v)) {
      if (v.length > TAG_LIMITS.values) errors.push(`${at}: at most ${TAG_LIMITS.values} values`);
      else if (!v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= TAG_LIMITS.valueLength)) errors.push(`${at}: values must be non-empty strings of at most ${TAG_LIMITS.valueLength} characters`);
      else if (new Set(v).size !== v.length) errors.push(`${at}: a value is listed twice`);
    } else errors.push(`${at}: expected a string, a list of strings or true/false, got ${v === null ? 'null' : typeof v}`);
    if (errors.length >= 20) break;
  }
  return errors;
}

/** A copy of the tags with no empty values (`[]`, `""`), keys in schema order then by name. */
export function cleanTags(tags: DocumentTags, defs: readonly TagDefinition[] = []): DocumentTags {
  const order = new Map(defs.map((d, i) => [d.name, i]));
  const keys = Object.keys(tags).sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
  const out: DocumentTags = {};
  for (const k of keys) {
    const v = tags[k];
    if (Array.isArray(v) ? v.length === 0 : v === '') continue;
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

export class TagError extends Error {}

/**
 * The document's tags after an update (null removes a tag), every value
 * checked against its declaration: a single tag takes one declared value, a
 * multiple tag a list of them (kept in declaration order), a boolean true or
 * false, a text tag a string (trimmed; empty removes it). An undeclared tag
 * may be removed but not set. Throws TagError naming what is wrong.
 */
export function updateTags(current: DocumentTags | undefined, update: Record<string, TagValue | null>, defs: readonly TagDefinition[]): DocumentTags {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const next: DocumentTags = { ...(current ?? {}) };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(update)) {
    if (value === null) {
      delete next[key];
      continue;
    }
    const def = byName.get(key);
    if (!def) {
      problems.push(`"${key.slice(0, 40)}" is not a declared tag (${defs.map((d) => d.name).join(', ')}); declare it in labels.json first`);
      continue;
    }
    const checked = checkValue(def, value);
    if ('error' in checked) problems.push(checked.error);
    else if (checked.value === undefined) delete next[key];
    else next[key] = checked.value;
  }
  if (problems.length) throw new TagError(problems.join('; '));
  return cleanTags(next, defs);
}

function checkValue(def: TagDefinition, value: TagValue): { value: TagValue | undefined } | { error: string } {
  const allowed = def.values.map((v) => v.name);
  const list = (): string => allowed.map((v) => JSON.stringify(v)).join(', ');
  const fail = (error: string) => ({ error });
  switch (def.type) {
    case 'boolean':
      return typeof value === 'boolean' ? { value } : fail(`${def.name} is true or false`);
    case 'text':
      if (typeof value !== 'string') return fail(`${def.name} is a text`);
      return { value: value.trim() || undefined };
    case 'single':
      if (typeof value !== 'string') return fail(`${def.name} takes one value (${list()})`);
      return allowed.includes(value) ? { value } : fail(`${JSON.stringify(value.slice(0, 60))} is not a value of ${def.name} (${list()})`);
    case 'multiple': {
      const values = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(values)) return fail(`${def.name} takes a list of values (${list()})`);
      const bad = values.find((v) => !allowed.includes(v));
      if (bad !== undefined) return fail(`${JSON.stringify(String(bad).slice(0, 60))} is not a value of ${def.name} (${list()})`);
      return { value: allowed.filter((v) => values.includes(v)) };
    }
  }
}

/** Same tags, whatever the order of their names (a list's order counts). */
export function sameTags(a: DocumentTags | undefined, b: DocumentTags | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a![k], b![k]));
}

function same(a: TagValue | undefined, b: TagValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface TagMergeResult {
  tags: DocumentTags | undefined;
  /** Tags set differently on both sides (the local value was kept), one line each. */
  conflicts: string[];
}

/**
 * Three-way merge of two writers' tags, key by key: a tag changed on one
 * side only takes that change; lists changed on both sides keep what either
 * added and drop what either removed; a single value, flag or text changed
 * differently on both sides keeps the local one and is reported.
 */
export function mergeTags(base: DocumentTags | undefined, mine: DocumentTags | undefined, theirs: DocumentTags | undefined): TagMergeResult {
  const b = base ?? {};
  const m = mine ?? {};
  const t = theirs ?? {};
  const out: DocumentTags = {};
  const conflicts: string[] = [];
  for (const key of [...new Set([...Object.keys(m), ...Object.keys(t), ...Object.keys(b)])].sort()) {
    const bv = b[key];
    const mv = m[key];
    const tv = t[key];
    let v: TagValue | undefined;
    if (same(mv, tv) || same(tv, bv)) v = mv;
    else if (same(mv, bv)) v = tv;
    else if ((Array.isArray(mv) || mv === undefined) && (Array.isArray(tv) || tv === undefined) && (Array.isArray(bv) || bv === undefined)) {
      const mineList = mv ?? [];
      const theirList = tv ?? [];
      // Removed by either side: gone. Added by either side: there.
      const removed = new Set((bv ?? []).filter((x) => !mineList.includes(x) || !theirList.includes(x)));
      const merged = [...mineList, ...theirList.filter((x) => !mineList.includes(x))].filter((x) => !removed.has(x));
      v = merged.length ? merged : undefined;
    } else {
      v = mv;
      conflicts.push(`Tag "${key}" was set to ${JSON.stringify(mv ?? null)} here and to ${JSON.stringify(tv ?? null)} by another writer; kept ${JSON.stringify(mv ?? null)}.`);
    }
    if (v !== undefined) out[key] = v;
  }
  return { tags: Object.keys(out).length || mine !== undefined || theirs !== undefined ? out : undefined, conflicts };
}

/**
 * Imported tags shaped as the schema declares them (a formats that cannot
 * tell one value from a list of one, such as spaCy's cats, gives either):
 * a multiple tag becomes a list, a single tag of one value a string, and a
 * boolean written as text a boolean. Undeclared tags are kept as they are.
 */
export function conformTags(tags: DocumentTags, defs: readonly TagDefinition[]): DocumentTags {
  const out: DocumentTags = {};
  for (const [k, v] of Object.entries(tags)) {
    const def = defs.find((d) => d.name === k);
    if (def?.type === 'multiple' && typeof v === 'string') out[k] = [v];
    else if (def?.type === 'single' && Array.isArray(v) && v.length === 1) out[k] = v[0];
    else if (def?.type === 'boolean' && (v === 'true' || v === 'false')) out[k] = v === 'true';
    else out[k] = v;
  }
  return cleanTags(out, defs);
}

/** Does a document with these tags pass the filter (every entry must match)? */
export function matchesTagFilter(tags: DocumentTags | undefined, filter: TagFilter | undefined): boolean {
  if (!filter) return true;
  for (const [key, want] of Object.entries(filter)) {
    const v = tags?.[key];
    if (typeof want === 'boolean') {
      if ((v === true) !== want) return false;
    } else if (Array.isArray(v)) {
      if (!v.includes(want)) return false;
    } else if (v !== want) return false;
  }
  return true;
}

/** Is the document tagged to be left out of exports? */
export function isExcluded(tags: DocumentTags | undefined): boolean {
  return tags?.[EXCLUDE_TAG] === true;
}

/** One line for a status bar or a hover: `topic: politics, economy · genre: news · exclude`. */
export function describeTags(tags: DocumentTags | undefined, order: readonly string[] = []): string {
  const parts: string[] = [];
  // The schema's order first (the team's), then the others by name: the same text however the tags were read or set.
  const rank = (k: string): number => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const entries = Object.entries(tags ?? {}).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of entries) {
    if (v === false) continue;
    parts.push(v === true ? k : `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  }
  return parts.join(' · ');
}

/** A filter as the user typed it (`genre=news`, `exclude`, `!exclude`), or an error message. */
export function parseTagFilter(expr: string, defs: readonly TagDefinition[]): TagFilter | string {
  const filter: TagFilter = {};
  for (const raw of expr.split(/[,;]/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(!?)([^=]+?)(?:\s*=\s*(.+))?$/u.exec(raw);
    if (!m) return `cannot read ${JSON.stringify(raw)}: use tag=value, tag or !tag`;
    const [, not, key, value] = m;
    const def = defs.find((d) => d.name === key.trim());
    if (!def) return `"${key.trim()}" is not a declared tag (${defs.map((d) => d.name).join(', ')})`;
    if (def.type === 'boolean') {
      if (value !== undefined && value !== 'true' && value !== 'false') return `${def.name} is true or false`;
      filter[def.name] = not ? false : value !== 'false';
    } else {
      if (value === undefined || not) return `${def.name} needs a value: ${def.name}=…`;
      filter[def.name] = value.trim();
    }
  }
  return filter;
}
