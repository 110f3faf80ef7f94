/** User settings (`newsAnnotator.*` in VS Code), with the defaults the manifest declares. */
import { DEFAULT_LABELS } from '../protocol';

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
  workspace: { maxFiles: number; include: string[] };
}

export const DEFAULT_SETTINGS: Settings = {
  labels: [...DEFAULT_LABELS],
  maxFileSizeKB: 4096,
  entities: { enabled: true, minConfidence: 0.5, modelPath: undefined },
  boilerplate: { enabled: true, threshold: undefined, repeatedMinDocs: 3, repeatedMinFraction: 0.05, extraCues: {} },
  workspace: { maxFiles: 20000, include: ['.txt'] },
};

/** Merges a (possibly partial, possibly malformed) settings object over the defaults. */
export function resolveSettings(raw: unknown): Settings {
  const r = (isObject(raw) ? raw : {}) as Record<string, unknown>;
  const e = isObject(r.entities) ? (r.entities as Record<string, unknown>) : {};
  const b = isObject(r.boilerplate) ? (r.boilerplate as Record<string, unknown>) : {};
  const w = isObject(r.workspace) ? (r.workspace as Record<string, unknown>) : {};
  const labels = Array.isArray(r.labels) ? r.labels.filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [];
  return {
    labels: labels.length ? labels : [...DEFAULT_SETTINGS.labels],
    maxFileSizeKB: num(r.maxFileSizeKB, DEFAULT_SETTINGS.maxFileSizeKB, 1),
    entities: {
      enabled: bool(e.enabled, true),
      minConfidence: num(e.minConfidence, DEFAULT_SETTINGS.entities.minConfidence, 0, 1),
      modelPath: typeof e.modelPath === 'string' && e.modelPath.trim() ? e.modelPath : undefined,
    },
    boilerplate: {
      enabled: bool(b.enabled, true),
      threshold: typeof b.threshold === 'number' ? b.threshold : undefined,
      repeatedMinDocs: num(b.repeatedMinDocs, DEFAULT_SETTINGS.boilerplate.repeatedMinDocs, 2),
      repeatedMinFraction: num(b.repeatedMinFraction, DEFAULT_SETTINGS.boilerplate.repeatedMinFraction, 0, 1),
      extraCues: isObject(b.extraCues) ? stringLists(b.extraCues as Record<string, unknown>) : {},
    },
    workspace: {
      maxFiles: num(w.maxFiles, DEFAULT_SETTINGS.workspace.maxFiles, 0),
      include: Array.isArray(w.include) && w.include.every((x) => typeof x === 'string') ? (w.include as string[]) : DEFAULT_SETTINGS.workspace.include,
    },
  };
}

function isObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function bool(x: unknown, d: boolean): boolean {
  return typeof x === 'boolean' ? x : d;
}
function num(x: unknown, d: number, min = -Infinity, max = Infinity): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(max, Math.max(min, x)) : d;
}
function stringLists(o: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(o)) if (Array.isArray(v)) out[k] = v.filter((s): s is string => typeof s === 'string');
  return out;
}
