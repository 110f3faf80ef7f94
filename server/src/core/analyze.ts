/**
 * One document's suggestions: what the detectors propose, minus what the
 * user has already decided in the sidecar. Shared by the language server and
 * the CLI so both flag exactly the same spans.
 */
import type { SidecarAnnotation } from '../protocol';
import { detectBoilerplate, type BoilerplateOptions } from './detect/boilerplate';
import { detectEntities, type EntityOptions } from './detect/entities';
import type { BoilerplateBlock, EntityCandidate } from './detect/types';
import { TextIndex } from './text/offsets';

export interface AnalysisOptions {
  /** `false`: the detector is switched off and does not run. */
  entities?: EntityOptions | false;
  boilerplate?: BoilerplateOptions | false;
}

export interface Suggestions {
  /** UTF-16 offsets into the analysed text. */
  entities: EntityCandidate[];
  boilerplate: BoilerplateBlock[];
}

/** Runs both detectors on a text, without regard to stored decisions. */
export function detectAll(text: string, options: AnalysisOptions = {}): Suggestions {
  return {
    entities: options.entities === false ? [] : detectEntities(text, options.entities),
    boilerplate: options.boilerplate === false ? [] : detectBoilerplate(text, options.boilerplate),
  };
}

/**
 * Removes suggestions the user already decided on: an accepted entity hides
 * any candidate overlapping it (it is shown as an annotation instead); a
 * rejected one hides a candidate on exactly its span. Boilerplate marked by
 * the user (either way) hides overlapping boilerplate suggestions.
 */
export function filterDecided(suggestions: Suggestions, index: TextIndex, stored: readonly SidecarAnnotation[]): Suggestions {
  const spans = stored
    .filter((a) => !a.orphaned)
    .map((a) => ({ a, start: index.toUtf16(a.start), end: index.toUtf16(a.end) }));
  const entities = suggestions.entities.filter((c) => {
    for (const { a, start, end } of spans) {
      if (a.kind !== 'entity') continue;
      if (a.status === 'accepted' && start < c.end && c.start < end) return false;
      if (a.status === 'rejected' && start === c.start && end === c.end) return false;
    }
    return true;
  });
  const boilerplate = suggestions.boilerplate.filter((b) => {
    for (const { a, start, end } of spans) {
      if (a.kind !== 'boilerplate') continue;
      if (start < b.end && b.start < end) return false;
    }
    return true;
  });
  return { entities, boilerplate };
}

/** Detect, then drop what is decided: what a user still has to look at. */
export function suggest(text: string, stored: readonly SidecarAnnotation[], options: AnalysisOptions = {}, index = new TextIndex(text)): Suggestions {
  return filterDecided(detectAll(text, options), index, stored);
}
