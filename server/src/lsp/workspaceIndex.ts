/**
 * What the server knows about the whole corpus, not just the open files:
 * the cross-document block index (for `repeated` boilerplate), the names
 * accepted or rejected anywhere (suggested/suppressed everywhere), the user's
 * boilerplate decisions (applied to the same block in every document), and
 * per-document entity counts (for hovers and the Entities view).
 */
import type { SidecarAnnotation, WorkspaceEntity } from '../protocol';
import { CorpusNames, detectEntities, EntityDictionary, normalizeEntity, type EntityOptions } from '../core/detect/entities';
import { blockKey } from '../core/detect/boilerplate';
import { CorpusIndex } from '../core/detect/boilerplate/corpusIndex';
import type { EntityCandidate } from '../core/detect/types';
import { TextIndex } from '../core/text/offsets';
import { readSidecar } from '../host/sidecarFiles';
import { readTextFile } from '../host/corpus';

interface EntityCount {
  label: string;
  normalized: string;
  text: string;
  count: number;
}

interface DocSummary {
  /** key: label + '\u0000' + normalized */
  entities: Map<string, EntityCount>;
  /** Decided annotations, for the dictionary and boilerplate decisions. */
  decided: SidecarAnnotation[];
}

export interface ScanProgress {
  (done: number, total: number): void;
}

export class WorkspaceIndex {
  readonly corpus = new CorpusIndex();
  /** Names the detector found across the corpus, suggested where they recur untagged. */
  readonly names = new CorpusNames();
  private summaries = new Map<string, DocSummary>();
  private dictionaryCache: EntityDictionary | null = null;
  private decisionsCache: Map<string, boolean> | null = null;
  /**
   * Entity options for files read from disk (start-up scan, changes on disk): the
   * server's settings and tagger (ServerState.entityOptions), so that the names the
   * corpus remembers come from the model the editor uses — a configured
   * `entities.modelPath` or an adapted model, not always the shipped one. `false`:
   * entity suggestions are switched off, and nothing is detected.
   */
  entityOptions: () => EntityOptions | false = () => ({});

  get documentCount(): number {
    return this.summaries.size;
  }


  /**
   * Indexes files from disk, yielding to the event loop between chunks so the
   * server keeps answering requests while a large corpus is read.
   */
  async scan(files: string[], maxBytes: number, progress?: ScanProgress, isCancelled?: () => boolean): Promise<number> {
    let done = 0;
    let slice = Date.now();
    for (const file of files) {
      if (isCancelled?.()) break;
      this.indexFile(file, maxBytes);
      done++;
      // Yield every ~20 ms so hovers and quick fixes stay responsive during a long scan.
      if (Date.now() - slice > 20) {
        progress?.(done, files.length);
        await new Promise((r) => setImmediate(r));
        slice = Date.now();
      }
    }
    progress?.(done, files.length);
    return done;
  }

  /** Reads one file from disk and indexes it; unreadable or refused files are skipped. */
  indexFile(file: string, maxBytes: number): void {
    const verdict = readTextFile(file, maxBytes);
    if (!verdict.ok) {
      this.remove(file);
      return;
    }
    const state = readSidecar(file);
    const decided = state.status === 'ok' ? state.sidecar.annotations : [];
    this.update(file, verdict.text, decided);
  }

  /** (Re)indexes a document from its current text and decided annotations. */
  update(file: string, text: string, decided: readonly SidecarAnnotation[], candidates?: readonly EntityCandidate[]): void {
    this.corpus.setDocument(file, text);
    const entities = new Map<string, EntityCount>();
    const options = candidates ? undefined : this.entityOptions();
    const found = candidates ?? (options === false ? [] : detectEntities(text, { ...options, dictionary: this.dictionaryCache ?? undefined }));
    this.names.observe(file, text, found);
    for (const c of found) bump(entities, c.label, c.normalized, text.slice(c.start, c.end));
    const index = new TextIndex(text);
    const foundSpans = new Set(found.map((c) => `${c.start}:${c.end}`));
    for (const a of decided) {
      if (a.kind === 'entity' && a.status === 'accepted' && a.label && !a.orphaned) {
        const s = index.toUtf16(a.start);
        const e = index.toUtf16(a.end);
        // Suggestions already counted this span when the detector found it; count accepted ones it missed.
        if (!foundSpans.has(`${s}:${e}`)) bump(entities, a.label, normalizeEntity(a.text), a.text);
      }
    }
    const prev = this.summaries.get(file);
    this.summaries.set(file, { entities, decided: decided.filter((a) => !a.orphaned) });
    if (!prev || !sameDecisions(prev.decided, decided)) {
      this.dictionaryCache = null;
      this.decisionsCache = null;
    }
  }

  remove(file: string): void {
    if (this.summaries.delete(file)) {
      this.corpus.removeDocument(file);
      this.names.forget(file);
      this.dictionaryCache = null;
      this.decisionsCache = null;
    }
  }

  /**
   * Names accepted anywhere in the corpus are suggested everywhere; rejected
   * ones are suppressed. Built from every document's sidecar.
   */
  dictionary(): EntityDictionary {
    if (!this.dictionaryCache) {
      const d = new EntityDictionary();
      for (const s of this.summaries.values()) {
        for (const a of s.decided) {
          if (a.kind !== 'entity' || !a.label) continue;
          if (a.status === 'accepted') d.add(a.text, a.label);
        }
      }
      for (const s of this.summaries.values()) {
        for (const a of s.decided) if (a.kind === 'entity' && a.status === 'rejected') d.reject(a.text, a.label);
      }
      this.dictionaryCache = d;
    }
    return this.dictionaryCache;
  }

  /** User boilerplate decisions by block key: true = boilerplate, false = article text. */
  boilerplateDecisions(): Map<string, boolean> {
    if (!this.decisionsCache) {
      const m = new Map<string, boolean>();
      for (const s of this.summaries.values()) {
        for (const a of s.decided) {
          if (a.kind !== 'boilerplate') continue;
          const isBoilerplate = a.status === 'accepted' && a.category !== 'none';
          m.set(blockKey(a.text), isBoilerplate);
        }
      }
      this.decisionsCache = m;
    }
    return this.decisionsCache;
  }

  /** In how many documents a normalised name occurs, and how often in all. */
  mentions(label: string, normalized: string): { documents: number; total: number } {
    let documents = 0;
    let total = 0;
    const key = label + '\u0000' + normalized;
    for (const s of this.summaries.values()) {
      const c = s.entities.get(key);
      if (c) {
        documents++;
        total += c.count;
      }
    }
    return { documents, total };
  }

  /** Every entity of the corpus, most frequent first, for the Entities view. */
  entities(toUri: (file: string) => string, limit = 5000): WorkspaceEntity[] {
    const all = new Map<string, WorkspaceEntity>();
    for (const [file, s] of this.summaries) {
      for (const [key, c] of s.entities) {
        let e = all.get(key);
        if (!e) {
          e = { label: c.label, normalized: c.normalized, text: c.text, count: 0, documents: [] };
          all.set(key, e);
        }
        e.count += c.count;
        e.documents.push({ uri: toUri(file), count: c.count });
      }
    }
    return [...all.values()].sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1)).slice(0, limit);
  }
}

function bump(m: Map<string, EntityCount>, label: string, normalized: string, text: string): void {
  const key = label + '\u0000' + normalized;
  const c = m.get(key);
  if (c) c.count++;
  else m.set(key, { label, normalized, text, count: 1 });
}

function sameDecisions(a: readonly SidecarAnnotation[], b: readonly SidecarAnnotation[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id || a[i].modified !== b[i].modified || a[i].status !== b[i].status) return false;
  return true;
}
