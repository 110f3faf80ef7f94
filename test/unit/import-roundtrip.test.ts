/**
 * Export → import round trips over random texts (Arabic, astral characters,
 * combining marks, CRLF, bidi controls) with random non-overlapping spans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exportDocuments } from '../../server/src/core/export';
import { isLineBreak, isSeparator } from '../../server/src/core/export/tokenize';
import { importAnnotations, placeImported, type ImportedDocument } from '../../server/src/core/import';
import type { ConllScheme } from '../../server/src/protocol';
import { annotatedArb, bySpan, docOf, slice, type Span } from './export-helpers';

const entities = (d: ImportedDocument): Span[] =>
  d.annotations.filter((a) => a.kind === 'entity').map((a) => ({ start: a.start, end: a.end, label: a.label! })).sort(bySpan);

/** Spans with the characters `drop` removed from both edges; empty ones disappear. */
function trimmed(text: string, spans: Span[], drop: (c: string) => boolean): Span[] {
  const cps = Array.from(text);
  const out: Span[] = [];
  for (const s of spans) {
    let { start, end } = s;
    while (start < end && drop(cps[start])) start++;
    while (end > start && drop(cps[end - 1])) end--;
    if (start < end) out.push({ start, end, label: s.label });
  }
  return out.sort(bySpan);
}

/** The imported document is the exported one: no problems, same name and text, these entities. */
function assertImported(d: ImportedDocument, text: string, expected: Span[]): void {
  assert.deepEqual(d.problems, []);
  assert.equal(d.name, NAME);
  assert.equal(d.text, text);
  assert.deepEqual(entities(d), expected);
}

const RUNS = { numRuns: 200 };
const NAME = 'sub/مقال 😀.txt';

test('doccano JSONL round trip is exact', () => {
  fc.assert(
    fc.property(annotatedArb, ({ text, spans }) => {
      const files = exportDocuments('jsonl', [docOf(NAME, text, spans)]);
      const { documents, problems } = importAnnotations('jsonl', files);
      assert.deepEqual(problems, []);
      assert.equal(documents.length, 1);
      assertImported(documents[0], text, [...spans].sort(bySpan));
    }),
    RUNS,
  );
});

test('spaCy JSONL imports through the JSONL reader', () => {
  fc.assert(
    fc.property(annotatedArb, ({ text, spans }) => {
      const { documents } = importAnnotations('jsonl', exportDocuments('spacy', [docOf(NAME, text, spans)]));
      assert.deepEqual(entities(documents[0]), [...spans].sort(bySpan));
    }),
    { numRuns: 50 },
  );
});

test('brat round trip is exact up to line breaks at span edges', () => {
  fc.assert(
    fc.property(annotatedArb, ({ text, spans }) => {
      const files = exportDocuments('brat', [docOf(NAME, text, spans, [{ start: 0, end: Math.min(1, Array.from(text).length), label: 'nav' }].filter((s) => s.end > 0))]);
      const { documents, problems } = importAnnotations('brat', files);
      assert.deepEqual(problems, []);
      const [d] = documents;
      for (const a of d.annotations) assert.ok(slice(text, a.start, a.end).length > 0);
      assertImported(d, text, trimmed(text, spans, isLineBreak));
    }),
    RUNS,
  );
});

for (const unit of ['codepoint', 'utf16'] as const) {
  test(`Label Studio round trip is exact (${unit} offsets in the file, code points here)`, () => {
    fc.assert(
      fc.property(annotatedArb, ({ text, spans }) => {
        const files = exportDocuments('labelstudio', [docOf(NAME, text, spans)], { labelStudioOffsets: unit });
        // A UTF-16 file can be indistinguishable from a code point one (the texts match both ways): auto reads code points then.
        for (const read of unit === 'codepoint' ? (['auto', unit] as const) : ([unit] as const)) {
          const { documents, problems } = importAnnotations('labelstudio', files, { labelStudioOffsets: read });
          assert.deepEqual(problems, []);
          assertImported(documents[0], text, [...spans].sort(bySpan));
        }
      }),
      RUNS,
    );
  });
}

for (const scheme of ['iob2', 'iob1', 'bioes'] as ConllScheme[]) {
  test(`CoNLL ${scheme} round trip, placed back onto the original text`, () => {
    fc.assert(
      fc.property(annotatedArb, annotatedArb, (a, b) => {
        const files = exportDocuments('conll', [docOf(NAME, a.text, a.spans), docOf('second.txt', b.text, b.spans)], { scheme });
        for (const given of [scheme, 'auto'] as const) {
          const { documents, problems } = importAnnotations('conll', files, { scheme: given });
          assert.deepEqual(problems, []);
          assert.equal(documents.length, 2);
          assert.deepEqual(documents.map((d) => d.name), [NAME, 'second.txt']);
          [a, b].forEach((orig, k) => {
            const d = documents[k];
            if (given !== 'auto' || scheme !== 'iob1') assert.deepEqual(d.problems, []);
            const placed = placeImported(orig.text, d);
            assert.deepEqual(placed.unplaced, []);
            const got = placed.annotations.map((x) => ({ start: x.start, end: x.end, label: x.label! })).sort(bySpan);
            assert.deepEqual(got, trimmed(orig.text, orig.spans, isSeparator));
          });
        }
      }),
      { numRuns: 150 },
    );
  });
}
