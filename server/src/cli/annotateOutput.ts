/** What `annotate` prints for one document: a JSON line (code point offsets) or a readable summary. */
import type { ReviewStatus, SidecarAnnotation } from '../protocol';
import type { Suggestions } from '../core/analyze';
import { TextIndex } from '../core/text/offsets';

export interface AnnotatedDocument {
  /** `file` for a file, `id` for a JSON Lines record. */
  file?: string;
  id?: string | number;
  text: string;
  annotations: readonly SidecarAnnotation[];
  review?: ReviewStatus;
}

/** The document's flags in code points: `{file | id, offsets, review?, accepted, entities, boilerplate}`. */
export function annotationRecord(d: AnnotatedDocument, s: Suggestions, index: TextIndex): Record<string, unknown> {
  const entities = s.entities.map((e) => ({
    start: index.toCodePoint(e.start),
    end: index.toCodePoint(e.end),
    label: e.label,
    text: d.text.slice(e.start, e.end),
    confidence: round(e.confidence),
    source: e.source,
    line: index.positionAt(e.start).line + 1,
  }));
  const boilerplate = s.boilerplate.map((b) => ({
    start: index.toCodePoint(b.start),
    end: index.toCodePoint(b.end),
    category: b.category,
    reason: b.reason,
    confidence: round(b.confidence),
    lines: [index.positionAt(b.start).line + 1, index.positionAt(b.end).line + 1],
    text: d.text.slice(b.start, b.end),
  }));
  const accepted = d.annotations.filter((a) => a.status === 'accepted').length;
  const where = d.id !== undefined ? { id: d.id } : { file: d.file };
  return { ...where, offsets: 'codepoint', ...(d.review ? { review: d.review } : {}), accepted, entities, boilerplate };
}

/** The readable form: a line per document, then a line per flag. */
export function annotationText(r: ReturnType<typeof annotationRecord>): string {
  const entities = r.entities as { line: number; label: string; text: string; confidence: number; source: string }[];
  const boilerplate = r.boilerplate as { lines: [number, number]; category: string; text: string; reason: string }[];
  let out = `${r.file ?? r.id}: ${entities.length} entities, ${boilerplate.length} boilerplate blocks, ${r.accepted} accepted annotations\n`;
  for (const e of entities) out += `  ${e.line}: ${e.label.padEnd(4)} ${e.text}  (${Math.round(e.confidence * 100)}% ${e.source})\n`;
  for (const b of boilerplate) {
    const where = b.lines[0] === b.lines[1] ? `${b.lines[0]}` : `${b.lines[0]}-${b.lines[1]}`;
    out += `  ${where}: boilerplate ${b.category}: ${clip(b.text)}  [${b.reason}]\n`;
  }
  return out;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? one.slice(0, 57) + '…' : one;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
