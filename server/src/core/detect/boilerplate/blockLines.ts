/**
 * Where a block recurs, line by line: what Apply Everywhere decides in every
 * document. A block the detector merged from several lines (a comment form, a
 * list of related articles) is found again as the same run of lines, blank
 * lines between them allowed; its key as a whole matches no single line. Lines
 * end at a line feed, as for the detector and the corpus index (a carriage
 * return before it is whitespace, trimmed away), so a document whose index
 * lacks one of a block's line keys (corpusIndex.ts indexedHashes) cannot hold it.
 */
import { foldKey } from './fold';

/**
 * Each line of `text` whose key (foldKey) is not empty, with where the line is (UTF-16 offsets,
 * its whitespace included). Lines end at a line feed. The one walk over a text's lines that the
 * corpus index (corpusIndex.ts documentKeys) and Apply Everywhere (blocksWithKeys) share, so the
 * index always holds the keys of the lines Apply Everywhere looks for.
 */
export function foldedLines(text: string, visit: (key: string, start: number, end: number) => void): void {
  const n = text.length;
  for (let pos = 0; pos <= n; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    if (nl > pos) {
      const key = foldKey(text.slice(pos, nl));
      if (key) visit(key, pos, nl);
    }
    pos = nl + 1;
  }
}

/** The keys (blockKey: folded) of a block's lines, blank lines left out. */
export function lineKeys(block: string): string[] {
  const keys: string[] = [];
  foldedLines(block, (k) => keys.push(k));
  return keys;
}

/**
 * Where a text holds the block whose line keys are `keys`: runs of consecutive lines with
 * those keys, blank lines between them allowed (as in the block), each run from the start of
 * its first line to the end of its last, trimmed of the whitespace around them (UTF-16 offsets).
 */
export function blocksWithKeys(text: string, keys: readonly string[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (!keys.length) return out;
  const lines: { start: number; end: number; key: string }[] = [];
  foldedLines(text, (key, s, e) => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    lines.push({ start: s, end: e, key });
  });
  for (let i = 0; i + keys.length <= lines.length; i++) {
    let j = 0;
    while (j < keys.length && lines[i + j].key === keys[j]) j++;
    if (j < keys.length) continue;
    out.push({ start: lines[i].start, end: lines[i + keys.length - 1].end });
    i += keys.length - 1;
  }
  return out;
}
