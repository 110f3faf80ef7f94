/**
 * Sidecar (de)serialisation: parse + migrate + validate, deterministic
 * serialisation, and the empty sidecar of a document. Pure: no file system.
 */
import { SIDECAR_SUFFIX, SIDECAR_VERSION, type Sidecar, type SidecarAnnotation } from '../../protocol';
import { codePointLength } from '../text/offsets';
import { sha256Hex } from './hash';
import { own, parseJson } from './json';
import { migrateSidecar } from './migrate';
import { validateSidecar } from './validate';

export { sha256Hex } from './hash';
export { migrateSidecar, MIGRATIONS, type MigrationResult } from './migrate';
export { validateSidecar, type ValidationResult } from './validate';

export type ParseFailureReason = 'damaged' | 'invalid' | 'newer-version';

export type ParseResult =
  | {
      ok: true;
      sidecar: Sidecar;
      /** Set when the file was in an older format and was migrated in memory (rewrite it to upgrade). */
      migratedFrom?: number;
    }
  | {
      ok: false;
      /** damaged: not JSON at all (truncated, empty, binary); invalid: JSON of the wrong shape; newer-version: written by a newer build. */
      reason: ParseFailureReason;
      message: string;
      /** The version found in the file, when there is one (always set for newer-version). */
      version?: number;
    };

/** Parses sidecar JSON text (a leading BOM is tolerated). Never throws. */
export function parseSidecar(json: string): ParseResult {
  const src = json.charCodeAt(0) === 0xfeff ? json.slice(1) : json;
  if (src.trim() === '') return { ok: false, reason: 'damaged', message: 'the sidecar file is empty' };
  let value: unknown;
  try {
    value = parseJson(src);
  } catch (e) {
    return { ok: false, reason: 'damaged', message: `not valid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'invalid', message: 'the sidecar must be a JSON object' };
  const version = own(value, 'version');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    return { ok: false, reason: 'invalid', message: `version: expected a non-negative integer, got ${JSON.stringify(version) ?? 'nothing'}` };
  if (version > SIDECAR_VERSION)
    return {
      ok: false,
      reason: 'newer-version',
      version,
      message: `the sidecar has format version ${version}, this build understands up to ${SIDECAR_VERSION}; it is left read-only (update the extension)`,
    };
  let current: unknown = value;
  if (version < SIDECAR_VERSION) {
    const m = migrateSidecar(value);
    if (!m.ok) return { ok: false, reason: 'invalid', version, message: m.message };
    // Migration steps build plain objects: back to prototype-free ones.
    current = parseJson(JSON.stringify(m.value));
  }
  const v = validateSidecar(current);
  if (!v.ok) return { ok: false, reason: 'invalid', version, message: `invalid sidecar: ${v.errors.join('; ')}` };
  return version < SIDECAR_VERSION ? { ok: true, sidecar: v.sidecar, migratedFrom: version } : { ok: true, sidecar: v.sidecar };
}

// ---------------------------------------------------------------------------
// Deterministic serialisation

const TOP_KEYS = ['version', 'annotator', 'document', 'offsets', 'review', 'annotations'];
const DOC_KEYS = ['path', 'sha256', 'length'];
const REVIEW_KEYS = ['status', 'modified'];
const ANN_KEYS = [
  'id', 'kind', 'label', 'category', 'start', 'end', 'text', 'prefix', 'suffix',
  'status', 'source', 'confidence', 'created', 'modified', 'note', 'orphaned',
];

/** Plain code-unit comparison: locale-independent, so every machine sorts alike. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order used on disk: (start, end, kind, label|category, id). */
export function compareAnnotations(a: SidecarAnnotation, b: SidecarAnnotation): number {
  return (
    a.start - b.start ||
    a.end - b.end ||
    cmpStr(a.kind, b.kind) ||
    cmpStr(a.label ?? a.category ?? '', b.label ?? b.category ?? '') ||
    cmpStr(a.id, b.id)
  );
}

const TOP_SET = new Set(TOP_KEYS);
const DOC_SET = new Set(DOC_KEYS);
const ANN_SET = new Set(ANN_KEYS);

/**
 * Copy of `o` (own properties only) with `known` keys first in that order,
 * then unknown keys sorted; undefined values dropped. An unknown key named
 * `__proto__` is defined as data (plain assignment would set the prototype);
 * other Object.prototype names are plain own properties. Ordinary objects,
 * not prototype-free ones: V8 builds and stringifies them far faster.
 */
function ordered(
  o: object,
  known: readonly string[],
  knownSet: ReadonlySet<string>,
  nested?: ReadonlyMap<string, (v: unknown) => unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string): void => {
    const v = own(o, k);
    if (v === undefined) return;
    const f = nested?.get(k);
    if (k === '__proto__') Object.defineProperty(out, k, { value: f ? f(v) : v, enumerable: true, writable: true, configurable: true });
    else out[k] = f ? f(v) : v;
  };
  for (const k of known) put(k);
  const unknown = Object.keys(o).filter((k) => !knownSet.has(k));
  if (unknown.length) for (const k of unknown.sort(cmpStr)) put(k);
  return out;
}

/**
 * Canonical JSON of one annotation (fixed key order). Also used to compare
 * annotations for equality in merges.
 */
export function canonicalAnnotation(a: SidecarAnnotation): Record<string, unknown> {
  return ordered(a, ANN_KEYS, ANN_SET);
}

const REVIEW_SET = new Set(REVIEW_KEYS);

const NESTED = new Map<string, (v: unknown) => unknown>([
  ['document', (d) => ordered(d as object, DOC_KEYS, DOC_SET)],
  ['review', (r) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? ordered(r, REVIEW_KEYS, REVIEW_SET) : r)],
  ['annotations', (as) => [...(as as SidecarAnnotation[])].sort(compareAnnotations).map(canonicalAnnotation)],
]);

/**
 * Deterministic text of a sidecar: annotations sorted by
 * (start, end, kind, label|category, id), keys in a fixed order (unknown keys
 * after, alphabetically), 2-space indentation, trailing newline. The same
 * sidecar always gives the same bytes, so diffs and fingerprints are stable.
 */
export function serializeSidecar(s: Sidecar): string {
  return JSON.stringify(ordered(s, TOP_KEYS, TOP_SET, NESTED), null, 2) + '\n';
}

// ---------------------------------------------------------------------------

/** File name of a document as stored in `document.path`: relative to the sidecar's folder. */
export function documentFileName(docPath: string): string {
  const parts = docPath.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** Sidecar of a document with no annotations yet. `docPath` may be a full path: only its file name is kept. */
export function emptySidecar(docPath: string, text: string): Sidecar {
  return {
    version: SIDECAR_VERSION,
    document: { path: documentFileName(docPath), sha256: sha256Hex(text), length: codePointLength(stripBom(text)) },
    offsets: 'codepoint',
    annotations: [],
  };
}

/** Copy of a sidecar describing `text` (hash and length updated); annotations untouched. */
export function withDocumentText(s: Sidecar, text: string): Sidecar {
  return { ...s, document: { ...s.document, sha256: sha256Hex(text), length: codePointLength(stripBom(text)) } };
}

function stripBom(t: string): string {
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

/** `dir/article.txt` → `dir/article.txt.ann.json` (string-level; no fs). */
export function sidecarPathOf(textPath: string): string {
  return textPath + SIDECAR_SUFFIX;
}
