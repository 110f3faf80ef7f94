/**
 * Adjudication as the server keeps it: which documents are being adjudicated
 * (they are then edited in the adjudicated sidecar, whatever layer the user
 * annotates in), the other layers of a document read from disk, their
 * comparison, and what it shows: `disagreement` diagnostics and their quick
 * fixes (Take <annotator>'s, Take both, Reject all, Annotate selection). The
 * commands that write live in adjudicationCommands.ts.
 */
import * as path from 'node:path';
import { CodeAction, CodeActionKind, DiagnosticSeverity, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import {
  Command,
  DiagnosticCode,
  PRODUCT_NAME,
  type AnnotateRangeArgs,
  type DisagreementData,
  type MarkBoilerplateArgs,
  type ResolveDisagreementArgs,
} from '../protocol';
import {
  combinableReadings,
  compareLayers,
  describeReading,
  openDisagreements,
  pendingAgreements,
  type LayerComparison,
  type LayerReading,
} from '../core/adjudication/disagreements';
import { reviewState } from '../core/corpus/review';
import { listLayers, loadLayers, readPlacedLayer } from '../host/layers';
import { rangeCp } from './convert';
import type { Doc } from './documents';
import type { ServerState } from './state';

/** The documents being adjudicated in this session, by path, with the annotators chosen (none: every layer). */
export class Adjudications {
  private readonly on = new Map<string, { annotators?: string[] }>();

  isOn(doc: Doc): boolean {
    return !!doc.path && this.on.has(doc.path);
  }

  isOnPath(file: string): boolean {
    return this.on.has(file);
  }

  start(file: string, annotators?: string[]): void {
    this.on.set(file, annotators?.length ? { annotators: [...new Set(annotators)] } : {});
  }

  stop(file: string): boolean {
    return this.on.delete(file);
  }

  /** The annotators chosen for a document (undefined: all of them). */
  selection(doc: Doc): string[] | undefined {
    return doc.path ? this.on.get(doc.path)?.annotators : undefined;
  }

  /**
   * After a decision in a document being adjudicated: the decision that
   * settles its last open disagreement (with every agreed span written) makes
   * the adjudicated review status `done`.
   */
  settle(doc: Doc, before: readonly Doc['annotations'][number][]): void {
    if (!this.isOn(doc) || doc.layer !== null || doc.review.status === 'done') return;
    const c = comparisonFor(this, doc);
    if (!c) return;
    if (openDisagreements(c, before).length === 0) return;
    if (openDisagreements(c, doc.annotations).length === 0 && pendingAgreements(c, doc.annotations).length === 0) doc.review = reviewState('done');
  }
}

/**
 * The document's other layers: every annotator's but the one it is edited
 * in, and the adjudicated sidecar when it is edited in an annotator's layer.
 * Read from disk and placed on the current text; read again when the text
 * changed or the files changed (the watcher clears `doc.others`).
 */
export function otherLayersOf(doc: Doc): NonNullable<Doc['others']> {
  if (!doc.path) return { text: doc.text, layers: [], adjudicated: null };
  if (!doc.others || doc.others.text !== doc.text) {
    const entries = listLayers(doc.path).filter((e) => e.annotator !== doc.layer);
    doc.others = {
      text: doc.text,
      layers: loadLayers(doc.path, doc.text, entries),
      adjudicated: doc.layer === null ? null : readPlacedLayer(doc.path, doc.text, null),
    };
  }
  return doc.others;
}

export interface AnnotatorLayers {
  readings: LayerReading[];
  /** Readable layers whose review status is not done. */
  notDone: string[];
  /** Layers that cannot be read, with the reason. */
  skipped: { annotator: string; reason: string }[];
}

/** The annotator layers taking part in a document's adjudication (the chosen ones, readable). */
export function annotatorLayers(adjudications: Adjudications, doc: Doc): AnnotatorLayers {
  const chosen = adjudications.selection(doc);
  const out: AnnotatorLayers = { readings: [], notDone: [], skipped: [] };
  for (const l of otherLayersOf(doc).layers) {
    if (chosen && !chosen.includes(l.annotator)) continue;
    if (l.state !== 'ok') {
      if (l.message) out.skipped.push({ annotator: l.annotator, reason: l.message });
      continue;
    }
    out.readings.push({ annotator: l.annotator, annotations: l.annotations });
    if (l.review !== 'done') out.notDone.push(l.annotator);
  }
  return out;
}

/** The comparison of a document's annotator layers, or null when fewer than two take part. */
export function comparisonFor(adjudications: Adjudications, doc: Doc): LayerComparison | null {
  const { readings } = annotatorLayers(adjudications, doc);
  return readings.length >= 2 ? compareLayers(readings) : null;
}

/** Open disagreements of a document being adjudicated in the adjudicated sidecar (0 otherwise). */
export function openDisagreementCount(state: ServerState, doc: Doc): number {
  if (!state.adjudications.isOn(doc) || doc.layer !== null) return 0;
  const c = comparisonFor(state.adjudications, doc);
  return c ? openDisagreements(c, doc.annotations).length : 0;
}

const KIND_WORD = { entity: 'entities', boilerplate: 'boilerplate' } as const;

/** One Warning per open disagreement, with every reading in `data`. */
export function disagreementDiagnostics(state: ServerState, doc: Doc): Diagnostic[] {
  if (!state.adjudications.isOn(doc) || doc.layer !== null) return [];
  const c = comparisonFor(state.adjudications, doc);
  if (!c) return [];
  return openDisagreements(c, doc.annotations).map((d) => {
    const data: DisagreementData = {
      kind: 'disagreement',
      annotationKind: d.kind,
      start: d.start,
      end: d.end,
      text: doc.index.sliceCodePoints(d.start, d.end),
      readings: d.readings,
    };
    return {
      range: rangeCp(doc.index, d.start, d.end),
      severity: DiagnosticSeverity.Warning,
      source: PRODUCT_NAME,
      code: DiagnosticCode.disagreement,
      message: `Annotators disagree (${KIND_WORD[d.kind]}): ${d.readings.map((r) => `${r.annotator}: ${describeReading(r)}`).join('; ')}`,
      data,
    };
  });
}

/** Quick fixes of a `disagreement` diagnostic. */
export function disagreementFixes(state: ServerState, doc: Doc, d: Diagnostic, params: CodeActionParams): CodeAction[] {
  const data = d.data as DisagreementData | undefined;
  if (!data || data.kind !== 'disagreement' || !Array.isArray(data.readings)) return [];
  const base = { uri: doc.uri, annotationKind: data.annotationKind, start: data.start, end: data.end };
  const out: CodeAction[] = [];
  for (const r of data.readings) {
    if (!r.spans.length) continue;
    const args: ResolveDisagreementArgs = { ...base, action: 'take', annotators: [r.annotator] };
    out.push(fix(`Take ${r.annotator}'s: ${describeReading(r)}`, Command.resolveDisagreement, args, d));
  }
  const groupOf = { kind: data.annotationKind, start: data.start, end: data.end, readings: data.readings };
  for (const [a, b] of combinableReadings(groupOf)) {
    const args: ResolveDisagreementArgs = { ...base, action: 'take', annotators: [a, b] };
    out.push(fix(`Take both (${a}'s and ${b}'s)`, Command.resolveDisagreement, args, d));
  }
  const nothing = data.readings.filter((r) => !r.spans.length).map((r) => r.annotator);
  const reject: ResolveDisagreementArgs = { ...base, action: 'reject-all' };
  const what = data.annotationKind === 'entity' ? 'Reject all' : 'Reject all: keep as article text';
  out.push(fix(nothing.length ? `${what} (as ${nothing.join(', ')}: nothing here)` : what, Command.resolveDisagreement, reject, d));
  out.push(...thirdReading(state, doc, data, d, params));
  return out;
}

/**
 * "Annotate selection": a reading none of the annotators gave. With text
 * selected, the selection; otherwise the whole extent of the disagreement.
 */
function thirdReading(state: ServerState, doc: Doc, data: DisagreementData, d: Diagnostic, params: CodeActionParams): CodeAction[] {
  const r = params.range;
  const selected = r.start.line !== r.end.line || r.start.character !== r.end.character;
  const range = selected ? r : d.range;
  const s16 = doc.index.offsetAt(range.start);
  const e16 = doc.index.offsetAt(range.end);
  const raw = doc.text.slice(Math.min(s16, e16), Math.max(s16, e16));
  const text = raw.trim();
  if (!text || text.length > 300) return [];
  const what = selected ? `selection "${short(text)}"` : `"${short(text)}"`;
  if (data.annotationKind === 'entity') {
    return state.settings.labels.map((label) => {
      const args: AnnotateRangeArgs = { uri: doc.uri, range, label };
      return fix(`Annotate ${what} as ${label} (a third reading)`, Command.annotateRange, args, d);
    });
  }
  const startCp = doc.index.toCodePoint(Math.min(s16, e16) + (raw.length - raw.trimStart().length));
  const mark: MarkBoilerplateArgs = { uri: doc.uri, start: startCp, end: startCp + [...text].length, text, category: 'user' };
  return [fix(`Mark ${what} as boilerplate (a third reading)`, Command.markBoilerplate, mark, d)];
}

function fix(title: string, command: string, arg: object, diagnostic: Diagnostic): CodeAction {
  const a = CodeAction.create(title, { title, command, arguments: [arg] }, CodeActionKind.QuickFix);
  a.diagnostics = [diagnostic];
  return a;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? one.slice(0, 37) + '…' : one;
}

/** "adjudicating x.txt" for messages. */
export function docName(doc: Doc): string {
  return path.basename(doc.path ?? doc.uri);
}
