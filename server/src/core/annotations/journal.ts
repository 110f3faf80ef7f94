/**
 * The decision journal of a large sidecar: what changed since the sidecar
 * file was last written in full, one JSON line per change. A decision on a
 * 200,000-annotation sidecar (90 MB) then costs one appended line instead of
 * rewriting 90 MB; the journal is folded back into the sidecar ("compacted")
 * when the editor pauses, closes the document or stops, and by any write
 * that rewrites the file anyway.
 *
 * Format (JSON Lines, UTF-8):
 *   {"journal":1,"base":"<sha256 of the sidecar file's bytes>"}
 *   {"put":{…annotation…}}            add, or replace the annotation with this id
 *   {"remove":"<id>"}                  remove the annotation with this id
 *   {"top":{…sidecar without annotations…}}   the other fields, whole
 * A journal whose `base` is not the hash of the sidecar file beside it was
 * already folded into that file (a crash between writing the file and
 * removing the journal) and is ignored. A last line without its newline was
 * torn by a crash before it was acknowledged and is ignored too.
 *
 * Pure: no file system.
 */
import type { Sidecar, SidecarAnnotation } from '../../protocol';
import { sha256Hex } from './hash';
import { bareObject, own, parseJson, type JsonObject } from './json';
import { validateSidecar } from './validate';

export const JOURNAL_VERSION = 1;

export type JournalOp = { put: SidecarAnnotation } | { remove: string } | { top: JsonObject };

export type ParsedJournal =
  | {
      ok: true;
      base: string;
      ops: JournalOp[];
      /** The hash chain of the complete lines (see journalChain). */
      chain: string;
      /** A last line without its newline was left out: nothing may be appended after it (it would join the next line). */
      torn: boolean;
    }
  | { ok: false; message: string };

export function journalHeader(base: string): string {
  return JSON.stringify({ journal: JOURNAL_VERSION, base }) + '\n';
}

/** One line per op, each ending in a newline. */
export function journalLines(ops: readonly JournalOp[]): string {
  let out = '';
  for (const op of ops) out += JSON.stringify(op) + '\n';
  return out;
}

/**
 * Fingerprint of a journal's content, extended line by line (a hash chain
 * from ''): a writer that appends knows the new fingerprint without reading
 * the file back, and a reader computes the same from the file. `lines` is
 * whole lines, each ending in a newline.
 */
export function journalChain(previous: string, lines: string): string {
  let chain = previous;
  let from = 0;
  for (let nl = lines.indexOf('\n'); nl >= 0; from = nl + 1, nl = lines.indexOf('\n', from)) chain = sha256Hex(chain + '\u0000' + lines.slice(from, nl));
  return chain;
}

/**
 * Parses a journal file's text. A torn last line (no newline) is left out;
 * any other line that is not a well-formed op makes the journal damaged
 * (kept, never overwritten: it may hold decisions).
 */
export function parseJournal(text: string): ParsedJournal {
  const end = text.lastIndexOf('\n');
  const complete = end < 0 ? '' : text.slice(0, end + 1);
  const lines = complete.split('\n');
  lines.pop();
  if (!lines.length) return { ok: false, message: 'the journal has no header line' };
  let header: unknown;
  try {
    header = parseJson(lines[0]);
  } catch (e) {
    return { ok: false, message: `journal line 1 is not JSON: ${(e as Error).message}` };
  }
  const version = typeof header === 'object' && header !== null ? own(header, 'journal') : undefined;
  const base = typeof header === 'object' && header !== null ? own(header, 'base') : undefined;
  if (version !== JOURNAL_VERSION || typeof base !== 'string')
    return { ok: false, message: `journal line 1 is not a version ${JOURNAL_VERSION} journal header` };
  const ops: JournalOp[] = [];
  for (let i = 1; i < lines.length; i++) {
    let v: unknown;
    try {
      v = parseJson(lines[i]);
    } catch (e) {
      return { ok: false, message: `journal line ${i + 1} is not JSON: ${(e as Error).message}` };
    }
    const op = asOp(v);
    if (!op) return { ok: false, message: `journal line ${i + 1} is not a journal entry` };
    ops.push(op);
  }
  return { ok: true, base, ops, chain: journalChain('', complete), torn: complete.length !== text.length };
}

function asOp(v: unknown): JournalOp | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const put = own(v, 'put');
  if (typeof put === 'object' && put !== null && !Array.isArray(put)) return { put: put as SidecarAnnotation };
  const remove = own(v, 'remove');
  if (typeof remove === 'string') return { remove };
  const top = own(v, 'top');
  if (typeof top === 'object' && top !== null && !Array.isArray(top) && own(top, 'annotations') === undefined) return { top: top as JsonObject };
  return null;
}

/** The fields of a sidecar other than its annotations (own keys, unknown ones included). */
function topOf(s: Sidecar): JsonObject {
  const out = bareObject();
  for (const k of Object.keys(s)) if (k !== 'annotations') out[k] = own(s, k);
  return out;
}

/**
 * The sidecar a journal describes: `ops` applied in order to `s`. Checks what
 * the ops bring (every put annotation and the top fields, as validateSidecar
 * would) without validating the untouched annotations again; ids stay unique
 * by construction. Returns the errors instead when an op is malformed.
 */
export function applyJournal(s: Sidecar, ops: readonly JournalOp[]): { ok: true; sidecar: Sidecar } | { ok: false; errors: string[] } {
  if (!ops.length) return { ok: true, sidecar: s };
  const byId = new Map<string, SidecarAnnotation>();
  for (const a of s.annotations) byId.set(a.id, a);
  let top = topOf(s);
  const puts: SidecarAnnotation[] = [];
  for (const op of ops) {
    if ('put' in op) {
      puts.push(op.put);
      // A put without a usable id is caught by the check below.
      if (typeof op.put.id === 'string') {
        byId.delete(op.put.id);
        byId.set(op.put.id, op.put);
      }
    } else if ('remove' in op) byId.delete(op.remove);
    else top = op.top;
  }
  // The last put of an id wins; checking all of them is cheap (a journal is short).
  const check = validateSidecar({ ...top, annotations: dedupeById(puts) });
  if (!check.ok) return { ok: false, errors: check.errors.map((e) => `journal: ${e}`) };
  return { ok: true, sidecar: { ...(top as unknown as Sidecar), annotations: [...byId.values()] } };
}

function dedupeById(as: readonly SidecarAnnotation[]): SidecarAnnotation[] {
  const m = new Map<unknown, SidecarAnnotation>();
  for (const a of as) m.set(typeof a === 'object' && a !== null ? own(a, 'id') ?? a : a, a);
  return [...m.values()];
}

/** Same annotation, field by field (primitive fields compared directly; any nested value through its JSON). */
function sameAnnotation(a: SidecarAnnotation, b: SidecarAnnotation): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    const x = own(a, k);
    const y = own(b, k);
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

function sameTop(a: Sidecar, b: Sidecar): boolean {
  return JSON.stringify(topOf(a)) === JSON.stringify(topOf(b));
}

/**
 * What turns `base` into `next`, as journal ops: the annotations added or
 * changed (by id), those removed, and the other fields when they changed.
 * Linear: one map of the base's ids. Unchanged annotations are usually the
 * very same objects, so most comparisons are one `===`.
 */
export function diffForJournal(base: Sidecar, next: Sidecar): JournalOp[] {
  const ops: JournalOp[] = [];
  // The very same objects first (one identity lookup each), then the few left over by id.
  const untouched = new Set<SidecarAnnotation>(base.annotations);
  const changed: SidecarAnnotation[] = [];
  for (const a of next.annotations) if (!untouched.delete(a)) changed.push(a);
  const before = new Map<string, SidecarAnnotation>();
  for (const b of untouched) before.set(b.id, b);
  for (const a of changed) {
    const b = before.get(a.id);
    if (b !== undefined) before.delete(a.id);
    if (b === undefined || !sameAnnotation(a, b)) ops.push({ put: a });
  }
  for (const id of before.keys()) ops.push({ remove: id });
  if (!sameTop(base, next)) ops.push({ top: topOf(next) });
  return ops;
}
