/**
 * Every conversion between LSP's units (UTF-16 positions and ranges, file
 * URIs) and the core's (UTF-16 offsets inside the process, code points in
 * sidecars), in one place.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver';
import type { TextIndex } from '../core/text/offsets';

/** LSP range of UTF-16 offsets [start, end). */
export function range16(index: TextIndex, start: number, end: number): Range {
  return { start: index.positionAt(start), end: index.positionAt(end) };
}

/** LSP range of code point offsets [start, end) (a sidecar span). */
export function rangeCp(index: TextIndex, start: number, end: number): Range {
  return range16(index, index.toUtf16(start), index.toUtf16(end));
}

/** File system path of a `file:` URI, or null (untitled, remote, malformed). */
export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}
