/**
 * The numbers of a document's found names (FoundNames.numbers), 18 bytes a
 * mention in three columns: the confidences as 64-bit floats, then start and
 * end (code points) as 32-bit integers, then label index × 256 + source index
 * as one 16-bit integer; little-endian.
 *
 * Why not four 64-bit numbers a mention (as until 2026-12-02): the corpus
 * memory keeps these numbers for every document, ~60 mentions an article, and
 * at 100,000 documents 32 bytes a mention were ~200 MB of the server's
 * memory. Offsets fit 32 bits (documents are refused long before 2^26 code
 * points), the indexes 8 bits each (toFoundNames refuses a 257th label).
 * The summary cache stores these very bytes (base64), so a restart decodes
 * them straight into the memory's buffer, without spreading.
 */

export const MENTION_BYTES = 18;

/** The numbers of `n` mentions, all zero (see setMention). */
export function mentionNumbers(n: number): DataView {
  return new DataView(new ArrayBuffer(MENTION_BYTES * n));
}

export function mentionCount(v: DataView): number {
  return v.byteLength / MENTION_BYTES;
}

export function setMention(v: DataView, i: number, start: number, end: number, confidence: number, packed: number): void {
  const n = mentionCount(v);
  v.setFloat64(8 * i, confidence, true);
  v.setUint32(8 * n + 8 * i, start, true);
  v.setUint32(8 * n + 8 * i + 4, end, true);
  v.setUint16(16 * n + 2 * i, packed, true);
}

export function mentionConfidence(v: DataView, i: number): number {
  return v.getFloat64(8 * i, true);
}

export function mentionStart(v: DataView, i: number): number {
  return v.getUint32((8 * v.byteLength) / MENTION_BYTES + 8 * i, true);
}

export function mentionEnd(v: DataView, i: number): number {
  return v.getUint32((8 * v.byteLength) / MENTION_BYTES + 8 * i + 4, true);
}

/** Label index × 256 + source index (packLabelSource). */
export function mentionPacked(v: DataView, i: number): number {
  return v.getUint16((16 * v.byteLength) / MENTION_BYTES + 2 * i, true);
}
