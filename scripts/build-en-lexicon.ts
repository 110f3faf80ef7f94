/**
 * Compiles data/gazetteers/en-lexicon.json, the word lists behind the English tagger's
 * lexical features (server/src/core/detect/entities/englishLexicon.ts), at build time:
 *  - compromise (MIT): its English lexicon — given names, surnames, countries, cities,
 *    regions, organisations, sports teams, well-known people, demonyms — and, as `common`,
 *    the single words it knows only as ordinary words (verbs, adjectives, nouns, …);
 *  - i18n-iso-countries (MIT): English country names;
 *  - ../shared/train/gazetteers/world-cities.tsv (CC BY 4.0, Jamshaid Kamran, from Wikidata): English city names;
 *  - ../shared/train/gazetteers/wikidata-arabic-names.tsv (CC0, Merhav & Ash 2018): the Latin
 *    side of Wikidata person names, tokens seen in at least 3 names and not ordinary words.
 * Lists are lower-case; a multi-word entry keeps its spaces. No annotated text is used.
 *   node --import tsx scripts/build-en-lexicon.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import countries from 'i18n-iso-countries';
import { compromiseLexicon } from './compromise-lexicon';
import { sharedDir } from './shared-dir';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'data/gazetteers/en-lexicon.json');
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** Particles of names (de, van, bin): joiners, not names on their own. */
const NAME_PARTICLES = new Set(['de', 'van', 'von', 'der', 'den', 'da', 'di', 'du', 'la', 'le', 'del', 'dos', 'das', 'bin', 'ibn', 'al', 'el', 'abu', 'of', 'y', 'e', 'and', 'st', 'ben', 'mac', 'mc']);
const classes: Record<string, Set<string>> = {};
const add = (cls: string, w: string) => {
  const k = w.trim().toLowerCase().replace(/\s+/g, ' ');
  if (k.length > 1 || cls === 'common') (classes[cls] ??= new Set()).add(k);
};

// compromise tags → our classes.
const TAG_CLASS: [RegExp, string][] = [
  [/\b(FirstName|MaleName|FemaleName)\b/, 'given'],
  [/\bLastName\b/, 'surname'],
  [/\bPerson\b/, 'person'],
  [/\bCountry\b/, 'country'],
  [/\bCity\b/, 'city'],
  [/\bRegion\b/, 'region'],
  [/\b(Organization|SportsTeam)\b/, 'org'],
  [/\bDemonym\b/, 'demonym'],
];
const NAME_TAGS = /\b(FirstName|MaleName|FemaleName|LastName|Person|Country|City|Region|Place|Organization|SportsTeam|Demonym|ProperNoun|Honorific|Abbreviation)\b/;
for (const [word, tags] of Object.entries(compromiseLexicon())) {
  const t = ([] as string[]).concat(tags).join(',');
  for (const [re, cls] of TAG_CLASS) if (re.test(t)) add(cls, word);
  // Ordinary single words: what a capitalised name is rarely also written as.
  if (!NAME_TAGS.test(t) && /^[a-z][a-z'-]*$/.test(word)) add('common', word);
}
// News agencies and broadcasters, the organisations news text cites most (general knowledge).
for (const n of 'reuters|afp|agence france-presse|associated press|ap|upi|bbc|bbc news|cnn|xinhua|tass|itar-tass|ria novosti|bloomberg|al jazeera|al arabiya|sky news|nbc|cbs|abc|fox news|npr|pbs|dpa|ansa|efe|kyodo|yonhap|irna|wafa|mena|anadolu|the guardian|the new york times|the washington post|the times|the independent|the telegraph|the economist|financial times|wall street journal|the wall street journal|le monde|der spiegel|haaretz'.split('|')) add('org', n);
for (const names of Object.values(countries.getNames('en', { select: 'all' }) as Record<string, string[]>)) for (const n of names) add('country', n);

const tsv = (file: string) =>
  fs
    .readFileSync(sharedDir('train', 'gazetteers', file), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));
for (const [, english] of tsv('world-cities.tsv')) if (english && !/\d/.test(english)) add('city', english);
const nameCounts = new Map<string, number>();
for (const [, latin, count] of tsv('wikidata-arabic-names.tsv')) nameCounts.set(latin, (nameCounts.get(latin) ?? 0) + Number(count));
const common = classes.common;
for (const [latin, n] of nameCounts) {
  if (n < 3 || !/^\p{L}[\p{L}'-]+$/u.test(latin) || NAME_PARTICLES.has(latin)) continue;
  if (common.has(latin) && !classes.given.has(latin) && !classes.surname.has(latin)) continue;
  add('nametoken', latin);
}
// Names that are also ordinary words (Will, Grace, Bill, May) stay names; the tagger weighs both.

const json = {
  licence: 'See data/gazetteers/NOTICE.md (compromise MIT, i18n-iso-countries MIT, world cities CC BY 4.0, Wikidata names CC0)',
  classes: Object.fromEntries(
    Object.entries(classes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cls, set]) => [cls, [...set].sort().join('|')]),
  ),
};
fs.writeFileSync(out, JSON.stringify(json) + '\n');
console.log(`${path.relative(root, out)}: ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
for (const [cls, set] of Object.entries(classes)) console.log(`  ${cls}: ${set.size}`);
