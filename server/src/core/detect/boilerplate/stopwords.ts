/**
 * Multilingual stoplists (stopwords-iso), folded like the text and indexed
 * once: word → languages whose list holds it. A document's language is the
 * list with most hits; prose has a high stopword density, menus and
 * headlines a low one, in every language.
 */
import stopwordsIso from 'stopwords-iso/stopwords-iso.json';
import { foldText } from './fold';

let index: Map<string, number[]> | undefined;
let languages: string[] = [];

function build(): Map<string, number[]> {
  const data = stopwordsIso as Record<string, string[]>;
  languages = Object.keys(data);
  const m = new Map<string, number[]>();
  languages.forEach((lang, li) => {
    for (const w of data[lang] ?? []) {
      const f = foldText(w);
      // Multi-word entries and bare digits cannot match a single token usefully.
      if (!f || f.includes(' ') || /^\d+$/.test(f)) continue;
      const list = m.get(f);
      if (!list) m.set(f, [li]);
      else if (list[list.length - 1] !== li) list.push(li);
    }
  });
  return m;
}

export function stopwordIndex(): Map<string, number[]> {
  return (index ??= build());
}

export function languageCount(): number {
  stopwordIndex();
  return languages.length;
}

export function languageName(i: number): string {
  stopwordIndex();
  return languages[i] ?? '';
}

// Arabic-script conjunctions and prepositions cling to the next word
// (وقال، فإن، بالرغم); stripping one lets the stoplist see the word.
const CLITIC_UNITS = new Set([...'وفبلك'].map((c) => c.charCodeAt(0)));

/** Languages of a folded word token (empty when it is no stopword). */
export function stopLangs(token: string): readonly number[] | undefined {
  const idx = stopwordIndex();
  const hit = idx.get(token);
  if (hit) return hit;
  if (token.length > 2 && CLITIC_UNITS.has(token.charCodeAt(0))) return idx.get(token.slice(1));
  return undefined;
}
