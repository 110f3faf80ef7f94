/**
 * Argument parsing shared by the sub-commands: each declares its own options
 * (an option of another sub-command is a usage error, not silently ignored),
 * and values are checked here so every usage error exits 2 with a message.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { chooseLayer, isAnnotatorName, layerPathOf } from '../core/annotations/layers';
import { surveyLayers } from '../host/layers';
import { Workspace } from '../host/workspace';

export class UsageError extends Error {}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every corpus-reading sub-command takes. */
export const CORPUS_OPTIONS = {
  'max-size-kb': { type: 'string' },
  settings: { type: 'string' },
} as const satisfies OptionSpec;

/** Options that shape what the detectors suggest (annotate, export with suggestions, check). */
export const DETECTOR_OPTIONS = {
  labels: { type: 'string' },
  'min-confidence': { type: 'string' },
} as const satisfies OptionSpec;

/** Which layer a command reads: an annotator's (`--annotator NAME`) or the adjudicated sidecar (`--adjudicated`). */
export const LAYER_OPTIONS = {
  annotator: { type: 'string' },
  adjudicated: { type: 'boolean' },
} as const satisfies OptionSpec;

/** The layer named on the command line: a name, null (--adjudicated), or undefined (not said). */
export function requestedLayer(values: { annotator?: string | boolean; adjudicated?: string | boolean }): string | null | undefined {
  if (values.annotator !== undefined && values.adjudicated) throw new UsageError('choose one of --annotator NAME and --adjudicated');
  if (values.adjudicated) return null;
  if (values.annotator === undefined) return undefined;
  const name = String(values.annotator);
  if (!isAnnotatorName(name)) throw new UsageError(`--annotator: ${JSON.stringify(name)} is not an annotator name (ASCII letters, digits, "_" and "-")`);
  return name;
}

/**
 * The layer a command reads: the one named, else the adjudicated layer, or
 * the only layer there is (core/annotations/layers.ts chooseLayer). A choice
 * the user did not make, and a name with no layer anywhere, are said on
 * stderr: an export of the wrong layer must not go unnoticed.
 */
export function chooseCliLayer(files: readonly string[], values: { annotator?: string | boolean; adjudicated?: string | boolean }, report: (message: string) => void): string | null {
  const requested = requestedLayer(values);
  const found = surveyLayers(files);
  const choice = chooseLayer(found, requested);
  if (choice.reason === 'requested' && choice.annotator !== null && !found.annotators.has(choice.annotator) && files.length)
    report(`annotator ${choice.annotator} has no layer (${path.basename(layerPathOf('article.txt', choice.annotator))}) among the inputs`);
  if (choice.reason === 'only-layer')
    report(`no adjudicated sidecar among the inputs: reading the only annotator layer there is, ${choice.annotator}'s (*.ann.${choice.annotator}.json); --adjudicated reads the adjudicated sidecars instead`);
  if (choice.reason === 'ambiguous')
    report(`no adjudicated sidecar among the inputs, and layers of ${choice.annotators.length} annotators (${choice.annotators.join(', ')}): reading the adjudicated layer, which is empty; choose one with --annotator NAME, or adjudicate first`);
  return choice.annotator;
}

export function parse<O extends OptionSpec>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`);
  }
}

export function integer(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function fraction(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${name} must be a number from 0 to 1, got "${raw}"`);
  return n;
}

export function oneOf<T extends string>(raw: string | undefined, name: string, values: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) throw new UsageError(`unknown ${name} "${raw}"; use one of ${values.join(', ')}`);
  return raw as T;
}

export function needInputs(inputs: string[]): string[] {
  if (!inputs.length) throw new UsageError('no input files or folders given');
  return inputs;
}

/**
 * The corpus of a sub-command as a Workspace: the folders among the inputs
 * (for a file, its folder) with the same settings resolution as the editor:
 * `--settings FILE` (the `newsAnnotator` settings object as JSON), then the
 * command-line flags over it.
 */
export async function openWorkspace(inputs: string[], values: Record<string, string | boolean | undefined>, report: (message: string) => void): Promise<Workspace> {
  let raw: Record<string, unknown> = {};
  if (typeof values.settings === 'string') {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(values.settings, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      raw = (parsed as Record<string, unknown>).newsAnnotator !== undefined ? ((parsed as Record<string, unknown>).newsAnnotator as Record<string, unknown>) : (parsed as Record<string, unknown>);
    } catch (err) {
      throw new UsageError(`--settings ${values.settings}: ${(err as Error).message}`);
    }
  }
  const entities = { ...(typeof raw.entities === 'object' && raw.entities ? (raw.entities as object) : {}) } as Record<string, unknown>;
  const maxKb = integer(values['max-size-kb'] as string | undefined, '--max-size-kb', 1, 1024 * 1024);
  if (maxKb !== undefined) raw = { ...raw, maxFileSizeKB: maxKb };
  if (typeof values.labels === 'string') raw = { ...raw, labels: values.labels.split(',').map((s) => s.trim()).filter(Boolean) };
  const min = fraction(values['min-confidence'] as string | undefined, '--min-confidence');
  if (min !== undefined) raw = { ...raw, entities: { ...entities, minConfidence: min } };
  const existing = inputs.filter((i) => fs.existsSync(i));
  const folders = existing.map((i) => (fs.statSync(i).isDirectory() ? i : path.dirname(i)));
  const ws = new Workspace({ folders: [...new Set(folders)], inputs });
  for (const p of ws.configure(raw)) report(`setting ${p.key}: ${p.message}; the default is used`);
  const tagger = await ws.chooseTagger();
  if (tagger.problem) report(tagger.problem);
  return ws;
}

/** The folder the exported names are relative to: the deepest folder holding every input. */
export function commonRoot(inputs: string[]): string {
  const dirs = inputs
    .filter((i) => fs.existsSync(i))
    .map((i) => {
      const abs = path.resolve(i);
      return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    });
  if (!dirs.length) return process.cwd();
  let root = dirs[0];
  for (const d of dirs) while (root !== path.dirname(root) && !(d === root || d.startsWith(root + path.sep))) root = path.dirname(root);
  return root;
}

/** Progress on stderr, at most every half second, only when a person is watching. */
export function progressPrinter(verb: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 500) return;
    last = now;
    process.stderr.write(`\r${verb} ${done} / ${total} documents${done === total ? '\n' : ''}`);
  };
}
