/**
 * Apply Everywhere's block search (core/detect/boilerplate/blockLines.ts) against the
 * corpus index: a document the index says lacks one of a block's line keys must never
 * hold the block, whatever its line ends, blank lines, spacing or digits — the index
 * then lets Apply Everywhere skip reading it (Workspace.mayHoldBlock).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blocksWithKeys, indexedHashes, lineKeys } from '../../server/src/core/detect/boilerplate';
import { blockHash, documentKeys } from '../../server/src/core/detect/boilerplate/corpusIndex';

/** Lines as scraped pages have them, with what trips line handling up: spaces, tabs, no-break spaces, digits, lone CRs, one-letter lines. */
const LINES = [
  'تابعونا على تلغرام',
  'تابعونا  على تلغرام ',
  'Follow us on Telegram',
  'FOLLOW US ON TELEGRAM',
  'اترك تعليقاً',
  'لن يتم نشر عنوان بريدك الإلكتروني.',
  'جميع الحقوق محفوظة 2026',
  'جميع الحقوق محفوظة 2027',
  '\tCopyright\u00a0© 2026',
  '123 مشاهدة',
  'x',
  '»',
  'a\rb',
  'قال الوزير إن المحادثات ستستمر.',
  '',
  '   ',
  '\u2028',
];

const lineArb = fc.oneof(fc.constantFrom(...LINES), fc.string({ unit: fc.constantFrom('a', 'ب', ' ', '\t', '\r', '1', '.', '\u00a0', 'É'), maxLength: 8 }));
const docArb = fc.record({ lines: fc.array(lineArb, { minLength: 1, maxLength: 12 }), eol: fc.constantFrom('\n', '\r\n') });
const text = (d: { lines: string[]; eol: string }) => d.lines.join(d.eol);

test('a document whose index lacks one of the block’s line keys never holds the block', () => {
  fc.assert(
    fc.property(fc.array(docArb, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('\n', '\r\n', '\n\n'), (docs, which, from, length, joiner) => {
      // The block: consecutive lines of one document, joined as a quick fix may send them.
      const source = docs[which % docs.length];
      const first = from % source.lines.length;
      const block = source.lines.slice(first, first + 1 + (length % 4)).join(joiner);
      const keys = lineKeys(block);
      const hashes = indexedHashes(keys);
      if (keys.length) assert.ok(blocksWithKeys(text(source), keys).length > 0, 'found where it was taken from');
      for (const d of docs) {
        const t = text(d);
        const found = blocksWithKeys(t, keys);
        for (const b of found) assert.ok(b.start < b.end && !/\s/.test(t[b.start]) && !/\s/.test(t[b.end - 1]), 'a run is trimmed');
        const indexed = new Set([...documentKeys(t)].map(blockHash));
        if (found.length) assert.ok(hashes.every((h) => indexed.has(h)), `the index of ${JSON.stringify(t)} lacks a key of ${JSON.stringify(block)}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a footer is found in LF and CRLF documents alike, with its years folded, and not in a document holding part of it', () => {
  const footer = 'تابعونا على تلغرام\n\nجميع الحقوق محفوظة 2026';
  const keys = lineKeys(footer);
  const lf = 'خبر.\n\nتابعونا على تلغرام\nجميع الحقوق محفوظة 2027\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  assert.deepEqual(blocksWithKeys(lf, keys), [{ start: 6, end: lf.length - 1 }]);
  assert.deepEqual(blocksWithKeys(crlf, keys).map((b) => crlf.slice(b.start, b.end)), ['تابعونا على تلغرام\r\nجميع الحقوق محفوظة 2027']);
  assert.deepEqual(blocksWithKeys('خبر.\nتابعونا على تلغرام\nخبر آخر.\n', keys), []);
});
