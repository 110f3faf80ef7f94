/**
 * "Learn from Annotations": adapts the entity tagger to the names the user
 * accepted across the workspace, in the layer they work in (the adjudicated
 * sidecar, or their own layer), and when asked in the document's other
 * layers too (each layer one reading of the text to learn from). A fifth of
 * the annotated documents is set aside first to measure the adapted tagger
 * against the one in use on the working layer's annotations of those
 * documents, so the user sees whether learning helped; then the tagger is
 * adapted on all. The corpus is read here between time slices; the training
 * (core/detect/entities/learn.ts) runs in a worker thread (host/learnWorker.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import type { LearnResult, SidecarAnnotation } from '../protocol';
import { loadModel } from '../core/detect/entities';
import { examplesOf, type DocumentExamples, type LearnExample } from '../core/detect/entities/learn';
import { sha256Hex } from '../core/annotations/hash';
import { TextIndex } from '../core/text/offsets';
import { writeFileAtomic } from '../host/sidecarFiles';
import { readTextFile } from '../host/corpus';
import { listLayers, readPlacedLayer } from '../host/layers';
import { learnOffThread } from '../host/learnWorker';
import { TimeSlices } from '../host/timeSlices';
import { UserError } from './documents';
import { stoppedBy } from './progress';
import type { ServerState } from './state';

/** Workspaces learning now: the corpus is read between time slices, and two runs would each install their model. */
const learning = new WeakSet<ServerState>();

export async function learnWithProgress(state: ServerState, includeOtherLayers = false, stop?: CancellationToken): Promise<LearnResult> {
  if (learning.has(state)) throw new UserError('Learning from annotations is already running; wait for it to finish.');
  learning.add(state);
  const progress = await state.connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin('Learning from annotations', 0, 'reading the workspace', !!stop);
  const stopped = stoppedBy(stop, progress);
  try {
    return await learnFromAnnotations(state, includeOtherLayers, (done, total) => progress?.report(Math.round((done / total) * 100), `training ${done} / ${total}`), stopped);
  } finally {
    progress?.done();
    learning.delete(state);
  }
}

/**
 * `stopped`: asked between documents while the corpus is read, and while the worker trains
 * (which is then ended); once it answers true nothing is installed or saved, whatever the
 * worker has done by then.
 */
export async function learnFromAnnotations(state: ServerState, includeOtherLayers: boolean, onProgress?: (done: number, total: number) => void, stopped: () => boolean = () => false): Promise<LearnResult> {
  const documents = await collectExamples(state, includeOtherLayers, stopped);
  if (!documents) return { documents: 0, annotations: 0, cancelled: true };
  const examples = examplesOf(documents);
  const annotations = examples.reduce((n, e) => n + e.entities.length, 0);
  if (!examples.length) return { documents: 0, annotations: 0 };
  // Trained in a worker thread: the server keeps answering meanwhile.
  const outcome = await learnOffThread(state.workspace.model, documents, onProgress, stopped);
  if (outcome === 'stopped' || stopped()) return { documents: documents.length, annotations, cancelled: true };
  const { json, plan, before, after } = outcome;
  const adapted = loadModel(json);
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

/**
 * Every document's decisions, read between time slices (the server keeps answering while a
 * large corpus is read); undefined when `stopped` says so between two documents.
 */
async function collectExamples(state: ServerState, includeOtherLayers: boolean, stopped: () => boolean): Promise<DocumentExamples[] | undefined> {
  const ws = state.workspace;
  const out: DocumentExamples[] = [];
  const slices = new TimeSlices();
  for (const file of await ws.listFilesAsync()) {
    await slices.pause();
    if (stopped()) return undefined;
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
    const others: LearnExample[] = [];
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

function example(text: string, { annotations: stored, done }: Decisions): LearnExample | null {
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

