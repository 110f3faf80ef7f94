/**
 * Gatekeeping for what users feed the annotator: scraped folders hold PDFs
 * renamed to .txt, Windows-1256 files, multi-megabyte dumps. Each is refused
 * with a message a user can act on, instead of crashing a detector or
 * writing a sidecar for text the user never saw.
 */

export type InputProblem = 'binary' | 'too-large' | 'invalid-utf8';

export type BytesVerdict =
  | { ok: true; text: string; hadBom: boolean }
  | { ok: false; problem: InputProblem; message: string };

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes file bytes as UTF-8, refusing binary, oversized or non-UTF-8 input. */
export function decodeFileBytes(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): BytesVerdict {
  if (bytes.length > maxBytes) {
    return { ok: false, problem: 'too-large', message: tooLargeMessage(bytes.length, maxBytes) };
  }
  // NUL bytes never occur in UTF-8 text but fill binary formats (and UTF-16 text).
  const probe = Math.min(bytes.length, 8192);
  for (let i = 0; i < probe; i++) {
    if (bytes[i] === 0) {
      const utf16 = looksLikeUtf16(bytes);
      return {
        ok: false,
        problem: 'binary',
        message: utf16
          ? 'This file looks like UTF-16 text; the annotator reads UTF-8 only. Re-save it as UTF-8.'
          : 'This file looks binary (it contains NUL bytes); the annotator reads plain UTF-8 text only.',
      };
    }
  }
  let hadBom = false;
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    hadBom = true;
    body = bytes.subarray(3);
  }
  try {
    return { ok: true, text: utf8Strict.decode(body), hadBom };
  } catch {
    const at = firstInvalidUtf8(body);
    return {
      ok: false,
      problem: 'invalid-utf8',
      message:
        `This file is not valid UTF-8 (first bad byte at offset ${at + (hadBom ? 3 : 0)}). ` +
        'It may be in a legacy encoding such as Windows-1256; convert it to UTF-8 (e.g. iconv -f CP1256 -t UTF-8).',
    };
  }
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

function looksLikeUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  let zerosOdd = 0;
  let zerosEven = 0;
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) (i % 2 ? zerosOdd++ : zerosEven++);
  return Math.max(zerosOdd, zerosEven) > n / 4 && Math.min(zerosOdd, zerosEven) < n / 50;
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
