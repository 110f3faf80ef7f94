/**
 * Annotator layers, by name: `article.txt.ann.json` is the adjudicated (gold)
 * layer, `article.txt.ann.<annotator>.json` the layer of one annotator. Pure
 * string work (no file system), shared by the host, the CLI and the server.
 */
import { ANNOTATOR_NAME_PATTERN, layerSuffix, SIDECAR_SUFFIX, type ReviewStatus, type Sidecar } from '../../protocol';

export function isAnnotatorName(name: string): boolean {
  return ANNOTATOR_NAME_PATTERN.test(name);
}

/**
 * The file of a layer of `textPath`: the annotator's layer, or the adjudicated
 * sidecar when `annotator` is null. Throws RangeError on an invalid name, so a
 * name from a setting or the command line can never reach outside the folder.
 */
export function layerPathOf(textPath: string, annotator: string | null): string {
  return textPath + (annotator === null ? SIDECAR_SUFFIX : layerSuffix(annotator));
}

export interface LayerFile {
  /** The text file the layer annotates (same folder, path as given). */
  textPath: string;
  /** The annotator, or null for the adjudicated sidecar. */
  annotator: string | null;
}

const LAYER_FILE = /^(.+)\.ann\.([A-Za-z0-9_-]+)\.json$/;

/**
 * What a file is, from its name: a layer (`x.txt.ann.bob.json`), the
 * adjudicated sidecar (`x.txt.ann.json`), or null for anything else.
 * One name is ambiguous: `x.ann.ann.json` is read as annotator `ann`'s layer
 * of `x`, not as the sidecar of a text named `x.ann`; listing the layers of a
 * known text file (host `listLayers`) never has to guess.
 */
export function parseLayerPath(p: string): LayerFile | null {
  const m = LAYER_FILE.exec(p);
  if (m && !/[\\/]$/.test(m[1])) return { textPath: m[1], annotator: m[2] };
  if (p.endsWith(SIDECAR_SUFFIX) && p.length > SIDECAR_SUFFIX.length && !/[\\/]$/.test(p.slice(0, -SIDECAR_SUFFIX.length)))
    return { textPath: p.slice(0, -SIDECAR_SUFFIX.length), annotator: null };
  return null;
}

/** The file name (not path) of a layer of `textName`, when `fileName` is one: the annotator, null for the gold sidecar, undefined otherwise. */
export function layerOwnerOf(textName: string, fileName: string): string | null | undefined {
  if (fileName === textName + SIDECAR_SUFFIX) return null;
  const prefix = textName + '.ann.';
  if (!fileName.startsWith(prefix) || !fileName.endsWith('.json')) return undefined;
  const name = fileName.slice(prefix.length, -'.json'.length);
  return isAnnotatorName(name) ? name : undefined;
}

/**
 * Whether a file belongs to the annotator rather than to the corpus: a
 * sidecar, a layer, or the copy of a damaged one kept aside
 * (`….ann.json.damaged-<time>.bak`). Corpus listings skip these, whatever
 * file endings the user includes.
 */
export function isAnnotationFileName(name: string): boolean {
  const base = name.replace(/\.damaged-[^/\\]*\.bak$/, '');
  return parseLayerPath(base) !== null;
}

/**
 * Whether a parsed sidecar may be the layer of `annotator`: a layer names
 * its owner, and the name must be the one in its file name (a file copied
 * from a colleague's layer would otherwise silently count twice).
 * Returns a message for the user, or null when it fits.
 */
export function layerOwnerProblem(sidecar: Sidecar, annotator: string): string | null {
  if (sidecar.annotator === annotator) return null;
  if (sidecar.annotator === undefined) return `annotator: missing; the layer of "${annotator}" must say "annotator": "${annotator}"`;
  return `annotator: the file is the layer of "${annotator}" but says "annotator": ${JSON.stringify(sidecar.annotator)}`;
}

/** A layer's review status: absent means nobody has finished it yet. */
export function reviewStatusOf(sidecar: Sidecar): ReviewStatus {
  return sidecar.review?.status ?? 'todo';
}

/**
 * Why a layer was chosen: `requested` (named by the user), `adjudicated`
 * (the default: some document has an adjudicated sidecar), `only-layer`
 * (no adjudicated sidecar, and every layer there is belongs to one
 * annotator), `none` (no annotation file at all: the adjudicated layer,
 * empty) or `ambiguous` (no adjudicated sidecar, and layers of several
 * annotators: the adjudicated layer, empty, with a warning).
 */
export type LayerChoiceReason = 'requested' | 'adjudicated' | 'only-layer' | 'none' | 'ambiguous';

export interface LayerChoice {
  /** The annotator whose layer to read, or null for the adjudicated sidecar. */
  annotator: string | null;
  reason: LayerChoiceReason;
  /** The annotators with a layer among the documents, sorted. */
  annotators: string[];
}

/**
 * The layer a command reads when the user did not name one (`requested`
 * undefined): the adjudicated layer, or the only layer there is. "The only
 * layer there is" is judged over all the documents of the command, not one
 * by one (an export never mixes layers): it applies when none of them has an
 * adjudicated sidecar (`article.txt.ann.json`, whatever its content) and the
 * annotator layers among them all belong to one annotator. `requested` null
 * names the adjudicated layer explicitly.
 */
export function chooseLayer(found: { adjudicated: boolean; annotators: Iterable<string> }, requested?: string | null): LayerChoice {
  const annotators = [...new Set(found.annotators)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (requested !== undefined) return { annotator: requested, reason: 'requested', annotators };
  if (found.adjudicated) return { annotator: null, reason: 'adjudicated', annotators };
  if (annotators.length === 1) return { annotator: annotators[0], reason: 'only-layer', annotators };
  return { annotator: null, reason: annotators.length ? 'ambiguous' : 'none', annotators };
}
