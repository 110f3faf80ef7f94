/**
 * Document and file fingerprints. Uses node:crypto, which is pure computation
 * (no I/O), so the annotation core stays testable without a file system.
 */
import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a document text encoded as UTF-8 without BOM.
 * A leading U+FEFF is ignored so that a reader that kept the BOM and one that
 * stripped it agree on the hash (the contract says "without BOM").
 */
export function sha256Hex(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return createHash('sha256').update(t, 'utf8').digest('hex');
}

/** SHA-256 (hex) of raw bytes (sidecar fingerprints: exactly what is on disk). */
export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
