/** Builders and generators shared by the export/import tests. */
import fc from 'fast-check';
import type { SidecarAnnotation } from '../../server/src/protocol';
import type { ExportDocument } from '../../server/src/core/export';

let nextId = 0;

export function ann(
  text: string,
  start: number,
  end: number,
  kind: 'entity' | 'boilerplate',
  labelOrCategory: string,
  extra: Partial<SidecarAnnotation> = {},
): SidecarAnnotation {
  const cps = Array.from(text);
  return {
    id: `a${++nextId}`,
    kind,
    ...(kind === 'entity' ? { label: labelOrCategory } : { category: labelOrCategory }),
    start,
    end,
    text: cps.slice(start, end).join(''),
    prefix: cps.slice(Math.max(0, start - 32), start).join(''),
    suffix: cps.slice(end, end + 32).join(''),
    status: 'accepted',
    source: 'user',
    created: '2026-01-01T00:00:00Z',
    modified: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

/** Code point offsets of the first occurrence of `needle` (after `from` code points). */
export function cpSpan(text: string, needle: string, from = 0): [number, number] {
  const cps = Array.from(text);
  const hay = cps.join('\u0000');
  const nd = Array.from(needle).join('\u0000');
  for (let i = from; i + Array.from(needle).length <= cps.length; i++) {
    if (cps.slice(i, i + Array.from(needle).length).join('\u0000') === nd) return [i, i + Array.from(needle).length];
  }
  throw new Error(`${needle} not in ${hay}`);
}

export const slice = (text: string, s: number, e: number): string => Array.from(text).slice(s, e).join('');

/** Pieces random texts are made of: the hard cases of scraped Arabic news. */
const PIECES = [
  'وباكستان', 'القاهرة', 'مُحَمَّد', 'في', 'و', 'الأمم المتحدة', 'Reuters', 'New', 'York', 'e\u0301', 'a\u0308\u0301',
  '😀', '𝕏', '👍🏽', '👨\u200D👩\u200D👧', '\u200F', '\u202B', '\u2067', '\u2069', '\u200E', '\u061C',
  ' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\r', '\n\n', '\u00A0', '\u2028',
  '.', '،', '؟', '!', '-', '(', ')', '"', '#', '# doc: x', '-DOCSTART-', '3.5', '2026', '\u0000', '\u0085', 'ـ', 'zwnj\u200Cx',
];

export const textArb: fc.Arbitrary<string> = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));

export const LABELS = ['PER', 'ORG', 'LOC', 'MISC'] as const;

export interface Span {
  start: number;
  end: number;
  label: string;
}

/**
 * A text with random non-overlapping (possibly adjacent) labelled spans:
 * sorted distinct boundaries, each gap between consecutive ones labelled or not.
 */
export const annotatedArb: fc.Arbitrary<{ text: string; spans: Span[] }> = textArb.chain((text) => {
  const n = Array.from(text).length;
  return fc
    .tuple(fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 14 }), fc.array(fc.option(fc.constantFrom(...LABELS), { nil: undefined }), { minLength: 14, maxLength: 14 }))
    .map(([bounds, labels]) => {
      const b = [...bounds].sort((x, y) => x - y);
      const spans: Span[] = [];
      for (let i = 0; i + 1 < b.length; i++) {
        const label = labels[i];
        if (label !== undefined) spans.push({ start: b[i], end: b[i + 1], label });
      }
      return { text, spans };
    });
});

export function docOf(name: string, text: string, spans: Span[], boilerplate: Span[] = []): ExportDocument {
  return {
    name,
    text,
    annotations: [...spans.map((s) => ann(text, s.start, s.end, 'entity', s.label)), ...boilerplate.map((s) => ann(text, s.start, s.end, 'boilerplate', s.label))],
  };
}

export const bySpan = (a: Span, b: Span): number => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label);
