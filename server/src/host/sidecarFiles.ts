/**
 * Sidecar files on disk: `dir/article.txt` → `dir/article.txt.ann.json`.
 *
 * Safety rules (a user's annotations are never lost):
 * - writes are atomic (temp file in the same folder, fsync, rename, fsync of
 *   the folder): a crash leaves either the old or the new complete file;
 * - a write first re-reads the file under a lock and, if another writer
 *   changed it since our base, three-way merges instead of overwriting;
 * - a damaged or newer-version sidecar is never overwritten: reads keep a
 *   copy aside (`<sidecar>.damaged-<timestamp>.bak`) and writes refuse until
 *   the user fixes or removes the file.
 * Sync APIs: within one process (one JS thread) calls cannot interleave; a
 * lock file serialises writers across processes (editor + CLI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Sidecar } from '../protocol';
import { sha256Bytes } from '../core/annotations/hash';
import { layerOwnerProblem, layerPathOf } from '../core/annotations/layers';
import { mergeSidecars, type Conflict } from '../core/annotations/merge';
import { reanchor } from '../core/annotations/anchoring';
import { parseSidecar, serializeSidecar, withDocumentText, type ParseResult } from '../core/annotations/sidecar';

export type { Conflict } from '../core/annotations/merge';

export type SidecarState =
  | { status: 'absent' }
  | {
      status: 'ok';
      sidecar: Sidecar;
      /** sha256 of the bytes read: the `base.fingerprint` of the next write. */
      fingerprint: string;
      /** Set when the file is in an older format (migrated in memory; the next write upgrades it). */
      migratedFrom?: number;
    }
  | {
      status: 'damaged';
      /** damaged: not JSON / not UTF-8 / empty; invalid: JSON of the wrong shape; unreadable: I/O error. */
      reason: 'damaged' | 'invalid' | 'unreadable';
      message: string;
      /** Copy of the bytes kept aside, or null when none could be made (unreadable). */
      backupPath: string | null;
    }
  | { status: 'newer'; version: number; message: string };

export type SidecarErrorCode = 'damaged' | 'newer' | 'lock-timeout' | 'invalid-sidecar' | 'target-exists';

/** Typed failure of a sidecar file operation; `code` says why, `message` is meant for the user. */
export class SidecarFileError extends Error {
  constructor(
    readonly code: SidecarErrorCode,
    readonly sidecarPath: string,
    message: string,
  ) {
    super(message);
    this.name = 'SidecarFileError';
  }
}

export interface WriteBase {
  /** Fingerprint of the sidecar as last read/written by the caller; null if there was no file. */
  fingerprint: string | null;
  /** The sidecar as last read/written (merge base); null if none. */
  sidecar: Sidecar | null;
}

export interface WriteResult {
  /** What is now on disk (merged if another writer got there first), in canonical form: the next base. */
  sidecar: Sidecar;
  fingerprint: string;
  conflicts: Conflict[];
}

/**
 * `dir/article.txt` → `dir/article.txt.ann.json`, or with an annotator the
 * layer `dir/article.txt.ann.<annotator>.json` (every function below takes the
 * same optional annotator and treats a layer exactly like the sidecar).
 */
export function sidecarPath(textPath: string, annotator?: string): string {
  return layerPathOf(textPath, annotator ?? null);
}

// ---------------------------------------------------------------------------
// Reading

type RawRead = { kind: 'absent' } | { kind: 'error'; error: Error } | { kind: 'bytes'; bytes: Buffer };

function readRaw(p: string): RawRead {
  try {
    return { kind: 'bytes', bytes: fs.readFileSync(p) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'error', error: e as Error };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseBytes(bytes: Buffer, annotator?: string): ParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'damaged', message: 'the file is not valid UTF-8' };
  }
  return parseLayer(text, annotator);
}

/** parseSidecar, and for a layer the check that it names the annotator its file name names (else invalid: kept, never overwritten). */
function parseLayer(text: string, annotator?: string): ParseResult {
  const r = parseSidecar(text);
  const owner = r.ok && annotator !== undefined ? layerOwnerProblem(r.sidecar, annotator) : null;
  return owner ? { ok: false, reason: 'invalid', message: `invalid layer: ${owner}` } : r;
}

/**
 * Reads and classifies the sidecar of `textPath` (or the layer of `annotator`).
 * A damaged file gets a backup copy (once per distinct content).
 */
export function readSidecar(textPath: string, annotator?: string): SidecarState {
  const p = sidecarPath(textPath, annotator);
  const raw = readRaw(p);
  if (raw.kind === 'absent') return { status: 'absent' };
  if (raw.kind === 'error')
    return { status: 'damaged', reason: 'unreadable', backupPath: null, message: `${path.basename(p)} cannot be read: ${raw.error.message}` };
  return classify(p, raw.bytes, annotator);
}

function classify(p: string, bytes: Buffer, annotator?: string): SidecarState {
  const r = parseBytes(bytes, annotator);
  if (r.ok) {
    const st: SidecarState = { status: 'ok', sidecar: r.sidecar, fingerprint: sha256Bytes(bytes) };
    if (r.migratedFrom !== undefined) st.migratedFrom = r.migratedFrom;
    return st;
  }
  if (r.reason === 'newer-version') return { status: 'newer', version: r.version ?? 0, message: `${path.basename(p)}: ${r.message}` };
  let backupPath: string | null = null;
  let kept = '';
  try {
    backupPath = backupDamaged(p, bytes);
    kept = ` A copy was saved as ${path.basename(backupPath)}.`;
  } catch (e) {
    kept = ` (No backup copy could be made: ${(e as Error).message}.)`;
  }
  return {
    status: 'damaged',
    reason: r.reason,
    backupPath,
    message: `${path.basename(p)} is ${r.reason === 'damaged' ? 'damaged' : 'not a valid sidecar'}: ${r.message}.${kept} The file is left untouched; annotations of this document are read-only until it is fixed or removed.`,
  };
}

/** Keeps the damaged bytes aside; reuses an existing backup with identical content so repeated reads add nothing. */
function backupDamaged(p: string, bytes: Buffer): string {
  const dir = path.dirname(p);
  const prefix = `${path.basename(p)}.damaged-`;
  const digest = sha256Bytes(bytes);
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.bak')) continue;
    const full = path.join(dir, name);
    try {
      if (sha256Bytes(fs.readFileSync(full)) === digest) return full;
    } catch {
      // unreadable backup: ignore, make a new one
    }
  }
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  for (let n = 0; ; n++) {
    const full = path.join(dir, `${prefix}${stamp}${n ? `-${n}` : ''}.bak`);
    try {
      fs.writeFileSync(full, bytes, { flag: 'wx' });
      return full;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
    }
  }
}

// ---------------------------------------------------------------------------
// Locking (cross-process) and atomic replacement

const LOCK_TIMEOUT_MS = 10_000;
/** A lock older than this, or whose owner process is gone, was left by a crash. */
const LOCK_STALE_MS = 15_000;
const heldInProcess = new Set<string>();

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockPathOf(p: string): string {
  return path.join(path.dirname(p), `.${path.basename(p)}.lock`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lock: string): { stale: boolean; content: string } {
  let content = '';
  let mtime = 0;
  try {
    content = fs.readFileSync(lock, 'utf8');
    mtime = fs.statSync(lock).mtimeMs;
  } catch {
    return { stale: false, content: '' }; // vanished or half-written: just retry
  }
  const pid = Number(content.split('\n')[0]);
  if (Date.now() - mtime > LOCK_STALE_MS) return { stale: true, content };
  if (Number.isSafeInteger(pid) && pid > 0 && !pidAlive(pid)) return { stale: true, content };
  return { stale: false, content };
}

/** Runs `fn` holding the sidecar's lock file (`.<name>.lock` next to it). */
function withLock<T>(p: string, fn: () => T): T {
  const key = path.resolve(p);
  if (heldInProcess.has(key)) throw new Error(`internal: re-entrant lock on ${p}`);
  const lock = lockPathOf(p);
  const token = `${process.pid}\n${randomBytes(8).toString('hex')}\n`;
  const t0 = Date.now();
  let crashed = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, token, { flag: 'wx' });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw e; // the folder is gone
      if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'EACCES') throw e;
    }
    const s = isStale(lock);
    if (s.stale) {
      // Remove only the lock we judged stale (another process may have replaced it meanwhile).
      try {
        if (fs.readFileSync(lock, 'utf8') === s.content) fs.unlinkSync(lock);
      } catch {
        // already gone
      }
      crashed = true;
      continue;
    }
    if (Date.now() - t0 > LOCK_TIMEOUT_MS)
      throw new SidecarFileError('lock-timeout', p, `${path.basename(p)} is locked by another process (${lock}); try again, or delete the lock file if no annotator is running.`);
    sleepSync(5 + Math.floor(Math.random() * 15));
  }
  heldInProcess.add(key);
  try {
    if (crashed) removeDeadTempFiles(p);
    return fn();
  } finally {
    heldInProcess.delete(key);
    try {
      if (fs.readFileSync(lock, 'utf8') === token) fs.unlinkSync(lock);
    } catch {
      // lock removed by someone who judged it stale: nothing to release
    }
  }
}

/** A writer killed mid-write leaves `.<name>.tmp-<pid>-<rand>`; remove those whose process is gone. */
function removeDeadTempFiles(p: string): void {
  const dir = path.dirname(p);
  const prefix = `.${path.basename(p)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid)) {
      try {
        fs.unlinkSync(path.join(dir, name));
      } catch {
        // someone else cleaned it
      }
    }
  }
}

function fsyncDir(dir: string): void {
  // Makes the rename durable. Not supported on Windows (EISDIR/EPERM): NTFS journals the rename itself.
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Replaces `p` with `data` atomically: temp file in the same folder, fsync, rename, fsync folder. */
export function writeFileAtomic(p: string, data: string | Uint8Array, deferDirSync?: Set<string>): void {
  const dir = path.dirname(p);
  const tmp = path.join(dir, `.${path.basename(p)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(p).mode & 0o777;
  } catch {
    mode = undefined;
  }
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o666);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    renameWithRetry(tmp, p);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already renamed or never created
    }
    throw e;
  }
  // A batch of writes makes the folder's renames durable once, at its end (syncDirs).
  if (deferDirSync) deferDirSync.add(dir);
  else fsyncDir(dir);
}

/** Makes the renames of a batch durable: one fsync per folder instead of one per file. */
export function syncDirs(dirs: Iterable<string>): void {
  for (const d of dirs) fsyncDir(d);
}

/** Windows: a virus scanner or indexer briefly holding the target makes rename fail with EPERM/EBUSY. */
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw e;
      sleepSync(20 * (attempt + 1));
    }
  }
}

// ---------------------------------------------------------------------------
// Writing

export interface WriteOptions {
  /**
   * The current document text. When given and a merge brought in annotations
   * written for another version of the text, they are re-anchored to it before
   * writing (so the file is consistent), and no `document` conflict is reported.
   */
  text?: string;
  /** Write the layer of this annotator (`article.txt.ann.<annotator>.json`) instead of the sidecar; `sidecar.annotator` must name it. */
  annotator?: string;
  /**
   * Part of a batch: the folder is not fsynced now but added here, and the
   * caller fsyncs each folder once at the end (syncDirs). The file itself is
   * still complete and renamed into place before this returns.
   */
  deferDirSync?: Set<string>;
}

/**
 * Writes `sidecar` for `textPath`. If the file changed since `base` (another
 * writer), merges three-way (base, mine, theirs) and writes the merge.
 * Throws SidecarFileError: `damaged`/`newer` when the file on disk must not be
 * overwritten, `invalid-sidecar` if `sidecar` itself is malformed,
 * `lock-timeout` if another process holds the lock for too long.
 * Writing content identical to the file leaves the file untouched.
 */
export function writeSidecarAtomic(textPath: string, sidecar: Sidecar, base: WriteBase, options: WriteOptions = {}): WriteResult {
  const p = sidecarPath(textPath, options.annotator);
  const own = parseLayer(serializeSidecar(sidecar), options.annotator);
  if (!own.ok) throw new SidecarFileError('invalid-sidecar', p, `refusing to write an invalid sidecar: ${own.message}`);
  return withLock(p, () => {
    const raw = readRaw(p);
    if (raw.kind === 'error') throw new SidecarFileError('damaged', p, `${path.basename(p)} cannot be read (${raw.error.message}); not overwriting it.`);
    let result = own.sidecar;
    let conflicts: Conflict[] = [];
    let current: string | undefined;
    if (raw.kind === 'bytes') {
      const st = classify(p, raw.bytes, options.annotator);
      if (st.status === 'damaged') throw new SidecarFileError('damaged', p, st.message);
      if (st.status === 'newer') throw new SidecarFileError('newer', p, `${st.message} Not overwriting it.`);
      if (st.status === 'ok') {
        current = raw.bytes.toString('utf8');
        if (st.fingerprint !== base.fingerprint) {
          const m = mergeSidecars(base.sidecar, own.sidecar, st.sidecar);
          result = m.merged;
          conflicts = m.conflicts;
          if (options.text !== undefined && conflicts.some((c) => c.type === 'document')) {
            const r = reanchor(options.text, result.annotations);
            result = { ...withDocumentText(result, options.text), annotations: [...r.annotations, ...r.orphans] };
            conflicts = conflicts.filter((c) => c.type !== 'document');
          }
        }
      }
    }
    // (A file deleted since our base is simply recreated from ours: deleting annotations needs an explicit act.)
    const text = serializeSidecar(result);
    if (text !== current) writeFileAtomic(p, text, options.deferDirSync);
    const reparsed = parseSidecar(text);
    if (!reparsed.ok) throw new SidecarFileError('invalid-sidecar', p, `internal: merged sidecar is invalid: ${reparsed.message}`);
    return { sidecar: reparsed.sidecar, fingerprint: sha256Bytes(Buffer.from(text, 'utf8')), conflicts };
  });
}

// ---------------------------------------------------------------------------
// Renames and deletions of text files

export interface MoveResult {
  moved: boolean;
  from: string;
  to: string;
}

/**
 * Follows a text file rename: the sidecar moves along and its
 * `document.path` is updated. A damaged/newer sidecar is moved byte for byte.
 * Refuses (`target-exists`) to replace an existing sidecar at the new name.
 * Crash-safe order: the new file is complete before the old one is removed.
 * With `annotator`, moves that annotator's layer instead.
 */
export function moveSidecar(oldTextPath: string, newTextPath: string, annotator?: string): MoveResult {
  const from = sidecarPath(oldTextPath, annotator);
  const to = sidecarPath(newTextPath, annotator);
  if (path.resolve(from) === path.resolve(to)) return { moved: false, from, to };
  const [first, second] = [from, to].sort();
  return withLock(first, () =>
    withLock(second, () => {
      const raw = readRaw(from);
      if (raw.kind === 'absent') return { moved: false, from, to };
      if (raw.kind === 'error') throw new SidecarFileError('damaged', from, `${path.basename(from)} cannot be read: ${raw.error.message}`);
      if (fs.existsSync(to))
        throw new SidecarFileError('target-exists', to, `${path.basename(to)} already exists; not replacing it with ${path.basename(from)}. Merge or remove one of them.`);
      const r = parseBytes(raw.bytes, annotator);
      if (r.ok) {
        const moved: Sidecar = { ...r.sidecar, document: { ...r.sidecar.document, path: path.basename(newTextPath) } };
        writeFileAtomic(to, serializeSidecar(moved));
      } else {
        writeFileAtomic(to, raw.bytes); // not ours to interpret: keep every byte
      }
      fs.unlinkSync(from);
      fsyncDir(path.dirname(from));
      return { moved: true, from, to };
    }),
  );
}

/** The sidecar of a text file that no longer exists (deleted or renamed outside the editor), or null. */
export function sidecarOfDeletedText(textPath: string): string | null {
  const p = sidecarPath(textPath);
  return !fs.existsSync(textPath) && fs.existsSync(p) ? p : null;
}

/**
 * Serialises async read-modify-write sequences on one sidecar within this
 * process (for callers that await between reading and writing); with
 * `annotator`, on that annotator's layer.
 */
const queues = new Map<string, Promise<unknown>>();
export function runExclusive<T>(textPath: string, fn: () => T | Promise<T>, annotator?: string): Promise<T> {
  const key = path.resolve(sidecarPath(textPath, annotator));
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}
