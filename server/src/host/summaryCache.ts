/**
 * Document summaries kept on disk (in the editor's storage for the workspace,
 * or `.news-annotator/cache/` in a corpus that has opted in), so a restart
 * re-reads and re-tags only the documents that changed: a `git pull` that
 * touched 500 files re-analyses those 500.
 *
 * - An entry is valid for one file as it was: the text's and the layer's
 *   sidecar's size, modification and change times and inode (a "stamp"),
 *   checked with two `stat`s, without reading the file. When the stamp
 *   differs, the text is read and its content hash compared: the same text
 *   (a file touched or checked out again) is not tagged again, only its
 *   sidecar's decisions are read.
 * - The cache is versioned by everything a summary depends on: the format,
 *   the analysis (code version, tagger fingerprint, labels, minimum
 *   confidence — Workspace.analysisKey) and the layer read. Another key is
 *   another folder; the oldest are removed.
 * - Entries are spread over shards by path; a shard is rewritten atomically
 *   (temporary file, rename) only when it changed, so two servers on the same
 *   folder, or a crash mid-write, leave whole shards — either one is valid.
 * - A shard that does not parse, or has the wrong header, is thrown away and
 *   its documents analysed again: a damaged cache is rebuilt, never trusted.
 *   An entry's summary is parsed when its document asks for it; one that does
 *   not read back whole is dropped then, and its document analysed again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { DocumentTags, ReviewStatus, SidecarAnnotation } from '../protocol';
import { withDecisions, type DocumentSummary, type FoundNames } from '../core/corpus/summary';
import { MENTION_BYTES, mentionConfidence, mentionEnd, mentionPacked, mentionStart } from '../core/detect/entities';
import { hash53 } from '../core/text/hash';
import type { CorpusTotals } from '../core/corpus/totals';
import { nextTurn } from './timeSlices';

export const CACHE_FORMAT = 'news-annotator/summary-cache';
/**
 * 2: summaries keep the document's tags (a version-1 entry has none, so it is not used).
 * 3: strings in a table per shard, found names in columns (a restart on 20,000 documents parsed
 *    and rebuilt one small array per mention).
 * 4: block keys and the found names' numbers as base64 of their bytes (see base64ToMentions),
 *    read straight into typed arrays: parsing them as JSON numbers, then copying them, was a fifth
 *    of a restart.
 */
export const CACHE_VERSION = 4;
/** The snapshot of corpus totals kept with the shards (see readTotals). */
export const TOTALS_FORMAT = 'news-annotator/corpus-totals';
const TOTALS_VERSION = 1;
const SHARDS = 32;
/** The journal is folded into the shards when it would pass this share of their size. */
const JOURNAL_SHARE = 0.2;
/** Cache folders of other analyses kept (the model or the settings changed back and forth). */
const KEEP_KEYS = 3;

/** A temporary file beside `target`, of this process: renamed over it once written whole. */
function tempPathFor(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes `data` as `target` atomically (a temporary file in the same folder, then a rename;
 * the folder is made if missing): a reader, or another server on the folder, sees the old
 * file or the new one, whole. The temporary file is removed when anything fails, and the
 * error thrown.
 */
export async function replaceFile(target: string, data: string): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(tmp, data);
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** What a file looked like when its summary was made; any change means another stamp. */
export function stampOf(text: fs.Stats, sidecar: fs.Stats | undefined, journal?: fs.Stats): string {
  // A large sidecar's journal holds its latest decisions (see sidecarFiles): it is part of the stamp when there is one.
  return `${fileStampOf(text)}|${sidecar ? fileStampOf(sidecar) : '-'}${journal ? `|${fileStampOf(journal)}` : ''}`;
}

/** One file's part of a stamp: size, times and inode. */
export function fileStampOf(st: fs.Stats): string {
  return `${st.size}:${Math.round(st.mtimeMs)}:${Math.round(st.ctimeMs)}:${st.ino}`;
}

/** The text file's part of a stamp (stampOf), which says whether the text changed: a decision changes only the rest. */
export function textPartOf(stamp: string): string {
  const bar = stamp.indexOf('|');
  return bar < 0 ? stamp : stamp.slice(0, bar);
}

/**
 * The compact form of a summary on disk (see DocumentSummary). Strings are
 * indexes into the shard's string table (names recur across articles); the
 * found names are columns as in FoundNames: label and source tables, names,
 * texts (-1: the same as the name) and the mentions' numbers. Block keys and
 * the mentions' numbers are bytes in base64 (see base64ToMentions).
 */
type CompactFound = [labels: number[], sources: number[], names: number[], texts: number[], numbers: string];
type Compact = [blocks: string, found: CompactFound, decided: SidecarAnnotation[], review: ReviewStatus, tags: DocumentTags];

/** A shard's strings: each once, numbered in order of first use. */
class StringTable {
  readonly strings: string[];
  /**
   * string → its number, made on the first id(). Tables read from disk are only read from (at):
   * a Map of every string of 32 shards, and of each journal line's own table, was held for nothing.
   */
  private index: Map<string, number> | undefined;

  constructor(strings: string[] = []) {
    this.strings = strings;
  }

  id(x: string): number {
    if (!this.index) {
      this.index = new Map();
      this.strings.forEach((y, k) => this.index!.set(y, k));
    }
    let i = this.index.get(x);
    if (i === undefined) this.index.set(x, (i = this.strings.push(x) - 1));
    return i;
  }

  /** The string of an index read from disk; a damaged entry (no such index) throws, and is not used. */
  at(i: number): string {
    const x = this.strings[i];
    if (typeof x !== 'string') throw new Error(`no string ${i} in the shard's table`);
    return x;
  }
}

/** A snapshot of corpus totals as written (see SummaryCache.readTotals). */
interface TotalsFile {
  format: string;
  version: number;
  key: string;
  files: string[];
  stamps: string[];
  /** Block hashes (f64) and counts (i32), base64. */
  blocks: [string, string];
  names: [keys: string[], labels: string[], numbers: number[]];
  entities: [keys: string[], labels: string[], numbers: number[]];
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Bytes in base64. */
function bytesToBase64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** How many bytes a base64 text decodes to; a text whose length is not that of base64 throws. */
function decodedLength(s: string): number {
  if (s.length % 4 !== 0) throw new Error('not base64');
  return (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
}

/**
 * Decodes base64 straight into `into`, exactly the decoded length (decodedLength) of it: no
 * buffer of its own, no copy (a restart decodes two texts a document: at 100,000 documents
 * their allocations and copies were 2 s). A damaged text (not base64) throws.
 */
function decodeInto(s: string, into: ArrayBuffer, length: number): void {
  // Buffer skips characters that are not base64: a damaged text decodes to fewer bytes than its length
  // promises (cheaper than a regular expression over every entry, a twentieth of a restart).
  if (Buffer.from(into, 0, length).write(s, 0, length, 'base64') !== length) throw new Error('not base64');
}

/** A typed array of whole elements from bytesToBase64 (block keys as 64-bit floats, counts as 32-bit integers). */
function base64ToArray<T extends Float64Array | Int32Array>(s: string, Kind: { new (n: number): T; BYTES_PER_ELEMENT: number }): T {
  const length = decodedLength(s);
  if (length % Kind.BYTES_PER_ELEMENT !== 0) throw new Error(`not a whole number of ${Kind.BYTES_PER_ELEMENT}-byte numbers`);
  const out = new Kind(length / Kind.BYTES_PER_ELEMENT);
  decodeInto(s, out.buffer as ArrayBuffer, length);
  return out;
}

/**
 * FoundNames.numbers of `n` mentions, decoded straight into their own buffer: the cache
 * stores the memory's very bytes (mentionNumbers.ts). Throws for a text of another length,
 * and for impossible numbers: a span ending before it starts, a confidence that is not a
 * number, a label or source index outside the document's tables (`labels`, `sources`).
 */
function base64ToMentions(s: string, n: number, labels: number, sources: number): DataView {
  const length = decodedLength(s);
  if (length !== MENTION_BYTES * n) throw new Error('mention numbers of another length than the names');
  const out = new ArrayBuffer(length);
  decodeInto(s, out, length);
  const v = new DataView(out);
  for (let i = 0; i < n; i++) {
    const packed = mentionPacked(v, i);
    if (mentionEnd(v, i) < mentionStart(v, i) || !Number.isFinite(mentionConfidence(v, i))) throw new Error('a mention with impossible numbers');
    if (packed >>> 8 >= labels || (packed & 255) >= sources) throw new Error('a label or source index out of range');
  }
  return v;
}

function compact(s: DocumentSummary, table: StringTable): Compact {
  const f = s.found;
  const id = (x: string) => table.id(x);
  return [
    bytesToBase64(s.blockKeys),
    [f.labels.map(id), f.sources.map(id), f.normalized.map(id), f.text.map((t, i) => (t === f.normalized[i] ? -1 : table.id(t))), bytesToBase64(f.numbers)],
    s.decided,
    s.review,
    s.tags,
  ];
}

/** Puts the strings compact(s, table) uses into the table, in the order it would: a table written before the entries. */
function tableStrings(s: DocumentSummary, table: StringTable): void {
  const f = s.found;
  for (const x of f.labels) table.id(x);
  for (const x of f.sources) table.id(x);
  for (const x of f.normalized) table.id(x);
  f.text.forEach((t, i) => t !== f.normalized[i] && table.id(t));
}

function expand(c: Compact, table: StringTable): DocumentSummary {
  const [blocks, [labelIds, sourceIds, names, texts, numberText], decided, review, tags] = c;
  const n = names.length;
  if (texts.length !== n) throw new Error('found-name columns of different lengths');
  const numbers = base64ToMentions(numberText, n, labelIds.length, sourceIds.length);
  const normalized = names.map((i) => table.at(i));
  const found: FoundNames = {
    normalized,
    text: texts.map((t, i) => (t === -1 ? normalized[i] : table.at(t))),
    numbers,
    labels: labelIds.map((i) => table.at(i)),
    sources: sourceIds.map((i) => table.at(i)),
  };
  const blockKeys = base64ToArray(blocks, Float64Array);
  // The corpus' block counts take 53-bit hashes only (HashCounts).
  for (const k of blockKeys) if (!(k >= 0 && Number.isSafeInteger(k))) throw new Error('a block key that is not a 53-bit hash');
  const base: DocumentSummary = { blockKeys, found, decided: [], review: 'todo', tags: {} };
  // Orphaned decisions are left out as on first reading.
  return withDecisions(base, decided, review, tags);
}

/**
 * The lines of a UTF-8 file, each decoded on its own: a line that is all
 * ASCII (most entries, now that names are in the table) becomes a one-byte
 * string, which JSON.parse reads faster, where decoding the whole file made
 * it one two-byte string (measured: 0.8 s of a 20,000-document restart).
 */
function utf8Lines(bytes: Buffer): string[] {
  const lines: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    lines.push(bytes.toString('utf8', start, end));
    start = end + 1;
  }
  return lines;
}

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

function isCompact(v: unknown): v is Compact {
  return (
    Array.isArray(v) &&
    v.length === 5 &&
    typeof v[0] === 'string' &&
    Array.isArray(v[1]) &&
    v[1].length === 5 &&
    (v[1] as unknown[]).slice(0, 4).every(isNumbers) &&
    typeof v[1][4] === 'string' &&
    Array.isArray(v[2]) &&
    typeof v[3] === 'string' &&
    typeof v[4] === 'object' &&
    v[4] !== null &&
    !Array.isArray(v[4])
  );
}

/**
 * A cached document. Its summary is either the compact JSON text read from the shard,
 * parsed only when the document asks for it, or the summary itself (put during this
 * scan, or read already: the same object the corpus memory holds, not a second copy).
 * A restart used to parse every entry into arrays at once and keep them until the scan
 * ended; on 50,000 documents those arrays were a few hundred megabytes of the peak.
 */
interface Entry {
  stamp: string;
  /** Content hash of the text (summarizeFile.contentHash). */
  hash: string;
  /** The compact summary as JSON text, its strings numbered in the table the shard was read with. */
  json?: string;
  /** The table of `json` when it is not its shard's (an entry read from the journal). */
  table?: StringTable;
  summary?: DocumentSummary;
}

/**
 * The head of a shard line `["<file>","<stamp>","<hash>",<compact>]` and the compact
 * summary's JSON text, without parsing the summary: a scanner over the first three
 * JSON strings. Undefined when the line does not have that shape.
 */
function splitLine(line: string): { file: string; stamp: string; hash: string; json: string } | undefined {
  if (line.charCodeAt(0) !== 0x5b /* [ */ || line.charCodeAt(line.length - 1) !== 0x5d /* ] */) return undefined;
  const head: string[] = [];
  let at = 1;
  for (let k = 0; k < 3; k++) {
    if (line.charCodeAt(at) !== 0x22 /* " */) return undefined;
    let end = at + 1;
    for (; end < line.length; end++) {
      const c = line.charCodeAt(end);
      if (c === 0x5c /* \ */) end++;
      else if (c === 0x22) break;
    }
    if (end >= line.length || line.charCodeAt(end + 1) !== 0x2c /* , */) return undefined;
    const value: unknown = JSON.parse(line.slice(at, end + 1));
    if (typeof value !== 'string') return undefined;
    head.push(value);
    at = end + 2;
  }
  return { file: head[0], stamp: head[1], hash: head[2], json: line.slice(at, -1) };
}

export class SummaryCache {
  private readonly dir: string;
  private readonly shards: Map<string, Entry>[] = Array.from({ length: SHARDS }, () => new Map());
  private readonly tables: StringTable[] = Array.from({ length: SHARDS }, () => new StringTable());
  /** Shards to write whole (damaged, or holding entries dropped as damaged). */
  private readonly dirty = new Set<number>();
  /** Per shard, the files put or deleted since the last flush (written to the journal, or with their shard). */
  private readonly pending = new Map<number, Set<string>>();
  /** Shards whose file was read whole (a shard without one is written whole when it changes). */
  private readonly onDisk = new Set<number>();
  /** Shards with entries in the journal: rewriting one means rewriting them all (see flush). */
  private readonly journaled = new Set<number>();
  /** Bytes of each shard file and of the journal, as read or written. */
  private readonly shardSizes: number[] = new Array<number>(SHARDS).fill(0);
  private journalBytes = 0;
  /** The journal was cut short (a crash mid-append) or damaged: the next flush rewrites instead of appending. */
  private compactNext = false;
  private loaded = false;
  /** Set when the cache cannot be used (unwritable folder…): it then does nothing. */
  private disabled = false;
  /**
   * Where the strings of the shards' tables are made one copy each (the corpus memory's
   * `intern`): done once per table, the summaries read from them need no more of it.
   */
  intern: ((x: string) => string) | undefined;

  /**
   * `root`: the cache folder; `key`: what the summaries depend on (analysis, layer, folders);
   * `writeChunk`: characters of entries gathered before a write (writeShard), which tests make
   * tiny to look at a shard in the middle of being written.
   */
  constructor(
    root: string,
    readonly key: string,
    private readonly writeChunk = 1 << 20,
  ) {
    this.dir = path.join(root, `v${CACHE_VERSION}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  }

  /** The folder of this key's shards (other files kept for this analysis go there too). */
  get folder(): string {
    return this.dir;
  }

  private shardOf(file: string): number {
    return hash53(file) % SHARDS;
  }

  /** Reads every shard (once). Shards that are missing or damaged count as empty. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    for (let i = 0; i < SHARDS; i++) {
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(path.join(this.dir, `shard-${i}.ndjson`));
      } catch {
        continue;
      }
      const m = this.shards[i];
      const lines = utf8Lines(bytes);
      let ok = false;
      try {
        const header = JSON.parse(lines[0]) as { format?: string; version?: number; key?: string };
        ok = header.format === CACHE_FORMAT && header.version === CACHE_VERSION && header.key === this.key;
        const strings = ok ? (JSON.parse(lines[1]) as unknown) : undefined;
        ok = ok && Array.isArray(strings) && strings.every((x) => typeof x === 'string');
        if (ok) this.tables[i] = new StringTable(this.intern ? (strings as string[]).map(this.intern) : (strings as string[]));
        // Each entry's summary stays JSON text until its document asks for it (see Entry).
        for (let k = 2; ok && k < lines.length; k++) {
          if (!lines[k]) continue;
          const v = splitLine(lines[k]);
          if (!v) {
            ok = false;
            break;
          }
          m.set(v.file, { stamp: v.stamp, hash: v.hash, json: v.json });
        }
      } catch {
        ok = false;
      }
      if (!ok) {
        // Damaged or another version: rebuilt from the documents, and rewritten.
        m.clear();
        this.tables[i] = new StringTable();
        this.dirty.add(i);
      } else {
        this.onDisk.add(i);
        this.shardSizes[i] = bytes.length;
      }
      // Large shards parse for a while: let the server answer in between.
      await nextTurn();
    }
    await this.loadJournal();
  }

  private journalPath(): string {
    return path.join(this.dir, 'journal.ndjson');
  }

  /**
   * Applies the journal (see flush) over the shards, line by line: a document's entry put
   * since its shard was written, or `[file, null]` for one deleted. A line that does not
   * read back whole (a crash mid-append) is left out, and the next flush writes the shards
   * anew instead of appending: its document's entry is then the shard's older one, whose
   * stamp no longer matches, so the document is read again.
   */
  private async loadJournal(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(this.journalPath());
    } catch {
      return;
    }
    this.journalBytes = bytes.length;
    const lines = utf8Lines(bytes);
    let header: { format?: string; version?: number; key?: string; journal?: boolean } | undefined;
    try {
      header = JSON.parse(lines[0]) as typeof header;
    } catch {
      header = undefined;
    }
    if (!header || header.format !== CACHE_FORMAT || header.version !== CACHE_VERSION || header.key !== this.key || header.journal !== true) {
      this.compactNext = true;
      return;
    }
    if (bytes.length && bytes[bytes.length - 1] !== 10) this.compactNext = true;
    for (let k = 1; k < lines.length; k++) {
      if (!lines[k]) continue;
      try {
        const v: unknown = JSON.parse(lines[k]);
        if (!Array.isArray(v) || typeof v[0] !== 'string') throw new Error('not an entry');
        const file = v[0];
        const i = this.shardOf(file);
        if (v.length === 2 && v[1] === null) this.shards[i].delete(file);
        else if (v.length === 5 && typeof v[1] === 'string' && typeof v[2] === 'string' && isStrings(v[3])) {
          const strings = this.intern ? v[3].map(this.intern) : v[3];
          this.shards[i].set(file, { stamp: v[1], hash: v[2], json: JSON.stringify(v[4]), table: new StringTable(strings) });
        } else throw new Error('not an entry');
        this.journaled.add(i);
      } catch {
        this.compactNext = true;
      }
    }
  }

  /** The cached summary of `file` if it was made for this very stamp. */
  get(file: string, stamp: string): DocumentSummary | undefined {
    const e = this.shards[this.shardOf(file)].get(file);
    return e && e.stamp === stamp ? this.summaryOf(file, e) : undefined;
  }

  /** The cached summary of an earlier version of `file`, with its text's content hash (reused when the text is the same). */
  earlier(file: string): { hash: string; summary: DocumentSummary } | undefined {
    const e = this.shards[this.shardOf(file)].get(file);
    const summary = e && this.summaryOf(file, e);
    return summary && { hash: e.hash, summary };
  }

  /**
   * An entry's summary, parsed from its JSON text on first use. An entry that does not
   * read back whole (a damaged line) is dropped, and its shard written again without it:
   * its document is read again.
   */
  private summaryOf(file: string, e: Entry): DocumentSummary | undefined {
    if (e.summary) return e.summary;
    const i = this.shardOf(file);
    try {
      const c: unknown = JSON.parse(e.json!);
      if (!isCompact(c)) throw new Error('not a compact summary');
      e.summary = expand(c, e.table ?? this.tables[i]);
      e.json = undefined;
      e.table = undefined;
      return e.summary;
    } catch {
      this.shards[i].delete(file);
      this.dirty.add(i);
      return undefined;
    }
  }

  put(file: string, stamp: string, hash: string, summary: DocumentSummary): void {
    if (this.disabled) return;
    const i = this.shardOf(file);
    // The summary itself: it is made compact when it is written.
    this.shards[i].set(file, { stamp, hash, summary });
    this.noteChange(i, file);
  }

  private noteChange(shard: number, file: string): void {
    let files = this.pending.get(shard);
    if (!files) this.pending.set(shard, (files = new Set()));
    files.add(file);
  }

  delete(file: string): void {
    const i = this.shardOf(file);
    if (this.shards[i].delete(file)) this.noteChange(i, file);
  }

  /** Keeps only these files (the others left the corpus). */
  retain(files: ReadonlySet<string>): void {
    this.shards.forEach((m, i) => {
      for (const f of m.keys()) {
        if (!files.has(f)) {
          m.delete(f);
          this.noteChange(i, f);
        }
      }
    });
  }

  /**
   * Writes what changed. A few documents changed (a `git pull` of 500 files in a corpus of
   * 100,000): their entries are appended to the journal, one line each with its own strings,
   * in one write; rewriting every shard they fall in (all of them, for 500 files) took 8 s
   * and a few hundred megabytes at 100,000 documents. When the journal would pass a fifth of
   * the shards' size, or a shard must be written whole (new, or damaged), the shards with
   * changes or journal entries are written anew, each atomically (temporary file, rename),
   * and the journal is removed: its lines would otherwise be read over the newer shards. A
   * folder that cannot be written disables the cache. `compact`: fold the journal into the
   * shards now, whatever its size.
   */
  async flush(options: { compact?: boolean } = {}): Promise<void> {
    if (options.compact && (this.journaled.size || this.pending.size)) this.compactNext = true;
    if (this.disabled || (!this.dirty.size && !this.pending.size && !this.compactNext)) return;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      await this.ignoreInGit();
      const rewrite = new Set(this.dirty);
      // Changes in a shard that has no file yet go into a file of its own.
      for (const i of this.pending.keys()) if (!this.onDisk.has(i)) rewrite.add(i);
      const lines: string[] = [];
      const appended = new Set<number>();
      for (const [i, files] of this.pending) {
        if (rewrite.has(i)) continue;
        for (const file of files) {
          const e = this.shards[i].get(file);
          const summary = e && this.summaryOf(file, e);
          if (!e || !summary) lines.push(JSON.stringify([file, null]));
          else {
            const table = new StringTable();
            const c = compact(summary, table);
            lines.push(JSON.stringify([file, e.stamp, e.hash, table.strings, c]));
          }
        }
        appended.add(i);
      }
      const text = lines.length ? lines.join('\n') + '\n' : '';
      let compacting = this.compactNext || [...rewrite].some((i) => this.journaled.has(i)) || this.journalBytes + Buffer.byteLength(text) > JOURNAL_SHARE * this.shardSizes.reduce((a, b) => a + b, 0);
      if (compacting) {
        for (const i of this.journaled) rewrite.add(i);
        for (const i of appended) rewrite.add(i);
      }
      for (const i of [...rewrite].sort((a, b) => a - b)) await this.writeShard(i);
      if (compacting) {
        await fs.promises.rm(this.journalPath(), { force: true });
        this.journaled.clear();
        this.journalBytes = 0;
        this.compactNext = false;
      } else if (text) {
        const fresh = this.journalBytes === 0;
        const head = fresh ? JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, key: this.key, journal: true }) + '\n' : '';
        await fs.promises.appendFile(this.journalPath(), head + text);
        this.journalBytes += Buffer.byteLength(head + text);
        for (const i of appended) this.journaled.add(i);
      }
      this.pending.clear();
      await this.pruneOtherKeys();
    } catch {
      this.disabled = true;
    }
  }

  /**
   * Writes shard `i` whole, atomically, with a new table of only the strings its entries use.
   * The table line comes first, so it is made from the entries before any of them is written;
   * the entries then go out a megabyte at a time. Holding a shard's lines until the end kept
   * them alive through many minor collections, so each shard's ten-odd megabytes of text were
   * promoted, and folding the journal (all 32 shards) peaked 650 MB above the resident memory
   * before it.
   */
  private async writeShard(i: number): Promise<void> {
    // Entries still in JSON text are read first (their numbers belong to the old table); one that does
    // not read back whole is left out. The entries as they are now: a put meanwhile is the next flush's.
    const wasText = new Set<string>();
    const entries = [...this.shards[i]].filter(([file, e]) => {
      if (!e.summary) wasText.add(file);
      return this.summaryOf(file, e) !== undefined;
    });
    this.dirty.delete(i);
    this.pending.delete(i);
    const table = new StringTable();
    for (const [, e] of entries) tableStrings(e.summary!, table);
    const target = path.join(this.dir, `shard-${i}.ndjson`);
    const tmp = tempPathFor(target);
    const out = await fs.promises.open(tmp, 'w');
    let bytes = 0;
    const write = async (text: string): Promise<void> => {
      const buf = Buffer.from(text, 'utf8');
      await out.write(buf);
      bytes += buf.length;
    };
    try {
      await write(`${JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, key: this.key })}\n${JSON.stringify(table.strings)}\n`);
      const written = table.strings.length;
      let chunk = '';
      for (const [file, e] of entries) {
        const json = JSON.stringify(compact(e.summary!, table));
        // The table line is out: a string tableStrings missed would be numbered beyond it.
        if (table.strings.length !== written) throw new Error('internal: compact used a string tableStrings did not list');
        chunk += `${JSON.stringify([file, e.stamp, e.hash]).slice(0, -1)},${json}]\n`;
        // Read only to be written: back to its text, numbered in the new table, which it keeps as its
        // own (until the shard's table is this one, below, the old one numbers the entries not yet
        // written). Folding the journal rewrites every shard, and keeping each entry read for it
        // held all 100,000 summaries at once (a restart after a torn journal peaked at 1.5 GB).
        if (wasText.has(file)) {
          e.json = json;
          e.table = table;
          e.summary = undefined;
        }
        if (chunk.length >= this.writeChunk) {
          await write(chunk);
          chunk = '';
        }
      }
      if (chunk) await write(chunk);
    } catch (err) {
      // The temporary file goes whatever failed (a full disk can fail the close too).
      await out.close().catch(() => undefined);
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
    await out.close();
    this.tables[i] = table;
    await fs.promises.rename(tmp, target);
    this.onDisk.add(i);
    this.shardSizes[i] = bytes;
  }

  /** The entry of `file`: its stamp, and its summary if it was parsed or put (nothing is parsed here). */
  held(file: string): { stamp: string; summary: DocumentSummary | undefined } | undefined {
    const e = this.shards[this.shardOf(file)].get(file);
    return e && { stamp: e.stamp, summary: e.summary };
  }

  /** Are there entries not written yet (put, deleted, or dropped as damaged since the last flush)? */
  get changed(): boolean {
    return this.dirty.size > 0 || this.pending.size > 0;
  }

  private totalsPath(): string {
    return path.join(this.dir, 'totals.json');
  }

  /**
   * The snapshot of corpus totals written with the shards (writeTotals): the totals of the
   * documents listed, each as it was when its entry had that stamp. Undefined when there is
   * none, or it is damaged, of another version or another cache key: the documents are then
   * counted one by one, and a new snapshot written at the end of the scan.
   */
  async readTotals(): Promise<{ docs: Map<string, string>; totals: CorpusTotals } | undefined> {
    if (this.disabled) return undefined;
    let text: string;
    try {
      text = await fs.promises.readFile(this.totalsPath(), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const v = JSON.parse(text) as Partial<TotalsFile>;
      if (v.format !== TOTALS_FORMAT || v.version !== TOTALS_VERSION || v.key !== this.key) return undefined;
      const { files, stamps, blocks, names, entities } = v;
      if (!isStrings(files) || !isStrings(stamps) || files.length !== stamps.length) return undefined;
      if (!Array.isArray(blocks) || blocks.length !== 2 || typeof blocks[0] !== 'string' || typeof blocks[1] !== 'string') return undefined;
      const rows = (r: unknown): { keys: string[]; labels: string[]; numbers: number[] } | undefined =>
        Array.isArray(r) && r.length === 3 && isStrings(r[0]) && isStrings(r[1]) && isNumbers(r[2]) ? { keys: r[0], labels: r[1], numbers: r[2] } : undefined;
      const n = rows(names);
      const e = rows(entities);
      if (!n || !e) return undefined;
      const docs = new Map<string, string>();
      files.forEach((f, i) => docs.set(f, stamps[i]));
      if (docs.size !== files.length) return undefined;
      // The rest (whole positive counts, rows of equal lengths…) is checked when they are installed (checkTotals).
      return { docs, totals: { blocks: { keys: base64ToArray(blocks[0], Float64Array), counts: base64ToArray(blocks[1], Int32Array) }, names: n, entities: e } };
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the snapshot of corpus totals (atomically, as a shard): `docs` are the files whose
   * entries the totals count, with those entries' stamps.
   */
  async writeTotals(docs: readonly [string, string][], totals: CorpusTotals): Promise<void> {
    if (this.disabled) return;
    const v: TotalsFile = {
      format: TOTALS_FORMAT,
      version: TOTALS_VERSION,
      key: this.key,
      files: docs.map((d) => d[0]),
      stamps: docs.map((d) => d[1]),
      blocks: [bytesToBase64(totals.blocks.keys), bytesToBase64(totals.blocks.counts)],
      names: [totals.names.keys, totals.names.labels, totals.names.numbers],
      entities: [totals.entities.keys, totals.entities.labels, totals.entities.numbers],
    };
    try {
      await replaceFile(this.totalsPath(), JSON.stringify(v));
    } catch {
      this.disabled = true;
    }
  }

  /**
   * Forgets the entries held in memory (they are on disk after a flush): the
   * corpus memory holds the summaries, and a second copy would double the
   * server's footprint on a large corpus. The next scan loads them again.
   */
  release(): void {
    if ((this.dirty.size || this.pending.size) && !this.disabled) return;
    for (const m of this.shards) m.clear();
    for (let i = 0; i < SHARDS; i++) this.tables[i] = new StringTable();
    // Read again by the next load.
    this.onDisk.clear();
    this.journaled.clear();
    this.shardSizes.fill(0);
    this.journalBytes = 0;
    this.compactNext = false;
    this.loaded = false;
  }

  /** The cache is the machine's, not the corpus': git never sees it (when it is inside a corpus). */
  private async ignoreInGit(): Promise<void> {
    const ignore = path.join(path.dirname(this.dir), '.gitignore');
    if (!fs.existsSync(ignore)) await fs.promises.writeFile(ignore, '# Summaries of the documents, rebuilt when missing (News Corpus Annotator).\n*\n');
  }

  private async pruneOtherKeys(): Promise<void> {
    const parent = path.dirname(this.dir);
    const dirs = (await fs.promises.readdir(parent, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name.startsWith('v') && path.join(parent, d.name) !== this.dir);
    if (dirs.length < KEEP_KEYS) return;
    const aged = await Promise.all(dirs.map(async (d) => ({ p: path.join(parent, d.name), t: (await fs.promises.stat(path.join(parent, d.name))).mtimeMs })));
    aged.sort((a, b) => a.t - b.t);
    for (const { p } of aged.slice(0, aged.length - (KEEP_KEYS - 1))) await fs.promises.rm(p, { recursive: true, force: true });
  }
}
