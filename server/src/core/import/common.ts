/** Checks shared by the importers. */
import type { DocumentTags } from '../../protocol';
import { tagsShapeErrors } from '../annotations/tags';

/**
 * Document tags as a file carries them: taken when well formed, else
 * reported (with `where`) and left out. Empty tags are no tags.
 */
export function importedTags(value: unknown, where: string, problems: string[]): DocumentTags | undefined {
  if (value === undefined || value === null) return undefined;
  const errors = tagsShapeErrors(value);
  if (errors.length) {
    problems.push(`${where}: tags not imported (${errors.slice(0, 3).join('; ')})`);
    return undefined;
  }
  return Object.keys(value as object).length ? (value as DocumentTags) : undefined;
}

/** Why a span is unusable over a text of `length` units, or undefined when it is fine. */
export function spanProblem(start: unknown, end: unknown, length: number): string | undefined {
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end)) {
    return `offsets ${String(start)}-${String(end)} are not integers`;
  }
  if (start < 0 || end > length) return `span ${start}-${end} is out of range (text length ${length})`;
  if (start >= end) return `span ${start}-${end} is empty or reversed`;
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lines with their 1-based numbers; any of \r\n, \n, \r ends a line. */
export function splitLines(content: string): string[] {
  return content.split(/\r\n|\n|\r/u);
}
