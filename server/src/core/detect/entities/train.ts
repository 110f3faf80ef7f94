/**
 * Training and cross-validation over annotated documents (pure: callers
 * read the files). Used by scripts/train-ner.ts and scripts/eval-ner.ts.
 */
import { tokenize } from '../../text/tokenize';
import type { EntityCandidate } from '../types';
import { CorpusNames } from './corpus';
import { defaultGazetteer } from './gazetteer';
import { detectEntities, type EntityOptions } from './index';
import { addCounts, countDocument, micro, type Counts, type LabeledSpan } from './metric';
import { analyse, trainingSentences } from './pipeline';
import { averageModels, deserializeModel, serializeModel, TAGS, trainPerceptron, type TaggerModel } from './tagger';

export interface AnnotatedDoc {
  id: string;
  text: string;
  /** UTF-16 offsets. */
  spans: LabeledSpan[];
  /** Spans whose label is unknown: taught as neither outside nor that label (pipeline.ts trainingSentences). */
  uncertain?: LabeledSpan[];
  /** Documents cut from one source text (an AQMAR article): left out of the word frequencies together. */
  group?: string;
  /** Scale of this document's training updates (default 1). */
  weight?: number;
  /** Another domain than the one the model is for (AQMAR: 'wiki'); see TrainOptions.augmentDomains. */
  domain?: string;
}

export function wordFrequencies(docs: AnnotatedDoc[]): Map<string, number> {
  const freq = new Map<string, number>();
  for (const d of docs) for (const t of tokenize(d.text)) if (t.kind === 'word') freq.set(t.folded, (freq.get(t.folded) ?? 0) + 1);
  return freq;
}

/**
 * Score temperature for confidences: on held-out ANERcorp folds, tagger spans
 * with confidence c are correct about c of the time at this value (perceptron
 * scores are otherwise far too peaked: nearly everything would read 0.99).
 * Refitted for the margin-trained model (larger weights): at 16, spans read
 * 0.5–0.6 are right 60% of the time, 0.7–0.8: 69%, ≥ 0.9: 85% (8 was over-confident).
 */
export const CALIBRATED_TEMPERATURE = 16;

/**
 * Loss-augmented training margin (trainPerceptron): updates go on until gold
 * tags win by this much. In CV over ANERcorp: 0 → 74.6, 10 → 75.1, 20 → 75.2,
 * 40 → 75.5, 80 → 75.0, 160 → 74.3 micro-F1.
 */
export const TRAIN_MARGIN = 40;

export interface TrainOptions {
  epochs?: number;
  seed?: number;
  /** Training runs (different shuffles) averaged into the model (default 4). */
  runs?: number;
  /** Loss-augmented training margin (see trainPerceptron). */
  margin?: number;
  /** Domain-specific feature copies for documents with a `domain` (see trainPerceptron). */
  augmentDomains?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export function trainOnDocuments(docs: AnnotatedDoc[], opts: TrainOptions = {}): TaggerModel {
  const freq = wordFrequencies(docs);
  const gaz = defaultGazetteer();
  // Leave-one-document-out frequencies: a name seen only in this document
  // looks unseen, as a new name will at tagging time (otherwise the model
  // never learns what an unknown word in a name context looks like). Documents cut
  // from one article are left out together: they share its names.
  const groups = new Map<string, AnnotatedDoc[]>();
  for (const d of docs) groups.set(d.group ?? d.id, [...(groups.get(d.group ?? d.id) ?? []), d]);
  const groupFreq = new Map([...groups].map(([g, ds]) => [g, wordFrequencies(ds)]));
  const sentences = docs.flatMap((d) => {
    const own = groupFreq.get(d.group ?? d.id)!;
    const a = analyse(d.text, (w: string) => (freq.get(w) ?? 0) - (own.get(w) ?? 0), gaz);
    const sentences = trainingSentences(a, d.spans, TAGS, { ...(d.uncertain ? { uncertain: d.uncertain } : {}), ...(d.weight !== undefined ? { weight: d.weight } : {}) });
    if (d.domain) for (const s of sentences) s.domain = d.domain;
    return sentences;
  });
  // Several runs over different shuffles, weights averaged: +0.5 F1 in CV over one run.
  const runs = opts.runs ?? 4;
  const models = Array.from({ length: runs }, (_, k) => trainPerceptron(sentences, { ...opts, margin: opts.margin ?? TRAIN_MARGIN, seed: (opts.seed ?? 1) + k * 7919, freq }));
  const model = averageModels(models);
  model.temperature = CALIBRATED_TEMPERATURE;
  model.meta = { ...model.meta, documents: docs.length, sentences: sentences.length };
  return model;
}

export interface Evaluation {
  perLabel: Map<string, Counts>;
  micro: ReturnType<typeof micro>;
}

export function evaluate(docs: AnnotatedDoc[], predict: (text: string) => EntityCandidate[]): Evaluation {
  const perLabel = new Map<string, Counts>();
  for (const d of docs) addCounts(perLabel, countDocument(d.text, d.spans, predict(d.text)));
  return { perLabel, micro: micro(perLabel) };
}

/**
 * Tags a set of documents as the server tags a workspace: every document once,
 * observed into a CorpusNames (detector output and text only, never gold),
 * then every document again with that corpus.
 */
export function evaluateWithCorpus(docs: AnnotatedDoc[], model: TaggerModel, detect: Omit<EntityOptions, 'model'> = {}): Evaluation {
  const corpus = new CorpusNames();
  for (const d of docs) corpus.observe(d.id, d.text, detectEntities(d.text, { ...detect, model }));
  const ids = new Map(docs.map((d) => [d.text, d.id]));
  return evaluate(docs, (text) => detectEntities(text, { ...detect, model, corpus, corpusDocId: ids.get(text) }));
}

/**
 * K-fold cross-validation over documents in contiguous blocks (neighbouring
 * documents share stories, so interleaved folds would flatter the figure):
 * train on K−1 blocks, tag the held-out block with the full pipeline.
 */
export function crossValidate(
  docs: AnnotatedDoc[],
  k: number,
  opts: {
    epochs?: number;
    train?: TrainOptions;
    detect?: Omit<EntityOptions, 'model'>;
    corpus?: boolean;
    /** Training-only documents added to every fold (another corpus; never scored). */
    extra?: AnnotatedDoc[];
    /** Run only these folds (0-based; default all): a quicker comparison on part of the data. */
    only?: number[];
    onFold?: (fold: number, e: Evaluation) => void;
    /**
     * The model of fold `fold` (0-based), trained on `train` (other folds + extra): a caller may
     * keep models across runs (scripts/eval-ner.ts --cache). Default: trained here with `train`/`epochs`.
     */
    foldModel?: (fold: number, train: AnnotatedDoc[]) => TaggerModel;
  } = {},
): Evaluation {
  const perLabel = new Map<string, Counts>();
  for (let f = 0; f < k; f++) {
    if (opts.only && !opts.only.includes(f)) continue;
    const lo = Math.floor((f * docs.length) / k);
    const hi = Math.floor(((f + 1) * docs.length) / k);
    const train = [...docs.slice(0, lo), ...docs.slice(hi), ...(opts.extra ?? [])];
    const test = docs.slice(lo, hi);
    // Through the compact JSON form, so the figure is that of a model as shipped (pruned, rounded).
    const model = opts.foldModel ? opts.foldModel(f, train) : deserializeModel(serializeModel(trainOnDocuments(train, { ...opts.train, epochs: opts.epochs })));
    const e = opts.corpus === false ? evaluate(test, (text) => detectEntities(text, { ...opts.detect, model })) : evaluateWithCorpus(test, model, opts.detect);
    opts.onFold?.(f, e);
    addCounts(perLabel, e.perLabel);
  }
  return { perLabel, micro: micro(perLabel) };
}
