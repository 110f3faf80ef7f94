import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextIndex, codePointLength } from '../../server/src/core/text/offsets';

/** Characters that stress the conversions: astral, combining, CR/LF, bidi controls, Arabic. */
const tricky = fc.constantFrom('a', 'إ', 'ي', '😀', '𝕏', '👍🏽', 'e\u0301', '\r\n', '\n', '\r', '\u202B', '\u2067', '\u200F', ' ', 'ـ', '\u064E');
const text = fc.array(tricky, { maxLength: 60 }).map((a) => a.join(''));

describe('TextIndex', () => {
  it('converts UTF-16 ↔ code points on astral text', () => {
    const t = 'a😀b𝕏c';
    const ix = new TextIndex(t);
    assert.equal(ix.codePointLength, 5);
    assert.deepEqual([0, 1, 3, 4, 6, 7].map((u) => ix.toCodePoint(u)), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((c) => ix.toUtf16(c)), [0, 1, 3, 4, 6, 7]);
    assert.equal(ix.toCodePoint(2), 1, 'inside a surrogate pair snaps to the character start');
    assert.equal(ix.sliceCodePoints(1, 4), '😀b𝕏');
  });

  it('maps LSP positions with CRLF, CR and LF line breaks', () => {
    const t = 'ab\r\ncd\ref\ng😀h';
    const ix = new TextIndex(t);
    assert.equal(ix.lineCount, 4);
    assert.deepEqual(ix.positionAt(t.indexOf('c')), { line: 1, character: 0 });
    assert.deepEqual(ix.positionAt(t.indexOf('e')), { line: 2, character: 0 });
    assert.deepEqual(ix.positionAt(t.indexOf('h')), { line: 3, character: 3 }, 'characters are UTF-16 units');
    assert.equal(ix.offsetAt({ line: 0, character: 99 }), 2, 'past the end of a line clamps before its line break');
    assert.equal(ix.codePointAt({ line: 3, character: 3 }), [...t].indexOf('h'));
  });

  it('round-trips every offset on random tricky text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const ix = new TextIndex(t);
        const cps = [...t];
        assert.equal(ix.codePointLength, cps.length);
        assert.equal(codePointLength(t), cps.length);
        for (let c = 0; c <= cps.length; c++) {
          const u = ix.toUtf16(c);
          assert.equal(u, cps.slice(0, c).join('').length);
          assert.equal(ix.toCodePoint(u), c);
          // Between CR and LF is no position at all in LSP: it clamps to the line end.
          const insideCrlf = t[u - 1] === '\r' && t[u] === '\n';
          assert.equal(ix.offsetAt(ix.positionAt(u)), insideCrlf ? u - 1 : u, 'position round trip');
        }
      }),
      { numRuns: 300 },
    );
  });
});
