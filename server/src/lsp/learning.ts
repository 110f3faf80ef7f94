/**
 * "Learn from Annotations": adapts the entity tagger to the names the user
 * accepted across the workspace. A fifth of the annotated documents is set
 * aside first to measure the adapted tagger against the shipped one, so the
 * user sees whether learning helped; then the tagger is adapted on all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LearnResult, SidecarAnnotation } from '../protocol';
import { adaptModel, detectEntities, loadModel, type TaggerModel } from '../core/detect/entities';
import { serializeModel } from '../core/detect/entities/tagger';
import { TextIndex } from '../core/text/offsets';
import { writeFileAtomic } from '../host/sidecarFiles';
import { listTextFiles, loadDocument } from '../host/corpus';
import type { ServerState } from './state';

interface Example {
  text: string;
  entities: { start: number; end: number; label: string }[];
  rejected: { start: number; end: number; label: string }[];
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
  const base = state.model ?? loadModel();
  let before: number | undefined;
  let after: number | undefined;
  if (examples.length >= 5) {
    const held = examples.filter((_, i) => i % 5 === 4);
    const train = examples.filter((_, i) => i % 5 !== 4);
    before = score(base, held);
    after = score(adaptModel(base, train), held);
  }
  state.model = adaptModel(base, examples, { onProgress });
  saveAdaptedModel(state);
  state.refreshAll();
  void state.rescan();
  return { documents: examples.length, annotations, before, after };
}

/** Where the adapted tagger is kept, so learning survives a restart (delete it to go back to the shipped model). */
export function adaptedModelPath(state: ServerState): string | undefined {
  return state.folders[0] ? path.join(state.folders[0], '.news-annotator', 'adapted-model.json') : undefined;
}

function saveAdaptedModel(state: ServerState): void {
  const file = adaptedModelPath(state);
  if (!file || !state.model) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(serializeModel(state.model)));
}

function collectExamples(state: ServerState): Example[] {
  const files = listTextFiles(state.folders, state.settings.workspace.include, state.settings.workspace.maxFiles);
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
    const decided = (status: SidecarAnnotation['status']) =>
      stored.filter((a) => a.kind === 'entity' && a.status === status && a.label).map((a) => ({ start: index.toUtf16(a.start), end: index.toUtf16(a.end), label: a.label! }));
    const entities = decided('accepted');
    // A rejected suggestion also tells the tagger something: its sentence was reviewed, and that span is no such name.
    const rejected = decided('rejected');
    if (entities.length || rejected.length) out.push({ text, entities, rejected });
  }
  return out;
}

function score(model: TaggerModel, examples: Example[]): number {
  const gold: { doc: number; start: number; end: number; label: string }[] = [];
  const predicted: typeof gold = [];
  examples.forEach((ex, doc) => {
    for (const e of ex.entities) gold.push({ doc, ...e });
    for (const c of detectEntities(ex.text, { model, minConfidence: 0 })) predicted.push({ doc, start: c.start, end: c.end, label: c.label });
  });
  const key = (s: (typeof gold)[number]): string => `${s.doc}:${s.start}:${s.end}:${s.label}`;
  const goldKeys = new Set(gold.map(key));
  const tp = predicted.filter((p) => goldKeys.has(key(p))).length;
  // Exact-span micro-F1 against the user's own annotations.
  return tp === 0 ? 0 : (2 * tp) / (gold.length + predicted.length);
}
