/**
 * English (Latin-script) names. Lines written mostly in Latin letters go to the English
 * tagger (englishTagger.ts: an averaged perceptron trained on English news-like text,
 * data/model/ner-en.json); a Latin-script name inside an Arabic line (وقالت CNN إن…,
 * قوات NATO) is found when the English word lists know it as an organisation or a place.
 */
import type { Token } from '../../text/tokenize';
import type { EntityCandidate } from '../types';
import { englishLexicon, lexiconLabel } from './englishLexicon';
import { analyseEnglish, tagEnglish, type EnAnalysis, type EnTaggedSpan } from './englishTagger';
import type { EnToken } from './englishTokens';
import { normalizeName } from './normalize';
import { deserializeModel, type PackedModel, type TaggerModel } from './tagger';

let shipped: TaggerModel | undefined;

/** The shipped English model (parsed once, on first use). */
export function loadEnglishModel(): TaggerModel {
  // require (not import) so the JSON is only read on first use (inlined in the CLI bundle, from dist/data by the server).
  return (shipped ??= deserializeModel(require('../../../../../data/model/ner-en.json') as PackedModel));
}

/** Latin-script stretches: lines with more Latin than Arabic letters (and at least three Latin ones). */
export function latinStretches(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let latin = 0;
    let arabic = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) latin++;
      else if (c >= 0x600 && c <= 0x6ff) arabic++;
    }
    if (latin >= 3 && latin > arabic) {
      // Consecutive Latin lines are one stretch (a paragraph may run over several lines).
      const last = out[out.length - 1];
      if (last && last[1] === start - 1) last[1] = end;
      else out.push([start, end]);
    }
    start = end + 1;
  }
  return out;
}

/**
 * English candidates of `text`. `tokens` (text/tokenize.ts, the Arabic pipeline's) are used
 * only to find Latin names inside non-English lines.
 */
export function detectEnglish(text: string, tokens: Token[], englishModel?: TaggerModel): EntityCandidate[] {
  if (!/[A-Za-z]/.test(text)) return []; // nothing Latin to read (most Arabic articles)
  const out: EntityCandidate[] = [];
  const stretches = latinStretches(text);
  if (stretches.length) {
    // Loaded on the first English line, so a corpus without any never pays for the model.
    const model = englishModel ?? loadEnglishModel();
    const a = analyseEnglish(text, model.freq, stretches);
    for (const s of harmonise(a, tagEnglish(a, model))) {
      const [first, last] = withoutEdgePunctuation(a.tokens, s.first, s.last);
      if (first >= last) continue;
      const start = a.tokens[first].start;
      const end = a.tokens[last - 1].end;
      out.push({ start, end, label: s.label, normalized: normalizeName(text.slice(start, end)), confidence: Math.round(s.confidence * 1000) / 1000, source: 'english' });
    }
  }
  embeddedNames(text, tokens, stretches, out);
  return out;
}

/**
 * A token of the sentence's punctuation: the marks that end or split a sentence, quotation
 * marks and guillemets, dashes and bullets, and a lone ampersand (it joins two names, AT&T,
 * Simon & Schuster, so it may be inside one, never at its end). Not a symbol that is part of
 * a name (Disney+, C#).
 */
const PUNCTUATION_ONLY = /^[.!?…,;:"“”„'‘’«»‹›\-–—•·|&＆]+$/u;

/**
 * Tokens [first, last) of a tagged name less the punctuation tokens at its ends. The tagger
 * takes a sentence's closing marks into a name that ends it now and then (Linux!, City?,
 * Evolution.”, a headline's » Real Asset, a film credit's & Regina Hall), and a name does not
 * start or end with one: the tokenizer keeps an abbreviation's full stop in its token (Inc.,
 * D.C.), so a full stop on its own ends the sentence.
 */
export function withoutEdgePunctuation(tokens: readonly EnToken[], first: number, last: number): [number, number] {
  while (first < last && PUNCTUATION_ONLY.test(tokens[first].text)) first++;
  while (last > first && PUNCTUATION_ONLY.test(tokens[last - 1].text)) last--;
  return [first, last];
}

/**
 * One document, one reading of a name: the tagger decides each mention from its own
 * context, and a name met once as "Romelu Lukaku" and later bare at the start of a
 * sentence can come out as a place. Mentions of the same words take the label with the
 * most confidence over the document; a person's surname (or first name) found alone
 * is that person, and where it recurs untagged (capitalised, not at a sentence start)
 * it is suggested too.
 */
function harmonise(a: EnAnalysis, spans: EnTaggedSpan[]): EnTaggedSpan[] {
  const surface = (s: EnTaggedSpan) => a.tokens.slice(s.first, s.last).map((t) => t.lower).join(' ');
  const votes = new Map<string, Map<string, number>>();
  const vote = (key: string, label: string, w: number) => {
    let m = votes.get(key);
    if (!m) votes.set(key, (m = new Map()));
    m.set(label, (m.get(label) ?? 0) + w);
  };
  // A full name (Romelu Lukaku) outweighs the bare mentions of its parts: each counts double.
  const personParts = new Set<string>();
  for (const s of spans) {
    vote(surface(s), s.label, s.confidence);
    if (s.label === 'PER' && s.last - s.first > 1 && s.confidence >= 0.6) {
      for (const k of [s.first, s.last - 1]) {
        if (!a.infos[k].cap || a.tokens[k].text.length <= 2) continue;
        personParts.add(a.tokens[k].lower);
        vote(a.tokens[k].lower, 'PER', 2 * s.confidence);
      }
    }
  }
  const best = (key: string) => {
    let label: string | undefined;
    let w = -1;
    for (const [l, v] of votes.get(key) ?? []) if (v > w) (label = l), (w = v);
    return label;
  };
  const out = spans.map((s) => {
    const label = best(surface(s));
    return label && label !== s.label ? { ...s, label } : s;
  });
  // Untagged mentions of a person's name part.
  let k = 0;
  const sorted = [...out].sort((x, y) => x.first - y.first);
  for (let i = 0; i < a.tokens.length; i++) {
    while (k < sorted.length && sorted[k].last <= i) k++;
    if (k < sorted.length && sorted[k].first <= i) continue;
    const info = a.infos[i];
    if (!info.cap || (i + 1 < a.infos.length && a.infos[i + 1].cap) || (i > 0 && a.infos[i - 1].cap && !a.infos[i - 1].first)) continue; // inside a longer capitalised run
    // At the start of a sentence every word is capitalised: an ordinary word there (Will, May) is not the name.
    if (info.first && info.classes?.includes('w')) continue;
    if (personParts.has(info.lower)) out.push({ first: i, last: i + 1, label: 'PER', confidence: 0.6 });
    else {
      // A word the lists know only as an organisation or a place (Reuters, Brussels), where the tagger hesitated.
      const label = info.classes && !info.classes.includes('w') && !info.classes.includes('G') ? lexiconLabel(info.classes) : undefined;
      if (label) out.push({ first: i, last: i + 1, label, confidence: 0.55 });
    }
  }
  return out;
}

/**
 * Latin-script names inside an Arabic (or other non-Latin) line — وقالت CNN إن…,
 * حلف NATO — where there is no English sentence to tag: the longest run of capitalised
 * Latin words that the English word lists know as an organisation or a place.
 */
function embeddedNames(text: string, tokens: Token[], stretches: [number, number][], out: EntityCandidate[]): void {
  const lex = englishLexicon();
  let k = 0; // stretches and tokens are both in text order
  for (let i = 0; i < tokens.length; i++) {
    if (!isLatinCap(tokens[i])) continue;
    while (k < stretches.length && stretches[k][1] <= tokens[i].start) k++;
    if (k < stretches.length && stretches[k][0] <= tokens[i].start) continue; // the tagger reads this line
    let j = i + 1;
    while (j < tokens.length && isLatinCap(tokens[j]) && /^ $/.test(text.slice(tokens[j - 1].end, tokens[j].start))) j++;
    // The longest run the lists know, from each start (New York Times, then New York).
    for (let a = i; a < j; a++) {
      for (let b = j; b > a; b--) {
        const surface = text.slice(tokens[a].start, tokens[b - 1].end);
        const label = phraseLabel(lex, surface.toLowerCase());
        if (!label) continue;
        out.push({ start: tokens[a].start, end: tokens[b - 1].end, label, normalized: normalizeName(surface), confidence: 0.7, source: 'english' });
        a = b - 1;
        break;
      }
    }
    i = j - 1;
  }
}

const NEWS_AGENCIES = new Set(['reuters', 'afp', 'ap', 'bbc', 'cnn', 'upi', 'xinhua', 'tass', 'bloomberg', 'nbc', 'cbs', 'abc', 'nato', 'un', 'eu', 'opec', 'unesco', 'unicef', 'who', 'imf']);

function phraseLabel(lex: ReturnType<typeof englishLexicon>, key: string): string | undefined {
  if (NEWS_AGENCIES.has(key)) return 'ORG';
  if (!key.includes(' ')) return lexiconLabel(lex.word.get(key));
  const words = key.split(' ');
  const hit = lex.phrases.get(words[0])?.find((p) => p.words.join(' ') === key);
  return lexiconLabel(hit?.classes);
}

const isLatinCap = (t: Token) => t.kind === 'word' && /^[A-Z][A-Za-z]*$/.test(t.text);
