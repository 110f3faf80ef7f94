/**
 * User settings (`newsAnnotator.*` in VS Code, `initializationOptions` or
 * `workspace/configuration` in other editors, flags in the CLI), validated.
 *
 * Settings come from the workspace, which is untrusted input: a 5 MB label
 * list or a 10,000-entry cue list must not stall the server. Every value is
 * checked for type, range, count and length; what fails is reported once (by
 * key) and replaced by its default, never passed on.
 */
import { FileSelection } from './text/glob';
import { ANNOTATOR_NAME_PATTERN, DEFAULT_LABELS } from '../protocol';

export interface Settings {
  labels: string[];
  maxFileSizeKB: number;
  /** modelPath: a tagger model file to use instead of the shipped one (e.g. trained on your own corpus). */
  entities: { enabled: boolean; minConfidence: number; modelPath?: string };
  boilerplate: {
    enabled: boolean;
    threshold?: number;
    repeatedMinDocs: number;
    repeatedMinFraction: number;
    extraCues: Record<string, string[]>;
  };
  /** workers: threads that read and tag the corpus in a scan (0: one per core). */
  workspace: { maxFiles: number; include: string[]; exclude: string[]; workers: number };
  /**
   * Who is annotating: decisions go to `article.txt.ann.<annotator>.json`
   * (null: the adjudicated `article.txt.ann.json`). A name that breaks
   * ANNOTATOR_NAME_PATTERN is refused and kept in `annotatorRefused`: then
   * nothing may be written, since falling back to the adjudicated sidecar
   * would put one person's decisions where the team's gold is.
   */
  annotator: string | null;
  annotatorRefused?: string;
  /** Show the other annotators' layers (off: blind annotation). */
  showOtherAnnotators: boolean;
  /** Learn from Annotations also learns from the other layers of each document. */
  learn: { includeAnnotatorLayers: boolean };
}

export const DEFAULT_SETTINGS: Settings = {
  labels: [...DEFAULT_LABELS],
  maxFileSizeKB: 4096,
  entities: { enabled: true, minConfidence: 0.5, modelPath: undefined },
  boilerplate: { enabled: true, threshold: undefined, repeatedMinDocs: 3, repeatedMinFraction: 0.05, extraCues: {} },
  workspace: { maxFiles: 100000, include: ['.txt'], exclude: [], workers: 0 },
  annotator: null,
  showOtherAnnotators: false,
  learn: { includeAnnotatorLayers: false },
};

/** Bounds on what a setting may hold; beyond them the value is refused with a message. */
export const SETTING_LIMITS = {
  labels: 64,
  labelLength: 40,
  cueCategories: 32,
  cuesPerCategory: 200,
  cueLength: 200,
  includeEntries: 64,
  includeLength: 200,
  pathLength: 4096,
  maxFileSizeKB: 1024 * 1024,
  maxFiles: 10_000_000,
} as const;

/** A label is a short name: letters of any script, digits, `_ - . :` (no spaces, no markup). */
const LABEL = /^[\p{L}\p{N}_\-.:]+$/u;
const CATEGORY = /^[\p{L}\p{N}_\-.]+$/u;

export interface SettingProblem {
  /** Dotted key under `newsAnnotator`, e.g. `labels` or `boilerplate.extraCues`. */
  key: string;
  message: string;
}

export interface ResolvedSettings {
  settings: Settings;
  /** What was refused (the default was used instead). Empty when everything was valid. */
  problems: SettingProblem[];
}

/** Merges a (possibly partial, possibly hostile) settings object over the defaults, reporting what was refused. */
export function validateSettings(raw: unknown): ResolvedSettings {
  const problems: SettingProblem[] = [];
  const problem = (key: string, message: string): void => {
    if (!problems.some((p) => p.key === key)) problems.push({ key, message });
  };
  const r = obj(raw, '(root)', problem);
  const e = obj(r.entities, 'entities', problem);
  const b = obj(r.boilerplate, 'boilerplate', problem);
  const w = obj(r.workspace, 'workspace', problem);
  const l = obj(r.learn, 'learn', problem);
  const D = DEFAULT_SETTINGS;
  const who = annotator(r.annotator, problem);
  return {
    settings: {
      labels: labels(r.labels, problem),
      maxFileSizeKB: int(r.maxFileSizeKB, 'maxFileSizeKB', D.maxFileSizeKB, 1, SETTING_LIMITS.maxFileSizeKB, problem),
      entities: {
        enabled: bool(e.enabled, 'entities.enabled', true, problem),
        minConfidence: num(e.minConfidence, 'entities.minConfidence', D.entities.minConfidence, 0, 1, problem),
        modelPath: modelPath(e.modelPath, problem),
      },
      boilerplate: {
        enabled: bool(b.enabled, 'boilerplate.enabled', true, problem),
        threshold: threshold(b.threshold, problem),
        repeatedMinDocs: int(b.repeatedMinDocs, 'boilerplate.repeatedMinDocs', D.boilerplate.repeatedMinDocs, 2, SETTING_LIMITS.maxFiles, problem),
        repeatedMinFraction: num(b.repeatedMinFraction, 'boilerplate.repeatedMinFraction', D.boilerplate.repeatedMinFraction, 0, 1, problem),
        extraCues: extraCues(b.extraCues, problem),
      },
      workspace: {
        maxFiles: int(w.maxFiles, 'workspace.maxFiles', D.workspace.maxFiles, 0, SETTING_LIMITS.maxFiles, problem),
        include: include(w.include, problem),
        exclude: exclude(w.exclude, problem),
        workers: int(w.workers, 'workspace.workers', D.workspace.workers, 0, 64, problem),
      },
      annotator: who.name,
      ...(who.refused !== undefined ? { annotatorRefused: who.refused } : {}),
      showOtherAnnotators: bool(r.showOtherAnnotators, 'showOtherAnnotators', false, problem),
      learn: { includeAnnotatorLayers: bool(l.includeAnnotatorLayers, 'learn.includeAnnotatorLayers', false, problem) },
    },
    problems,
  };
}

/** The settings alone, problems dropped (for callers that report nothing, e.g. tests). */
export function resolveSettings(raw: unknown): Settings {
  return validateSettings(raw).settings;
}

/** One line naming every refused key, for a notification or stderr. */
export function describeProblems(problems: readonly SettingProblem[]): string {
  return `Some newsAnnotator settings were refused and their defaults used: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`;
}

type Report = (key: string, message: string) => void;

function obj(x: unknown, key: string, problem: Report): Record<string, unknown> {
  if (x === undefined || x === null) return {};
  if (typeof x === 'object' && !Array.isArray(x)) return x as Record<string, unknown>;
  problem(key, `expected an object, got ${kind(x)}`);
  return {};
}

function kind(x: unknown): string {
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'string') return `a string of ${x.length} characters`;
  return x === null ? 'null' : typeof x;
}

function bool(x: unknown, key: string, d: boolean, problem: Report): boolean {
  if (x === undefined) return d;
  if (typeof x === 'boolean') return x;
  problem(key, `expected true or false, got ${kind(x)}`);
  return d;
}

function num(x: unknown, key: string, d: number, min: number, max: number, problem: Report): number {
  if (x === undefined || x === null) return d;
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    problem(key, `expected a number, got ${kind(x)}`);
    return d;
  }
  if (x < min || x > max) {
    problem(key, `${x} is outside [${min}, ${max}]`);
    return d;
  }
  return x;
}

function int(x: unknown, key: string, d: number, min: number, max: number, problem: Report): number {
  const n = num(x, key, d, min, max, problem);
  if (Number.isInteger(n)) return n;
  problem(key, `expected a whole number, got ${n}`);
  return d;
}

function threshold(x: unknown, problem: Report): number | undefined {
  if (x === undefined || x === null) return undefined;
  const n = num(x, 'boilerplate.threshold', NaN, -1e6, 1e6, problem);
  return Number.isNaN(n) ? undefined : n;
}

function labels(x: unknown, problem: Report): string[] {
  const d = [...DEFAULT_SETTINGS.labels];
  if (x === undefined || x === null) return d;
  if (!Array.isArray(x)) {
    problem('labels', `expected a list of label names, got ${kind(x)}`);
    return d;
  }
  if (x.length > SETTING_LIMITS.labels) {
    problem('labels', `${x.length} labels; at most ${SETTING_LIMITS.labels} are allowed`);
    return d;
  }
  const out: string[] = [];
  for (const l of x) {
    if (typeof l !== 'string' || l.length === 0 || l.length > SETTING_LIMITS.labelLength || !LABEL.test(l)) {
      problem('labels', `${JSON.stringify(typeof l === 'string' ? l.slice(0, 50) : l)} is not a label name (1–${SETTING_LIMITS.labelLength} letters, digits, _ - . :)`);
      return d;
    }
    if (!out.includes(l)) out.push(l);
  }
  return out.length ? out : d;
}

function modelPath(x: unknown, problem: Report): string | undefined {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'string') {
    problem('entities.modelPath', `expected a file path, got ${kind(x)}`);
    return undefined;
  }
  if (x.length > SETTING_LIMITS.pathLength || x.includes('\u0000')) {
    problem('entities.modelPath', 'not a usable file path');
    return undefined;
  }
  return x.trim() ? x : undefined;
}

/** The annotator's name: empty or absent is nobody (the adjudicated layer); anything outside the pattern is refused, not ignored. */
function annotator(x: unknown, problem: Report): { name: string | null; refused?: string } {
  if (x === undefined || x === null) return { name: null };
  if (typeof x !== 'string') {
    problem('annotator', `expected a name, got ${kind(x)}; nothing can be annotated until it is fixed`);
    return { name: null, refused: String(x).slice(0, 50) };
  }
  const name = x.trim();
  if (!name) return { name: null };
  if (name.length > 100 || !ANNOTATOR_NAME_PATTERN.test(name)) {
    problem('annotator', `${JSON.stringify(name.slice(0, 50))} is not an annotator name (ASCII letters, digits, "_" and "-"); nothing can be annotated until it is fixed`);
    return { name: null, refused: name.slice(0, 50) };
  }
  return { name };
}

function extraCues(x: unknown, problem: Report): Record<string, string[]> {
  const key = 'boilerplate.extraCues';
  if (x === undefined || x === null) return {};
  if (typeof x !== 'object' || Array.isArray(x)) {
    problem(key, `expected an object of category → phrases, got ${kind(x)}`);
    return {};
  }
  const entries = Object.entries(x as Record<string, unknown>);
  if (entries.length > SETTING_LIMITS.cueCategories) {
    problem(key, `${entries.length} categories; at most ${SETTING_LIMITS.cueCategories} are allowed`);
    return {};
  }
  // A null-prototype object: a category named "__proto__" or "constructor" stays an ordinary key.
  const out: Record<string, string[]> = Object.create(null);
  for (const [category, phrases] of entries) {
    if (!CATEGORY.test(category) || category.length > SETTING_LIMITS.labelLength) {
      problem(key, `${JSON.stringify(category.slice(0, 50))} is not a category name`);
      return {};
    }
    if (!Array.isArray(phrases) || phrases.length > SETTING_LIMITS.cuesPerCategory) {
      problem(key, `${category}: expected at most ${SETTING_LIMITS.cuesPerCategory} phrases, got ${kind(phrases)}`);
      return {};
    }
    const list: string[] = [];
    for (const p of phrases) {
      if (typeof p !== 'string' || !p.trim() || p.length > SETTING_LIMITS.cueLength) {
        problem(key, `${category}: phrases must be non-empty strings of at most ${SETTING_LIMITS.cueLength} characters`);
        return {};
      }
      list.push(p);
    }
    out[category] = list;
  }
  return out;
}

function include(x: unknown, problem: Report): string[] {
  return patternList(x, problem, {
    key: 'workspace.include',
    fallback: DEFAULT_SETTINGS.workspace.include,
    min: 1,
    what: 'file name endings',
    entries: 'non-empty strings such as ".txt" or "articles/**/*.txt"',
    problems: (ps) => new FileSelection(ps).problems,
  });
}

/** `workspace.exclude`: globs of files and folders left out of the corpus (linear-time matching: see core/text/glob.ts). */
function exclude(x: unknown, problem: Report): string[] {
  return patternList(x, problem, {
    key: 'workspace.exclude',
    fallback: [],
    min: 0,
    what: 'glob patterns',
    entries: 'non-empty glob patterns such as "**/drafts"',
    problems: (ps) => new FileSelection([], ps).problems,
  });
}

/**
 * A list of file patterns: an array of `min`–includeEntries non-empty
 * strings of bounded length, each one readable (`problems` says why not).
 * Anything else is reported under `key` and replaced by `fallback`.
 */
function patternList(
  x: unknown,
  problem: Report,
  o: { key: string; fallback: readonly string[]; min: number; what: string; entries: string; problems: (patterns: string[]) => string[] },
): string[] {
  const d = [...o.fallback];
  if (x === undefined || x === null) return d;
  if (!Array.isArray(x) || x.length < o.min || x.length > SETTING_LIMITS.includeEntries) {
    problem(o.key, `expected ${o.min ? `${o.min}–` : 'at most '}${SETTING_LIMITS.includeEntries} ${o.what}, got ${kind(x)}`);
    return d;
  }
  for (const p of x) {
    if (typeof p !== 'string' || !p || p.length > SETTING_LIMITS.includeLength || p.includes('\u0000')) {
      problem(o.key, `entries must be ${o.entries}`);
      return d;
    }
  }
  const unreadable = o.problems(x as string[]);
  if (unreadable.length) {
    problem(o.key, unreadable.join('; '));
    return d;
  }
  return x as string[];
}
