/**
 * What detectors return. Offsets here are UTF-16 code units into the JS
 * string they were given (the natural unit inside the process); the server
 * and exporters convert to LSP positions or code points (core/text/offsets).
 */

export interface EntityFacts {
  canonical?: string;
  /** Gazetteer type: country, city, region, organisation, media, person… */
  type?: string;
  country?: string;
  iso?: string;
  altNames?: string[];
  /** Where the fact comes from (e.g. `i18n-iso-countries`, `curated`). */
  origin?: string;
}

export interface EntityCandidate {
  start: number;
  end: number;
  label: string;
  /** Folded form used to match mentions across a document and a corpus. */
  normalized: string;
  /** In [0,1]. */
  confidence: number;
  /** Detector(s) that proposed it, `+`-joined: `tagger`, `gazetteer`, `trigger`, `dictionary`, `english`… */
  source: string;
  facts?: EntityFacts;
}

export interface BoilerplateBlock {
  start: number;
  end: number;
  /** `comment-form`, `share`, `related`, `navigation`, `credit`, `duplicate`, `repeated`, `user`… */
  category: string;
  /** Short human-readable reason: which signals fired. */
  reason: string;
  confidence: number;
  /** For `repeated`: in how many corpus documents the block occurs, and of how many. */
  corpusCount?: number;
  corpusSize?: number;
}
