/**
 * Entity recognition: the public API used by the server and the CLI.
 * Pipeline: tokenise + fold → gazetteer matches → perceptron tagger (Viterbi
 * over BIO) → merge + in-document propagation (and, given a CorpusNames, names
 * found in the other documents of the corpus) → English tagger on
 * Latin-script text → user dictionary → filters. Offsets are UTF-16.
 */
import { foldWithMap } from '../../text/arabic';
import type { EntityCandidate } from '../types';
import { combine, nameSkip, type Candidate } from './combine';
import type { CorpusNames } from './corpus';
import { EntityDictionary } from './dictionary';
import { detectEnglish } from './english';
import { defaultGazetteer } from './gazetteer';
import { normalizeName } from './normalize';
import { analyse, tagSpans, trainingSentences, type Analysis } from './pipeline';
import { extendTagSet, labelsOf, planLabels, type LabelPlan } from './tagSet';
import { deserializeModel, trainPerceptron, type PackedModel, type SerializedModel, type TaggerModel } from './tagger';
import { lowerBound } from '../../text/lowerBound';

export { corpusRejections, EntityDictionary } from './dictionary';
export { CorpusNames, observedLabel, observedSource, packLabelSource, type CorpusHit, type NameTotalsRows } from './corpus';
export { MENTION_BYTES, mentionConfidence, mentionCount, mentionEnd, mentionNumbers, mentionPacked, mentionStart, setMention } from './mentionNumbers';
export type { TaggerModel } from './tagger';
export { labelsOf, planLabels, MIN_MENTIONS_TO_LEARN, type LabelPlan } from './tagSet';

export interface EntityOptions {
  /** Allowed labels (default PER ORG LOC MISC); others are dropped. */
  labels?: string[];
  /** Suggestions below this confidence are dropped (default 0.5). */
  minConfidence?: number;
  /** User-learned names from accepted/rejected sidecar annotations. */
  dictionary?: EntityDictionary;
  /** Tagger model override (e.g. adapted); default: the shipped model, loaded once. */
  model?: TaggerModel;
  /** Use the gazetteer (default true). */
  gazetteer?: boolean;
  /** Run the English detector on Latin-script text (default true). */
  english?: boolean;
  /** English tagger model override (evaluation, training); default: the shipped one (english.ts). */
  englishModel?: TaggerModel;
  /**
   * Names found in the other documents of the corpus (workspace): where one
   * recurs here untagged it is suggested with source `corpus`.
   */
  corpus?: CorpusNames;
  /** This document's id in `corpus` (its own observations are then left out). */
  corpusDocId?: string;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

let shipped: TaggerModel | undefined;

/** Parses a model (JSON text), or returns the shipped model (parsed once, on first use). */
export function loadModel(json?: string): TaggerModel {
  if (json !== undefined) return deserializeModel(JSON.parse(json) as SerializedModel);
  // require (not import) so the JSON is only read on first use (inlined in the CLI bundle, from dist/data by the server).
  return (shipped ??= deserializeModel(require('../../../../../data/model/ner-ar.json') as PackedModel));
}

export function normalizeEntity(text: string): string {
  let n = normalized.get(text);
  if (n === undefined) {
    // Bounded: emptied when full (a few megabytes at most), then refilled by what is in use.
    if (normalized.size >= MAX_NORMALIZED) normalized.clear();
    normalized.set(text, (n = normalizeName(text)));
  }
  return n;
}

/**
 * Names already normalised. The corpus memory, the inconsistent-label check
 * and the summaries normalise every accepted name of a document after each
 * decision: 200,000 of them on a large sidecar, the same texts each time.
 */
const normalized = new Map<string, string>();
const MAX_NORMALIZED = 1 << 19;

/**
 * The last text's analysis, tagging and English pass: what does not depend on
 * the corpus, the dictionary or the filters. An editor buffer is detected
 * twice in a row with the same text, alone (for the corpus memory) and with
 * the corpus (for what is shown): the second time costs only the combination.
 */
let lastBase:
  | { text: string; model: TaggerModel; englishModel: TaggerModel | undefined; a: Analysis; tagged: ReturnType<typeof tagSpans>; english: EntityCandidate[] | undefined }
  | undefined;

/** The last text's passes, when they are those of `text` with these models and options. */
function lastBaseFor(text: string, model: TaggerModel, options: EntityOptions): typeof lastBase {
  const b = lastBase;
  return b && b.text === text && b.model === model && b.englishModel === options.englishModel && (options.english === false || b.english) ? b : undefined;
}

function baseOf(text: string, model: TaggerModel, options: EntityOptions): { a: Analysis; tagged: ReturnType<typeof tagSpans>; english: EntityCandidate[] | undefined } {
  const b = lastBaseFor(text, model, options);
  if (b) return b;
  const a = analyse(text, model.freq, defaultGazetteer(), true);
  const tagged = tagSpans(a, model);
  const english = options.english !== false ? detectEnglish(text, a.tokens, options.englishModel) : undefined;
  lastBase = { text, model, englishModel: options.englishModel, a, tagged, english };
  return lastBase;
}

/**
 * What the taggers found in a text (the Arabic tagger's spans, the English detector's names):
 * the costly part of a detection, which depends on the text and the models alone, not on the
 * corpus, the dictionary or the filters. Plain data (JSON): a CLI run keeps it between its
 * two passes (cli/passes.ts).
 */
export interface TaggerPasses {
  tagged: ReturnType<typeof tagSpans>;
  english?: EntityCandidate[];
}

/** The tagger passes of the text detected last, when it is `text` with these options' models. */
export function lastTaggerPasses(text: string, options: EntityOptions = {}): TaggerPasses | undefined {
  const b = lastBaseFor(text, options.model ?? loadModel(), options);
  return b && { tagged: b.tagged, ...(b.english ? { english: b.english } : {}) };
}

/**
 * Hands the detector the tagger passes of `text` found earlier with the same models
 * (lastTaggerPasses, possibly in another process): its next detection of that text analyses
 * it (tokens, features, gazetteer) but does not tag it again.
 */
export function reuseTaggerPasses(text: string, passes: TaggerPasses, options: EntityOptions = {}): void {
  if (options.english !== false && !passes.english) return;
  const model = options.model ?? loadModel();
  const a = analyse(text, model.freq, defaultGazetteer(), true);
  lastBase = { text, model, englishModel: options.englishModel, a, tagged: passes.tagged, english: passes.english };
}

/**
 * Whether entities were detected in this process already. The first detection loads the
 * tagger's data (model, lexicon, gazetteers, word clusters: about half a second of CPU),
 * which an editor may prefer not to wait for before it shows anything.
 */
export function entityDataLoaded(): boolean {
  return loaded;
}
let loaded = false;

export function detectEntities(text: string, options: EntityOptions = {}): EntityCandidate[] {
  const model = options.model ?? loadModel();
  const { a, tagged, english } = baseOf(text, model, options);
  loaded = true;
  const corpus = options.corpus ? { names: options.corpus, ...(options.corpusDocId !== undefined ? { docId: options.corpusDocId } : {}) } : undefined;
  let cands = combine(a, tagged, options.gazetteer !== false, corpus);
  const min = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (options.dictionary && options.dictionary.size > 0) cands = applyDictionary(a, cands, options.dictionary, min, labelsOf(model));
  const out = cands.map((c) => toEntity(a, c));
  // Copies: callers may change what they get, and the cached pass is used again.
  if (options.english !== false && english) mergeInto(out, english.map((e) => ({ ...e })));
  const labels = new Set(options.labels ?? ['PER', 'ORG', 'LOC', 'MISC']);
  return out
    .filter((e) => labels.has(e.label) && e.confidence >= min && !options.dictionary?.isRejected(text.slice(e.start, e.end), e.label))
    .sort((x, y) => x.start - y.start);
}

function toEntity(a: Analysis, c: Candidate): EntityCandidate {
  const firstTok = a.tokens[c.first];
  const [start, end] = withAttachedMarks(a.text, firstTok.start + (c.skip ? foldWithMap(firstTok.text).map[c.skip] : 0), a.tokens[c.last - 1].end, !c.skip);
  const e: EntityCandidate = {
    start,
    end,
    label: c.label,
    normalized: normalizeName(a.text.slice(start, end)),
    confidence: Math.round(Math.min(1, Math.max(0, c.confidence)) * 1000) / 1000,
    source: c.source,
  };
  if (c.facts) e.facts = c.facts;
  return e;
}

/** Directional marks (LRM, RLM, ALM): standalone, unlike the paired embedding and isolate controls. */
const isMark = (ch: string | undefined) => ch === '\u200e' || ch === '\u200f' || ch === '\u061c';

/**
 * Widens a span over directional marks (RLM, LRM, ALM) written against its
 * first or last word: the span then covers the whole whitespace-delimited
 * token, as in corpora tokenised on whitespace (ANERcorp's gold `نابلس‏` ends
 * with an RLM). Embedding controls (RLE … PDF, isolates) come in pairs and stay
 * out. `left`: also before the start (not when the span starts after a
 * proclitic, inside the token).
 */
export function withAttachedMarks(text: string, start: number, end: number, left: boolean): [number, number] {
  while (end < text.length && isMark(text[end])) end++;
  if (left) while (start > 0 && isMark(text[start - 1])) start--;
  return [start, end];
}

/**
 * Adds English candidates: one that agrees with a gazetteer match (Pakistan)
 * is confirmed by it; one that overlaps only weaker candidates replaces them.
 */
function mergeInto(out: EntityCandidate[], extra: EntityCandidate[]): void {
  for (const e of extra) {
    const over = out.filter((o) => o.start < e.end && e.start < o.end);
    const same = over.find((o) => o.start === e.start && o.end === e.end && o.label === e.label);
    if (same) {
      same.confidence = Math.max(same.confidence, 1 - (1 - e.confidence) * (1 - same.confidence));
      same.source += '+english';
    } else if (over.every((o) => o.confidence < e.confidence)) {
      for (const o of over) out.splice(out.indexOf(o), 1);
      out.push(e);
    }
  }
}

/** A word seen this often in the tagger's training text is mostly not a name (applyDictionary). */
const COMMON_WORD_FREQ = 20;

/**
 * Accepted names override overlapping detections; confidence reflects the user's decision.
 * `min`: the confidence from which a detection is shown (EntityOptions.minConfidence);
 * `tagged`: the labels the tagger can give (a schema's own label, GPE, only once learnt).
 */
function applyDictionary(a: Analysis, cands: Candidate[], dict: EntityDictionary, min: number, tagged: readonly string[]): Candidate[] {
  const folded = a.infos.map((t) => t.folded);
  // Proclitics as a name's span leaves them out (وكوفي → كوفي, not وك + وفي).
  const skips = a.infos.map((_, i) => nameSkip(a, i));
  const stripped = a.infos.map((t, i) => t.folded.slice(skips[i]));
  // Where the detectors see a longer name around an accepted one (محمد in محمد حسني مبارك),
  // that name stands; and a one-word accepted name that is a frequent word of the tagger's
  // training text (علي, Ali, folds as على, "on"; الله; لا) is only a label for a name the
  // detectors found there, never found alone. In the simulated review of ANERcorp folds
  // (npm run eval:adapt), with dictionary.ts's rule on rejections, the dictionary's wrong
  // names went from 457 to 76 and its right ones from 796 to 786: names alone after 50
  // documents, 77.3 → 84.0 F1 (83.8 with none).
  const covering = new Int32Array(folded.length).fill(-1); // token → the longest candidate over it
  cands.forEach((c, k) => {
    for (let i = c.first; i < c.last; i++) if (covering[i] < 0 || c.last - c.first > cands[covering[i]].last - cands[covering[i]].first) covering[i] = k;
  });
  // Where the detectors show the very same span with another label, their reading of this
  // context stands: a city and its football club (برشلونة), a region and a newspaper (الشرق
  // الأوسط) share a name, and the user's label from another document was wrong here twice as
  // often as right (13 / 6 in the test documents after 25 reviewed, npm run eval:adapt). A label
  // the tagger cannot give (a schema's GPE before Learn) is the user's to spread, as before. A
  // frequent word (and a token without letters: an accepted "5" of "Windows 5") needs a name
  // the detectors show there: a candidate below the confidence shown (a gazetteer match alone,
  // 0.45, on الاتحاد, "the union", accepted once as the club al-Ittihad) is not one.
  const hits = dict.match(folded, stripped).filter((h) => {
    const c = covering[h.first] >= 0 ? cands[covering[h.first]] : undefined;
    if (c && c.first <= h.first && c.last >= h.last && c.last - c.first > h.last - h.first) return false;
    const shown = c !== undefined && c.confidence >= min;
    if (shown && c.first === h.first && c.last === h.last && c.label !== h.label && tagged.includes(h.label) && !dict.isRejectedKey(h.text, c.label)) return false;
    const single = h.last - h.first === 1;
    const common = single && (Math.max(a.ctx.freq(folded[h.first]), a.ctx.freq(stripped[h.first])) >= COMMON_WORD_FREQ || !/\p{L}/u.test(folded[h.first]));
    return !common || shown;
  });
  if (!hits.length) return cands;
  // Linear, not candidates × hits (a long document with many accepted names has tens of thousands
  // of both): a candidate overlaps a hit iff one of its tokens is in a hit.
  const inHit = new Uint8Array(folded.length);
  for (const h of hits) inHit.fill(1, h.first, h.last);
  const hitTokensBefore = new Int32Array(folded.length + 1);
  for (let i = 0; i < folded.length; i++) hitTokensBefore[i + 1] = hitTokensBefore[i] + inHit[i];
  const bySpan = new Map<string, Candidate>();
  for (const c of cands) {
    const key = `${c.first}:${c.last}:${c.label}`;
    if (!bySpan.has(key)) bySpan.set(key, c);
  }
  const kept = cands.filter((c) => hitTokensBefore[Math.min(c.last, folded.length)] - hitTokensBefore[Math.min(c.first, folded.length)] === 0);
  for (const h of hits) {
    const skip = h.text.split(' ')[0] === folded[h.first] ? 0 : skips[h.first];
    const old = bySpan.get(`${h.first}:${h.last}:${h.label}`);
    kept.push({ first: h.first, last: h.last, skip, label: h.label, confidence: 0.95, source: old ? old.source + '+dictionary' : 'dictionary', ...(old?.facts ? { facts: old.facts } : {}) });
  }
  return kept.sort((x, y) => x.first - y.first);
}

/**
 * Score margin (in model units) that adapted examples must win by: above the
 * margin the shipped model was trained with (train.ts TRAIN_MARGIN = 40), or a
 * new name stays below the weights the base model learnt that way (at 40 one of
 * three set-aside sentences in the learning test is missed; at 60 all are found,
 * confidence ≥ 0.75).
 */
const ADAPT_MARGIN = 60;

/**
 * How Learn from Annotations moves the shipped model (`npm run eval:adapt`, its three
 * measurements: AQMAR out of domain, ANERcorp in domain, and ANERcorp after adapting to
 * 50 AQMAR documents, "forgetting"):
 *
 * - Features the model has never seen (a new name's word, its contexts) learn at
 *   ADAPT_RATE times a training update: four sentences teach a new name
 *   (test/unit/ner-learning.test.ts; at rate 4 one of three held-aside sentences is missed).
 * - What the model knows (its weights for its own tags, and the transitions) moves at one
 *   training update a mistake (ADAPT_RATE × ADAPT_KNOWN_RATE) and never more than
 *   ADAPT_KNOWN_BOUND from the shipped value. Weights are tens of units (the bias −48);
 *   features that fire everywhere sum thousands of small updates: even at a fiftieth of a
 *   step, 50 AQMAR documents moved the bias and "no gazetteer match" by 7–8 units towards
 *   PER, and وكان ("and was") became a person 30 times in the ANERcorp test documents.
 * - Weights of tags the user's schema adds (extendTagSet) are new, and learn freely.
 *
 * Measured 2026-12-02 (rate 1 unbounded → these): AQMAR after 10 / 25 / 50 documents
 * +2.1 / +7.4 / +11.7 → +2.5 / +5.0 / +7.0 F1; forgetting 83.8 → 73.4 before, → 83.7 now;
 * ANERcorp in domain, with Learn after 10 / 25 / 50: 81.8 / 81.8 / 82.9 → 82.7 / 82.4 /
 * 83.9 (83.2 / 83.1 / 84.0 with accepted names alone). Bound 0.5: forgetting 82.7, AQMAR
 * +5.2 at 25; rate 16: 83.5 and +4.7; known rate 0.1 of a rate-1 update without a bound:
 * 79.1 and +5.9.
 */
export const ADAPT_RATE = 8;
/** Updates of what the model knows, as a share of ADAPT_RATE: one training update (see above). */
export const ADAPT_KNOWN_RATE = 1 / ADAPT_RATE;
/** How far a known weight may move from the shipped model's (see above; trainPerceptron's knownBound). */
export const ADAPT_KNOWN_BOUND = 0.25;

export interface AdaptExample {
  text: string;
  /** Accepted annotations (UTF-16 offsets). */
  entities: { start: number; end: number; label: string }[];
  /** Rejected suggestions (UTF-16 offsets): the sentence was reviewed, and this is not a name of that label. */
  rejected?: { start: number; end: number; label: string }[];
  /**
   * The document was reviewed whole (Mark Document Done): a sentence without a decision
   * holds no name, and is taught too. Otherwise only sentences with a decision are: the
   * rest of a partly reviewed document may hold names nobody has annotated yet.
   */
  complete?: boolean;
}

/**
 * Continues training `base` on the user's decisions (a few epochs of the
 * same averaged perceptron): accepted annotations, and rejected suggestions
 * (taught as no name). Labels the model does not know are learned when they
 * have enough examples (planLabels: the tag set grows); the sentences holding
 * a label still too rare to learn are left out, so its names are not taught
 * as "no name". Returns a new model; `base` is not modified.
 */
export function adaptModel(
  base: TaggerModel,
  examples: AdaptExample[],
  opts: { epochs?: number; margin?: number; rate?: number; knownRate?: number; knownBound?: number; onProgress?: (done: number, total: number) => void; plan?: LabelPlan } = {},
): TaggerModel {
  const gaz = defaultGazetteer();
  const plan = opts.plan ?? planLabels(base, examples);
  const model = plan.learn.length ? extendTagSet(base, plan.learn) : base;
  const known = new Set(labelsOf(model));
  // Only sentences that carry a decision: the rest of a partly reviewed document may
  // hold names nobody has annotated yet, which must not be taught as O.
  const sentences = examples.flatMap((ex) => {
    const a = analyse(ex.text, model.freq, gaz);
    const unknown = ex.entities.filter((e) => !known.has(e.label));
    // Sentences in text order: the one a span starts in is found by binary search.
    const ends = a.sentences.map(([, e]) => a.tokens[e - 1].end);
    const decided = new Set<number>();
    for (const sp of [...ex.entities, ...(ex.rejected ?? [])]) {
      const first = lowerBound(ends.length, (i) => ends[i] <= sp.start);
      for (let i = first; i < a.sentences.length && a.tokens[a.sentences[i][0]].start < sp.end; i++) decided.add(i);
    }
    return trainingSentences(a, ex.entities.filter((e) => known.has(e.label)), model.tags, { weight: opts.rate ?? ADAPT_RATE }).filter((_, i) => {
      if (!ex.complete && !decided.has(i)) return false;
      const [from, to] = a.sentences[i];
      const start = a.tokens[from]?.start ?? 0;
      const end = a.tokens[to - 1]?.end ?? 0;
      return !unknown.some((e) => e.start < end && start < e.end);
    });
  });
  return trainPerceptron(sentences, { base: model, epochs: opts.epochs ?? 5, margin: opts.margin ?? ADAPT_MARGIN, knownRate: opts.knownRate ?? ADAPT_KNOWN_RATE, knownBound: opts.knownBound ?? ADAPT_KNOWN_BOUND, knownTags: base.tags.length, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
}
