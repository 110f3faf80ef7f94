/**
 * The Review Queue in adjudication mode: every document with two or more
 * annotator layers, those with the most open disagreements (spans the
 * annotators read differently and the adjudicated sidecar does not decide
 * yet) first, then those whose agreed spans are not written yet, then the
 * rest; documents whose adjudication is done come last. The status shown is
 * the adjudicated sidecar's.
 *
 * Comparing layers needs the text and every layer, so each document's row
 * is kept with the sizes and times of its files and computed again only when
 * one of them changed (or the document is open: its buffer is newer).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentTags, ReviewProgress, ReviewQueueDocument, ReviewQueueResult, ReviewStatus, SidecarAnnotation } from '../protocol';
import { compareLayers, openDisagreements, pendingAgreements, type LayerReading } from '../core/adjudication/disagreements';
import { layerPathOf } from '../core/annotations/layers';
import { readTextFile } from '../host/corpus';
import { LayerFolder, loadLayers, readPlacedLayer, type LayerEntry } from '../host/layers';
import { pathToUri } from './convert';
import type { ServerState } from './state';
import { TimeSlices } from '../host/timeSlices';

interface Row {
  file: string;
  status: ReviewStatus;
  accepted: number;
  annotators: string[];
  notDone: string[];
  disagreements: number;
  pendingAgreements: number;
  /** The adjudicated sidecar's document tags. */
  tags: DocumentTags;
}

export class AdjudicationQueue {
  private readonly rows = new Map<string, { signature: string; row: Row | null }>();

  constructor(private readonly state: ServerState) {}

  async result(limit?: number): Promise<ReviewQueueResult> {
    const rows: Row[] = [];
    const folders = new Map<string, LayerFolder>();
    const keep = new Set<string>();
    // The server keeps answering (typing, hovers) while a large corpus is compared.
    const slices = new TimeSlices(20);
    for (const file of await this.state.workspace.listFilesAsync()) {
      const dir = path.dirname(file);
      let folder = folders.get(dir);
      if (!folder) folders.set(dir, (folder = new LayerFolder(dir)));
      const entries = folder.layersOf(path.basename(file));
      if (entries.length < 2) continue;
      keep.add(file);
      const row = this.rowOf(file, entries);
      if (row) rows.push(row);
      await slices.pause();
    }
    for (const f of [...this.rows.keys()]) if (!keep.has(f)) this.rows.delete(f);
    order(rows);
    const progress: ReviewProgress = { done: 0, inProgress: 0, todo: 0, total: rows.length };
    for (const r of rows) {
      if (r.status === 'done') progress.done++;
      else if (r.status === 'in-progress') progress.inProgress++;
      else progress.todo++;
    }
    return {
      mode: 'adjudication',
      documents: (limit ? rows.slice(0, limit) : rows).map(toQueueDocument),
      matching: rows.length,
      progress,
      indexing: this.state.indexing,
    };
  }

  private rowOf(file: string, entries: LayerEntry[]): Row | null {
    // An open document's buffer and adjudicated decisions are newer than the disk: compared every time.
    if (this.state.findDocByPath(file)) return this.compute(file, entries);
    const signature = signatureOf(file, entries);
    const known = this.rows.get(file);
    if (known && known.signature === signature) return known.row;
    const row = this.compute(file, entries);
    this.rows.set(file, { signature, row });
    return row;
  }

  private compute(file: string, entries: LayerEntry[]): Row | null {
    const open = this.state.findDocByPath(file);
    let text: string;
    if (open && !open.refused) text = open.text;
    else {
      const read = readTextFile(file, this.state.maxBytes);
      if (!read.ok) return null;
      text = read.text;
    }
    const readings: LayerReading[] = [];
    const notDone: string[] = [];
    for (const l of loadLayers(file, text, entries)) {
      if (l.state !== 'ok') continue;
      readings.push({ annotator: l.annotator, annotations: l.annotations });
      if (l.review !== 'done') notDone.push(l.annotator);
    }
    if (readings.length < 2) return null;
    let gold: SidecarAnnotation[];
    let status: ReviewStatus;
    let tags: DocumentTags;
    if (open && open.layer === null) {
      gold = open.annotations;
      status = open.review.status;
      tags = open.tags;
    } else {
      const g = readPlacedLayer(file, text, null);
      gold = g.annotations;
      status = g.review;
      tags = g.tags;
    }
    const c = compareLayers(readings);
    return {
      file,
      status,
      accepted: gold.filter((a) => a.kind === 'entity' && a.status === 'accepted' && !a.orphaned).length,
      annotators: c.annotators,
      notDone,
      disagreements: openDisagreements(c, gold).length,
      pendingAgreements: pendingAgreements(c, gold).length,
      tags,
    };
  }
}

/** Sizes and modification times of the text, the adjudicated sidecar and the layers: a change in any means comparing again. */
export function signatureOf(file: string, entries: LayerEntry[]): string {
  const parts: string[] = [];
  for (const p of [file, layerPathOf(file, null), ...entries.map((e) => e.path)]) {
    try {
      const st = fs.statSync(p);
      parts.push(`${st.size}:${st.mtimeMs}`);
    } catch {
      parts.push('-');
    }
  }
  return entries.map((e) => e.annotator).join(',') + '|' + parts.join('|');
}

/** Not done first: the most open disagreements, then agreed spans still to write; done last; ties by name. */
function order(rows: Row[]): void {
  rows.sort((a, b) => {
    const da = a.status === 'done' ? 1 : 0;
    const db = b.status === 'done' ? 1 : 0;
    if (da !== db) return da - db;
    if (!da && a.disagreements !== b.disagreements) return b.disagreements - a.disagreements;
    if (!da && a.pendingAgreements !== b.pendingAgreements) return b.pendingAgreements - a.pendingAgreements;
    return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
  });
}

function toQueueDocument(r: Row): ReviewQueueDocument {
  return {
    uri: pathToUri(r.file),
    status: r.status,
    openSuggestions: 0,
    uncertain: 0,
    newNames: 0,
    fromDictionary: 0,
    accepted: r.accepted,
    priority: r.disagreements,
    exact: true,
    tags: r.tags,
    adjudication: { annotators: r.annotators, notDone: r.notDone, disagreements: r.disagreements, pendingAgreements: r.pendingAgreements },
  };
}
