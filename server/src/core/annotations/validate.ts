/**
 * Hand-written structural validation of a sidecar (version = SIDECAR_VERSION).
 * Hand-written rather than ajv so it bundles with esbuild without generated
 * code and gives messages that name the exact JSON path of every problem.
 * schema/sidecar.schema.json describes the same rules; a unit test keeps the
 * two in agreement.
 *
 * Unknown properties are allowed and preserved (never drop data a newer minor
 * writer or a human added); known properties must have the right type.
 */
import { ANNOTATOR_NAME_PATTERN, REVIEW_STATUSES, SIDECAR_VERSION, type Sidecar } from '../../protocol';

const MAX_ERRORS = 20;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export type ValidationResult = { ok: true; sidecar: Sidecar } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && ISO_8601.test(v) && !Number.isNaN(Date.parse(v));
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Validates a parsed sidecar object of the current version. */
export function validateSidecar(value: unknown): ValidationResult {
  const errors: string[] = [];
  const err = (path: string, msg: string): void => {
    if (errors.length < MAX_ERRORS) errors.push(`${path}: ${msg}`);
  };
  if (!isObj(value)) return { ok: false, errors: [`(root): expected an object, got ${describe(value)}`] };

  if (value.version !== SIDECAR_VERSION) err('version', `expected ${SIDECAR_VERSION}, got ${describe(value.version)}`);

  const doc = value.document;
  if (!isObj(doc)) err('document', `required object, got ${describe(doc)}`);
  else {
    if (typeof doc.path !== 'string' || doc.path === '') err('document.path', `expected a non-empty string, got ${describe(doc.path)}`);
    if (typeof doc.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(doc.sha256))
      err('document.sha256', `expected 64 lowercase hex digits, got ${describe(doc.sha256)}`);
    if (doc.length !== undefined && !isNonNegInt(doc.length)) err('document.length', `expected a non-negative integer, got ${describe(doc.length)}`);
  }

  if (value.offsets !== 'codepoint') err('offsets', `expected "codepoint" (the only supported unit), got ${describe(value.offsets)}`);

  // Teams: the layer's owner (its file name must say the same: checked where the file name is known) and its review status.
  if (value.annotator !== undefined && (typeof value.annotator !== 'string' || !ANNOTATOR_NAME_PATTERN.test(value.annotator)))
    err('annotator', `expected a name of letters, digits, "_" and "-", got ${describe(value.annotator)}`);
  if (value.review !== undefined) {
    const review = value.review;
    if (!isObj(review)) err('review', `expected an object, got ${describe(review)}`);
    else {
      if (!(REVIEW_STATUSES as readonly unknown[]).includes(review.status))
        err('review.status', `expected one of ${REVIEW_STATUSES.map((s) => `"${s}"`).join(', ')}, got ${describe(review.status)}`);
      if (review.modified !== undefined && !isTimestamp(review.modified))
        err('review.modified', `expected an ISO 8601 timestamp (e.g. 2026-01-31T12:00:00.000Z), got ${describe(review.modified)}`);
    }
  }

  const anns = value.annotations;
  if (!Array.isArray(anns)) err('annotations', `required array, got ${describe(anns)}`);
  else {
    const seen = new Map<string, number>();
    const timestamps = new Set<string>();
    anns.forEach((a, i) => {
      validateAnnotation(a, i, err, timestamps);
      if (isObj(a) && typeof a.id === 'string') {
        const prev = seen.get(a.id);
        if (prev !== undefined) err(`annotations[${i}].id`, `duplicate id ${JSON.stringify(a.id)} (also annotations[${prev}])`);
        else seen.set(a.id, i);
      }
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, sidecar: value as unknown as Sidecar };
}

/** `timestamps`: ones already found valid (a large sidecar repeats a few thousand distinct ones). */
function validateAnnotation(a: unknown, i: number, err: (path: string, msg: string) => void, timestamps: Set<string>): void {
  const p = `annotations[${i}]`;
  if (!isObj(a)) return err(p, `expected an object, got ${describe(a)}`);
  const str = (k: string, required: boolean, nonEmpty = false): void => {
    const v = a[k];
    if (v === undefined) {
      if (required) err(`${p}.${k}`, 'required');
    } else if (typeof v !== 'string' || (nonEmpty && v === '')) err(`${p}.${k}`, `expected ${nonEmpty ? 'a non-empty' : 'a'} string, got ${describe(v)}`);
  };
  str('id', true, true);
  if (a.kind !== 'entity' && a.kind !== 'boilerplate') err(`${p}.kind`, `expected "entity" or "boilerplate", got ${describe(a.kind)}`);
  str('label', a.kind === 'entity', true);
  str('category', a.kind === 'boilerplate', true);
  for (const k of ['start', 'end'] as const) {
    if (!isNonNegInt(a[k])) err(`${p}.${k}`, `expected a non-negative integer (code point offset), got ${describe(a[k])}`);
  }
  if (isNonNegInt(a.start) && isNonNegInt(a.end) && a.end < a.start) err(`${p}.end`, `end (${a.end}) is before start (${a.start})`);
  str('text', true);
  str('prefix', true);
  str('suffix', true);
  if (a.status !== 'accepted' && a.status !== 'rejected') err(`${p}.status`, `expected "accepted" or "rejected", got ${describe(a.status)}`);
  str('source', true, true);
  if (a.confidence !== undefined && !(typeof a.confidence === 'number' && a.confidence >= 0 && a.confidence <= 1))
    err(`${p}.confidence`, `expected a number in [0,1], got ${describe(a.confidence)}`);
  for (const k of ['created', 'modified'] as const) {
    const v = a[k];
    if (typeof v === 'string' && timestamps.has(v)) continue;
    if (typeof v !== 'string' || !ISO_8601.test(v) || Number.isNaN(Date.parse(v)))
      err(`${p}.${k}`, `expected an ISO 8601 timestamp (e.g. 2026-01-31T12:00:00.000Z), got ${describe(v)}`);
    else timestamps.add(v);
  }
  str('note', false);
  if (a.orphaned !== undefined && typeof a.orphaned !== 'boolean') err(`${p}.orphaned`, `expected a boolean, got ${describe(a.orphaned)}`);
}
