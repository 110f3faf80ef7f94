/**
 * The units of token-level agreement: the exporter's tokens (the CoNLL
 * tokeniser, export/tokenize.ts), each tagged per annotator with the label of
 * the span covering it, or "outside".
 *
 * The exporter cuts tokens at entity boundaries (so وباكستان splits when only
 * باكستان is annotated); here the cuts of every annotator of the document are
 * applied together, so all annotators tag the same units and every unit lies
 * entirely inside or outside each annotator's spans. Where spans of one
 * annotator overlap, the CoNLL rule applies: the earliest, then longest, wins.
 */
import { dropOverlaps, bySpan, type LabeledSpan } from '../export/common';
import { tokenize } from '../export/tokenize';

/** Tag of a token outside every span. Labels are never empty, so it cannot collide with one. */
export const OUTSIDE = '';

/**
 * Tags of the document's tokens for each annotator: `result[i][t]` is the tag
 * annotator i (in the order of `layers`) gives token t.
 */
export function tokenTags(cps: readonly string[], layers: readonly (readonly LabeledSpan[])[]): string[][] {
  const kept = layers.map((spans) => dropOverlaps([...spans].sort(bySpan)));
  const cut = new Uint8Array(cps.length + 1);
  for (const spans of kept)
    for (const s of spans) {
      cut[s.start] = 1;
      cut[s.end] = 1;
    }
  const tokens = tokenize(cps, cut);
  return kept.map((spans) => {
    const tags: string[] = new Array(tokens.length);
    let k = 0;
    for (let t = 0; t < tokens.length; t++) {
      const at = tokens[t].start;
      while (k < spans.length && spans[k].end <= at) k++;
      tags[t] = k < spans.length && spans[k].start <= at ? spans[k].label : OUTSIDE;
    }
    return tags;
  });
}
