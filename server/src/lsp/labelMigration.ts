/**
 * Migrate Renamed Labels: a label or category renamed in the schema
 * (`renamedFrom`) is rewritten in every sidecar of the corpus. First a
 * preview (how many annotations in how many documents, and which names in
 * the sidecars the schema does not declare), then one DecisionBatch: one
 * undo step, written through the safe merging path.
 */
import type { BatchResult, LabelMigrationParams, LabelMigrationPreview, LabelRename, SidecarAnnotation } from '../protocol';
import { applyRenames, nameOf, renameProblems, renamesFromSchema, undeclaredNames } from '../core/labels/migrate';
import { readSidecar } from '../host/sidecarFiles';
import { TimeSlices } from '../host/timeSlices';
import { DecisionBatch, documentForFile } from './decisions';
import { UserError } from './documents';
import type { ServerState } from './state';

/** The stored annotations of a corpus file: the open buffer's, else the sidecar's on disk (orphans included: they are renamed too). */
function storedAnnotations(state: ServerState, file: string): SidecarAnnotation[] | null {
  const open = state.findDocByPath(file);
  if (open) return open.sidecar.status === 'damaged' || open.sidecar.status === 'newer' ? null : open.annotations;
  const s = readSidecar(file);
  if (s.status === 'absent') return [];
  return s.status === 'ok' ? s.sidecar.annotations : null;
}

function checkRenames(state: ServerState, renames: readonly LabelRename[]): void {
  const problems = renameProblems(renames);
  const schema = state.workspace.labels.schema;
  for (const r of renames) {
    const declared = r.kind === 'entity' ? schema.labels.some((l) => l.name === r.to) : schema.boilerplate.some((c) => c.name === r.to) || r.to === 'user';
    if (!declared) problems.push(`"${r.to}" is not a declared ${r.kind === 'entity' ? 'label' : 'boilerplate category'}: declare it in labels.json first`);
  }
  if (problems.length) throw new UserError(`Cannot migrate: ${problems.join('; ')}.`);
}

export async function previewLabelMigration(state: ServerState, p: LabelMigrationParams): Promise<LabelMigrationPreview> {
  const renames = p.renames ?? renamesFromSchema(state.workspace.labels.schema);
  const counts = renames.map((r) => ({ ...r, annotations: 0, documents: 0 }));
  const unknown = new Map<string, { kind: 'entity' | 'boilerplate'; name: string; annotations: number; documents: number }>();
  let skipped = 0;
  // The server keeps answering while a large corpus is read.
  const slices = new TimeSlices();
  for (const file of await state.workspace.listFilesAsync()) {
    await slices.pause();
    const annotations = storedAnnotations(state, file);
    if (!annotations) {
      skipped++;
      continue;
    }
    for (const c of counts) {
      const n = annotations.filter((a) => a.kind === c.kind && nameOf(a) === c.from).length;
      c.annotations += n;
      if (n) c.documents++;
    }
    for (const [key, u] of undeclaredNames(annotations, state.workspace.labels.schema)) {
      const total = unknown.get(key) ?? { kind: u.kind, name: u.name, annotations: 0, documents: 0 };
      total.annotations += u.annotations;
      total.documents++;
      unknown.set(key, total);
    }
  }
  // A name about to be renamed is not "unknown": the preview shows it as a rename.
  const renamed = new Set(renames.map((r) => `${r.kind}:${r.from}`));
  return { renames: counts, unknown: [...unknown.entries()].filter(([k]) => !renamed.has(k)).map(([, v]) => v), skipped };
}

/**
 * Applies the renames to every document of the corpus in one batch (one undo step),
 * a document at a time between time slices (DecisionBatch.eachInSlices).
 */
export async function migrateLabels(state: ServerState, renames: readonly LabelRename[]): Promise<BatchResult> {
  if (!renames.length) throw new UserError('No rename to apply: declare former names with "renamedFrom" in labels.json.');
  checkRenames(state, renames);
  const batch = new DecisionBatch(state, `Rename ${renames.map((r) => `${r.from} → ${r.to}`).join(', ')}`, 'keep');
  const wanted = new Set(renames.map((r) => `${r.kind}:${r.from}`));
  await batch.eachInSlices(await state.workspace.listFilesAsync(), (file) => {
    const stored = storedAnnotations(state, file);
    if (stored && !stored.some((a) => wanted.has(`${a.kind}:${nameOf(a)}`))) return null;
    const doc = documentForFile(state, file);
    if (!doc || doc.sidecar.status === 'damaged' || doc.sidecar.status === 'newer') {
      batch.skip(file, doc?.sidecar.message ?? 'the document or its sidecar cannot be read');
      return null;
    }
    batch.touch(doc);
    doc.annotations = applyRenames(doc.annotations, renames).annotations;
    return doc;
  }, 'Renaming labels in the corpus');
  return batch.commit();
}
