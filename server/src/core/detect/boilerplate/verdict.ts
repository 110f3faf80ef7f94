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
