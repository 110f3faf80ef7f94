/**
 * Conversions between the three offset units in play:
 * - UTF-16 code units: JS string indices, and LSP `Position.character`;
 * - Unicode code points: what sidecars and exports store (the contract);
 * - LSP line/character positions.
 * Lines break at \n, \r\n and \r, as LSP defines.
 */

import { lowerBound } from './lowerBound';

export interface LineCharacter {
  line: number;
  character: number;
}

/** Precomputed index over one text; O(log n) conversions. */
export class TextIndex {
  readonly text: string;
  /** UTF-16 offset of the first unit of every line. */
  private readonly lineStarts: number[];
  /** UTF-16 offsets of the high surrogate of every astral character, ascending. */
  private readonly astral: number[];

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    this.astral = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Length of the text in code points. */
  get codePointLength(): number {
    return this.text.length - this.astral.length;
  }

  /** Number of astral characters starting before UTF-16 offset `u`. */
  private astralBefore(u: number): number {
    return lowerBound(this.astral.length, (i) => this.astral[i] < u);
  }

  /**
   * UTF-16 offset → code point offset. An offset that falls between the two
   * halves of a surrogate pair is moved to the start of that character.
   */
  toCodePoint(u: number): number {
    u = clamp(u, 0, this.text.length);
    const n = this.astralBefore(u);
    // Inside a pair: astral[n-1] === u-1 means u points at the low surrogate.
    if (n > 0 && this.astral[n - 1] === u - 1) return u - 1 - (n - 1);
    return u - n;
  }

  /** Code point offset → UTF-16 offset. */
  toUtf16(cp: number): number {
    cp = clamp(cp, 0, this.codePointLength);
    // Each astral char before the target adds one unit: find the smallest u with u - astralBefore(u) = cp.
    // Count astral chars whose code point index is < cp: astral[k] has cp index astral[k] - k.
    return cp + lowerBound(this.astral.length, (k) => this.astral[k] - k < cp);
  }

  /** UTF-16 offset → LSP position. */
  positionAt(u: number): LineCharacter {
    u = clamp(u, 0, this.text.length);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= u) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: u - this.lineStarts[lo] };
  }

  /** LSP position → UTF-16 offset (clamped to the line's content, as LSP requires). */
  offsetAt(p: LineCharacter): number {
    if (p.line < 0) return 0;
    if (p.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[p.line];
    const end = this.lineEnd(p.line);
    return clamp(start + Math.max(0, p.character), start, end);
  }

  /** UTF-16 offset of the end of a line's content (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let e = next;
    if (e > this.lineStarts[line] && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > this.lineStarts[line] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  lineStart(line: number): number {
    return this.lineStarts[clamp(line, 0, this.lineStarts.length - 1)];
  }

  /** Code point offset → LSP position. */
  positionAtCodePoint(cp: number): LineCharacter {
    return this.positionAt(this.toUtf16(cp));
  }

  /** LSP position → code point offset. */
  codePointAt(p: LineCharacter): number {
    return this.toCodePoint(this.offsetAt(p));
  }

  /** Substring by code point offsets. */
  sliceCodePoints(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}

/** Code point length of a string. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
