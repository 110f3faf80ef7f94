/**
 * A guard in front of the JSON-RPC reader on stdio. The reader of
 * vscode-jsonrpc gives up on a malformed header (no or non-numeric
 * Content-Length, a line without ':') and then reads every later message as
 * garbage: the server stays alive but never answers again. Here each frame is
 * checked (header, length, JSON body); a bad one is reported and dropped, and
 * reading resumes at the next `Content-Length:` header, so one bad message
 * costs one message, not the session.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /content-length/i;
/** Larger bodies are refused (a 4 MB document is ~8 MB of JSON with escapes). */
const MAX_BODY = 512 * 1024 * 1024;
/** A body still incomplete this long while another header follows it was framed with a wrong length. */
const STALL_MS = 2000;

export function resynchronizingFrames(input: Readable, report: (message: string) => void): Transform {
  let buffer: Buffer = Buffer.alloc(0);
  let waitingSince = 0;
  let timer: NodeJS.Timeout | undefined;

  const framer = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      drain();
      done();
    },
    flush(done: TransformCallback) {
      if (timer) clearTimeout(timer);
      done();
    },
  });

  /** Drops bytes up to the next header after `from`; false when there is none yet. */
  function skipToNextHeader(from: number, why: string): boolean {
    const next = indexOfHeader(buffer, from);
    report(`Dropped a malformed LSP message (${why}); ${next < 0 ? 'waiting for the next one' : 'resuming at the next header'}.`);
    if (next < 0) {
      // Keep only a tail that may hold the start of a header split across chunks.
      buffer = buffer.subarray(Math.max(from, buffer.length - 32));
      return false;
    }
    buffer = buffer.subarray(next);
    return true;
  }

  function drain(): void {
    for (;;) {
      const end = buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (buffer.length > 64 * 1024 && skipToNextHeader(1, 'header too long')) continue;
        return;
      }
      const length = parseHeaders(buffer.subarray(0, end).toString('ascii'));
      if (length === null) {
        if (!skipToNextHeader(1, 'bad header')) return;
        continue;
      }
      const bodyStart = end + HEADER_END.length;
      if (buffer.length < bodyStart + length) {
        // Incomplete: wait, unless the length was wrong and another message is already behind it.
        if (!waitingSince) waitingSince = Date.now();
        if (Date.now() - waitingSince > STALL_MS && indexOfHeader(buffer, bodyStart) >= 0) {
          waitingSince = 0;
          if (!skipToNextHeader(bodyStart, 'Content-Length longer than the message')) return;
          continue;
        }
        if (!timer) timer = setTimeout(() => ((timer = undefined), drain()), STALL_MS + 50);
        return;
      }
      waitingSince = 0;
      const body = buffer.subarray(bodyStart, bodyStart + length);
      if (!isJson(body)) {
        if (!skipToNextHeader(1, 'body is not JSON')) return;
        continue;
      }
      framer.push(Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'));
      framer.push(body);
      buffer = buffer.subarray(bodyStart + length);
    }
  }

  input.pipe(framer);
  return framer;
}

/** The Content-Length of a header block, or null when the block is not a valid LSP header. */
export function parseHeaders(block: string): number | null {
  let length: number | null = null;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (CONTENT_LENGTH.test(name) && name.length === 'content-length'.length) {
      if (!/^\d+$/.test(value)) return null;
      length = Number(value);
      if (length > MAX_BODY) return null;
    }
  }
  return length;
}

function indexOfHeader(buf: Buffer, from: number): number {
  const text = buf.toString('latin1', from);
  const m = /content-length:/i.exec(text);
  return m ? from + m.index : -1;
}

function isJson(body: Buffer): boolean {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}
