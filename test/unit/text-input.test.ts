import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, decodeFileBytes, textNotices, utf8Length } from '../../server/src/core/text/input';
import { isWordBoundaryMatch } from '../../server/src/core/text/mentions';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('decodeFileBytes', () => {
  it('decodes UTF-8 and strips (and reports) a BOM', () => {
    const r = decodeFileBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('إيران 😀')]));
    assert.deepEqual(r, { ok: true, text: 'إيران 😀', hadBom: true });
  });
  it('refuses binary data, naming UTF-16 when it looks like it', () => {
    const pdf = decodeFileBytes(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2]));
    assert.ok(!pdf.ok && pdf.problem === 'binary' && /binary/.test(pdf.message));
    const utf16 = decodeFileBytes(new Uint8Array(Buffer.from('\uFEFFHello world, this is UTF-16 text.', 'utf16le')));
    assert.ok(!utf16.ok && /UTF-16/.test(utf16.message));
  });
  it('refuses invalid UTF-8 with the offset of the first bad byte', () => {
    const r = decodeFileBytes(new Uint8Array([...bytes('abc '), 0xc7, 0xe1, 0x20]));
    assert.ok(!r.ok && r.problem === 'invalid-utf8');
    assert.match(r.message, /offset 4/);
  });
  it('refuses files over the limit', () => {
    const r = decodeFileBytes(new Uint8Array(2048), 1024);
    assert.ok(!r.ok && r.problem === 'too-large' && /limit/.test(r.message));
  });
});

describe('checkText and notices', () => {
  it('accepts ordinary text and refuses NULs, many U+FFFD and oversize', () => {
    assert.deepEqual(checkText('نص عادي.\r\n'), { ok: true });
    assert.equal((checkText('a\u0000b') as { problem: string }).problem, 'binary');
    assert.equal((checkText('\uFFFD'.repeat(5)) as { problem: string }).problem, 'invalid-utf8');
    assert.equal((checkText('ش'.repeat(600), 1000) as { problem: string }).problem, 'too-large');
  });
  it('counts UTF-8 bytes exactly', () => {
    for (const s of ['abc', 'إيران', '😀', 'a😀ب\u202B']) assert.equal(utf8Length(s), Buffer.byteLength(s));
  });
  it('reports bidi controls and lone surrogates', () => {
    const n = textNotices('abc\u202Bdef\u2067g');
    assert.equal(n.length, 1);
    assert.equal(n[0].offset, 3);
    assert.match(n[0].message, /2 invisible bidirectional control characters/);
    assert.match(textNotices('x\uD800y')[0].message, /surrogate/);
    assert.deepEqual(textNotices('plain'), []);
  });
});

describe('isWordBoundaryMatch', () => {
  const at = (text: string, name: string, from = 0) => {
    const i = text.indexOf(name, from);
    return isWordBoundaryMatch(text, i, i + name.length);
  };
  it('accepts standalone names and names behind proclitics', () => {
    assert.ok(at('زار باكستان أمس', 'باكستان'));
    assert.ok(at('إيران وباكستان', 'باكستان'));
    assert.ok(at('وفي لبنان', 'لبنان'));
    assert.ok(at('😀باكستان', 'باكستان'), 'an emoji is not a letter');
  });
  it('rejects names inside longer words', () => {
    assert.ok(!at('الباكستاني', 'باكستان'));
    assert.ok(!at('Pakistani', 'Pakistan'));
    assert.ok(!at('Ampakistan', 'pakistan'));
  });
});
