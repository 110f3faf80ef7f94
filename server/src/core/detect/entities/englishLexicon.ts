/**
 * English word lists for the tagger's lexical features: given names, surnames, name
 * tokens of Wikidata people, countries, cities, regions, organisations, demonyms, and
 * ordinary words (data/gazetteers/en-lexicon.json, compiled by scripts/build-en-lexicon.ts),
 * plus a few closed classes written here (titles, organisation head words, months).
 * They are features, not decisions: the tagger learns how far to trust each class.
 */
import { ENGLISH_MONTHS, ENGLISH_WEEKDAYS } from '../../text/calendar';
import { PackedMap } from '../../text/stringTable';

export interface EnglishLexicon {
  /** Lower-cased single word → its classes (short codes, see CLASS_CODES). */
  word: { get(word: string): readonly string[] | undefined };
  /** Multi-word entries by their first lower-cased word: the words and the classes. */
  phrases: Map<string, { words: string[]; classes: string[] }[]>;
}

/** Short codes used in feature values and the names they stand for. */
const CLASS_CODES: Record<string, string> = {
  given: 'G',
  surname: 'S',
  nametoken: 'N',
  person: 'P',
  country: 'C',
  city: 'Y',
  region: 'R',
  org: 'O',
  demonym: 'D',
  common: 'w',
};

/** Words before a person's name that are not part of it (President Barack Obama, Dr. Jane Smith). */
export const TITLE_WORDS = new Set(
  'president vice prime minister secretary ambassador senator sen sen. representative rep rep. congressman congresswoman governor gov gov. mayor king queen prince princess duke duchess lord lady sir dame pope cardinal bishop archbishop reverend rev rev. father saint dr dr. doctor professor prof prof. dean mr mr. mrs mrs. ms ms. miss chancellor chairman chairwoman ceo director general gen gen. colonel col col. captain capt capt. lieutenant lt lt. sergeant sgt sgt. admiral commander judge justice coach chief spokesman spokeswoman emperor empress sultan sheikh emir ayatollah imam rabbi pastor commissioner deputy coach striker midfielder defender goalkeeper author actor actress singer'.split(
    ' ',
  ),
);

/** Head words of organisation names (Ministry of Health, Harvard University, Apple Inc.). */
const ORG_HEADS = new Set(
  'ministry department council university college school academy institute bank party agency committee court army navy police company corporation corp corp. inc inc. ltd ltd. llc plc group association organization organisation union federation commission authority fund forces parliament assembly senate congress foundation league club airlines airways press news times post network movement front society church office bureau board centre center service services team federal national international'.split(' '),
);

const MONTHS_DAYS = new Set<string>([...ENGLISH_MONTHS, ...ENGLISH_WEEKDAYS]);

let loaded: EnglishLexicon | undefined;

/** The shipped lists (parsed once, on first use). */
export function englishLexicon(): EnglishLexicon {
  if (loaded) return loaded;
  // require (not import) so the JSON is only read on first use (inlined in the CLI bundle, from dist/data by the server).
  const data = require('../../../../../data/gazetteers/en-lexicon.json') as { classes: Record<string, string> };
  const single = new Map<string, string[]>();
  const phrases: EnglishLexicon['phrases'] = new Map();
  const addWord = (w: string, code: string) => {
    const cur = single.get(w);
    if (!cur) single.set(w, [code]);
    else if (!cur.includes(code)) cur.push(code);
  };
  for (const [cls, list] of Object.entries(data.classes)) {
    const code = CLASS_CODES[cls];
    if (!code) continue;
    for (const entry of list.split('|')) {
      if (!entry) continue;
      if (!entry.includes(' ')) {
        addWord(entry, code);
        continue;
      }
      const words = entry.split(' ');
      let bucket = phrases.get(words[0]);
      if (!bucket) phrases.set(words[0], (bucket = []));
      const same = bucket.find((p) => p.words.join(' ') === entry);
      if (same) {
        if (!same.classes.includes(code)) same.classes.push(code);
      } else bucket.push({ words, classes: [code] });
    }
  }
  for (const w of TITLE_WORDS) addWord(w, 'T');
  for (const w of ORG_HEADS) addWord(w, 'H');
  for (const w of MONTHS_DAYS) addWord(w, 'M');
  // Longest phrases first, so a match takes the longest entry.
  for (const bucket of phrases.values()) bucket.sort((a, b) => b.words.length - a.words.length);
  // Packed: 30,000 words share 44 distinct lists of classes, and each scan thread holds a copy
  // (a map with a list per word took 4.8 MB of heap).
  const word = new PackedMap<readonly string[]>([...single.keys()], [...single.values()], (classes) => classes.join(','));
  return (loaded = { word, phrases });
}

/** Classes an organisation or place lookup can answer with (for names inside non-English lines). */
export function lexiconLabel(classes: readonly string[] | undefined): string | undefined {
  if (!classes) return undefined;
  if (classes.includes('O')) return 'ORG';
  if (classes.includes('C') || classes.includes('Y') || classes.includes('R')) return 'LOC';
  return undefined;
}
