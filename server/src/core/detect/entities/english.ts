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

const TITLES = new Set(['secretary', 'state', 'president', 'minister', 'prime', 'foreign', 'defence', 'defense', 'senator', 'sen.', 'sen', 'rep.', 'rep', 'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'dr', 'dr.', 'general', 'gen.', 'gen', 'king', 'queen', 'prince', 'princess', 'sheikh', 'pope', 'chancellor', 'ambassador', 'spokesman', 'spokeswoman', 'governor', 'mayor', 'judge', 'envoy', 'chief', 'vice', 'deputy', 'premier', 'lord', 'sir', 'colonel', 'captain', 'ayatollah', 'emir', 'crown']);
const JOINERS = new Set(['of', 'de', 'al', 'el', 'bin', 'ibn', 'van', 'von', 'da', 'du', 'la', 'for', 'and', '-']);
const lower = (t: Term) => t.text.replace(/[^\p{L}]+$/u, '').toLowerCase();

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
  const stretches = latinStretches(text);
  embeddedNames(text, tokens, stretches, out);
  for (const [s, e] of stretches) {
    const doc = nlp(text.slice(s, e));
    const sentences = doc.json({ offset: true }) as { terms: Term[] }[];
    // Capitalised words seen inside a sentence somewhere: at the start of another they are names too.
    const midCaps = new Set<string>();
    for (const sent of sentences) for (const t of sent.terms.slice(1)) if (isCap(t.text)) midCaps.add(lower(t));
    for (const sent of sentences) labelRuns(sent.terms, s, text, out, midCaps);
  }
  repeatSurnames(text, tokens, out);
  return out;
}

/** compromise's lexicon: lower-cased word or phrase → its tag(s) (its typings do not expose the model). */
export function compromiseLexicon(): Record<string, string | string[]> {
  return (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;
}

let lexicon: Record<string, string | string[]> | undefined;
/** Label of a known name in compromise's lexicon (lower-cased words), if it is an organisation or a place. */
function lexiconLabel(key: string): string | undefined {
  lexicon ??= compromiseLexicon();
  const tags = String(lexicon[key] ?? '');
  if (/\bOrganization\b/.test(tags) || NEWS_AGENCIES.has(key)) return 'ORG';
  if (/\b(Country|City|Place|Region)\b/.test(tags)) return 'LOC';
  return undefined;
}

/**
 * Latin-script names inside an Arabic (or other non-Latin) line — وقالت CNN إن…,
 * حلف NATO — where there is no English sentence for compromise to read: a run of
 * capitalised Latin words that compromise's lexicon knows as an organisation or a place.
 */
function embeddedNames(text: string, tokens: Token[], stretches: [number, number][], out: EntityCandidate[]): void {
  let k = 0; // stretches and tokens are both in text order
  for (let i = 0; i < tokens.length; i++) {
    if (!isLatinCap(tokens[i])) continue;
    while (k < stretches.length && stretches[k][1] <= tokens[i].start) k++;
    if (k < stretches.length && stretches[k][0] <= tokens[i].start) continue; // compromise reads this line
    let j = i + 1;
    while (j < tokens.length && isLatinCap(tokens[j]) && /^ $/.test(text.slice(tokens[j - 1].end, tokens[j].start))) j++;
    // The longest run the lexicon knows, from each start (New York Times, then New York).
    for (let a = i; a < j; a++) {
      for (let b = j; b > a; b--) {
        const surface = text.slice(tokens[a].start, tokens[b - 1].end);
        const label = lexiconLabel(surface.toLowerCase());
        if (!label) continue;
        out.push({ start: tokens[a].start, end: tokens[b - 1].end, label, normalized: normalizeName(surface), confidence: 0.7, source: 'english' });
        a = b - 1;
        break;
      }
    }
    i = j - 1;
  }
}

const isLatinCap = (t: Token) => t.kind === 'word' && /^[A-Z][A-Za-z]*$/.test(t.text);

/**
 * A person's last name (or a one-word name) found once is a name wherever it
 * recurs capitalised in the text, also where compromise cannot tell: at the
 * start of a sentence (Scholz said…).
 */
function repeatSurnames(text: string, tokens: Token[], out: EntityCandidate[]): void {
  const known = new Map<string, string>();
  for (const e of out) {
    const words = text.slice(e.start, e.end).split(/\s+/);
    if (e.label === 'PER' || words.length === 1) {
      const last = words[words.length - 1];
      if (last.length >= 3 && isCap(last) && !TITLES.has(last.toLowerCase())) known.set(last, e.label);
    }
  }
  if (known.size === 0) return;
  // Spans do not overlap; sorted by start, a binary search finds the one a token could fall in.
  const spans = out.map((e) => [e.start, e.end] as const).sort((x, y) => x[0] - y[0]);
  const covered = (t: Token) => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid][1] <= t.start) lo = mid + 1;
      else if (spans[mid][0] >= t.end) hi = mid - 1;
      else return true;
    }
    return false;
  };
  for (const t of tokens) {
    const label = t.kind === 'word' ? known.get(t.text) : undefined;
    if (label && !covered(t)) out.push({ start: t.start, end: t.end, label, normalized: normalizeName(t.text), confidence: 0.6, source: 'english' });
  }
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

/**
 * "and" joins two capitalised names into one only when what follows it makes an
 * organisation (Securities and Exchange Commission); Microsoft and Alphabet,
 * Pakistan and Iran are two names.
 */
function andJoins(terms: Term[], j: number): boolean {
  for (let k = j + 1; k < terms.length && isCap(terms[k].text); k++) {
    if (ORG_HEADS.has(lower(terms[k]))) return true;
    if (/[,.;:!?)]$/.test(terms[k].text)) break;
  }
  return false;
}

function labelRuns(terms: Term[], base: number, text: string, out: EntityCandidate[], midCaps: Set<string>): void {
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i];
    const word = t.text.replace(/[^\p{L}\p{N}.'’-]+$/u, '');
    if (!isCap(word)) continue;
    // At the start of a sentence every word is capitalised: a name there needs compromise's
    // word, a news agency (Reuters reported…), or the same word capitalised elsewhere.
    const nameLike =
      i > 0 || t.tags.includes('ProperNoun') || t.tags.some((g) => ['Person', 'Place', 'Organization'].includes(g)) || NEWS_AGENCIES.has(lower(t)) || (midCaps.has(lower(t)) && t.tags.includes('Noun'));
    if (!nameLike) continue;
    // Extend the run over capitalised words and lower-case joiners between them.
    let j = i + 1;
    while (j < terms.length) {
      if (isCap(terms[j].text)) j++;
      else if (JOINERS.has(lower(terms[j])) && j + 1 < terms.length && isCap(terms[j + 1].text) && (lower(terms[j]) !== 'and' || andJoins(terms, j))) j += 2;
      else break;
      if (/[,.;:!?)]$/.test(terms[j - 1].text)) break; // punctuation ends a name
    }
    // Titles, joiners and nationality words before the name stay out of it (German Chancellor Olaf Scholz).
    let a = i;
    let titled = false;
    while (a < j - 1 && (TITLES.has(lower(terms[a])) || JOINERS.has(lower(terms[a])) || terms[a].tags.includes('Demonym'))) {
      titled ||= TITLES.has(lower(terms[a]));
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
