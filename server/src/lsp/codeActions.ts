/**
 * Quick fixes for our diagnostics and annotation actions on any selection.
 * Every action is a server command (no workspace edits: the text file is
 * never modified), so any LSP editor can run it.
 */
import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import {
  Command,
  DiagnosticCode,
  PRODUCT_NAME,
  type AcceptAllArgs,
  type AdjudicateArgs,
  type StopAdjudicatingArgs,
  type AcceptArgs,
  type AnnotateAllArgs,
  type InconsistentLabelData,
  type RejectAllArgs,
  type RelabelNameArgs,
  type SetReviewStatusArgs,
  type AnnotateRangeArgs,
  type ApplyEverywhereArgs,
  type BoilerplateDiagnosticData,
  type EntityDiagnosticData,
  type MarkBoilerplateArgs,
  type ReattachArgs,
  type RejectArgs,
  type RemoveAnnotationArgs,
} from '../protocol';
import { countMentions } from '../core/text/mentions';
import { disagreementFixes } from './adjudication';
import type { Doc } from './documents';
import type { ServerState } from './state';

export function codeActions(state: ServerState, doc: Doc, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = doc.uri;
  for (const d of params.context.diagnostics) {
    if (d.source !== PRODUCT_NAME) continue;
    if (d.code === DiagnosticCode.entity) actions.push(...entityFixes(state, doc, d));
    else if (d.code === DiagnosticCode.boilerplate) actions.push(...boilerplateFixes(uri, d));
    else if (d.code === DiagnosticCode.orphan) actions.push(...orphanFixes(uri, d, params));
    else if (d.code === DiagnosticCode.inconsistentLabel) actions.push(...consistencyFixes(doc, d));
    else if (d.code === DiagnosticCode.disagreement) actions.push(...disagreementFixes(state, doc, d, params));
  }
  actions.push(...annotationActions(state, doc, params));
  actions.push(...selectionActions(state, doc, params));
  actions.push(...documentActions(state, doc));
  return actions;
}

/** "Relabel as LOC here" and "Relabel all N as LOC": the corpus' majority label, here or everywhere. */
function consistencyFixes(doc: Doc, d: Diagnostic): CodeAction[] {
  const data = d.data as InconsistentLabelData | undefined;
  if (!data || data.kind !== 'inconsistent-label') return [];
  const a = doc.annotations.find((x) => x.id === data.id);
  const out: CodeAction[] = [];
  if (a) {
    const here: AcceptArgs = { uri: doc.uri, start: a.start, end: a.end, text: a.text, kind: 'entity', label: data.majority, source: 'user' };
    out.push(action(`Relabel as ${data.majority} here`, Command.accept, here, d, true));
  }
  const n = data.counts[data.label]?.mentions ?? 0;
  const all: RelabelNameArgs = { text: data.name, from: data.label, to: data.majority };
  out.push(action(`Relabel all ${n} ${data.label} mention${n === 1 ? '' : 's'} of "${short(data.name)}" as ${data.majority}`, Command.relabelName, all, d));
  return out;
}

/** Whole-document decisions, offered wherever the cursor is: accept or reject what remains, mark the review done; leave adjudication. */
function documentActions(state: ServerState, doc: Doc): CodeAction[] {
  const out: CodeAction[] = [];
  if (state.adjudications.isOn(doc)) {
    const again: AdjudicateArgs = { uri: doc.uri, ...(state.adjudications.selection(doc) ? { annotators: state.adjudications.selection(doc) } : {}) };
    out.push(sourceAction('Adjudicate again (write the spans all annotators agree on)', Command.adjudicate, again));
    const stop: StopAdjudicatingArgs = { uri: doc.uri };
    out.push(sourceAction(doc.layer === null && state.workspace.layer ? `Stop adjudicating (back to ${state.workspace.layer}'s layer)` : 'Stop adjudicating', Command.stopAdjudicating, stop));
  }
  const n = doc.suggestions.entities.length;
  if (n) {
    const sure = doc.suggestions.entities.filter((c) => c.confidence >= 0.8).length;
    if (sure) {
      const args: AcceptAllArgs = { uri: doc.uri, minConfidence: 0.8 };
      out.push(sourceAction(`Accept all ${sure} entity suggestion${sure === 1 ? '' : 's'} of this document at 80% or more`, Command.acceptAll, args));
    }
    const rej: RejectAllArgs = { uri: doc.uri };
    out.push(sourceAction(`Reject all ${n} remaining entity suggestion${n === 1 ? '' : 's'} of this document`, Command.rejectAll, rej));
  }
  if (doc.path && doc.review.status !== 'done') {
    const done: SetReviewStatusArgs = { uri: doc.uri, status: 'done' };
    out.push(sourceAction('Mark this document as reviewed (done)', Command.setReviewStatus, done));
  }
  return out;
}

function sourceAction(title: string, command: string, arg: object): CodeAction {
  return CodeAction.create(title, { title, command, arguments: [arg] }, CodeActionKind.Source);
}

function action(title: string, command: string, arg: object, diagnostic?: Diagnostic, preferred = false): CodeAction {
  const a = CodeAction.create(title, { title, command, arguments: [arg] }, CodeActionKind.QuickFix);
  if (diagnostic) a.diagnostics = [diagnostic];
  if (preferred) a.isPreferred = true;
  return a;
}

function entityFixes(state: ServerState, doc: Doc, d: Diagnostic): CodeAction[] {
  const data = d.data as EntityDiagnosticData | undefined;
  if (!data || data.kind !== 'entity') return [];
  const span = { uri: doc.uri, start: data.start, end: data.end, text: data.text };
  const out: CodeAction[] = [];
  const accept: AcceptArgs = { ...span, kind: 'entity', label: data.label, source: data.source, confidence: data.confidence };
  out.push(action(`Accept "${data.text}" as ${data.label}`, Command.accept, accept, d, true));
  for (const label of state.settings.labels) {
    if (label === data.label) continue;
    out.push(action(`Accept "${data.text}" as ${label} instead`, Command.accept, { ...accept, label, source: 'user' }, d));
  }
  const reject: RejectArgs = { ...span, kind: 'entity', label: data.label, source: data.source };
  out.push(action(`Reject "${data.text}" (never suggest this span again)`, Command.reject, reject, d));
  const mentions = countMentions(doc.text, data.text);
  if (mentions > 1) {
    const all: AnnotateAllArgs = { uri: doc.uri, text: data.text, label: data.label };
    out.push(action(`Annotate all ${mentions} mentions of "${data.text}" as ${data.label}`, Command.annotateAll, all, d));
  }
  return out;
}

function boilerplateFixes(uri: string, d: Diagnostic): CodeAction[] {
  const data = d.data as BoilerplateDiagnosticData | undefined;
  if (!data || data.kind !== 'boilerplate') return [];
  const span = { uri, start: data.start, end: data.end, text: data.text };
  const mark: MarkBoilerplateArgs = { ...span, category: data.category };
  const everywhereYes: ApplyEverywhereArgs = { text: data.text, boilerplate: true, category: data.category };
  const everywhereNo: ApplyEverywhereArgs = { text: data.text, boilerplate: false };
  return [
    action(`Mark as boilerplate (${data.category})`, Command.markBoilerplate, mark, d, true),
    action('Not boilerplate: keep as article text', Command.unmarkBoilerplate, span, d),
    action('Mark this block as boilerplate in every document of the corpus', Command.applyEverywhere, everywhereYes, d),
    action('Keep this block as article text in every document of the corpus', Command.applyEverywhere, everywhereNo, d),
  ];
}

function orphanFixes(uri: string, d: Diagnostic, params: CodeActionParams): CodeAction[] {
  const data = d.data as { id?: string; text?: string } | undefined;
  if (!data?.id) return [];
  const out: CodeAction[] = [];
  const r = params.range;
  if (r.start.line !== r.end.line || r.start.character !== r.end.character) {
    const args: ReattachArgs = { uri, id: data.id, range: r };
    out.push(action(`Re-attach "${data.text ?? ''}" to the selection`, Command.reattach, args, d));
  }
  const del: RemoveAnnotationArgs = { uri, id: data.id };
  out.push(action(`Delete the orphaned annotation "${data.text ?? ''}"`, Command.removeAnnotation, del, d));
  return out;
}

/** Relabel or remove an accepted/rejected annotation under the cursor. */
function annotationActions(state: ServerState, doc: Doc, params: CodeActionParams): CodeAction[] {
  const at = doc.index.codePointAt(params.range.start);
  const out: CodeAction[] = [];
  for (const a of doc.annotations) {
    if (a.orphaned || at < a.start || at > a.end) continue;
    const what = a.kind === 'entity' ? a.label : a.category === 'none' ? 'article text' : `boilerplate ${a.category}`;
    out.push(action(`Remove ${a.status} annotation "${short(a.text)}" (${what})`, Command.removeAnnotation, { uri: doc.uri, id: a.id }));
    if (a.kind === 'entity' && a.status === 'accepted') {
      for (const label of state.settings.labels) {
        if (label === a.label) continue;
        const args: AcceptArgs = { uri: doc.uri, start: a.start, end: a.end, text: a.text, kind: 'entity', label, source: 'user' };
        out.push(action(`Change label of "${short(a.text)}" to ${label}`, Command.accept, args));
      }
    }
  }
  return out;
}

/** On any selection: annotate it with a label, or mark it as boilerplate. */
function selectionActions(state: ServerState, doc: Doc, params: CodeActionParams): CodeAction[] {
  const r = params.range;
  if (r.start.line === r.end.line && r.start.character === r.end.character) return [];
  const s = doc.index.offsetAt(r.start);
  const e = doc.index.offsetAt(r.end);
  const selected = doc.text.slice(s, e).trim();
  if (!selected || selected.length > 300) return [];
  const out: CodeAction[] = [];
  for (const label of state.settings.labels) {
    const args: AnnotateRangeArgs = { uri: doc.uri, range: r, label };
    const a = action(`Annotate "${short(selected)}" as ${label}`, Command.annotateRange, args);
    a.kind = CodeActionKind.Refactor;
    out.push(a);
  }
  const startCp = doc.index.toCodePoint(s + (doc.text.slice(s, e).length - doc.text.slice(s, e).trimStart().length));
  const mark: MarkBoilerplateArgs = { uri: doc.uri, start: startCp, end: startCp + [...selected].length, text: selected, category: 'user' };
  const b = action(`Mark "${short(selected)}" as boilerplate`, Command.markBoilerplate, mark);
  b.kind = CodeActionKind.Refactor;
  out.push(b);
  return out;
}

function short(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}
