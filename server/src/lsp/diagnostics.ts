/**
 * Maps a document's state onto LSP diagnostics: suggestions, refusals,
 * sidecar problems, orphans, and labels that disagree with the corpus.
 */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag, type Range } from 'vscode-languageserver';
import {
  DiagnosticCode,
  PRODUCT_NAME,
  type BoilerplateDiagnosticData,
  type EntityDiagnosticData,
  type InconsistentLabelData,
} from '../protocol';
import { normalizeEntity } from '../core/detect/entities';
import { disagreementDiagnostics } from './adjudication';
import { range16, rangeCp } from './convert';
import type { Doc } from './documents';
import type { ServerState } from './state';

const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function diagnosticsFor(doc: Doc, state?: ServerState): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (doc.refused) {
    out.push({
      range: FIRST_LINE,
      severity: DiagnosticSeverity.Warning,
      source: PRODUCT_NAME,
      code: DiagnosticCode.inputRefused,
      message: doc.refused.message,
      data: { problem: doc.refused.problem },
    });
    return out;
  }
  const { index } = doc;
  for (const n of doc.notices) {
    out.push({
      range: range16(index, n.offset, n.offset + n.length),
      severity: DiagnosticSeverity.Information,
      source: PRODUCT_NAME,
      code: DiagnosticCode.inputNotice,
      message: n.message,
    });
  }
  if (doc.sidecar.status === 'damaged' || doc.sidecar.status === 'newer') {
    out.push({
      range: FIRST_LINE,
      severity: DiagnosticSeverity.Error,
      source: PRODUCT_NAME,
      code: DiagnosticCode.sidecarError,
      message:
        doc.sidecar.status === 'damaged'
          ? `Sidecar cannot be read; it is kept as it is and will not be overwritten. ${doc.sidecar.message ?? ''}`
          : `Sidecar is from a newer version of the annotator; opened read-only. ${doc.sidecar.message ?? ''}`,
      data: { status: doc.sidecar.status },
    });
  }
  for (const a of doc.annotations) {
    if (!a.orphaned) continue;
    out.push({
      range: FIRST_LINE,
      severity: DiagnosticSeverity.Warning,
      source: PRODUCT_NAME,
      code: DiagnosticCode.orphan,
      message: `Annotation ${a.label ?? a.category ?? a.kind} "${a.text}" is not where the sidecar says (the text changed, or the sidecar does not match it) and could not be found again. It is kept in the sidecar: select the text and use "Re-attach", or delete it.`,
      data: { id: a.id, kind: a.kind, label: a.label, category: a.category, text: a.text },
    });
  }
  if (state) out.push(...inconsistentLabels(doc, state), ...disagreementDiagnostics(state, doc));
  for (const c of doc.suggestions.entities) {
    const data: EntityDiagnosticData = {
      kind: 'entity',
      label: c.label,
      normalized: c.normalized,
      confidence: round(c.confidence),
      source: c.source,
      start: index.toCodePoint(c.start),
      end: index.toCodePoint(c.end),
      text: doc.text.slice(c.start, c.end),
    };
    out.push({
      range: range16(index, c.start, c.end),
      severity: DiagnosticSeverity.Information,
      source: PRODUCT_NAME,
      code: DiagnosticCode.entity,
      message: `${c.label}: ${data.text} (${Math.round(c.confidence * 100)}% ${c.source})`,
      data,
    });
  }
  for (const b of doc.suggestions.boilerplate) {
    const data: BoilerplateDiagnosticData = {
      kind: 'boilerplate',
      category: b.category,
      reason: b.reason,
      confidence: round(b.confidence),
      start: index.toCodePoint(b.start),
      end: index.toCodePoint(b.end),
      text: doc.text.slice(b.start, b.end),
    };
    out.push({
      range: range16(index, b.start, b.end),
      severity: DiagnosticSeverity.Hint,
      tags: [DiagnosticTag.Unnecessary],
      source: PRODUCT_NAME,
      code: DiagnosticCode.boilerplate,
      message: `Boilerplate (${b.category}): ${b.reason}`,
      data,
    });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * At most this many inconsistent-label warnings per document: a document
 * with tens of thousands of them (a bulk import with labels in turn) would
 * otherwise send megabytes of diagnostics after every decision, and no one
 * reads past the first screens of the Problems panel. The rest are counted in
 * one summary diagnostic; `news-annotator check` lists them all.
 */
export const MAX_INCONSISTENT_PER_DOCUMENT = 500;

/**
 * An accepted name whose label differs from the one most of the corpus gives
 * it (إيران LOC in 212 files, ORG here): one warning per minority mention,
 * with the counts per label, so the fixes can offer the majority label.
 * Linear in the document's annotations: each distinct text is normalised and
 * looked up once.
 */
function inconsistentLabels(doc: Doc, state: ServerState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const memory = state.workspace.memory;
  const normalizedOf = new Map<string, string>();
  type Verdict = { counts: InconsistentLabelData['counts']; majority: string; summary: string } | null;
  const verdicts = new Map<string, Verdict>();
  let more = 0;
  for (const a of doc.annotations) {
    if (a.kind !== 'entity' || a.status !== 'accepted' || a.orphaned || !a.label) continue;
    let normalized = normalizedOf.get(a.text);
    if (normalized === undefined) normalizedOf.set(a.text, (normalized = normalizeEntity(a.text)));
    let verdict = verdicts.get(normalized);
    if (verdict === undefined) {
      const counts = memory.labelCounts(normalized);
      const labels = Object.keys(counts);
      verdict = null;
      if (labels.length >= 2) {
        const majority = labels.sort((x, y) => counts[y].mentions - counts[x].mentions || (x < y ? -1 : 1))[0];
        const summary = labels.map((l) => `${l} ${counts[l].mentions}× in ${counts[l].documents} file${counts[l].documents === 1 ? '' : 's'}`).join(', ');
        verdict = { counts, majority, summary };
      }
      verdicts.set(normalized, verdict);
    }
    if (!verdict || verdict.majority === a.label) continue;
    if (out.length >= MAX_INCONSISTENT_PER_DOCUMENT) {
      more++;
      continue;
    }
    const { counts, majority, summary } = verdict;
    const data: InconsistentLabelData = { kind: 'inconsistent-label', id: a.id, name: a.text, normalized, label: a.label, majority, counts };
    out.push({
      range: rangeCp(doc.index, a.start, a.end),
      severity: DiagnosticSeverity.Warning,
      source: PRODUCT_NAME,
      code: DiagnosticCode.inconsistentLabel,
      message: `"${a.text}" is ${a.label} here, but the corpus mostly says ${majority} (${summary}).`,
      data,
    });
  }
  if (more) {
    out.push({
      range: FIRST_LINE,
      severity: DiagnosticSeverity.Information,
      source: PRODUCT_NAME,
      code: DiagnosticCode.inputNotice,
      message: `${more} more accepted name(s) in this document have a label the corpus mostly does not give them; only the first ${MAX_INCONSISTENT_PER_DOCUMENT} are flagged here. \`news-annotator check\` lists them all.`,
    });
  }
  return out;
}
