/**
 * A document laid out for the annotation view: one paragraph per non-blank
 * line, each with its base direction by the first-strong rule (so an Arabic
 * line is right-to-left and right-aligned whatever the editor does), cut
 * into segments under one entity at most, each cut again into parts under
 * one boilerplate block at most. The view only has to turn this into
 * elements: no offsets are computed in the browser.
 *
 * Pure: the server hands in the text, the stored annotations (code points)
 * and the current suggestions (UTF-16), and sends the result as it is.
 */
import type { DocumentViewResult, SidecarAnnotation, ViewMark, ViewParagraph, ViewPart, ViewSegment } from '../../protocol';
import type { Suggestions } from '../analyze';
import { firstStrongDirection, paragraphDirection } from '../text/direction';
import type { TextIndex } from '../text/offsets';

export type DocumentLayout = Pick<DocumentViewResult, 'dir' | 'lineCount' | 'paragraphs' | 'marks' | 'orphans'>;

/** The marks the view shows, in text order: accepted annotations and open suggestions (rejected ones and "not boilerplate" are not shown). */
export function viewMarks(index: TextIndex, annotations: readonly SidecarAnnotation[], suggestions: Suggestions): ViewMark[] {
  const marks: ViewMark[] = [];
  const text = index.text;
  for (const a of annotations) {
    if (a.orphaned || a.status !== 'accepted') continue;
    if (a.kind === 'boilerplate' && a.category === 'none') continue;
    const start16 = index.toUtf16(a.start);
    const end16 = index.toUtf16(a.end);
    marks.push({
      id: a.id,
      kind: a.kind,
      status: 'accepted',
      ...(a.kind === 'entity' ? { label: a.label } : { category: a.category }),
      ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
      source: a.source,
      start: a.start,
      end: a.end,
      text: a.text,
      start16,
      end16,
      line: index.positionAt(start16).line,
    });
  }
  let n = 0;
  for (const e of suggestions.entities) {
    marks.push({
      id: `s${n++}`,
      kind: 'entity',
      status: 'suggested',
      label: e.label,
      confidence: e.confidence,
      source: e.source,
      start: index.toCodePoint(e.start),
      end: index.toCodePoint(e.end),
      text: text.slice(e.start, e.end),
      start16: e.start,
      end16: e.end,
      line: index.positionAt(e.start).line,
    });
  }
  for (const b of suggestions.boilerplate) {
    marks.push({
      id: `s${n++}`,
      kind: 'boilerplate',
      status: 'suggested',
      category: b.category,
      confidence: b.confidence,
      reason: b.reason,
      start: index.toCodePoint(b.start),
      end: index.toCodePoint(b.end),
      text: text.slice(b.start, b.end),
      start16: b.start,
      end16: b.end,
      line: index.positionAt(b.start).line,
    });
  }
  // Accepted before suggested at the same place: where they overlap, the decision is what shows.
  return marks.sort((x, y) => x.start16 - y.start16 || y.end16 - x.end16 || (x.status === y.status ? 0 : x.status === 'accepted' ? -1 : 1));
}

export function layoutDocument(index: TextIndex, annotations: readonly SidecarAnnotation[], suggestions: Suggestions): DocumentLayout {
  const text = index.text;
  const marks = viewMarks(index, annotations, suggestions);
  const dir = firstStrongDirection(text) ?? 'ltr';
  const entities = marks.map((m, i) => ({ m, i })).filter((x) => x.m.kind === 'entity' && x.m.end16 > x.m.start16);
  const blocks = marks.map((m, i) => ({ m, i })).filter((x) => x.m.kind === 'boilerplate' && x.m.end16 > x.m.start16);
  const paragraphs: ViewParagraph[] = [];
  // Marks are sorted by start: a moving window over each list keeps the layout linear in the text.
  let firstEntity = 0;
  let firstBlock = 0;
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.lineStart(line);
    const end = index.lineEnd(line);
    if (!/\S/u.test(text.slice(start, end))) continue;
    while (firstEntity < entities.length && entities[firstEntity].m.end16 <= start) firstEntity++;
    while (firstBlock < blocks.length && blocks[firstBlock].m.end16 <= start) firstBlock++;
    const ents = covering(entities, firstEntity, start, end);
    const bps = covering(blocks, firstBlock, start, end);
    const d = paragraphDirection(text, dir, start, end);
    paragraphs.push({ line, start16: start, end16: end, dir: d.dir, ...(d.inherited ? { inherited: true } : {}), segments: segmentsOf(text, start, end, ents, bps) });
  }
  const orphans = annotations
    .filter((a) => a.orphaned)
    .map((a) => ({ id: a.id, kind: a.kind, ...(a.label !== undefined ? { label: a.label } : {}), ...(a.category !== undefined ? { category: a.category } : {}), text: a.text }));
  return { dir, lineCount: index.lineCount, paragraphs, marks, orphans };
}

interface Indexed {
  m: ViewMark;
  i: number;
}

/**
 * Marks of a list sorted by start that overlap [start, end), from `from`:
 * every mark before it ended before `start` (a block that began on an
 * earlier line and goes on is still at or after `from`).
 */
function covering(list: Indexed[], from: number, start: number, end: number): Indexed[] {
  const out: Indexed[] = [];
  for (let k = from; k < list.length; k++) {
    const x = list[k];
    if (x.m.start16 >= end) break;
    if (x.m.end16 > start) out.push(x);
  }
  return out;
}

/**
 * Cuts [start, end) at every mark boundary. A piece belongs to the first
 * entity covering it (entities of the view do not overlap: a decision hides
 * the suggestions under it), and to the first boilerplate block covering it.
 */
function segmentsOf(text: string, start: number, end: number, ents: Indexed[], blocks: Indexed[]): ViewSegment[] {
  const cuts = new Set<number>([start, end]);
  for (const x of [...ents, ...blocks]) {
    if (x.m.start16 > start && x.m.start16 < end) cuts.add(x.m.start16);
    if (x.m.end16 > start && x.m.end16 < end) cuts.add(x.m.end16);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: ViewSegment[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const s = points[k];
    const e = points[k + 1];
    const entity = ents.find((x) => x.m.start16 <= s && e <= x.m.end16)?.i;
    const block = blocks.find((x) => x.m.start16 <= s && e <= x.m.end16)?.i;
    const part: ViewPart = { text: text.slice(s, e), start16: s, ...(block !== undefined ? { boilerplate: block } : {}) };
    const last = segments[segments.length - 1];
    if (last && last.entity === entity) {
      const lastPart = last.parts[last.parts.length - 1];
      // Neighbouring pieces under the same marks are one part.
      if (lastPart.boilerplate === part.boilerplate) lastPart.text += part.text;
      else last.parts.push(part);
    } else segments.push({ ...(entity !== undefined ? { entity } : {}), parts: [part] });
  }
  return segments;
}
