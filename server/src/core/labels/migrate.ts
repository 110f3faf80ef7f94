/**
 * Label renames: a label (or boilerplate category) renamed in the schema
 * (`"name": "GPE", "renamedFrom": ["COUNTRY"]`) is rewritten in every
 * sidecar, keeping each annotation's identity (id, creation time), so the
 * change merges with other writers' and can be undone. Pure.
 */
import type { LabelRename, LabelSchema, SidecarAnnotation } from '../../protocol';
import { DETECTOR_CATEGORIES } from './defaults';

/** The renames a schema declares: `renamedFrom` of labels (entities) and of categories (boilerplate). */
export function renamesFromSchema(schema: Pick<LabelSchema, 'labels' | 'boilerplate'>): LabelRename[] {
  const out: LabelRename[] = [];
  for (const l of schema.labels) for (const from of l.renamedFrom ?? []) out.push({ kind: 'entity', from, to: l.name });
  for (const c of schema.boilerplate) for (const from of c.renamedFrom ?? []) out.push({ kind: 'boilerplate', from, to: c.name });
  return out;
}

/** The name an annotation carries for its kind (label or category). */
export function nameOf(a: SidecarAnnotation): string | undefined {
  return a.kind === 'entity' ? a.label : a.category;
}

/** Checks a list of renames: no empty or identical names, no name renamed twice, no chains (A → B and B → C). Returns problems. */
export function renameProblems(renames: readonly LabelRename[]): string[] {
  const problems: string[] = [];
  const from = new Map<string, string>();
  for (const r of renames) {
    const key = `${r.kind}:${r.from}`;
    if (r.from === r.to) problems.push(`"${r.from}" is renamed to itself`);
    else if (from.has(key) && from.get(key) !== r.to) problems.push(`"${r.from}" is renamed both to "${from.get(key)}" and to "${r.to}"`);
    from.set(key, r.to);
  }
  for (const r of renames) if (from.has(`${r.kind}:${r.to}`)) problems.push(`"${r.to}" is both a new name and renamed itself (rename in one step)`);
  return problems;
}

/**
 * The annotations with the renames applied (new objects for the renamed
 * ones, with a new `modified`), and how many were renamed.
 */
export function applyRenames(annotations: readonly SidecarAnnotation[], renames: readonly LabelRename[], now: Date = new Date()): { annotations: SidecarAnnotation[]; renamed: number } {
  const map = new Map(renames.map((r) => [`${r.kind}:${r.from}`, r.to]));
  let renamed = 0;
  const out = annotations.map((a) => {
    const to = map.get(`${a.kind}:${nameOf(a)}`);
    if (to === undefined) return a;
    renamed++;
    return a.kind === 'entity' ? { ...a, label: to, modified: now.toISOString() } : { ...a, category: to, modified: now.toISOString() };
  });
  return { annotations: out, renamed };
}

/** Names used in annotations that the schema does not declare, with counts: what a rename may be needed for. */
export function undeclaredNames(annotations: readonly SidecarAnnotation[], schema: Pick<LabelSchema, 'labels' | 'boilerplate'>, counts = new Map<string, { kind: 'entity' | 'boilerplate'; name: string; annotations: number }>()): Map<string, { kind: 'entity' | 'boilerplate'; name: string; annotations: number }> {
  const labels = new Set(schema.labels.map((l) => l.name));
  // Categories the detector writes (and "none", the user's "not boilerplate") are always known.
  const categories = new Set([...schema.boilerplate.map((c) => c.name), ...Object.keys(DETECTOR_CATEGORIES), 'none']);
  for (const a of annotations) {
    const name = nameOf(a);
    if (name === undefined) continue;
    if (a.kind === 'entity' ? labels.has(name) : categories.has(name)) continue;
    const key = `${a.kind}:${name}`;
    const c = counts.get(key) ?? { kind: a.kind, name, annotations: 0 };
    c.annotations++;
    counts.set(key, c);
  }
  return counts;
}
