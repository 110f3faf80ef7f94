/**
 * One document's suggestions: what the detectors propose, minus what the
 * user has already decided in the sidecar. Shared by the language server and
 * the CLI so both flag exactly the same spans.
 */
import type { SidecarAnnotation } from '../protocol';
import { detectBoilerplate, type BoilerplateOptions } from './detect/boilerplate';
import { detectEntities, entityDataLoaded, type EntityOptions } from './detect/entities';
import type { BoilerplateBlock, EntityCandidate } from './detect/types';
import { TextIndex } from './text/offsets';

export { entityDataLoaded };

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
  if (stored.length === 0) return suggestions;
  // Linear in text + annotations + suggestions (a sidecar may hold 200,000 decisions): the units
  // covered by accepted entities and by boilerplate decisions are counted once into prefix sums.
  const n = index.text.length;
  const acceptedEntities = new Coverage(n);
  const boilerplate = new Coverage(n);
  const rejected = new Set<string>();
  for (const a of stored) {
    if (a.orphaned) continue;
    const start = index.toUtf16(a.start);
    const end = index.toUtf16(a.end);
    if (a.kind === 'boilerplate') boilerplate.add(start, end);
    else if (a.status === 'accepted') acceptedEntities.add(start, end);
    else if (a.status === 'rejected') rejected.add(`${start}:${end}`);
  }
  acceptedEntities.seal();
  boilerplate.seal();
  return {
    entities: suggestions.entities.filter((c) => !acceptedEntities.overlaps(c.start, c.end) && !rejected.has(`${c.start}:${c.end}`)),
    boilerplate: suggestions.boilerplate.filter((b) => !boilerplate.overlaps(b.start, b.end)),
  };
}

/** Which UTF-16 units of a text some span covers; `overlaps` answers in O(1) once sealed. */
class Coverage {
  private readonly delta: Int32Array;
  private any = false;
  constructor(private readonly length: number) {
    this.delta = new Int32Array(length + 2);
  }
  add(start: number, end: number): void {
    if (end <= start) return;
    this.delta[start]++;
    this.delta[Math.min(end, this.length)]--;
    this.any = true;
  }
  /** Turns the deltas into prefix counts of covered units: delta[u] = covered units before u. */
  seal(): void {
    if (!this.any) return;
    let depth = 0;
    let covered = 0;
    for (let u = 0; u <= this.length; u++) {
      depth += this.delta[u];
      this.delta[u] = covered;
      if (depth > 0) covered++;
    }
    this.delta[this.length + 1] = covered;
  }
  overlaps(start: number, end: number): boolean {
    if (!this.any || end <= start) return false;
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(0, Math.min(end, this.length));
    return this.delta[e] - this.delta[s] > 0;
  }
}

/** Detect, then drop what is decided: what a user still has to look at. */
export function suggest(text: string, stored: readonly SidecarAnnotation[], options: AnalysisOptions = {}, index = new TextIndex(text)): Suggestions {
  return filterDecided(detectAll(text, options), index, stored);
}
