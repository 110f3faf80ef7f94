/**
 * Compiles the gazetteer shipped with the server (data/gazetteers/gazetteer.json)
 * at build time, from npm packages and the curated lists beside it:
 * - i18n-iso-countries (MIT): country names in ar, fa, ur, en, fr + ISO codes;
 * - arabic-name-to-en (ISC): its table of ~2,500 Arabic personal names (keys only);
 * - compromise (MIT): the Latin-script given names, surnames, places and organisations
 *   of its lexicon, as consonant skeletons (server/src/core/text/skeleton.ts) that their
 *   Arabic transliterations share;
 * - data/gazetteers/curated-*.json (written for this project, general knowledge).
 * Run: node --import tsx scripts/build-gazetteers.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import countries from 'i18n-iso-countries';
import { compromiseLexicon } from './compromise-lexicon';
import type { GazetteerEntry } from '../server/src/core/detect/entities/gazetteer';
import { latinSkeletons } from '../server/src/core/text/skeleton';

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

const out = {
  licence: 'See data/gazetteers/NOTICE.md',
  entries,
  triggers: read('curated-triggers.json'),
  givenNames: uniq([...read('curated-given-names.json').names, ...Object.keys(require('arabic-name-to-en/cases/fullnamedb.js') as Record<string, string>)]),
  blacklist: uniq(read('curated-blacklist.json').words),
  latinNames,
};
delete out.triggers._comment;
const file = path.join(dir, 'gazetteer.json');
fs.writeFileSync(file, JSON.stringify(out));
console.log(`${entries.length} entries, ${Object.keys(latinNames).length} Latin-name skeletons → ${path.relative(root, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
