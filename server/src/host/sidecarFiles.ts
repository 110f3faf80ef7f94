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
 *   the user fixes or removes the file;
 * - a workspace is untrusted: a sidecar (or lock, backup, temp file) that is a
 *   symbolic link, a folder, a FIFO or a device is never read, copied, written
 *   or renamed over — it is reported and left alone. (A text file reached
 *   through a linked *folder* is fine; the sidecar next to it must still be a
 *   regular file.)
 * Sync APIs: within one process (one JS thread) calls cannot interleave; a
 * lock file serialises writers across processes (editor + CLI).
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Sidecar } from '../protocol';
import { sha256Bytes } from '../core/annotations/hash';
import { layerOwnerProblem, layerPathOf } from '../core/annotations/layers';
import { mergeSidecars, type Conflict } from '../core/annotations/merge';
import { reanchor } from '../core/annotations/anchoring';
import { applyJournal, diffForJournal, journalChain, journalHeader, journalLines, parseJournal } from '../core/annotations/journal';
import { compareAnnotations, parseSidecar, serializeSidecar, validateSidecar, withDocumentText, type ParseResult } from '../core/annotations/sidecar';

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
      /**
       * damaged: not JSON / not UTF-8 / empty; invalid: JSON of the wrong shape; unreadable: I/O error;
       * symlink: a symbolic link (never followed); not-a-file: a folder, FIFO, socket or device;
       * too-large: over MAX_SIDECAR_BYTES. The last three are never read.
       */
      reason: 'damaged' | 'invalid' | 'unreadable' | RefusedReason;
      message: string;
      /** Copy of the bytes kept aside, or null when none was made (unreadable, or never read). */
      backupPath: string | null;
    }
  | { status: 'newer'; version: number; message: string };

/** Sidecar paths that are not read at all: what stands there is not a regular file of a sane size. */
export type RefusedReason = 'symlink' | 'not-a-file' | 'too-large';

export type SidecarErrorCode =
  | 'damaged'
  | 'newer'
  | 'lock-timeout'
  | 'invalid-sidecar'
  | 'target-exists'
  /** The folder (or file system) does not let us create the lock or temporary file: EACCES, EPERM, EROFS. */
  | 'not-writable'
  | RefusedReason;

/** Larger sidecars are not read (a 200,000-annotation sidecar is ~90 MB; V8 strings end near 512 MB). */
export const MAX_SIDECAR_BYTES = 256 * 1024 * 1024;

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
  /** What is now on disk (merged if another writer got there first), annotations in on-disk order: the next base. */
  sidecar: Sidecar;
  fingerprint: string;
  conflicts: Conflict[];
  /** Whether another writer had changed the file, so that `sidecar` holds more than what was passed in. */
  merged: boolean;
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

type RawRead =
  | { kind: 'absent' }
  | { kind: 'error'; error: Error }
  | { kind: 'refused'; reason: RefusedReason; message: string }
  | { kind: 'bytes'; bytes: Buffer; stat: fs.Stats };

/** O_NOFOLLOW: opening a symbolic link fails (ELOOP) instead of reading its target. 0 where unsupported (Windows: lstat decides). */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
/** O_NONBLOCK: opening a FIFO does not wait for a writer (so fstat can tell it is one). */
const NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/**
 * Why `p` must not be read, or null for a regular file of a sane size. Never
 * follows a link. `message` says what stands there; callers add what follows.
 */
function refusal(p: string, st: fs.Stats): { reason: RefusedReason; message: string } | null {
  const name = path.basename(p);
  if (st.isSymbolicLink()) {
    let target = '';
    try {
      target = ` to ${fs.readlinkSync(p)}`;
    } catch {
      // the link vanished meanwhile; it was a link when we looked
    }
    return { reason: 'symlink', message: `${name} is a symbolic link${target}; the annotator never reads or writes through a link (a workspace could point it at any file).` };
  }
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device or special file';
    return { reason: 'not-a-file', message: `${name} is ${what}, not a file.` };
  }
  if (st.size > MAX_SIDECAR_BYTES)
    return { reason: 'too-large', message: `${name} is ${(st.size / 1048576).toFixed(0)} MB, over the ${MAX_SIDECAR_BYTES / 1048576} MB a sidecar may have.` };
  return null;
}

const LEFT_ALONE = ' It is left alone; annotations of this document are read-only until it is replaced by a regular sidecar file (or removed).';

/** Reads `p` if it is a regular file: never through a symbolic link, never blocking on a FIFO. */
function readRaw(p: string): RawRead {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'error', error: e as Error };
  }
  const refused = refusal(p, st);
  if (refused) return { kind: 'refused', ...refused };
  let fd: number;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    // Replaced by a link between lstat and open.
    if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'refused', reason: 'symlink', message: `${path.basename(p)} is a symbolic link; the annotator never reads or writes through a link.` };
    return { kind: 'error', error: e as Error };
  }
  try {
    // Checked again on what was opened: the path may have been swapped meanwhile.
    const stat = fs.fstatSync(fd);
    const again = refusal(p, stat);
    if (again) return { kind: 'refused', ...again };
    return { kind: 'bytes', bytes: fs.readFileSync(fd), stat };
  } catch (e) {
    return { kind: 'error', error: e as Error };
  } finally {
    fs.closeSync(fd);
  }
}

/** Like fs.existsSync, but a symbolic link (even a dangling one) counts as existing. */
function existsNoFollow(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function parseBytes(bytes: Buffer, annotator?: string): ParseResult {
  // isUtf8 + toString: the same verdict as a fatal TextDecoder, many times faster on a 90 MB sidecar.
  if (!isUtf8(bytes)) return { ok: false, reason: 'damaged', message: 'the file is not valid UTF-8' };
  return parseLayer(bytes.toString('utf8'), annotator);
}

/** parseSidecar, and for a layer the check that it names the annotator its file name names (else invalid: kept, never overwritten). */
function parseLayer(text: string, annotator?: string): ParseResult {
  const r = parseSidecar(text);
  const owner = r.ok && annotator !== undefined ? layerOwnerProblem(r.sidecar, annotator) : null;
  return owner ? { ok: false, reason: 'invalid', message: `invalid layer: ${owner}` } : r;
}

/**
 * Reads and classifies the sidecar of `textPath` (or the layer of `annotator`),
 * with the decisions of its journal applied (see core/annotations/journal.ts).
 * A damaged file gets a backup copy (once per distinct content).
 */
export function readSidecar(textPath: string, annotator?: string): SidecarState {
  const p = sidecarPath(textPath, annotator);
  const raw = readRaw(p);
  if (raw.kind === 'absent') return { status: 'absent' };
  if (raw.kind === 'error')
    return { status: 'damaged', reason: 'unreadable', backupPath: null, message: `${path.basename(p)} cannot be read: ${raw.error.message}` };
  if (raw.kind === 'refused') return { status: 'damaged', reason: raw.reason, backupPath: null, message: raw.message + LEFT_ALONE };
  const st = classify(p, raw.bytes, annotator);
  if (st.status !== 'ok') return st;
  const j = readJournal(p, st);
  if (j.status === 'ok') {
    remember(p, raw.stat, j.journalStat, j.fingerprint, j.chain ?? undefined);
    // A journal left by a process that stopped before folding it in (or a stale one): folded in at the next compaction.
    if (j.journalStat) pendingJournals.set(path.resolve(p), { textPath, annotator });
  }
  return j.state;
}

// ---------------------------------------------------------------------------
// The journal of a large sidecar

/** `dir/a.txt.ann.json` → `dir/.a.txt.ann.json.journal` (hidden, like the lock: not a sidecar or layer name). */
export function journalPathOf(p: string): string {
  return path.join(path.dirname(p), `.${path.basename(p)}.journal`);
}

/**
 * Decisions go to the journal (an appended line) instead of a rewrite of the
 * whole file when the sidecar on disk is at least this large: below it a
 * rewrite takes milliseconds and a single self-contained file is simpler for
 * everyone who reads it.
 */
export const JOURNAL_MIN_BYTES = 4 * 1024 * 1024;
/** A journal longer than this is folded in by the next write instead of growing further. */
const JOURNAL_MAX_BYTES = 8 * 1024 * 1024;

type JournalRead =
  | {
      status: 'ok';
      state: Extract<SidecarState, { status: 'ok' }>;
      journalStat: fs.Stats | null;
      fingerprint: string;
      /** The chain and size of a journal in force; null when there is none, or it is stale. */
      chain: { chain: string; bytes: number } | null;
    }
  | { status: 'damaged'; state: SidecarState };

/**
 * Applies the journal beside `p` (if any, and not stale) to the sidecar read
 * from `p`. The combined fingerprint names both files' content. A journal
 * that is a link, special file, unreadable or damaged makes the sidecar
 * read-only (it may hold decisions: it is never overwritten or removed).
 */
function readJournal(p: string, st: Extract<SidecarState, { status: 'ok' }>): JournalRead {
  const jp = journalPathOf(p);
  const raw = readRaw(jp);
  if (raw.kind === 'absent') return { status: 'ok', state: st, journalStat: null, fingerprint: st.fingerprint, chain: null };
  const damaged = (reason: 'damaged' | 'unreadable' | RefusedReason, message: string): JournalRead => ({
    status: 'damaged',
    state: { status: 'damaged', reason, backupPath: null, message: `${message} It holds decisions not yet written into ${path.basename(p)}; it is left untouched, and annotations of this document are read-only until it is fixed or removed.` },
  });
  if (raw.kind === 'error') return damaged('unreadable', `${path.basename(jp)} cannot be read: ${raw.error.message}.`);
  if (raw.kind === 'refused') return damaged(raw.reason, raw.message);
  const parsed = isUtf8(raw.bytes) ? parseJournal(raw.bytes.toString('utf8')) : ({ ok: false, message: 'not valid UTF-8' } as const);
  if (!parsed.ok) return damaged('damaged', `${path.basename(jp)} is damaged: ${parsed.message}.`);
  // Stale: already folded into the file beside it (see journal.ts); the next write removes it.
  if (parsed.base !== st.fingerprint) return { status: 'ok', state: st, journalStat: raw.stat, fingerprint: st.fingerprint, chain: null };
  const applied = applyJournal(st.sidecar, parsed.ops);
  if (!applied.ok) return damaged('damaged', `${path.basename(jp)} is damaged: ${applied.errors.join('; ')}.`);
  const fingerprint = `${st.fingerprint}+${parsed.chain}`; // see snapshotOf
  // After a torn last line nothing is appended (chain null): the next write rewrites the file and drops the journal.
  return { status: 'ok', state: { ...st, sidecar: applied.sidecar, fingerprint }, journalStat: raw.stat, fingerprint, chain: parsed.torn ? null : { chain: parsed.chain, bytes: raw.bytes.length } };
}

/** The sidecar file's own hash in a fingerprint: `<file sha256>`, or `<file sha256>+<journal chain>` with a journal in force. */
function snapshotOf(fingerprint: string): string {
  const plus = fingerprint.indexOf('+');
  return plus < 0 ? fingerprint : fingerprint.slice(0, plus);
}

/**
 * The fingerprint of sidecars this process last read or wrote, by file
 * identity (device, inode, size, modification and change times) of the
 * sidecar and of its journal. Every writer replaces the sidecar by a rename
 * (new inode) and appends to the journal (new size), and any in-place change
 * moves ctime: an identical identity means identical bytes, so a write need
 * not read and hash a 90 MB file to see that nobody changed it.
 */
/** Sidecars (resolved paths) with a journal this process appended to or found, not folded in yet. */
const pendingJournals = new Map<string, { textPath: string; annotator?: string }>();

const known = new Map<string, { stamp: string; fingerprint: string; journal: { chain: string; bytes: number } | null }>();
const MAX_KNOWN = 1000;

function stampOf(st: fs.Stats, journal: fs.Stats | null): string {
  const one = (x: fs.Stats) => `${x.dev}:${x.ino}:${x.size}:${x.mtimeMs}:${x.ctimeMs}`;
  return `${one(st)}|${journal ? one(journal) : '-'}`;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

function remember(p: string, st: fs.Stats, journal: fs.Stats | null, fingerprint: string, chain?: { chain: string; bytes: number }): void {
  const key = path.resolve(p);
  known.delete(key);
  if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
  known.set(key, { stamp: stampOf(st, journal), fingerprint, journal: chain ?? null });
}

/** What this process knows of `p` (and its journal) if both are unchanged since it last read or wrote them, else undefined. */
function knownState(p: string): { fingerprint: string; journal: { chain: string; bytes: number } | null } | undefined {
  const k = known.get(path.resolve(p));
  if (!k) return undefined;
  const st = lstatOrNull(p);
  if (!st || !st.isFile()) return undefined;
  const j = lstatOrNull(journalPathOf(p));
  if (j && !j.isFile()) return undefined;
  return stampOf(st, j) === k.stamp ? k : undefined;
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
    // A "backup" that is a link or a special file is not ours: never read through it.
    const raw = readRaw(full);
    if (raw.kind === 'bytes' && sha256Bytes(raw.bytes) === digest) return full;
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
/**
 * A lock that names no owner (empty or cut short: its writer was killed between creating it and
 * writing the token) and is older than this was left by a crash. A live writer fills it within
 * microseconds of creating it; waiting LOCK_STALE_MS instead would make the next save fail
 * (LOCK_TIMEOUT_MS is shorter). Taking it over also clears the dead writer's temp files.
 */
const LOCK_INCOMPLETE_MS = 2_000;
const LOCK_TOKEN = /^\d+\n[0-9a-f]+\n$/;
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

/** The lock file's content, or null when it is gone or not a regular file (never read through a link). */
function readLock(lock: string): string | null {
  const raw = readRaw(lock);
  return raw.kind === 'bytes' ? raw.bytes.toString('utf8') : null;
}

function isStale(lock: string): { stale: boolean; content: string } {
  let content = '';
  let mtime = 0;
  try {
    const st = fs.lstatSync(lock);
    const r = refusal(lock, st);
    if (r) throw new SidecarFileError(r.reason, lock, `${r.message} It stands where the sidecar's lock file goes, so nothing is saved; remove it to annotate this document.`);
    const c = readLock(lock);
    if (c === null) return { stale: false, content: '' };
    content = c;
    mtime = st.mtimeMs;
  } catch (e) {
    if (e instanceof SidecarFileError) throw e;
    return { stale: false, content: '' }; // vanished or half-written: just retry
  }
  const pid = Number(content.split('\n')[0]);
  const age = Date.now() - mtime;
  if (age > LOCK_STALE_MS) return { stale: true, content };
  if (!LOCK_TOKEN.test(content)) return { stale: age > LOCK_INCOMPLETE_MS, content };
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
      // O_EXCL: fails on anything already there, a symbolic link included (it is never followed).
      fs.writeFileSync(lock, token, { flag: 'wx' });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw e; // the folder is gone
      // EACCES/EPERM with no lock file there: the folder refuses new files. (With one there it is
      // contention: Windows answers EPERM while a released lock is still being deleted.)
      if (code === 'EROFS' || ((code === 'EACCES' || code === 'EPERM') && !existsNoFollow(lock))) throw notWritable(p, code);
      if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'EACCES') throw e;
    }
    const s = isStale(lock);
    if (s.stale) {
      // Remove only the lock we judged stale (another process may have replaced it meanwhile).
      try {
        if (readLock(lock) === s.content) fs.unlinkSync(lock);
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
      if (readLock(lock) === token) fs.unlinkSync(lock);
    } catch {
      // lock removed by someone who judged it stale: nothing to release
    }
  }
}

function notWritable(p: string, code: string): SidecarFileError {
  const dir = path.dirname(p);
  return new SidecarFileError(
    'not-writable',
    p,
    `The folder ${dir} is not writable (${code === 'EROFS' ? 'read-only file system' : 'permission denied'}), so the annotations of ${path.basename(p).replace(/\.ann(\.[A-Za-z0-9_-]+)?\.json$/, "")} cannot be saved. Make the folder writable, or work on a copy of the corpus, then try again.`,
  );
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
    const st = fs.lstatSync(p);
    if (st.isFile()) mode = st.mode & 0o777;
  } catch {
    mode = undefined;
  }
  let fd: number;
  try {
    // O_EXCL (never an existing file or link) and O_NOFOLLOW.
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, mode ?? 0o666);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw notWritable(p, code);
    throw e;
  }
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
  /**
   * A decision of an interactive session (the language server): on a large
   * sidecar (JOURNAL_MIN_BYTES) it is appended to the sidecar's journal
   * instead of rewriting the file, and the caller folds the journal in later
   * (compactSidecar, compactJournals) when the user pauses.
   */
  journal?: boolean;
}

/**
 * Writes `sidecar` for `textPath`. If the file changed since `base` (another
 * writer), merges three-way (base, mine, theirs) and writes the merge.
 * Throws SidecarFileError: `damaged`/`newer` when the file on disk must not be
 * overwritten, `symlink`/`not-a-file`/`too-large` when what stands there (or
 * at the lock's place) is not a regular file of ours, `not-writable` at once
 * when the folder refuses new files, `invalid-sidecar` if `sidecar` itself is
 * malformed, `lock-timeout` if another process holds the lock for too long.
 * Writing content identical to the file leaves the file untouched.
 */
export function writeSidecarAtomic(textPath: string, sidecar: Sidecar, base: WriteBase, options: WriteOptions = {}): WriteResult {
  const p = sidecarPath(textPath, options.annotator);
  const owner = options.annotator !== undefined ? layerOwnerProblem(sidecar, options.annotator) : null;
  if (owner) throw new SidecarFileError('invalid-sidecar', p, `refusing to write an invalid layer: ${owner}`);
  return withLock(p, () => {
    const k = base.fingerprint !== null ? knownState(p) : undefined;
    // Unchanged since our base (the usual case), known without reading: append to the journal, or write over it.
    if (k && k.fingerprint === base.fingerprint && base.sidecar && options.journal) {
      const appended = appendToJournal(p, base.sidecar, sidecar, k);
      if (appended) pendingJournals.set(path.resolve(p), { textPath, annotator: options.annotator });
      if (appended) return appended;
    }
    // Validated as an object: serialising and parsing it back costs seconds on a 200,000-annotation sidecar.
    const own = validateSidecar(sidecar);
    if (!own.ok) throw new SidecarFileError('invalid-sidecar', p, `refusing to write an invalid sidecar: invalid sidecar: ${own.errors.join('; ')}`);
    let result = sidecar;
    let conflicts: Conflict[] = [];
    let merged = false;
    let unchanged = k !== undefined && k.fingerprint === base.fingerprint;
    if (!unchanged) {
      const raw = readRaw(p);
      if (raw.kind === 'error') throw new SidecarFileError('damaged', p, `${path.basename(p)} cannot be read (${raw.error.message}); not overwriting it.`);
      if (raw.kind === 'refused') throw new SidecarFileError(raw.reason, p, `${raw.message} It is left alone: nothing is written.`);
      if (raw.kind === 'bytes') {
        // Unchanged since our base, by its bytes (and no journal): it was valid when read, no need to parse it again.
        unchanged = base.fingerprint !== null && !existsNoFollow(journalPathOf(p)) && sha256Bytes(raw.bytes) === base.fingerprint;
        if (!unchanged) {
          let st = classify(p, raw.bytes, options.annotator);
          if (st.status === 'ok') {
            const j = readJournal(p, st);
            st = j.state;
            unchanged = st.status === 'ok' && st.fingerprint === base.fingerprint;
          }
          if (st.status === 'damaged') throw new SidecarFileError('damaged', p, st.message);
          if (st.status === 'newer') throw new SidecarFileError('newer', p, `${st.message} Not overwriting it.`);
          if (st.status === 'ok' && !unchanged) {
            const m = mergeSidecars(base.sidecar, sidecar, st.sidecar);
            result = m.merged;
            conflicts = m.conflicts;
            merged = true;
            if (options.text !== undefined && conflicts.some((c) => c.type === 'document')) {
              const r = reanchor(options.text, result.annotations);
              result = { ...withDocumentText(result, options.text), annotations: [...r.annotations, ...r.orphans] };
              conflicts = conflicts.filter((c) => c.type !== 'document');
            }
            const check = validateSidecar(result);
            if (!check.ok) throw new SidecarFileError('invalid-sidecar', p, `internal: merged sidecar is invalid: ${check.errors.join('; ')}`);
          }
        }
      }
    }
    // (A file deleted since our base is simply recreated from ours: deleting annotations needs an explicit act.)
    const bytes = Buffer.from(serializeSidecar(result), 'utf8');
    const fingerprint = sha256Bytes(bytes);
    const journal = journalPathOf(p);
    const hasJournal = existsNoFollow(journal);
    // Writing content identical to the file leaves the file untouched.
    if (!(unchanged && fingerprint === base.fingerprint && !hasJournal)) {
      writeFileAtomic(p, bytes, options.deferDirSync);
      // The journal is in the file now (a crash before this unlink leaves a stale journal, which readers ignore).
      if (hasJournal) removeJournal(journal);
      try {
        remember(p, fs.lstatSync(p), null, fingerprint);
      } catch {
        // removed at once by someone else: nothing to remember
      }
    }
    const next: Sidecar = { ...result, annotations: [...result.annotations].sort(compareAnnotations) };
    return { sidecar: next, fingerprint, conflicts, merged };
  });
}


/** Whether this process left decisions in the journal of any sidecar (compactJournals folds them in). */
export function hasPendingJournals(): boolean {
  return pendingJournals.size > 0;
}

/**
 * Folds the journal of the sidecar of `textPath` (or of the layer of
 * `annotator`) into the sidecar file, which is then self-contained again.
 * `current`: what the caller holds as the sidecar and its fingerprint; when
 * the files are known unchanged since, it is written without reading and
 * parsing them again. Returns the fingerprints before and after, or null
 * when there was nothing to fold (no journal, or a sidecar that must not be
 * written: damaged, newer, refused — left as it is).
 */
export function compactSidecar(textPath: string, annotator?: string, current?: { fingerprint: string; sidecar: Sidecar }): { before: string; after: string } | null {
  const p = sidecarPath(textPath, annotator);
  const key = path.resolve(p);
  const jp = journalPathOf(p);
  if (!existsNoFollow(jp)) {
    pendingJournals.delete(key);
    return null;
  }
  return withLock(p, () => {
    let state: { fingerprint: string; sidecar: Sidecar };
    if (current && knownState(p)?.fingerprint === current.fingerprint) state = current;
    else {
      const read = readSidecar(textPath, annotator);
      if (read.status !== 'ok') return null;
      state = read;
    }
    pendingJournals.delete(key);
    const bytes = Buffer.from(serializeSidecar(state.sidecar), 'utf8');
    const after = sha256Bytes(bytes);
    // A stale journal (already in the file) is simply removed.
    if (after !== snapshotOf(state.fingerprint)) writeFileAtomic(p, bytes);
    removeJournal(jp);
    fsyncDir(path.dirname(p));
    try {
      remember(p, fs.lstatSync(p), null, after);
    } catch {
      // removed at once by someone else
    }
    return { before: state.fingerprint, after };
  });
}

/** The fingerprint of the sidecar of `textPath` (or a layer) if this process knows it unchanged since it last read or wrote it. */
export function knownFingerprintOf(textPath: string, annotator?: string): string | undefined {
  return knownState(sidecarPath(textPath, annotator))?.fingerprint;
}

/**
 * Folds every journal this process appended to (see compactSidecar).
 * `current` gives what the caller holds for a sidecar (an open document);
 * `onCompacted` hears the fingerprints before and after. The journals that
 * cannot be folded now are reported through `onError` and stay (they are
 * read with their sidecar, so nothing is lost).
 */
export function compactJournals(hooks: {
  current?: (textPath: string, annotator: string | undefined) => { fingerprint: string; sidecar: Sidecar } | undefined;
  onCompacted?: (textPath: string, annotator: string | undefined, fingerprints: { before: string; after: string }) => void;
  onError?: (sidecar: string, err: Error) => void;
} = {}): void {
  for (const [p, { textPath, annotator }] of [...pendingJournals]) {
    try {
      const r = compactSidecar(textPath, annotator, hooks.current?.(textPath, annotator));
      if (r) hooks.onCompacted?.(textPath, annotator, r);
    } catch (e) {
      pendingJournals.delete(p);
      hooks.onError?.(p, e as Error);
    }
  }
}

function removeJournal(journal: string): void {
  try {
    fs.unlinkSync(journal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * The decision as lines appended to the journal (fsynced before returning),
 * when the sidecar is large enough for that to pay and the journal short
 * enough to grow; null to write the whole file instead. Called under the
 * lock, with the file and journal known unchanged since `base`.
 */
function appendToJournal(p: string, base: Sidecar, next: Sidecar, k: { fingerprint: string; journal: { chain: string; bytes: number } | null }): WriteResult | null {
  const st = lstatOrNull(p);
  if (!st || st.size < JOURNAL_MIN_BYTES) return null;
  const jp = journalPathOf(p);
  // A journal on disk we do not hold the chain of is stale: the full write removes it.
  if (!k.journal && existsNoFollow(jp)) return null;
  if (k.journal && k.journal.bytes > JOURNAL_MAX_BYTES) return null;
  const ops = diffForJournal(base, next);
  if (!ops.length) return { sidecar: { ...next, annotations: [...next.annotations].sort(compareAnnotations) }, fingerprint: k.fingerprint, conflicts: [], merged: false };
  const lines = journalLines(ops);
  // Only what changed is checked (the rest was valid when read or written).
  const applied = applyJournal({ ...base, annotations: [] }, ops);
  if (!applied.ok) throw new SidecarFileError('invalid-sidecar', p, `refusing to write an invalid sidecar: ${applied.errors.join('; ')}`);
  const snapshot = snapshotOf(k.fingerprint);
  const header = k.journal ? '' : journalHeader(snapshot);
  const chainBefore = k.journal ? k.journal.chain : null;
  const data = Buffer.from(header + lines, 'utf8');
  let fd: number;
  try {
    // A new journal: O_EXCL (never an existing file or link); an existing one: O_APPEND, never through a link.
    fd = k.journal
      ? fs.openSync(jp, fs.constants.O_WRONLY | fs.constants.O_APPEND | NOFOLLOW)
      : fs.openSync(jp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, st.mode & 0o777);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw notWritable(p, code);
    return null;
  }
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // A new file must survive a crash too: its folder entry is made durable.
  if (!k.journal) fsyncDir(path.dirname(p));
  // The chain over every complete line, the header's included, as parseJournal computes it.
  const full = journalChain(chainBefore ?? '', header + lines);
  const fingerprint = `${snapshot}+${full}`;
  const jst = lstatOrNull(jp);
  remember(p, st, jst, fingerprint, { chain: full, bytes: (k.journal?.bytes ?? 0) + data.length });
  const sorted: Sidecar = { ...next, annotations: [...next.annotations].sort(compareAnnotations) };
  return { sidecar: sorted, fingerprint, conflicts: [], merged: false };
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
  // Decisions still in a journal go into the file first, so that one file moves.
  try {
    compactSidecar(oldTextPath, annotator);
  } catch {
    // a journal that cannot be folded now moves along as it is (below)
  }
  const [first, second] = [from, to].sort();
  return withLock(first, () =>
    withLock(second, () => {
      const raw = readRaw(from);
      if (raw.kind === 'absent') return { moved: false, from, to };
      if (raw.kind === 'error') throw new SidecarFileError('damaged', from, `${path.basename(from)} cannot be read: ${raw.error.message}`);
      if (raw.kind === 'refused') throw new SidecarFileError(raw.reason, from, `${raw.message} It is left alone: not moved.`);
      if (existsNoFollow(to))
        throw new SidecarFileError('target-exists', to, `${path.basename(to)} already exists; not replacing it with ${path.basename(from)}. Merge or remove one of them.`);
      const r = parseBytes(raw.bytes, annotator);
      if (r.ok) {
        const moved: Sidecar = { ...r.sidecar, document: { ...r.sidecar.document, path: path.basename(newTextPath) } };
        writeFileAtomic(to, serializeSidecar(moved));
      } else {
        writeFileAtomic(to, raw.bytes); // not ours to interpret: keep every byte
      }
      // A journal that could not be folded in (damaged, or its sidecar is): kept byte for byte beside the moved file.
      const journal = readRaw(journalPathOf(from));
      if (journal.kind === 'bytes') {
        writeFileAtomic(journalPathOf(to), journal.bytes);
        fs.unlinkSync(journalPathOf(from));
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
