/** What the detector decides about one line (index.ts detectBoilerplate), before lines are merged into blocks. */
export interface Verdict {
  boilerplate: boolean;
  category: string;
  /** Which signal decided; `detail` describes the line itself (left out when lines are merged). */
  reason: string;
  detail?: string;
  confidence: number;
  corpusCount?: number;
  corpusSize?: number;
}

/** Categories a line gets for where it stands or how it looks, not for what it is. */
const GENERIC_CATEGORIES = new Set(['navigation', 'non-article']);
/** Flagged under a generic category: a rule that knows what the line is may name it (byline, related). */
export function hasGenericCategory(v: Verdict): boolean {
  return GENERIC_CATEGORIES.has(v.category);
}
