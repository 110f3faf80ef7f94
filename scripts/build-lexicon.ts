/**
 * Converts the Ayaspell Arabic hunspell dictionary (Debian package hunspell-ar:
 * /usr/share/hunspell/ar.aff + ar.dic, MPL 1.1) into data/lexicon/ar-hunspell.json,
 * the data of server/src/core/text/lexicon.ts ("is this a known common word?").
 * - AF aliases are expanded into flag strings: `flags` lists the distinct ones, and
 *   stems are grouped by the flags of their homonyms (indexes into `flags`: "12" or,
 *   for a stem listed twice with different flags, "12,40"); affix rows carry their
 *   continuation flags;
 * - the morphological fields (after the TAB) and the header/comment lines are dropped;
 * - the proper names are dropped: in names.dic, everything from `###أسماء` (a block of
 *   الله forms, letter names, continents, countries, capitals, person names) up to
 *   `####الأسماء####` where the common nouns start, and the closing credits block
 *   (`#####`: author, sponsor and company names, a date);
 * - IGNORE characters are removed from stems and affix strings, as hunspell does on load.
 * Run: node --import tsx scripts/build-lexicon.ts [--aff ar.aff] [--dic ar.dic] [--reference /tmp/x/arx]
 * (`--reference P` also writes P.aff + P.dic, the same dictionary without the dropped
 * lines, so that `hunspell -d P` is the reference for the tests.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { AffixRow, LexiconData } from '../server/src/core/text/lexicon';

const root = path.resolve(__dirname, '..');
const { values: opt } = (() => {
  try {
    return parseArgs({
      options: { aff: { type: 'string', default: '/usr/share/hunspell/ar.aff' }, dic: { type: 'string', default: '/usr/share/hunspell/ar.dic' }, reference: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\nusage: node --import tsx scripts/build-lexicon.ts [--aff ar.aff] [--dic ar.dic] [--reference PREFIX]`);
    process.exit(2);
  }
})();
const affFile = opt.aff;
const dicFile = opt.dic;
const reference = opt.reference;
for (const f of [affFile, dicFile]) if (!fs.existsSync(f)) throw new Error(`${f} missing: apt-get install -y hunspell-ar`);

// ---- .aff ----
/**
 * The directives handled here or in lexicon.ts, or that do not change which words are
 * accepted (suggestions, morphology, output). Any other (NEEDAFFIX, FORBIDDENWORD,
 * COMPOUND…, CIRCUMFIX, COMPLEXPREFIXES, FULLSTRIP…) stops the build.
 */
const HANDLED = new Set(['SET', 'FLAG', 'TRY', 'KEY', 'MAP', 'REP', 'AM', 'AF', 'PFX', 'SFX', 'IGNORE', 'ICONV', 'OCONV', 'WORDCHARS']);
const affLines = fs.readFileSync(affFile, 'utf8').split('\n');
const aliases: string[] = ['']; // AF aliases are 1-based
let ignore = '';
const iconv: [string, string][] = [];
const prefixes: AffixRow[] = [];
const suffixes: AffixRow[] = [];
for (let i = 0; i < affLines.length; i++) {
  const f = affLines[i].trim().split(/[ \t]+/);
  const key = f[0];
  if (!key || key.startsWith('#')) continue;
  if (!HANDLED.has(key)) throw new Error(`${affFile}:${i + 1}: directive ${key} is not handled by lexicon.ts`);
  if (key === 'SET' && f[1] !== 'UTF-8') throw new Error(`SET ${f[1]}: only UTF-8 is handled`);
  if (key === 'FLAG' && f[1] !== 'long') throw new Error(`FLAG ${f[1]}: only long (two-character) flags are handled`);
  if (key === 'IGNORE') ignore = f[1];
  // The first AF / ICONV line is the count, the others the entries.
  else if (key === 'AF' && !/^\d+$/.test(f[1])) aliases.push(f[1]);
  else if (key === 'ICONV' && f.length >= 3) iconv.push([f[1], f[2]]);
  else if (key === 'PFX' || key === 'SFX') {
    // Header `SFX flag Y|N count`, then exactly `count` rows `SFX flag strip add[/AF] condition [morphology]`.
    const [, flag, cross, count] = f;
    for (let n = Number(count); n > 0; n--) {
      const e = affLines[++i].trim().split(/[ \t]+/);
      if (e[0] !== key || e[1] !== flag) throw new Error(`${affFile}:${i + 1}: expected ${key} ${flag}`);
      const [add, cont] = e[3].split('/');
      // One row of ar.aff (`PFX Ph 0 أَول`) has no condition: hunspell then applies it anywhere.
      const row: AffixRow = [flag, cross === 'Y' ? 1 : 0, zero(e[2]), unignore(zero(add)), e[4] ?? '.', cont ? alias(cont) : ''];
      (key === 'PFX' ? prefixes : suffixes).push(row);
    }
  }
}
function zero(s: string): string {
  return s === '0' ? '' : s;
}
function unignore(s: string): string {
  return ignore ? [...s].filter((c) => !ignore.includes(c)).join('') : s;
}
function alias(n: string): string {
  const flags = aliases[Number(n)];
  if (flags === undefined) throw new Error(`unknown AF alias ${n}`);
  return flags;
}

// ---- .dic ----
const dicLines = fs.readFileSync(dicFile, 'utf8').split('\n');
const keep = new Array<boolean>(dicLines.length).fill(false);
const homonyms = new Map<string, Set<string>>(); // stem → its flag strings
let file = '';
let inNames = false;
let inCredits = false;
let kept = 0;
let droppedNames = 0;
let droppedCredits = 0;
let droppedOther = 0;
for (let i = 1; i < dicLines.length; i++) {
  const entry = dicLines[i].split('\t')[0].trim(); // the morphology after the TAB is dropped
  if (!entry) continue;
  const slash = entry.indexOf('/');
  const stem = unignore(slash > 0 ? entry.slice(0, slash) : entry);
  if (/^:+$/.test(entry)) continue; // `::::::::` frames the name of each source file
  if (/^[\w.-]+\.dic$/.test(entry)) {
    file = entry;
    inNames = inCredits = false;
  } else if (file === 'names.dic' && entry.startsWith('###أسماء')) inNames = true;
  else if (file === 'names.dic' && entry.startsWith('####الأسماء####')) inNames = false;
  else if (file === 'names.dic' && entry === '#####') inCredits = true;
  if (entry.startsWith('#') || /^[\d-]+$/.test(entry) || /\.dic$/.test(entry) || !stem) {
    droppedOther++;
    continue;
  }
  if (inNames || inCredits) {
    if (inNames) droppedNames++;
    else droppedCredits++;
    continue;
  }
  keep[i] = true;
  kept++;
  const flags = slash > 0 ? alias(entry.slice(slash + 1)) : '';
  if (!homonyms.has(stem)) homonyms.set(stem, new Set());
  homonyms.get(stem)!.add(flags);
}
if (droppedNames === 0) throw new Error('the proper-name section markers were not found in ' + dicFile);

const flagStrings = [...new Set([...homonyms.values()].flatMap((set) => [...set]))].sort();
const flagIndex = new Map(flagStrings.map((f, i) => [f, i]));
const groups = new Map<string, string[]>();
for (const [stem, flagSets] of homonyms) {
  const key = [...flagSets].map((f) => flagIndex.get(f)!).sort((a, b) => a - b).join(',');
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key)!.push(stem);
}
const stems: Record<string, string> = {};
for (const [key, list] of groups) stems[key] = list.sort().join(' ');

const data: LexiconData = {
  about: 'Ayaspell Arabic dictionary 3.2 (Mohamed Kebdani), from Debian hunspell-ar, used under MPL 1.1; converted by scripts/build-lexicon.ts. See data/lexicon/NOTICE.md.',
  ignore,
  iconv,
  prefixes,
  suffixes,
  flags: flagStrings,
  stems,
};
const out = path.join(root, 'data/lexicon/ar-hunspell.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(data));
console.log(
  `${kept} dictionary entries kept (${homonyms.size} distinct stems, ${groups.size} flag-set combinations), ` +
    `${droppedNames} proper-name entries, ${droppedCredits} credits entries and ${droppedOther} header/comment lines dropped; ` +
    `${prefixes.length} prefix and ${suffixes.length} suffix rules → ${path.relative(root, out)} (${(fs.statSync(out).size / 1e6).toFixed(2)} MB)`,
);

if (reference) {
  // The untouched .aff and the .dic reduced to the kept lines, for `hunspell -d <reference>`.
  fs.mkdirSync(path.dirname(reference), { recursive: true });
  fs.copyFileSync(affFile, reference + '.aff');
  const lines = dicLines.filter((_, i) => keep[i]);
  fs.writeFileSync(reference + '.dic', `${lines.length}\n${lines.join('\n')}\n`);
  console.log(`reference dictionary → ${reference}.aff/.dic`);
}
