/**
 * English (Latin-script) names via `compromise` (MIT): its part-of-speech
 * tags (Person, Place, Organization, ProperNoun) label runs of capitalised
 * words; a preceding title (Secretary of State, President, Minister…) makes
 * a run a person even when compromise guesses otherwise. Only stretches of
 * Latin-script text are given to compromise.
 */
import nlp from 'compromise';
import type { Token } from '../../text/tokenize';
import type { EntityCandidate } from '../types';
import { normalizeName } from './normalize';

interface Term {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}

const TITLES = new Set(['secretary', 'state', 'president', 'minister', 'prime', 'foreign', 'defence', 'defense', 'senator', 'sen.', 'rep.', 'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'dr', 'dr.', 'general', 'gen.', 'king', 'queen', 'prince', 'princess', 'sheikh', 'pope', 'chancellor', 'ambassador', 'spokesman', 'spokeswoman', 'governor', 'mayor', 'judge', 'envoy', 'chief', 'vice', 'deputy', 'premier', 'lord', 'sir', 'colonel', 'captain', 'ayatollah', 'emir', 'crown']);
const JOINERS = new Set(['of', 'de', 'al', 'el', 'bin', 'ibn', 'van', 'von', 'da', 'du', 'la', 'for', 'and', '-']);

const isCap = (s: string) => /^[A-Z]/.test(s);

/** Latin-script stretches: lines with more Latin than Arabic letters. */
function latinStretches(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /[^\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const latin = (m[0].match(/[A-Za-z]/g) ?? []).length;
    const arabic = (m[0].match(/[\u0600-\u06ff]/g) ?? []).length;
    if (latin >= 3 && latin > arabic) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

export function detectEnglish(text: string, tokens: Token[]): EntityCandidate[] {
  if (!tokens.some((t) => t.kind === 'word' && /[A-Za-z]/.test(t.text))) return [];
  const out: EntityCandidate[] = [];
  for (const [s, e] of latinStretches(text)) {
    const doc = nlp(text.slice(s, e));
    for (const sent of doc.json({ offset: true }) as { terms: Term[] }[]) labelRuns(sent.terms, s, text, out);
  }
  return out;
}

/** Words that make a capitalised run an organisation (Ministry of Foreign Affairs, Bank of England, Reuters). */
const ORG_HEADS = new Set([
  'ministry', 'department', 'council', 'university', 'bank', 'party', 'agency', 'committee', 'court', 'army', 'police',
  'company', 'corporation', 'corp', 'inc', 'ltd', 'group', 'association', 'organization', 'organisation', 'union',
  'federation', 'institute', 'commission', 'authority', 'fund', 'forces', 'parliament', 'assembly', 'senate', 'congress',
  'foundation', 'league', 'club', 'airlines', 'airways', 'press', 'news', 'times', 'post', 'network', 'movement', 'front',
]);
const NEWS_AGENCIES = new Set(['reuters', 'afp', 'ap', 'bbc', 'cnn', 'upi', 'xinhua', 'tass', 'bloomberg', 'nbc', 'cbs', 'abc']);

function labelOf(terms: Term[], titled: boolean): string | undefined {
  const has = (tag: string) => terms.some((t) => t.tags.includes(tag));
  const words = terms.map((t) => t.text.replace(/[^\p{L}]+/gu, '').toLowerCase());
  if (!titled && (words.some((w) => ORG_HEADS.has(w)) || (words.length === 1 && NEWS_AGENCIES.has(words[0])))) return 'ORG';
  if (titled || has('Person') || has('FirstName') || has('LastName') || has('Honorific')) return 'PER';
  if (has('Organization')) return 'ORG';
  if (has('Place') || has('Country') || has('City') || has('Region')) return 'LOC';
  return undefined;
}

function labelRuns(terms: Term[], base: number, text: string, out: EntityCandidate[]): void {
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i];
    const word = t.text.replace(/[^\p{L}\p{N}.'’-]+$/u, '');
    if (!isCap(word)) continue;
    const nameLike = t.tags.includes('ProperNoun') || t.tags.some((g) => ['Person', 'Place', 'Organization'].includes(g)) || i > 0;
    if (!nameLike) continue;
    // Extend the run over capitalised words and lower-case joiners between them.
    let j = i + 1;
    while (j < terms.length) {
      if (isCap(terms[j].text)) j++;
      else if (JOINERS.has(terms[j].text.toLowerCase()) && j + 1 < terms.length && isCap(terms[j + 1].text)) j += 2;
      else break;
      if (/[,.;:!?)]$/.test(terms[j - 1].text)) break; // punctuation ends a name
    }
    let a = i;
    let titled = false;
    while (a < j - 1 && (TITLES.has(terms[a].text.toLowerCase()) || JOINERS.has(terms[a].text.toLowerCase()))) {
      titled ||= TITLES.has(terms[a].text.toLowerCase());
      a++;
    }
    if (i > 0 && TITLES.has(terms[i - 1].text.toLowerCase())) titled = true;
    const run = terms.slice(a, j);
    const label = run.length && !(run.length === 1 && TITLES.has(run[0].text.toLowerCase())) ? labelOf(run, titled) : undefined;
    if (label) {
      const start = base + run[0].offset.start;
      let end = base + run[run.length - 1].offset.start + run[run.length - 1].offset.length;
      const surface = text.slice(start, end).replace(/['’]s$/, '').replace(/[^\p{L}\p{N}]+$/u, '');
      end = start + surface.length;
      if (surface.length > 1) {
        out.push({ start, end, label, normalized: normalizeName(surface), confidence: titled || label !== 'PER' ? 0.7 : 0.65, source: 'english' });
      }
    }
    i = j - 1;
  }
}
