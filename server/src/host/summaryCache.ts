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
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { DocumentTags, ReviewStatus, SidecarAnnotation } from '../protocol';
import { foundList, toFoundNames, withDecisions, type DocumentSummary, type FoundName } from '../core/corpus/summary';
import { hash53 } from '../core/text/hash';

export const CACHE_FORMAT = 'news-annotator/summary-cache';
/** 2: summaries keep the document's tags (a version-1 entry has none, so it is not used). */
export const CACHE_VERSION = 2;
const SHARDS = 32;
/** Cache folders of other analyses kept (the model or the settings changed back and forth). */
const KEEP_KEYS = 3;

/** What a file looked like when its summary was made; any change means another stamp. */
export function stampOf(text: fs.Stats, sidecar: fs.Stats | undefined, journal?: fs.Stats): string {
  const s = (st: fs.Stats) => `${st.size}:${Math.round(st.mtimeMs)}:${Math.round(st.ctimeMs)}:${st.ino}`;
  // A large sidecar's journal holds its latest decisions (see sidecarFiles): it is part of the stamp when there is one.
  return `${s(text)}|${sidecar ? s(sidecar) : '-'}${journal ? `|${s(journal)}` : ''}`;
}

/** The compact form of a summary on disk (see DocumentSummary). */
type Compact = [blocks: string, found: [string, string, string | 0, number, string, number, number][], decided: SidecarAnnotation[], review: ReviewStatus, tags: DocumentTags];

function compact(s: DocumentSummary): Compact {
  return [
    Array.from(s.blockKeys, (k) => k.toString(36)).join(' '),
    // The text is kept only where it differs from the normalised form (a proclitic, diacritics, case).
    foundList(s.found).map((f) => [f.label, f.normalized, f.text === f.normalized ? 0 : f.text, f.confidence, f.source, f.start, f.end]),
    s.decided,
    s.review,
    s.tags,
  ];
}

function expand(c: Compact): DocumentSummary {
  const [blocks, found, decided, review, tags] = c;
  const names: FoundName[] = found.map(([label, normalized, text, confidence, source, start, end]) => ({ label, normalized, text: text === 0 ? normalized : text, confidence, source, start, end }));
  const base: DocumentSummary = { blockKeys: Float64Array.from(blocks ? blocks.split(' ') : [], (k) => parseInt(k, 36)), found: toFoundNames(names), entities: [], decided: [], review: 'todo', tags: {} };
  // The derived parts (entity counts) are computed again, by the same code as on first reading.
  return withDecisions(base, decided, review, tags);
}

function isCompact(v: unknown): v is Compact {
  return Array.isArray(v) && v.length === 5 && typeof v[0] === 'string' && Array.isArray(v[1]) && Array.isArray(v[2]) && typeof v[3] === 'string' && typeof v[4] === 'object' && v[4] !== null && !Array.isArray(v[4]);
}

interface Entry {
  stamp: string;
  /** Content hash of the text (summarizeFile.contentHash). */
  hash: string;
  summary: Compact;
}

export class SummaryCache {
  private readonly dir: string;
  private readonly shards: Map<string, Entry>[] = Array.from({ length: SHARDS }, () => new Map());
  private readonly dirty = new Set<number>();
  private loaded = false;
  /** Set when the cache cannot be used (unwritable folder…): it then does nothing. */
  private disabled = false;

  /** `root`: the cache folder; `key`: what the summaries depend on (analysis, layer, folders). */
  constructor(root: string, readonly key: string) {
    this.dir = path.join(root, `v${CACHE_VERSION}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  }

  private shardOf(file: string): number {
    return hash53(file) % SHARDS;
  }

  /** Reads every shard (once). Shards that are missing or damaged count as empty. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    for (let i = 0; i < SHARDS; i++) {
      let text: string;
      try {
        text = await fs.promises.readFile(path.join(this.dir, `shard-${i}.ndjson`), 'utf8');
      } catch {
        continue;
      }
      const m = this.shards[i];
      const lines = text.split('\n');
      let ok = false;
      try {
        const header = JSON.parse(lines[0]) as { format?: string; version?: number; key?: string };
        ok = header.format === CACHE_FORMAT && header.version === CACHE_VERSION && header.key === this.key;
        for (let k = 1; ok && k < lines.length; k++) {
          if (!lines[k]) continue;
          const v = JSON.parse(lines[k]) as unknown;
          if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'string' || typeof v[2] !== 'string' || !isCompact(v[3])) {
            ok = false;
            break;
          }
          m.set(v[0], { stamp: v[1], hash: v[2], summary: v[3] });
        }
      } catch {
        ok = false;
      }
      if (!ok) {
        // Damaged or another version: rebuilt from the documents, and rewritten.
        m.clear();
        this.dirty.add(i);
      }
      // Large shards parse for a while: let the server answer in between.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The cached summary of `file` if it was made for this very stamp. */
  get(file: string, stamp: string): DocumentSummary | undefined {
    const e = this.shards[this.shardOf(file)].get(file);
    if (!e || e.stamp !== stamp) return undefined;
    try {
      return expand(e.summary);
    } catch {
      return undefined;
    }
  }

  /** The cached summary of an earlier version of `file`, with its text's content hash (reused when the text is the same). */
  earlier(file: string): { hash: string; summary: DocumentSummary } | undefined {
    const e = this.shards[this.shardOf(file)].get(file);
    if (!e) return undefined;
    try {
      return { hash: e.hash, summary: expand(e.summary) };
    } catch {
      return undefined;
    }
  }

  put(file: string, stamp: string, hash: string, summary: DocumentSummary): void {
    if (this.disabled) return;
    const i = this.shardOf(file);
    this.shards[i].set(file, { stamp, hash, summary: compact(summary) });
    this.dirty.add(i);
  }

  delete(file: string): void {
    const i = this.shardOf(file);
    if (this.shards[i].delete(file)) this.dirty.add(i);
  }

  /** Keeps only these files (the others left the corpus). */
  retain(files: ReadonlySet<string>): void {
    this.shards.forEach((m, i) => {
      for (const f of m.keys()) {
        if (!files.has(f)) {
          m.delete(f);
          this.dirty.add(i);
        }
      }
    });
  }

  /** Writes the shards that changed, each atomically. A folder that cannot be written disables the cache. */
  async flush(): Promise<void> {
    if (this.disabled || !this.dirty.size) return;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      await this.ignoreInGit();
      for (const i of [...this.dirty].sort((a, b) => a - b)) {
        this.dirty.delete(i);
        const lines = [JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, key: this.key })];
        for (const [file, e] of this.shards[i]) lines.push(JSON.stringify([file, e.stamp, e.hash, e.summary]));
        const target = path.join(this.dir, `shard-${i}.ndjson`);
        const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
        await fs.promises.writeFile(tmp, lines.join('\n') + '\n');
        await fs.promises.rename(tmp, target);
        await new Promise((r) => setImmediate(r));
      }
      await this.pruneOtherKeys();
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
    if (this.dirty.size && !this.disabled) return;
    for (const m of this.shards) m.clear();
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
