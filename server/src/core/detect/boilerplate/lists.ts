/**
 * Lists an article introduces (index.ts: a paragraph ending in a colon keeps the list after it,
 * whose items look like menu entries).
 */
import { strongCues, type Line, type LineFeatures } from './features';

/**
 * The end (exclusive) of a list that a paragraph ending in a colon introduces, lines
 * [from, to) so far: a numbered list goes on past a blank line for as long as its numbering
 * does (items 1–7, a link alone, then 8, 9…: a page of 21 picks had lost 14 of them). Within
 * MAX_NUMBERING_GAP lines the next number must come, and the paragraph it opens joins the list.
 */
export function numberedListEnd(lines: readonly Line[], feats: readonly LineFeatures[], from: number, to: number): number {
  const numberOf = (k: number): number | undefined => {
    const m = ORDINAL_RE.exec(lines[k]!.text);
    return m ? Number(m[1]) : undefined;
  };
  let last: number | undefined;
  for (let k = from; k < to; k++) last = numberOf(k) ?? last;
  if (last === undefined) return to;
  let end = to;
  for (;;) {
    let next = -1;
    for (let k = end; k < lines.length && k < end + MAX_NUMBERING_GAP; k++) {
      if (strongCues(feats[k]!).length > 0) break;
      if (numberOf(k) === last + 1) {
        next = k;
        break;
      }
    }
    if (next < 0) return end;
    end = next + 1;
    while (end < lines.length && !lines[end]!.paragraphStart && strongCues(feats[end]!).length === 0) end++;
    for (let k = next; k < end; k++) last = numberOf(k) ?? last;
  }
}
/** An item's number opening a line: `8)`, `8.`, `8 -`. */
const ORDINAL_RE = /^\s*(\d{1,3})\s*[).:\-–—]\s/u;
const MAX_NUMBERING_GAP = 3;
