/**
 * Folded form of an entity mention, used to match mentions across a document
 * and a corpus: Arabic folding (arabic.ts), Latin lower-case, punctuation and
 * spacing collapsed to single spaces between word tokens.
 */
import { tokenize } from '../../text/tokenize';

export function normalizeName(text: string): string {
  return tokenize(text)
    .filter((t) => t.kind !== 'symbol' || /[\p{L}\p{N}]/u.test(t.text))
    .map((t) => t.folded)
    .join(' ');
}
