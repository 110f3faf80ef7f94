/**
 * Annotator layers on disk: `dir/article.txt.ann.<annotator>.json` next to the
 * adjudicated `dir/article.txt.ann.json`. Reading and writing go through the
 * sidecar machinery (sidecarFiles.ts) with the annotator named, so a layer has
 * the same guarantees as the sidecar: atomic writes, merges with concurrent
 * writers, damaged files reported, kept aside and never overwritten.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIDECAR_SUFFIX, type DocumentTags, type ReviewStatus, type Sidecar, type SidecarAnnotation } from '../protocol';
import { isAnnotatorName, layerOwnerOf, reviewStatusOf } from '../core/annotations/layers';
import { placeOnText } from '../core/annotations/placement';
import { emptySidecar } from '../core/annotations/sidecar';
import { readSidecar, sidecarPath, writeSidecarAtomic, type SidecarState, type WriteBase, type WriteOptions, type WriteResult } from './sidecarFiles';
import { lowerBound } from '../core/text/lowerBound';

export interface LayerEntry {
  annotator: string;
  /** Full path of the layer file. */
  path: string;
}

/**
 * The file names of one folder, read once, for finding the layers of many
 * text files in it: a corpus folder of 20,000 articles is listed once, not
 * once per article.
 */
export class LayerFolder {
  private readonly names: string[];

  constructor(readonly dir: string) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      names = [];
    }
    this.names = names.sort(byCodeUnit);
  }

  /** Is there an adjudicated sidecar (`textName.ann.json`) for the text file `textName` in this folder? */
  hasAdjudicated(textName: string): boolean {
    return this.find(textName + SIDECAR_SUFFIX) >= 0;
  }

  private find(name: string): number {
    const i = this.lowerBound(name);
    return i < this.names.length && this.names[i] === name ? i : -1;
  }

  /** Index of the first name ≥ `prefix` (the names are sorted). */
  private lowerBound(prefix: string): number {
    return lowerBound(this.names.length, (i) => this.names[i] < prefix);
  }

  /**
   * The annotator layers of the text file `textName` in this folder, sorted
   * by annotator name (code-unit order, the same on every machine). The
   * adjudicated sidecar is not a layer and is not listed.
   */
  layersOf(textName: string): LayerEntry[] {
    const prefix = textName + '.ann.';
    // The layers follow the first name ≥ prefix.
    const lo = this.lowerBound(prefix);
    const out: LayerEntry[] = [];
    for (let i = lo; i < this.names.length && this.names[i].startsWith(prefix); i++) {
      const annotator = layerOwnerOf(textName, this.names[i]);
      if (typeof annotator === 'string') out.push({ annotator, path: path.join(this.dir, this.names[i]) });
    }
    return out.sort((a, b) => byCodeUnit(a.annotator, b.annotator));
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Which layers the documents have: an adjudicated sidecar anywhere, and the annotators with a layer (each folder read once). */
export function surveyLayers(files: Iterable<string>): { adjudicated: boolean; annotators: Set<string> } {
  const folders = new Map<string, LayerFolder>();
  const out = { adjudicated: false, annotators: new Set<string>() };
  for (const file of files) {
    const dir = path.dirname(file);
    let folder = folders.get(dir);
    if (!folder) folders.set(dir, (folder = new LayerFolder(dir)));
    const name = path.basename(file);
    if (!out.adjudicated && folder.hasAdjudicated(name)) out.adjudicated = true;
    for (const e of folder.layersOf(name)) out.annotators.add(e.annotator);
  }
  return out;
}

/** The annotator layers of `textPath` found next to it (see LayerFolder.layersOf). */
export function listLayers(textPath: string): LayerEntry[] {
  return new LayerFolder(path.dirname(textPath)).layersOf(path.basename(textPath));
}

function checkName(annotator: string): void {
  if (!isAnnotatorName(annotator)) throw new RangeError(`invalid annotator name ${JSON.stringify(annotator)}: use letters, digits, "_" and "-" only`);
}

/** The layer of `annotator` (absent, ok, damaged — with a copy kept aside — or newer), as readSidecar reads the sidecar. */
export function readLayer(textPath: string, annotator: string): SidecarState {
  checkName(annotator);
  return readSidecar(textPath, annotator);
}

/** An empty layer of `annotator` for a document (nothing decided, review status absent = todo). */
export function emptyLayer(textPath: string, text: string, annotator: string): Sidecar {
  checkName(annotator);
  return { ...emptySidecar(textPath, text), annotator };
}

/**
 * Writes the layer of `annotator` atomically, merging with whoever wrote it
 * since `base` (another window of the same annotator, the CLI). `sidecar` is
 * stamped with the annotator; one that names someone else is refused
 * (SidecarFileError `invalid-sidecar`), as is overwriting a damaged layer.
 */
export function writeLayer(textPath: string, annotator: string, sidecar: Sidecar, base: WriteBase, options: Omit<WriteOptions, 'annotator'> = {}): WriteResult {
  checkName(annotator);
  const owned: Sidecar = sidecar.annotator === undefined ? { ...sidecar, annotator } : sidecar;
  return writeSidecarAtomic(textPath, owned, base, { ...options, annotator });
}

/** `dir/article.txt` → `dir/article.txt.ann.<annotator>.json`. */
export function layerPath(textPath: string, annotator: string): string {
  checkName(annotator);
  return sidecarPath(textPath, annotator);
}

/** One layer (an annotator's, or the adjudicated sidecar) read and placed on the text as it is now. */
export interface PlacedLayer {
  state: SidecarState['status'];
  /** Review status of the layer (`todo` when it has none, or when it could not be read). */
  review: ReviewStatus;
  /** Stored annotations placed on the current text (re-anchored if the text changed); orphans excluded. */
  annotations: SidecarAnnotation[];
  orphans: number;
  /** The layer's document tags (empty when none, or when it could not be read). */
  tags: DocumentTags;
  /** Why the layer cannot be used (damaged, newer format): for the user. */
  message?: string;
}

export interface LoadedLayer extends PlacedLayer {
  annotator: string;
  path: string;
}

/** Reads one layer of `textPath` (`annotator` null: the adjudicated sidecar) and places it on `text`. */
export function readPlacedLayer(textPath: string, text: string, annotator: string | null): PlacedLayer {
  const state = readSidecar(textPath, annotator ?? undefined);
  const layer: PlacedLayer = { state: state.status, review: 'todo', annotations: [], orphans: 0, tags: {} };
  if (state.status === 'ok') {
    const placed = placeOnText(state.sidecar, text);
    layer.review = reviewStatusOf(state.sidecar);
    layer.tags = state.sidecar.tags ?? {};
    layer.annotations = placed.placed;
    layer.orphans = placed.orphans.length;
  } else if (state.status === 'damaged' || state.status === 'newer') {
    layer.message = state.message;
  }
  return layer;
}

/** Layers of a document (all of them, or the `entries` given), read and placed on `text` (the document as it is now). */
export function loadLayers(textPath: string, text: string, entries: readonly LayerEntry[] = listLayers(textPath)): LoadedLayer[] {
  return entries.map(({ annotator, path: p }) => ({ annotator, path: p, ...readPlacedLayer(textPath, text, annotator) }));
}
