/**
 * Arabic Wikipedia text (../shared/train/arwiki-text, CC BY-SA 4.0) for build-time
 * statistics: word clusters (build-clusters.ts) and the common-word filter of the name
 * gazetteers (build-gazetteers.ts). Never shipped: only lists and clusters built from it.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { tokenize } from '../server/src/core/text/tokenize';
import { sharedDir } from './shared-dir';

export const ARWIKI_ATTRIBUTION =
  'Arabic Wikipedia text (dump of 20 January 2017) by Wikipedia contributors, from the Comparable Wikipedia Corpus by Motaz Saad and Basem Alijla (https://github.com/motazsaad/egy-arb-dialect-id), CC BY-SA 4.0. Markup stripped and paragraphs filtered.';

/** The paragraphs (one per line of the file). */
export function arwikiParagraphs(): string[] {
  return zlib.gunzipSync(fs.readFileSync(sharedDir('train', 'arwiki-text', 'arwiki.txt.gz'))).toString('utf8').split('\n');
}

/** Folded word form → its count in the text, tokenised and folded as the tagger does. */
export function arwikiWordCounts(paragraphs = arwikiParagraphs()): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of paragraphs) for (const t of tokenize(p)) if (t.kind === 'word') counts.set(t.folded, (counts.get(t.folded) ?? 0) + 1);
  return counts;
}
