/**
 * compromise's lexicon (MIT): lower-cased word or phrase → its tag(s). Build scripts only
 * (scripts/build-en-lexicon.ts, scripts/build-gazetteers.ts): what the extension needs of it
 * is compiled into data/gazetteers/, so the bundle carries no NLP library.
 */
import nlp from 'compromise';

export function compromiseLexicon(): Record<string, string | string[]> {
  // Its typings do not expose the model.
  return (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;
}
