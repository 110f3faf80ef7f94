/**
 * Keeping annotations attached while a document is edited (LSP incremental
 * changes). Offsets are shifted; an edit inside an annotation rewrites its
 * text; an edit across a boundary shrinks it to what survives, or orphans it.
 * Invariant on return: every non-orphan annotation's `text` equals the new
 * text at [start,end). Nothing is ever dropped.
 */
import type { SidecarAnnotation } from '../../protocol';
import { codePointLength, TextIndex } from '../text/offsets';
import { contextAt, strongContext } from './context';

/** One replacement in code points, against the text produced by the previous edit (LSP order). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface ApplyEditsResult {
  /** Every input annotation (none dropped), in input order, with new offsets/text/context. Persist this. */
  annotations: SidecarAnnotation[];
  /**
   * The annotations whose covered text was rewritten (edit inside or across a
   * boundary; `modified` set to `now`), that became orphans, or that were
   * re-attached (an orphan whose exact text and context came back at its
   * place, e.g. by undo) in this call — the ones worth a diagnostic or a
   * re-decoration. Pure shifts are not listed.
   */
  changed: SidecarAnnotation[];
  /** The text after all edits. */
  text: string;
}

interface Track {
  start: number;
  end: number;
  orphan: boolean;
  becameOrphan: boolean;
  rewritten: boolean;
  /** An orphan whose hint position an edit touched (it may have come back, e.g. by undo). */
  touched: boolean;
  /** Which edges were cut by an edit crossing them (trim whitespace there afterwards). */
  cutStart: boolean;
  cutEnd: boolean;
}

/** Applies edits to a text (code point offsets, sequential). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let cur = text;
  for (const ed of edits) {
    const idx = new TextIndex(cur);
    const s = clamp(ed.start, 0, idx.codePointLength);
    const e = clamp(ed.end, s, idx.codePointLength);
    cur = cur.slice(0, idx.toUtf16(s)) + ed.newText + cur.slice(idx.toUtf16(e));
  }
  return cur;
}

export function applyEdits(
  annotations: readonly SidecarAnnotation[],
  text: string,
  edits: readonly TextEdit[],
  now: Date = new Date(),
): ApplyEditsResult {
  const tracks: Track[] = annotations.map((a) => ({
    start: a.start,
    end: a.end,
    orphan: !!a.orphaned,
    becameOrphan: false,
    rewritten: false,
    touched: false,
    cutStart: false,
    cutEnd: false,
  }));
  let len = codePointLength(text);
  for (const ed of edits) {
    const s = clamp(ed.start, 0, len);
    const e = clamp(ed.end, s, len);
    const ins = codePointLength(ed.newText);
    const delta = ins - (e - s);
    for (const t of tracks) {
      if (t.orphan) {
        // Orphan offsets are only a hint of where the text used to be: map them as points.
        if (s <= t.end && e >= t.start) t.touched = true;
        t.start = mapPoint(t.start, s, e, delta, s);
        t.end = Math.max(t.start, mapPoint(t.end, s, e, delta, s + ins));
        continue;
      }
      const a = t.start;
      const b = t.end;
      if (e <= a) {
        // Entirely before (an insertion exactly at the start goes outside): shift.
        t.start += delta;
        t.end += delta;
      } else if (s >= b) {
        // Entirely after (an insertion exactly at the end goes outside): untouched.
      } else if (s <= a && e >= b) {
        // The whole annotated text is replaced or deleted: nothing of it survives.
        orphan(t, s, ins);
      } else if (s >= a && e <= b) {
        // Inside (possibly touching one edge): the annotation stretches/shrinks with it.
        t.end += delta;
        t.rewritten = true;
      } else if (s < a) {
        // Crosses the start: keep the surviving tail [e,b), now after the inserted text.
        t.start = s + ins;
        t.end = b + delta;
        t.rewritten = true;
        t.cutStart = true;
      } else {
        // Crosses the end: keep the surviving head [a,s).
        t.end = s;
        t.rewritten = true;
        t.cutEnd = true;
      }
    }
    len += delta;
  }

  const after = applyTextEdits(text, edits);
  const index = new TextIndex(after);
  const ts = now.toISOString();
  const out: SidecarAnnotation[] = [];
  const changed: SidecarAnnotation[] = [];
  annotations.forEach((a, i) => {
    const t = tracks[i];
    if (!t.orphan && t.rewritten) trimCutEdges(index, t);
    if (!t.orphan && t.rewritten && !/\S/u.test(index.sliceCodePoints(t.start, t.end))) orphan(t, t.start, 0);
    let n: SidecarAnnotation;
    if (t.orphan && (t.touched || t.becameOrphan) && reattach(index, a, t)) {
      // Undo (or retyping) brought an orphan's exact text back where it was, with its context: re-attach.
      const { prefix, suffix } = contextAt(index, t.start, t.end);
      n = { ...a, start: t.start, end: t.end, prefix, suffix };
      delete n.orphaned;
      out.push(n);
      changed.push(n);
      return;
    }
    if (t.orphan) {
      // Keep text and context as they were: they are what re-anchoring (or an undo) will look for.
      n = { ...a, start: t.start, end: t.end };
      if (t.becameOrphan) n.orphaned = true;
    } else {
      const covered = index.sliceCodePoints(t.start, t.end);
      if (!t.rewritten && covered !== a.text) {
        // The caller's annotation did not match `text` before the edits: never claim a wrong span.
        n = { ...a, start: t.start, end: t.end, orphaned: true };
        t.becameOrphan = true;
      } else {
        const { prefix, suffix } = contextAt(index, t.start, t.end);
        n = { ...a, start: t.start, end: t.end, prefix, suffix };
        if (t.rewritten) {
          n.text = covered;
          n.modified = ts;
        }
      }
    }
    out.push(n);
    if (t.becameOrphan || (t.rewritten && !t.orphan)) changed.push(n);
  });
  return { annotations: out, changed, text: after };
}

/**
 * Is the orphan's exact text back at its hint position (the place of the edit
 * that removed it), with its stored context around it? Moves `t` there if so.
 * Covers undo, and edits that replace a range with the same content.
 */
function reattach(index: TextIndex, a: SidecarAnnotation, t: Track): boolean {
  if (a.text === '') return false;
  const m = codePointLength(a.text);
  const hi = Math.min(index.codePointLength, Math.max(t.end, t.start + m));
  const region = index.sliceCodePoints(t.start, hi);
  for (let u = region.indexOf(a.text); u >= 0; u = region.indexOf(a.text, u + 1)) {
    const s = t.start + codePointLength(region.slice(0, u));
    if (index.sliceCodePoints(s, s + m) !== a.text) continue; // split surrogate pair
    if (!strongContext(a, contextAt(index, s, s + m))) continue;
    t.start = s;
    t.end = s + m;
    return true;
  }
  return false;
}

function orphan(t: Track, at: number, ins: number): void {
  t.orphan = true;
  t.becameOrphan = true;
  t.rewritten = false;
  t.start = at;
  t.end = at + ins;
}

/** Point mapping for orphan hints: inside a replaced range, snap to `inside`. */
function mapPoint(p: number, s: number, e: number, delta: number, inside: number): number {
  if (p < s || (p === s && s === e)) return p;
  if (p >= e) return p + delta;
  return inside;
}

/** A cut through a word boundary should not leave the annotation starting/ending with spaces. */
function trimCutEdges(index: TextIndex, t: Track): void {
  if (t.cutStart) {
    while (t.start < t.end && /\s/u.test(index.sliceCodePoints(t.start, t.start + 1))) t.start++;
  }
  if (t.cutEnd) {
    while (t.end > t.start && /\s/u.test(index.sliceCodePoints(t.end - 1, t.end))) t.end--;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}
