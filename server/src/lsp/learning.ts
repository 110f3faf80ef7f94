/**
 * "Learn from Annotations": adapts the entity tagger to the names the user
 * accepted across the workspace, in the layer they work in (the adjudicated
 * sidecar, or their own layer), and when asked in the document's other
 * layers too (each layer one reading of the text to learn from). A fifth of
 * the annotated documents is set aside first to measure the adapted tagger
 * against the one in use on the working layer's annotations of those
 * documents, so the user sees whether learning helped; then the tagger is
 * adapted on all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LearnResult, SidecarAnnotation } from '../protocol';
import { adaptModel, detectEntities, labelsOf, loadModel, planLabels, type TaggerModel } from '../core/detect/entities';
import { packModel } from '../core/detect/entities/tagger';
import { sha256Hex } from '../core/annotations/hash';
import { TextIndex } from '../core/text/offsets';
import { writeFileAtomic } from '../host/sidecarFiles';
import { readTextFile } from '../host/corpus';
import { listLayers, readPlacedLayer } from '../host/layers';
import { TimeSlices } from '../host/timeSlices';
import { UserError } from './documents';
import type { ServerState } from './state';

interface Example {
  text: string;
  entities: { start: number; end: number; label: string }[];
  rejected: { start: number; end: number; label: string }[];
  /** Marked done in its layer: every sentence is taught (AdaptExample.complete). */
  complete?: boolean;
}

/** What one document teaches: the working layer's reading, and (when asked) the other layers' readings. */
interface DocumentExamples {
  own: Example | null;
  others: Example[];
}

/** Workspaces learning now: the corpus is read between time slices, and two runs would each install their model. */
const learning = new WeakSet<ServerState>();

export async function learnWithProgress(state: ServerState, includeOtherLayers = false): Promise<LearnResult> {
  if (learning.has(state)) throw new UserError('Learning from annotations is already running; wait for it to finish.');
  learning.add(state);
  const progress = await state.connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin('Learning from annotations', 0, 'reading the workspace', false);
  try {
    return await learnFromAnnotations(state, includeOtherLayers, (done, total) => progress?.report(Math.round((done / total) * 100), `training ${done} / ${total}`));
  } finally {
    progress?.done();
    learning.delete(state);
  }
}

export async function learnFromAnnotations(state: ServerState, includeOtherLayers: boolean, onProgress?: (done: number, total: number) => void): Promise<LearnResult> {
  const documents = await collectExamples(state, includeOtherLayers);
  const all = (docs: DocumentExamples[]): Example[] => docs.flatMap((d) => (d.own ? [d.own, ...d.others] : d.others));
  const examples = all(documents);
  const annotations = examples.reduce((n, e) => n + e.entities.length, 0);
  if (!examples.length) return { documents: 0, annotations: 0 };
  const base = state.workspace.model ?? loadModel();
  // New labels of the team's schema are learned once they have enough examples; the plan is made on all of them.
  const plan = planLabels(base, examples);
  let before: number | undefined;
  let after: number | undefined;
  // Documents are set aside whole (all their readings), and scored on the working layer's reading only.
  const held = documents.filter((d, i) => i % 5 === 4 && d.own);
  if (documents.length >= 5 && held.length) {
    const heldSet = new Set(held);
    const reference = held.map((d) => d.own!);
    before = score(base, reference);
    after = score(adaptModel(base, all(documents.filter((d) => !heldSet.has(d))), { plan }), reference);
  }
  const adapted = adaptModel(base, examples, { onProgress, plan });
  const json = JSON.stringify(packModel(adapted));
  const file = saveAdaptedModel(state, json);
  state.workspace.useModel(adapted, file ?? 'adapted', sha256Hex(json));
  state.refreshAll();
  void state.rescan();
  return {
    documents: documents.length,
    annotations,
    before,
    after,
    ...(plan.learn.length ? { learnedLabels: plan.learn } : {}),
    ...(plan.notYet.length ? { notYetLearned: plan.notYet.map((n) => ({ label: n.label, mentions: n.mentions, needed: n.needed })) } : {}),
  };
}

/** Keeps the adapted tagger in the workspace, so learning survives a restart (delete it to go back to the shipped model). */
function saveAdaptedModel(state: ServerState, json: string): string | undefined {
  const file = state.workspace.adaptedModelPath();
  if (!file) return undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, json);
  return file;
}

/** Every document's decisions, read between time slices (the server keeps answering while a large corpus is read). */
async function collectExamples(state: ServerState, includeOtherLayers: boolean): Promise<DocumentExamples[]> {
  const ws = state.workspace;
  const out: DocumentExamples[] = [];
  const slices = new TimeSlices();
  for (const file of await ws.listFilesAsync()) {
    await slices.pause();
    // An open document's buffer (and, in the working layer, its annotations) is newer than the disk.
    const open = state.findDocByPath(file);
    let text: string;
    if (open && !open.refused) text = open.text;
    else {
      const read = readTextFile(file, state.maxBytes);
      if (!read.ok) continue;
      text = read.text;
    }
    const own = open && open.layer === ws.layer ? { annotations: open.annotations.filter((a) => !a.orphaned), done: open.review.status === 'done' } : placed(file, text, ws.layer);
    const others: Example[] = [];
    if (includeOtherLayers) {
      const layers: (string | null)[] = listLayers(file).map((e) => e.annotator).filter((a) => a !== ws.layer);
      if (ws.layer !== null) layers.push(null);
      for (const layer of layers) {
        const ex = example(text, placed(file, text, layer));
        if (ex) others.push(ex);
      }
    }
    const mine = example(text, own);
    if (mine || others.length) out.push({ own: mine, others });
  }
  return out;
}

/** One layer's decisions on a document, and whether that layer marked it done. */
interface Decisions {
  annotations: readonly SidecarAnnotation[];
  done: boolean;
}

/** The annotations of one layer of a document, placed on `text` (none when the layer cannot be read). */
function placed(file: string, text: string, layer: string | null): Decisions {
  const l = readPlacedLayer(file, text, layer);
  return l.state === 'ok' ? { annotations: l.annotations, done: l.review === 'done' } : { annotations: [], done: false };
}

function example(text: string, { annotations: stored, done }: Decisions): Example | null {
  const index = new TextIndex(text);
  const decided = (status: SidecarAnnotation['status']) =>
    stored
      .filter((a) => a.kind === 'entity' && a.status === status && a.label && !a.orphaned)
      .map((a) => ({ start: index.toUtf16(a.start), end: index.toUtf16(a.end), label: a.label! }));
  const entities = decided('accepted');
  // A rejected suggestion also tells the tagger something: its sentence was reviewed, and that span is no such name.
  const rejected = decided('rejected');
  // A document marked done with no name in it still teaches: none of its sentences holds one.
  if (!entities.length && !rejected.length && !done) return null;
  return { text, entities, rejected, ...(done ? { complete: true } : {}) };
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
