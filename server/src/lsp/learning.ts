/**
 * "Learn from Annotations": adapts the entity tagger to the names the user
 * accepted across the workspace. A fifth of the annotated documents is set
 * aside first to measure the adapted tagger against the shipped one, so the
 * user sees whether learning helped; then the tagger is adapted on all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LearnResult, SidecarAnnotation } from '../protocol';
import { adaptModel, detectEntities, labelsOf, loadModel, planLabels, type TaggerModel } from '../core/detect/entities';
import { serializeModel } from '../core/detect/entities/tagger';
import { TextIndex } from '../core/text/offsets';
import { writeFileAtomic } from '../host/sidecarFiles';
import { loadDocument } from '../host/corpus';
import type { ServerState } from './state';

interface Example {
  text: string;
  entities: { start: number; end: number; label: string }[];
}

export async function learnWithProgress(state: ServerState): Promise<LearnResult> {
  const progress = await state.connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin('Learning from annotations', 0, 'reading the workspace', false);
  try {
    return learnFromAnnotations(state, (done, total) => progress?.report(Math.round((done / total) * 100), `training ${done} / ${total}`));
  } finally {
    progress?.done();
  }
}

export function learnFromAnnotations(state: ServerState, onProgress?: (done: number, total: number) => void): LearnResult {
  const examples = collectExamples(state);
  const annotations = examples.reduce((n, e) => n + e.entities.length, 0);
  if (!examples.length) return { documents: 0, annotations: 0 };
  const base = state.workspace.model ?? loadModel();
  // New labels of the team's schema are learned once they have enough examples; the plan is made on all of them.
  const plan = planLabels(base, examples);
  let before: number | undefined;
  let after: number | undefined;
  if (examples.length >= 5) {
    const held = examples.filter((_, i) => i % 5 === 4);
    const train = examples.filter((_, i) => i % 5 !== 4);
    before = score(base, held);
    after = score(adaptModel(base, train, { plan }), held);
  }
  const adapted = adaptModel(base, examples, { onProgress, plan });
  const file = saveAdaptedModel(state, adapted);
  state.workspace.useModel(adapted, file ?? 'adapted');
  state.refreshAll();
  void state.rescan();
  return {
    documents: examples.length,
    annotations,
    before,
    after,
    ...(plan.learn.length ? { learnedLabels: plan.learn } : {}),
    ...(plan.notYet.length ? { notYetLearned: plan.notYet.map((n) => ({ label: n.label, mentions: n.mentions, needed: n.needed })) } : {}),
  };
}

/** Keeps the adapted tagger in the workspace, so learning survives a restart (delete it to go back to the shipped model). */
function saveAdaptedModel(state: ServerState, model: TaggerModel): string | undefined {
  const file = state.workspace.adaptedModelPath();
  if (!file) return undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(serializeModel(model)));
  return file;
}

function collectExamples(state: ServerState): Example[] {
  const files = state.workspace.listFiles();
  const out: Example[] = [];
  for (const file of files) {
    // An open document's buffer and annotations are newer than the disk.
    const open = state.findDocByPath(file);
    let text: string;
    let stored: SidecarAnnotation[];
    if (open) {
      text = open.text;
      stored = open.annotations.filter((a) => !a.orphaned);
    } else {
      const loaded = loadDocument(file, state.maxBytes);
      if (!loaded.ok) continue;
      text = loaded.doc.text;
      stored = loaded.doc.annotations;
    }
    const index = new TextIndex(text);
    const entities = stored
      .filter((a) => a.kind === 'entity' && a.status === 'accepted' && a.label)
      .map((a) => ({ start: index.toUtf16(a.start), end: index.toUtf16(a.end), label: a.label! }));
    if (entities.length) out.push({ text, entities });
  }
  return out;
}

function score(model: TaggerModel, examples: Example[]): number {
  const gold: { doc: number; start: number; end: number; label: string }[] = [];
  const predicted: typeof gold = [];
  examples.forEach((ex, doc) => {
    for (const e of ex.entities) gold.push({ doc, ...e });
    for (const c of detectEntities(ex.text, { model, minConfidence: 0, labels: labelsOf(model) })) predicted.push({ doc, start: c.start, end: c.end, label: c.label });
  });
  const key = (s: (typeof gold)[number]): string => `${s.doc}:${s.start}:${s.end}:${s.label}`;
  const goldKeys = new Set(gold.map(key));
  const tp = predicted.filter((p) => goldKeys.has(key(p))).length;
  // Exact-span micro-F1 against the user's own annotations.
  return tp === 0 ? 0 : (2 * tp) / (gold.length + predicted.length);
}
