/** Code point helpers shared by the annotation modules. */
import type { SidecarAnnotation } from '../../protocol';
import { codePointLength, TextIndex } from '../text/offsets';

/** Code points of context stored on each side of an annotation. */
export const CONTEXT_LENGTH = 32;

/** Prefix/suffix (up to CONTEXT_LENGTH code points) around [start,end) of an indexed text. */
export function contextAt(index: TextIndex, start: number, end: number): { prefix: string; suffix: string } {
  return {
    prefix: index.sliceCodePoints(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: index.sliceCodePoints(end, end + CONTEXT_LENGTH),
  };
}

/** Lazily built index: many callers pass the same text repeatedly. */
let lastText: string | undefined;
let lastIndex: TextIndex | undefined;
export function indexFor(text: string): TextIndex {
  if (lastIndex && lastText === text) return lastIndex;
  lastText = text;
  lastIndex = new TextIndex(text);
  return lastIndex;
}

/** Code points of context that must agree on each side for "strong" evidence. */
export const STRONG_CONTEXT = 8;

/**
 * Do the nearest STRONG_CONTEXT code points on both sides agree with the
 * stored context? (A stored context shorter than that was cut by the start or
 * end of the document, so it must agree entirely.)
 */
export function strongContext(a: SidecarAnnotation, ctx: { prefix: string; suffix: string }): boolean {
  const preOk = codePointLength(a.prefix) >= STRONG_CONTEXT ? ctx.prefix.endsWith(tailCodePoints(a.prefix, STRONG_CONTEXT)) : ctx.prefix === a.prefix;
  const sufOk = codePointLength(a.suffix) >= STRONG_CONTEXT ? ctx.suffix.startsWith(headCodePoints(a.suffix, STRONG_CONTEXT)) : ctx.suffix === a.suffix;
  return preOk && sufOk;
}

export function tailCodePoints(s: string, n: number): string {
  return Array.from(s).slice(-n).join('');
}
export function headCodePoints(s: string, n: number): string {
  return Array.from(s).slice(0, n).join('');
}
