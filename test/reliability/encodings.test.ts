/**
 * Issue 13 — encodings. A file that is not UTF-8 is refused at once, with a
 * message that names what it most likely is and the iconv command: byte-order
 * marks (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), UTF-16/32 without BOM (by the
 * pattern of their bytes, with or without ASCII), legacy single-byte
 * encodings (Windows-1256 for Arabic, Windows-1251, Windows-1252, …). The
 * bytes are generated here from text with each encoding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticCode } from '../../server/src/protocol';
import { decodeFileBytes } from '../../server/src/core/text/input';
import { readTextFile } from '../../server/src/host/corpus';
import { codeOf, makeWorkspace, open, startServer } from '../protocol/lspClient';

const ARABIC = 'طالبت إيران باكستان بالعمل لضمان أمن الحدود بين البلدين، وقال المتحدث باسم وزارة الخارجية إن الوفد سيزور إسلام آباد الأسبوع المقبل.\n';
const RUSSIAN = 'Министр иностранных дел заявил, что переговоры о безопасности границы продолжатся на следующей неделе в столице.\n';
const FRENCH = 'Le ministre a déclaré que les négociations sur la sécurité reprendront la semaine prochaine à Genève, après l’été.\n';
const GREEK = 'Ο υπουργός εξωτερικών δήλωσε ότι οι συνομιλίες για την ασφάλεια των συνόρων θα συνεχιστούν την επόμενη εβδομάδα.\n';

/** Encodes `text` in a single-byte legacy encoding, from the inverse of Node's own decoder table. */
function legacyBytes(text: string, label: string): Uint8Array {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(new Uint8Array([b]));
    if (ch !== '\uFFFD' && !table.has(ch)) table.set(ch, b);
  }
  const out: number[] = [];
  for (const ch of text) {
    const b = table.get(ch) ?? table.get(ch.normalize('NFC'));
    out.push(b ?? 0x3f); // '?' for what the encoding cannot hold (e.g. a typographic apostrophe)
  }
  return new Uint8Array(out);
}

function utf16(text: string, be: boolean, bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (be) for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return new Uint8Array(le);
}

function utf32(text: string, be: boolean, bom: boolean): Uint8Array {
  const cps = [...((bom ? '\uFEFF' : '') + text)].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (be ? out.writeUInt32BE(cp, i * 4) : out.writeUInt32LE(cp, i * 4)));
  return new Uint8Array(out);
}

function refused(bytes: Uint8Array): { problem: string; message: string } {
  const r = decodeFileBytes(bytes);
  assert.ok(!r.ok, 'expected a refusal');
  return r as { problem: string; message: string };
}

test('byte-order marks: UTF-16 LE/BE and UTF-32 LE/BE named, with the iconv command; UTF-8 BOM read', () => {
  for (const text of [ARABIC.repeat(3), 'Hello world, this is text.\n'.repeat(3)]) {
    for (const [bytes, name, iconv] of [
      [utf16(text, false, true), 'UTF-16 LE', 'UTF-16LE'],
      [utf16(text, true, true), 'UTF-16 BE', 'UTF-16BE'],
      [utf32(text, false, true), 'UTF-32 LE', 'UTF-32LE'],
      [utf32(text, true, true), 'UTF-32 BE', 'UTF-32BE'],
    ] as const) {
      const r = refused(bytes);
      assert.equal(r.problem, 'other-encoding', name);
      assert.match(r.message, new RegExp(`${name} .*byte-order mark`), r.message);
      assert.match(r.message, new RegExp(`iconv -f ${iconv} -t UTF-8`));
      assert.doesNotMatch(r.message, /1256/, 'never called Windows-1256');
    }
  }
  const bom8 = decodeFileBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(ARABIC)]));
  assert.deepEqual(bom8, { ok: true, text: ARABIC, hadBom: true });
});

test('UTF-16 and UTF-32 without BOM: recognised by their zero bytes (ASCII) or repeating high bytes (Arabic only)', () => {
  const latin = 'Hello world, this is plain English text. '.repeat(5);
  assert.match(refused(utf16(latin, false, false)).message, /UTF-16 LE/);
  assert.match(refused(utf16(latin, true, false)).message, /UTF-16 BE/);
  assert.match(refused(utf32(latin, false, false)).message, /UTF-32 LE/);
  assert.match(refused(utf32(latin, true, false)).message, /UTF-32 BE/);
  // Arabic letters only, no spaces or digits: no zero byte at all in UTF-16.
  const arabicOnly = ARABIC.replace(/[^\u0600-\u06FF]/g, '');
  const le = utf16(arabicOnly, false, false);
  assert.equal(le.indexOf(0), -1, 'the test text has no zero byte');
  const r = refused(le);
  assert.equal(r.problem, 'other-encoding');
  assert.match(r.message, /UTF-16 LE/);
  assert.match(refused(utf16(arabicOnly, true, false)).message, /UTF-16 BE/);
  // Binary data stays binary.
  assert.equal(refused(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 0xff, 0, 0x13, 7, 0])).problem, 'binary');
});

test('legacy single-byte encodings: Windows-1256 for Arabic, and the others by their script', () => {
  const cases: [string, string, RegExp, RegExp][] = [
    [ARABIC.repeat(4), 'windows-1256', /Windows-1256 \(Arabic\)/, /iconv -f CP1256 -t UTF-8/],
    [ARABIC.repeat(4), 'iso-8859-6', /ISO-8859-6 \(Arabic\)|Windows-1256/, /iconv -f (ISO-8859-6|CP1256)/],
    [RUSSIAN.repeat(4), 'windows-1251', /Windows-1251 \(Cyrillic\)/, /iconv -f CP1251/],
    [GREEK.repeat(4), 'windows-1253', /Windows-1253 \(Greek\)/, /iconv -f CP1253/],
    [FRENCH.repeat(4), 'windows-1252', /Windows-1252/, /iconv -f CP1252/],
  ];
  for (const [text, label, name, cmd] of cases) {
    const r = refused(legacyBytes(text, label));
    assert.equal(r.problem, 'invalid-utf8', label);
    assert.match(r.message, /first bad byte at offset \d+/);
    assert.match(r.message, name, `${label}: ${r.message}`);
    assert.match(r.message, cmd, `${label}: ${r.message}`);
  }
  // The offset of the first bad byte counts the BOM when there is one.
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x62, 0xc7, 0xe1, 0x20]);
  assert.match(refused(withBom).message, /offset 5/);
});

test('the verdict does not depend on the file size: a 4 MB Windows-1256 file is judged from its first bytes', () => {
  const big = legacyBytes(ARABIC.repeat(Math.ceil((4 * 1024 * 1024 - 100) / ARABIC.length)).slice(0, 4 * 1024 * 1024 - 100), 'windows-1256');
  const r = refused(big);
  assert.match(r.message, /Windows-1256/);
});

test('through the CLI reader and the server: a Windows-1256 file and a UTF-16 file get their message, no analysis', { timeout: 120_000 }, async () => {
  const cp1256 = legacyBytes(ARABIC.repeat(50), 'windows-1256');
  const folder = makeWorkspace({ 'legacy.txt': Buffer.from(cp1256), 'wide.txt': Buffer.from(utf16(ARABIC.repeat(5), false, true)) });
  try {
    const read = readTextFile(path.join(folder, 'legacy.txt'));
    assert.ok(!read.ok && /Windows-1256/.test(read.message));
    const s = await startServer(folder);
    try {
      // What VS Code sends for a file it decodes as UTF-8: U+FFFD for every invalid byte.
      const asEditorSees = new TextDecoder('utf-8').decode(cp1256);
      const legacy = await open(s, path.join(folder, 'legacy.txt'), asEditorSees);
      const d = await s.waitForDiagnostics(legacy, (x) => x.some((y) => codeOf(y) === DiagnosticCode.inputRefused), 60_000);
      assert.equal(d.length, 1, 'only the refusal: no suggestions on garbled text');
      assert.match(String(d[0].message), /Windows-1256/);
      // VS Code decodes a UTF-16 file with BOM correctly; the file on disk is still UTF-16.
      const wide = await open(s, path.join(folder, 'wide.txt'), ARABIC.repeat(5));
      const w = await s.waitForDiagnostics(wide, (x) => x.some((y) => codeOf(y) === DiagnosticCode.inputRefused), 60_000);
      assert.match(String(w[0].message), /UTF-16 LE/);
      assert.ok(!fs.existsSync(path.join(folder, 'legacy.txt.ann.json')));
    } finally {
      await s.close();
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
