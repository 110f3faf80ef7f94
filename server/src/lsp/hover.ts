/** Hover: what is known about the entity or boilerplate block under the cursor. */
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import { normalizeEntity } from '../core/detect/entities';
import type { EntityCandidate } from '../core/detect/types';
import { readingLabel } from '../core/adjudication/disagreements';
import { countMentions } from '../core/text/mentions';
import { otherLayersOf } from './adjudication';
import { range16, rangeCp } from './convert';
import type { Doc } from './documents';
import type { ServerState } from './state';

/**
 * An entity inside a boilerplate block (a site name in a footer) gets both
 * sections, entity first, so neither hides the other.
 */
export function hover(state: ServerState, doc: Doc, pos: Position): Hover | null {
  const parts = [entityHover(state, doc, pos), boilerplateHover(doc, pos), otherLayersHover(state, doc, pos)].filter((p): p is Section => p !== null);
  if (!parts.length) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.map((p) => p.value).join('\n\n---\n\n') }, range: parts[0].range };
}

interface Section {
  value: string;
  range: Range;
}

function entityHover(state: ServerState, doc: Doc, pos: Position): Section | null {
  const at = doc.index.offsetAt(pos);
  const atCp = doc.index.toCodePoint(at);
  const stored = doc.annotations.find((a) => !a.orphaned && a.kind === 'entity' && a.start <= atCp && atCp < a.end);
  if (stored) {
    const label = stored.label ?? '?';
    const normalized = normalizeEntity(stored.text);
    const candidate = doc.suggestions.entities.find((c) => c.normalized === normalized && c.facts);
    const lines = [
      `**${label}** · ${escape(stored.text)} · _${stored.status}_`,
      '',
      `- normalised: \`${normalized}\``,
      `- provenance: ${stored.source}${stored.confidence !== undefined ? ` (confidence ${pct(stored.confidence)})` : ''}, modified ${stored.modified}`,
      ...mentionLines(state, doc, stored.text, label, normalized),
      ...factLines(candidate),
    ];
    return { value: lines.join('\n'), range: rangeCp(doc.index, stored.start, stored.end) };
  }
  const c = doc.suggestions.entities.find((e) => e.start <= at && at < e.end);
  if (!c) return null;
  const text = doc.text.slice(c.start, c.end);
  const lines = [
    `**${c.label}** · ${escape(text)} · _suggestion_`,
    '',
    `- normalised: \`${c.normalized}\``,
    `- provenance: ${c.source}, confidence ${pct(c.confidence)}`,
    ...mentionLines(state, doc, text, c.label, c.normalized),
    ...factLines(c),
  ];
  return { value: lines.join('\n'), range: range16(doc.index, c.start, c.end) };
}

function boilerplateHover(doc: Doc, pos: Position): Section | null {
  const at = doc.index.offsetAt(pos);
  const atCp = doc.index.toCodePoint(at);
  const b = doc.suggestions.boilerplate.find((x) => x.start <= at && at <= x.end);
  if (b) {
    const lines = [`**Boilerplate** · ${b.category} · confidence ${pct(b.confidence)}`, '', `Why: ${escape(b.reason)}`];
    if (b.corpusCount !== undefined && b.corpusSize) {
      lines.push('', `Appears in ${b.corpusCount.toLocaleString('en')} of ${b.corpusSize.toLocaleString('en')} files of the corpus.`);
    }
    return { value: lines.join('\n'), range: range16(doc.index, b.start, b.end) };
  }
  const kept = doc.annotations.find((a) => !a.orphaned && a.kind === 'boilerplate' && a.start <= atCp && atCp <= a.end);
  if (!kept) return null;
  const what = kept.category === 'none' ? 'Article text (marked by the user: not boilerplate)' : `Boilerplate (${kept.category}), ${kept.status}`;
  return { value: `**${what}**\n\n- provenance: ${kept.source}, modified ${kept.modified}`, range: rangeCp(doc.index, kept.start, kept.end) };
}

/**
 * What the other layers say at the cursor, when they are shown
 * (`showOtherAnnotators`, or while adjudicating): each annotator's reading,
 * marked as theirs, and what the annotators who marked nothing there did.
 */
function otherLayersHover(state: ServerState, doc: Doc, pos: Position): Section | null {
  if (!doc.path || !(state.settings.showOtherAnnotators || state.adjudications.isOn(doc))) return null;
  const at = doc.index.toCodePoint(doc.index.offsetAt(pos));
  const others = otherLayersOf(doc);
  const layers = [...others.layers.filter((l) => l.state === 'ok'), ...(others.adjudicated?.state === 'ok' ? [{ ...others.adjudicated, annotator: null }] : [])];
  if (!layers.length) return null;
  let start = Infinity;
  let end = -Infinity;
  const lines: string[] = [];
  for (const l of layers) {
    const here = l.annotations.filter((a) => a.start <= at && at < a.end && readingLabel(a) !== null);
    const who = l.annotator ?? 'adjudicated';
    if (!here.length) {
      lines.push(`- ${who}: nothing here`);
      continue;
    }
    for (const a of here) {
      start = Math.min(start, a.start);
      end = Math.max(end, a.end);
    }
    lines.push(`- ${who}: ${here.map((a) => `${readingLabel(a)} "${escape(a.text)}"`).join(', ')}`);
  }
  if (start === Infinity) return null;
  const title = state.adjudications.isOn(doc) ? '**Annotators\' readings**' : '**Other annotators** (newsAnnotator.showOtherAnnotators)';
  return { value: [title, '', ...lines].join('\n'), range: rangeCp(doc.index, start, end) };
}

function mentionLines(state: ServerState, doc: Doc, text: string, label: string, normalized: string): string[] {
  const here = countMentions(doc.text, text);
  const memory = state.workspace.memory;
  const ws = memory.mentions(label, normalized);
  const out = [`- mentions: ${here} in this document; ${ws.total} in ${ws.documents} of ${memory.documentCount} workspace documents${state.indexing ? ' (the corpus is still being read)' : ''}`];
  const others = doc.suggestions.entities
    .filter((e) => e.label === label && e.facts?.canonical && (e.facts.canonical === text || normalizeEntity(e.facts.canonical) === normalized))
    .map((e) => doc.text.slice(e.start, e.end))
    .filter((t) => t !== text);
  const related = [...new Set(others)];
  if (related.length) out.push(`- same ${label} as: ${related.map(escape).join(', ')}`);
  return out;
}

function factLines(c: EntityCandidate | undefined): string[] {
  const f = c?.facts;
  if (!f) return [];
  const out: string[] = [];
  if (f.canonical) out.push(`- canonical: ${escape(f.canonical)}`);
  if (f.type) out.push(`- type: ${f.type}`);
  if (f.country) out.push(`- country: ${escape(f.country)}`);
  if (f.iso) out.push(`- ISO code: ${f.iso}`);
  if (f.altNames?.length) out.push(`- also known as: ${f.altNames.slice(0, 8).map(escape).join(', ')}`);
  if (f.origin) out.push(`- from: ${f.origin}`);
  return out;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-!|<>]/g, '\\$&');
}
