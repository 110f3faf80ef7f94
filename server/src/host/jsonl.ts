/**
 * JSON Lines corpora: one document per line, `{"id": …, "text": …}` with
 * optional sidecar-style `annotations` (code point offsets). Read one line at
 * a time, so memory does not grow with the input, and in contiguous byte
 * ranges, so several processes can each read their own part of one file.
 * Standard input cannot be read twice (two passes: statistics, then
 * annotation) or cut into parts: it is copied to a temporary file first.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SIDECAR_VERSION, type SidecarAnnotation } from '../protocol';
import { reanchor } from '../core/annotations/anchoring';
import { validateSidecar } from '../core/annotations/validate';
import { sha256Hex } from '../core/annotations/hash';
import { codePointLength } from '../core/text/offsets';
import { checkText } from '../core/text/input';

/** A part of a file: bytes [start, end), whose first line is line `firstLine` (1-based) of the file. */
export interface ByteRange {
  start: number;
  end: number;
  firstLine: number;
}

export type Line = { line: number; text: string } | { line: number; error: string };

const READ_CHUNK = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The lines of a file (`-`: standard input), or of a byte range of it (cut
 * on line boundaries, see planRanges), with their line numbers. A line that is not UTF-8 comes as an
 * error; `\r\n` endings are accepted. Only the current line is held in memory.
 */
export async function* readLines(file: string, range: ByteRange = { start: 0, end: Infinity, firstLine: 1 }): AsyncGenerator<Line> {
  if (range.end <= range.start) return;
  // `-`: standard input, read once as it comes (no range: it cannot be cut or read again).
  const stream = file === '-' ? process.stdin : fs.createReadStream(file, { start: range.start, ...(Number.isFinite(range.end) ? { end: range.end - 1 } : {}), highWaterMark: READ_CHUNK });
  let line = range.firstLine;
  let pending: Buffer[] = [];
  const decode = (parts: Buffer[]): Line => {
    let bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    try {
      const text = utf8.decode(bytes);
      // A byte-order mark at the very start of the file is not part of the first record.
      return { line, text: line === 1 && range.start === 0 ? text.replace(/^\uFEFF/, '') : text };
    } catch {
      return { line, error: 'not valid UTF-8' };
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      pending.push(chunk.subarray(from, nl));
      yield decode(pending);
      pending = [];
      line++;
      from = nl + 1;
    }
    if (from < chunk.length) pending.push(chunk.subarray(from));
  }
  if (pending.some((b) => b.length > 0)) yield decode(pending);
}

/**
 * Cuts a file into at most `parts` contiguous byte ranges of about the same
 * size, each starting at the beginning of a line (one reading of the file;
 * nothing is kept but the boundaries). Also returns the number of lines.
 */
export async function planRanges(file: string, parts: number): Promise<{ ranges: ByteRange[]; lines: number }> {
  const size = fs.statSync(file).size;
  const targets: number[] = [];
  for (let k = 1; k < parts; k++) targets.push(Math.floor((size * k) / parts));
  const starts: { start: number; firstLine: number }[] = [{ start: 0, firstLine: 1 }];
  let offset = 0;
  let lines = 0;
  let lastByte = 0x0a;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, nl + 1)) {
      lines++;
      const next = offset + nl + 1;
      // A boundary is the start of the first line beginning at or after the target.
      while (targets.length && targets[0] <= next) {
        targets.shift();
        if (next < size && next > starts[starts.length - 1].start) starts.push({ start: next, firstLine: lines + 1 });
      }
    }
    if (chunk.length) lastByte = chunk[chunk.length - 1];
    offset += chunk.length;
  }
  if (lastByte !== 0x0a) lines++;
  const ranges = starts.map((s, i) => ({ start: s.start, end: i + 1 < starts.length ? starts[i + 1].start : size, firstLine: s.firstLine }));
  return { ranges, lines };
}

/** Copies a stream (standard input) to `file`; resolves with its size in bytes. */
export async function spool(input: Readable, file: string): Promise<number> {
  await pipeline(input, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return fs.statSync(file).size;
}

/** One document of a JSON Lines corpus, its annotations placed on its text. */
export interface JsonlRecord {
  id: string | number;
  text: string;
  /** Annotations placed on the text (re-anchored by their text and context when their offsets no longer fit it). */
  annotations: SidecarAnnotation[];
  /** Annotations that could not be placed on the text. */
  orphans: SidecarAnnotation[];
}

export type ParsedRecord = { ok: true; record: JsonlRecord } | { ok: false; message: string };

/**
 * Parses and checks one line: a JSON object with `id` (a string or a number),
 * `text` (checked as an opened document is: size, NUL characters, mojibake)
 * and optional `annotations`, each validated as in a sidecar. Other fields
 * are allowed and ignored. The message of a bad line says what to fix.
 */
export function parseRecord(line: string, maxBytes: number): ParsedRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, message: `not JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'expected a JSON object {"id": …, "text": …}' };
  const o = value as Record<string, unknown>;
  const id = o.id;
  if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)))) {
    return { ok: false, message: `"id" must be a non-empty string or a number, got ${id === undefined ? 'nothing' : JSON.stringify(id)}` };
  }
  if (typeof o.text !== 'string') return { ok: false, message: `record ${JSON.stringify(id)}: "text" must be a string` };
  const text = o.text;
  const check = checkText(text, maxBytes);
  if (!check.ok) return { ok: false, message: `record ${JSON.stringify(id)}: ${check.message}` };
  if (o.annotations === undefined) return { ok: true, record: { id, text, annotations: [], orphans: [] } };
  // Validated exactly as a sidecar's annotations are, with the text this record carries.
  const asSidecar = { version: SIDECAR_VERSION, document: { path: String(id), sha256: sha256Hex(text), length: codePointLength(text) }, offsets: 'codepoint', annotations: o.annotations };
  const valid = validateSidecar(asSidecar);
  if (!valid.ok) return { ok: false, message: `record ${JSON.stringify(id)}: ${valid.errors.join('; ')}` };
  const placed = reanchor(text, valid.sidecar.annotations);
  return { ok: true, record: { id, text, annotations: placed.annotations, orphans: placed.orphans } };
}
