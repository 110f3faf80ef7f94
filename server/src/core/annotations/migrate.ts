/**
 * Sidecar format migrations. Each step upgrades exactly one version, so a file
 * of any older version walks the chain up to SIDECAR_VERSION. Steps work on
 * plain JSON objects (before validation) and never drop data: fields a step
 * does not understand are carried over unchanged.
 *
 * Version 0 — the PRE-RELEASE format (written by development builds only):
 *   {
 *     "version": 0,
 *     "path": "article.txt",            // document file name
 *     "sha256": "<hex>",                 // document hash
 *     "annotations": [{
 *       "id", "kind", "label"?, "category"?, "start", "end", "text",
 *       "status", "source", "confidence"?, "note"?,
 *       "timestamp": "<ISO 8601>"        // single decision time
 *     }]
 *   }
 *   Offsets were already code points; there was no prefix/suffix context.
 * 0 → 1: `path`/`sha256` move under `document`, `offsets: "codepoint"` is
 *   added, `timestamp` becomes `created` and `modified`, `prefix`/`suffix` are
 *   set to "" (re-anchoring fills them from the text on the next write).
 */
import { SIDECAR_VERSION } from '../../protocol';

type Obj = Record<string, unknown>;
type Step = (o: Obj) => Obj;

const EPOCH = '1970-01-01T00:00:00.000Z';

/** MIGRATIONS[v] upgrades a version-v object to version v+1. */
export const MIGRATIONS: Readonly<Record<number, Step>> = {
  0: (o) => {
    const { version: _v, path, sha256, annotations, ...rest } = o;
    void _v;
    return {
      version: 1,
      document: { path, sha256 },
      offsets: 'codepoint',
      annotations: Array.isArray(annotations)
        ? annotations.map((a: unknown) => {
            if (typeof a !== 'object' || a === null || Array.isArray(a)) return a;
            const { timestamp, ...ar } = a as Obj;
            const ts = typeof timestamp === 'string' ? timestamp : EPOCH;
            return { ...ar, prefix: ar.prefix ?? '', suffix: ar.suffix ?? '', created: ar.created ?? ts, modified: ar.modified ?? ts };
          })
        : annotations,
      ...rest,
    };
  },
};

export type MigrationResult =
  | { ok: true; value: Obj; from: number; steps: number }
  | { ok: false; message: string };

/**
 * Upgrades a parsed sidecar object to SIDECAR_VERSION. The input is not
 * mutated. Objects already at SIDECAR_VERSION are returned as they are
 * (steps = 0). Newer versions are not this function's business (the caller
 * reports them read-only) and yield ok:false.
 */
export function migrateSidecar(obj: unknown, migrations: Readonly<Record<number, Step>> = MIGRATIONS, target = SIDECAR_VERSION): MigrationResult {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, message: '(root): expected an object' };
  const from = (obj as Obj).version;
  if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0)
    return { ok: false, message: `version: expected a non-negative integer, got ${JSON.stringify(from) ?? 'nothing'}` };
  if (from > target) return { ok: false, message: `version ${from} is newer than supported version ${target}` };
  // Deep copy: migration steps may rebuild nested objects; the caller's value stays intact.
  let cur = JSON.parse(JSON.stringify(obj)) as Obj;
  for (let v = from; v < target; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, message: `version ${v}: no migration to version ${v + 1}` };
    try {
      cur = step(cur);
    } catch (e) {
      return { ok: false, message: `migration ${v} → ${v + 1} failed: ${(e as Error).message}` };
    }
    if (cur.version !== v + 1) return { ok: false, message: `migration ${v} → ${v + 1} produced version ${String(cur.version)}` };
  }
  return { ok: true, value: cur, from, steps: target - from };
}
