/**
 * Gatekeeping for what users feed the annotator: scraped folders hold PDFs
 * renamed to .txt, Windows-1256 files, multi-megabyte dumps. Each is refused
 * with a message a user can act on, instead of crashing a detector or
 * writing a sidecar for text the user never saw.
 */

/**
 * binary: NUL bytes and no text encoding recognised; other-encoding: text in
 * UTF-16 or UTF-32 (recognised by its byte-order mark or its NUL pattern);
 * invalid-utf8: not UTF-8, most likely a legacy single-byte encoding.
 */
export type InputProblem = 'binary' | 'too-large' | 'invalid-utf8' | 'other-encoding';

export type BytesVerdict =
  | { ok: true; text: string; hadBom: boolean }
  | { ok: false; problem: InputProblem; message: string };

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes looked at to recognise an encoding: enough for a verdict, so refusing stays fast on large files. */
const PROBE = 64 * 1024;

/**
 * Decodes file bytes as UTF-8, refusing binary, oversized or non-UTF-8 input
 * with a message that names the encoding the file is most likely in and how
 * to convert it. Linear; looks at most PROBE bytes beyond the UTF-8 check.
 */
export function decodeFileBytes(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): BytesVerdict {
  if (bytes.length > maxBytes) {
    return { ok: false, problem: 'too-large', message: tooLargeMessage(bytes.length, maxBytes) };
  }
  const bom = byteOrderMark(bytes);
  if (bom && bom !== 'UTF-8') return otherEncoding(bom, 'it starts with a byte-order mark');
  const body = bom ? bytes.subarray(3) : bytes;
  // NUL bytes never occur in UTF-8 text but fill binary formats (and UTF-16/32 text).
  const probe = body.subarray(0, PROBE);
  if (probe.indexOf(0) >= 0) {
    const wide = nulPattern(probe);
    if (wide) return otherEncoding(wide, 'by the pattern of its zero bytes; it has no byte-order mark');
    return { ok: false, problem: 'binary', message: 'This file looks binary (it contains NUL bytes); the annotator reads plain UTF-8 text only.' };
  }
  // UTF-16 of a script in one block (only Arabic letters, say) has no zero byte and may be all
  // below 0x80, i.e. valid UTF-8 — but full of control bytes (0x06 for Arabic) that text never has.
  if (controlBytes(probe) > 0.1 * probe.length) {
    const wide = highBytePattern(probe);
    if (wide) return otherEncoding(wide, 'by the pattern of its bytes; it has no byte-order mark');
    return { ok: false, problem: 'binary', message: 'This file looks binary (it is full of control bytes); the annotator reads plain UTF-8 text only.' };
  }
  try {
    return { ok: true, text: utf8Strict.decode(body), hadBom: bom === 'UTF-8' };
  } catch {
    const at = firstInvalidUtf8(body) + (bom ? 3 : 0);
    // UTF-16 without BOM or ASCII (e.g. only Arabic letters) has no NUL bytes, but its high bytes repeat.
    const wide = highBytePattern(probe);
    if (wide) return otherEncoding(wide, 'by the pattern of its bytes; it has no byte-order mark');
    const legacy = guessLegacyEncoding(probe);
    return {
      ok: false,
      problem: 'invalid-utf8',
      message:
        `This file is not valid UTF-8 (first bad byte at offset ${at}). ` +
        (legacy
          ? `It is probably ${legacy.name}; convert it to UTF-8, e.g. iconv -f ${legacy.iconv} -t UTF-8 file.txt > file.utf8.txt`
          : 'It is probably in a legacy single-byte encoding (Windows-125x or ISO-8859-x); convert it to UTF-8, e.g. iconv -f CP1252 -t UTF-8 file.txt > file.utf8.txt (with the right source encoding).'),
    };
  }
}

/** C0 control bytes other than tab, line feed, form feed, carriage return and escape. */
function controlBytes(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 27) n++;
  }
  return n;
}

export type WideEncoding = 'UTF-16LE' | 'UTF-16BE' | 'UTF-32LE' | 'UTF-32BE';

/** The encoding a byte-order mark announces. UTF-32 LE is tested before UTF-16 LE, whose mark it starts with. */
export function byteOrderMark(b: Uint8Array): WideEncoding | 'UTF-8' | null {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32LE';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32BE';
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'UTF-8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16LE';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE';
  return null;
}

function otherEncoding(enc: WideEncoding, how: string): BytesVerdict {
  const label = `${enc.slice(0, 6)} ${enc.slice(6)}`;
  return {
    ok: false,
    problem: 'other-encoding',
    message: `This file is ${label} text (recognised ${how}); the annotator reads UTF-8 only. Convert it, e.g. iconv -f ${enc} -t UTF-8 file.txt > file.utf8.txt`,
  };
}

/**
 * UTF-16/32 text without BOM: zero bytes concentrated at fixed positions
 * modulo 2 (or 4), as the high bytes of ASCII (and most BMP) characters are.
 */
function nulPattern(b: Uint8Array): WideEncoding | null {
  const n = b.length - (b.length % 4);
  if (n < MIN_WIDE) return null;
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (b[i] === 0) zeros[i & 3]++;
  const q = n / 4;
  // UTF-32: three of every four bytes are zero for Latin text (two for most others).
  if (zeros[1] > 0.9 * q && zeros[2] > 0.9 * q && zeros[3] > 0.9 * q && zeros[0] < 0.1 * q) return 'UTF-32LE';
  if (zeros[0] > 0.9 * q && zeros[1] > 0.9 * q && zeros[2] > 0.9 * q && zeros[3] < 0.1 * q) return 'UTF-32BE';
  const odd = zeros[1] + zeros[3];
  const even = zeros[0] + zeros[2];
  const half = n / 2;
  if (odd > 0.3 * half && even < 0.02 * half && readsAsText(b.subarray(0, n), 'utf-16le')) return 'UTF-16LE';
  if (even > 0.3 * half && odd < 0.02 * half && readsAsText(b.subarray(0, n), 'utf-16be')) return 'UTF-16BE';
  return null;
}

/** Fewer bytes than this are not enough to call anything UTF-16 or UTF-32. */
const MIN_WIDE = 16;

/** Decoded as `label`, is `b` text: no control characters but tab/line breaks, no invalid units, mostly not symbols? */
function readsAsText(b: Uint8Array, label: string): boolean {
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true }).decode(b);
  } catch {
    return false;
  }
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff)) bad++;
  }
  return bad <= 0.02 * text.length;
}

/**
 * UTF-16 without BOM and without ASCII: one byte of each pair is nearly always
 * the same few values (0x06 for Arabic, 0x04 for Cyrillic, 0x00 for spaces and
 * digits), and the pairs decode to valid UTF-16 (no lone surrogates).
 */
function highBytePattern(b: Uint8Array): WideEncoding | null {
  const n = b.length - (b.length % 2);
  if (n < MIN_WIDE) return null;
  for (const [enc, hi] of [['UTF-16LE', 1], ['UTF-16BE', 0]] as const) {
    const counts = new Map<number, number>();
    for (let i = hi; i < n; i += 2) counts.set(b[i], (counts.get(b[i]) ?? 0) + 1);
    const top = [...counts.values()].sort((x, y) => y - x).slice(0, 3).reduce((x, y) => x + y, 0);
    if (top < 0.95 * (n / 2)) continue;
    if (!readsAsText(b.subarray(0, n), enc === 'UTF-16LE' ? 'utf-16le' : 'utf-16be')) continue;
    return enc;
  }
  return null;
}

interface LegacyGuess {
  /** For the user: "Windows-1256 (Arabic)". */
  name: string;
  /** For `iconv -f`. */
  iconv: string;
}

/**
 * Candidates for text that is not UTF-8, with the letters that make up about
 * half of running text in their language. Decoding with each and counting how
 * much of the non-ASCII letters are these frequent ones tells the script apart
 * (Russian in Windows-1251 decodes to Arabic letters in Windows-1256, but to
 * rare ones).
 */
const LEGACY: { name: string; iconv: string; label: string; frequent: string }[] = [
  { name: 'Windows-1256 (Arabic)', iconv: 'CP1256', label: 'windows-1256', frequent: 'اليمونهرتب' },
  { name: 'ISO-8859-6 (Arabic)', iconv: 'ISO-8859-6', label: 'iso-8859-6', frequent: 'اليمونهرتب' },
  { name: 'Windows-1251 (Cyrillic)', iconv: 'CP1251', label: 'windows-1251', frequent: 'оеаинтсрвл' },
  { name: 'Windows-1253 (Greek)', iconv: 'CP1253', label: 'windows-1253', frequent: 'αοιετνσυρκ' },
  { name: 'Windows-1255 (Hebrew)', iconv: 'CP1255', label: 'windows-1255', frequent: 'יוהלארמבנת' },
];

/**
 * Which legacy single-byte encoding `b` (not valid UTF-8) is most likely in.
 * Western text has isolated accented letters inside ASCII words; other
 * scripts have runs of high bytes, told apart by letter frequencies.
 */
export function guessLegacyEncoding(b: Uint8Array): LegacyGuess | null {
  let high = 0;
  let inRun = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] < 0x80) continue;
    high++;
    if ((i > 0 && b[i - 1] >= 0x80) || (i + 1 < b.length && b[i + 1] >= 0x80)) inRun++;
  }
  if (high === 0) return null;
  if (inRun < 0.5 * high) return { name: 'Windows-1252 (Western European; or ISO-8859-1/-15)', iconv: 'CP1252' };
  let best: { guess: LegacyGuess; score: number } | null = null;
  for (const c of LEGACY) {
    let text: string;
    try {
      text = new TextDecoder(c.label).decode(b);
    } catch {
      continue; // a runtime without this legacy decoder
    }
    // Out of all non-ASCII characters: an encoding that turns most bytes into marks or symbols
    // (Arabic bytes read as Windows-1255 are mostly Hebrew points) scores low.
    let nonAscii = 0;
    let frequent = 0;
    for (const ch of text) {
      if (ch < '\u0080') continue;
      nonAscii++;
      if (c.frequent.includes(ch.toLowerCase())) frequent++;
    }
    const score = nonAscii ? frequent / nonAscii : 0;
    if (!best || score > best.score) best = { guess: { name: c.name, iconv: c.iconv }, score };
  }
  return best && best.score >= 0.3 ? best.guess : null;
}

/** Checks on text that already arrived decoded (e.g. from an editor). */
export function checkText(text: string, maxBytes = DEFAULT_MAX_BYTES): { ok: true } | { ok: false; problem: InputProblem; message: string } {
  // UTF-16 length is within a factor 3 of the UTF-8 size; only count exactly when close.
  if (text.length * 3 > maxBytes && utf8Length(text) > maxBytes) {
    return { ok: false, problem: 'too-large', message: tooLargeMessage(utf8Length(text), maxBytes) };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return { ok: false, problem: 'binary', message: 'This document contains NUL characters and looks binary; the annotator reads plain text only.' };
  }
  // Editors decode invalid bytes to U+FFFD; many of them mean the file was not UTF-8.
  let replacements = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0 && replacements < 4; i = text.indexOf('\uFFFD', i + 1)) replacements++;
  if (replacements >= 4) {
    return {
      ok: false,
      problem: 'invalid-utf8',
      message: 'This document contains many U+FFFD replacement characters: it was probably not UTF-8 on disk. Convert it to UTF-8 before annotating.',
    };
  }
  return { ok: true };
}

export interface TextNotice {
  /** UTF-16 offset of the first occurrence. */
  offset: number;
  length: number;
  message: string;
}

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Things that are handled but that a user should know about (they are invisible). */
export function textNotices(text: string): TextNotice[] {
  const notices: TextNotice[] = [];
  BIDI_CONTROLS.lastIndex = 0;
  const first = BIDI_CONTROLS.exec(text);
  if (first) {
    const count = (text.match(BIDI_CONTROLS) ?? []).length;
    notices.push({
      offset: first.index,
      length: 1,
      message: `This document contains ${count} invisible bidirectional control character${count === 1 ? '' : 's'} (e.g. U+${first[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}). They are kept and counted in offsets; exports contain them too.`,
    });
  }
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (lone) {
    notices.push({ offset: lone.index, length: 1, message: 'This document contains an unpaired UTF-16 surrogate; it will be written as U+FFFD in exports.' });
  }
  return notices;
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function tooLargeMessage(size: number, max: number): string {
  return `This file is ${(size / 1048576).toFixed(1)} MB, over the ${(max / 1048576).toFixed(1)} MB limit (setting newsAnnotator.maxFileSizeKB). It is not analysed and no sidecar is written.`;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}
