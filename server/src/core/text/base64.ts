/**
 * Base64 (RFC 4648, with padding) for binary data carried in JSON files, such as
 * the packed tagger model. Written here rather than with Node's Buffer because
 * the core stays free of host APIs. Decoding refuses a wrong length, a
 * character outside the alphabet or padding in the middle, since the text comes
 * from a file on the user's disk.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk += ALPHABET[a >> 2] + ALPHABET[((a & 3) << 4) | (b >> 4)];
    chunk += i + 1 < bytes.length ? ALPHABET[((b & 15) << 2) | (c >> 6)] : '=';
    chunk += i + 2 < bytes.length ? ALPHABET[c & 63] : '=';
    // Joined in pieces: one string grown by a million concatenations is a deep rope.
    if (chunk.length >= 8192) (parts.push(chunk), (chunk = ''));
  }
  parts.push(chunk);
  return parts.join('');
}

/** The bytes, or undefined when `s` is not padded base64. */
export function base64ToBytes(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    const v0 = sextet(s, i);
    const v1 = sextet(s, i + 1);
    const v2 = last && pad === 2 ? 0 : sextet(s, i + 2);
    const v3 = last && pad >= 1 ? 0 : sextet(s, i + 3);
    if ((v0 | v1 | v2 | v3) < 0) return undefined;
    out[o++] = (v0 << 2) | (v1 >> 4);
    if (o < out.length) out[o++] = ((v1 & 15) << 4) | (v2 >> 2);
    if (o < out.length) out[o++] = ((v2 & 3) << 6) | v3;
  }
  return out;
}

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? VALUE[c] : -1;
}
