/**
 * Compiles the gazetteer shipped with the server (data/gazetteers/gazetteer.json)
 * at build time, from npm packages and the curated lists beside it:
 * - i18n-iso-countries (MIT): country names in ar, fa, ur, en, fr + ISO codes;
 * - arabic-name-to-en (ISC): its table of ~2,500 Arabic personal names (keys only);
 * - compromise (MIT): the Latin-script given names, surnames, places and organisations
 *   of its lexicon, as consonant skeletons (server/src/core/text/skeleton.ts) that their
 *   Arabic transliterations share;
 * - data/gazetteers/curated-*.json (written for this project, general knowledge);
 * - ../shared/train/gazetteers (read at build time only): Wikidata person-name tokens
 *   (CC0) kept where they are names more than common words, by their frequency in Arabic
 *   Wikipedia text (../shared/train/arwiki-text), and world cities with Arabic names and
 *   ISO countries (CC BY 4.0, Jamshaid Kamran, from Wikidata).
 * Run: npm run build:gazetteers (about a minute: it counts the words of arwiki-text)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import countries from 'i18n-iso-countries';
import { compromiseLexicon } from './compromise-lexicon';
import type { GazetteerEntry } from '../server/src/core/detect/entities/gazetteer';
import { foldArabic } from '../server/src/core/text/arabic';
import { arabicLexicon } from '../server/src/core/text/lexicon';
import { latinSkeletons } from '../server/src/core/text/skeleton';
import { tokenize } from '../server/src/core/text/tokenize';
import { arwikiWordCounts } from './arwiki';
import { sharedDir } from './shared-dir';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'data/gazetteers');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const LANGS = ['ar', 'fa', 'ur', 'en', 'fr'];
for (const l of LANGS) countries.registerLocale(require(`i18n-iso-countries/langs/${l}.json`));

/** Compact entry: n canonical, t type, l label, c country (ISO alpha-2), i ISO codes, a alternative names, o origin. */
type Entry = GazetteerEntry;
const entries: Entry[] = [];
const uniq = (xs: string[]) => [...new Set(xs.filter((x) => x && x.trim()))];

const places = read('curated-places.json');
const aliases: Record<string, string[]> = places.countryAliases;
for (const code of Object.keys(countries.getAlpha2Codes())) {
  const ar = (countries.getNames('ar', { select: 'all' }) as Record<string, string[]>)[code] ?? [];
  const names = uniq([...(aliases[code] ?? []), ...ar]);
  const other = uniq(LANGS.slice(1).flatMap((l) => (countries.getNames(l, { select: 'all' }) as Record<string, string[]>)[code] ?? []));
  if (names.length === 0 && other.length === 0) continue;
  entries.push({
    n: names[0] ?? other[0],
    t: 'country',
    l: 'LOC',
    c: code,
    i: `${code}/${countries.alpha2ToAlpha3(code)}`,
    a: uniq([...names.slice(1), ...other]),
    o: aliases[code] ? 'i18n-iso-countries+curated' : 'i18n-iso-countries',
  });
}
const countryName = (code: string) => entries.find((e) => e.c === code && e.t === 'country')?.n ?? code;
for (const [type, byCountry] of [['city', places.city], ['region', places.region]] as const) {
  for (const [code, names] of Object.entries(byCountry as Record<string, string[]>)) {
    for (const n of uniq(names)) entries.push({ n, t: type, l: 'LOC', ...(code ? { c: countryName(code) } : {}), o: 'curated' });
  }
}
// CLDR (Unicode licence): Arabic exemplar cities of the time zones, and Arabic names
// of world regions (continents and sub-regions; not "the world" itself).
const known = new Set(entries.flatMap((e) => [e.n, ...(e.a ?? [])]));
const zones = require('cldr-dates-modern/main/ar/timeZoneNames.json').main.ar.dates.timeZoneNames.zone;
const cldrCities: string[] = [];
const walk = (o: Record<string, unknown>) => {
  for (const v of Object.values(o)) {
    if (!v || typeof v !== 'object') continue;
    const city = (v as { exemplarCity?: string }).exemplarCity;
    if (typeof city === 'string') cldrCities.push(city);
    else walk(v as Record<string, unknown>);
  }
};
walk(zones);
const blocked = new Set<string>(read('curated-blacklist.json').words);
for (const n of uniq(cldrCities)) if (!known.has(n) && !blocked.has(n) && /^[\u0600-\u06ff ]+$/.test(n)) entries.push({ n, t: 'city', l: 'LOC', o: 'cldr' });
const territories = require('cldr-localenames-modern/main/ar/territories.json').main.ar.localeDisplayNames.territories as Record<string, string>;
for (const [code, n] of Object.entries(territories)) if (/^\d+$/.test(code) && code !== '001' && !known.has(n)) entries.push({ n, t: 'region', l: 'LOC', o: 'cldr' });

// World cities (CC BY 4.0) after the curated and CLDR ones, which win a shared name.
// About 8 % of the Arabic labels carry an administrative word (ولاية قندهار): the name
// without it is listed too. Rows labelled as a club (نادي …) name the wrong item.
const tsv = (file: string) =>
  fs
    .readFileSync(sharedDir('train', 'gazetteers', file), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));
const ADMINISTRATIVE = new Set(['محافظة', 'مقاطعة', 'ولاية', 'بلدية', 'إقليم', 'منطقة', 'مدينة', 'إدارة', 'مديرية', 'مركز'].map(foldArabic));
const lexicon = arabicLexicon();
const worldCountry = new Map(tsv('world-cities-countries.tsv').map(([code, , ar]) => [code, ar]));
const cityNames = new Set<string>();
/** ISO code → its cities, each `name|alternative|…`; ISO code → the country's Arabic name. */
const worldCities: Record<string, string[]> = {};
const worldCountries: Record<string, string> = {};
let citiesAdded = 0;
let citiesCommon = 0;
for (const [arabic, , code] of tsv('world-cities.tsv')) {
  const words = arabic.split(' ');
  if (foldArabic(words[0]) === foldArabic('نادي')) continue;
  const names = uniq([arabic, ...(words.length > 1 && ADMINISTRATIVE.has(foldArabic(words[0])) ? [words.slice(1).join(' ')] : [])]).filter((n) => !known.has(n) && !blocked.has(n));
  // A one-word name that is also a common word (صور "pictures", Tyre) would fire on every use of the word.
  const usable = names.filter((n) => n.includes(' ') || !lexicon.has(n));
  citiesCommon += names.length - usable.length;
  if (!usable.length) continue;
  const key = usable.map(foldArabic).join('|');
  if (cityNames.has(key)) continue;
  cityNames.add(key);
  // The English name stays out: matched in Latin text it would flag Reading, Nice or Mobile.
  // Stored compactly (Gazetteer reads them into entries of type city, origin world-cities).
  worldCities[code] = [...(worldCities[code] ?? []), usable.join('|')];
  worldCountries[code] ??= worldCountry.get(code) ?? countryName(code);
  for (const n of usable) known.add(n);
  citiesAdded++;
}
console.log(`world cities: ${citiesAdded} added, ${citiesCommon} one-word names left out as common words`);

const orgs = read('curated-orgs.json');
for (const n of uniq(orgs.organisation)) entries.push({ n, t: 'organisation', l: 'ORG', o: 'curated' });
for (const n of uniq(orgs.media)) entries.push({ n, t: 'media', l: 'ORG', o: 'curated' });
for (const n of uniq(orgs.club ?? [])) entries.push({ n, t: 'club', l: 'ORG', o: 'curated' });

/**
 * Skeleton → classes (P given name, S surname, L place, O organisation). Skeletons of
 * fewer than three consonants (Paul: BL, John: GN) would meet too many Arabic words.
 */
const LATIN_CLASSES: [RegExp, string][] = [[/\b(MaleName|FemaleName|FirstName)\b/, 'P'], [/\bLastName\b/, 'S'], [/\b(City|Place|Country|Region)\b/, 'L'], [/\b(Organization|SportsTeam)\b/, 'O']];
const latinNames: Record<string, string> = {};
for (const [word, tags] of Object.entries(compromiseLexicon())) {
  for (const [re, c] of LATIN_CLASSES) {
    if (!re.test(String(tags))) continue;
    // Multi-word entries (new york) give a skeleton per word, except for given names.
    const parts = c === 'P' ? (word.includes(' ') ? [] : [word]) : word.split(' ');
    for (const part of parts) for (const k of latinSkeletons(part)) if (k.length >= 3 && !(latinNames[k] ?? '').includes(c)) latinNames[k] = (latinNames[k] ?? '') + c;
  }
}

/**
 * Person-name tokens of Wikidata humans (CC0), folded. Many are common words (من, على,
 * كان) or names that are also words (سعيد, أمين), so each token is weighed by how often it
 * is a name against how often it is a word: its count in name labels over its count in
 * 8 M words of Arabic Wikipedia text. Tokens below 1 in 50 are left out, and those of a
 * single name; the rest are grouped by that ratio (a ≥ 1, b ≥ 0.2, c below) and by their
 * name count (3: ≥ 10, 2: 2–9), and the tagger learns how far to trust each group.
 */
const blockedFolded = new Set([...blocked].map(foldArabic));
const nameCount = new Map<string, number>();
for (const [arabic, , count] of tsv('wikidata-arabic-names.tsv')) {
  const toks = tokenize(arabic);
  if (toks.length !== 1 || toks[0].kind !== 'word' || toks[0].folded.length < 2) continue;
  nameCount.set(toks[0].folded, (nameCount.get(toks[0].folded) ?? 0) + Number(count));
}
console.log(`Wikidata name tokens: ${nameCount.size} folded forms; counting arwiki-text words…`);
const wiki = arwikiWordCounts();
const nameTokens: Record<string, string[]> = {};
let dropped = 0;
let rare = 0;
for (const [w, n] of [...nameCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
  const ratio = n / ((wiki.get(w) ?? 0) + 1);
  if (ratio < 0.02 || blockedFolded.has(w)) {
    dropped++;
    continue;
  }
  // Tokens of a single name label are left out (half the list, and no help in CV: 79.0 → 79.1).
  if (n < 2) {
    rare++;
    continue;
  }
  const group = (ratio >= 1 ? 'a' : ratio >= 0.2 ? 'b' : 'c') + (n >= 10 ? '3' : '2');
  (nameTokens[group] ??= []).push(w);
}
console.log(`Wikidata name tokens kept: ${Object.values(nameTokens).reduce((k, ws) => k + ws.length, 0)} (${Object.entries(nameTokens).sort().map(([g, ws]) => `${g} ${ws.length}`).join(', ')}); ${dropped} left out as common words, ${rare} as seen in one name only`);

const out = {
  licence: 'See data/gazetteers/NOTICE.md',
  entries,
  triggers: read('curated-triggers.json'),
  givenNames: uniq([...read('curated-given-names.json').names, ...Object.keys(require('arabic-name-to-en/cases/fullnamedb.js') as Record<string, string>)]),
  blacklist: uniq(read('curated-blacklist.json').words),
  latinNames,
  nameTokens: Object.fromEntries(Object.entries(nameTokens).sort().map(([g, ws]) => [g, ws.join(' ')])),
  worldCities: { countries: worldCountries, cities: Object.fromEntries(Object.entries(worldCities).map(([code, cs]) => [code, cs.join(';')])) },
};
delete out.triggers._comment;
const file = path.join(dir, 'gazetteer.json');
fs.writeFileSync(file, JSON.stringify(out));
console.log(`${entries.length} entries, ${Object.keys(latinNames).length} Latin-name skeletons → ${path.relative(root, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
