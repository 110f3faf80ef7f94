/**
 * Training the English tagger on annotated documents (pure: scripts/train-ner-en.ts reads
 * the corpora). The same averaged perceptron as the Arabic model (tagger.ts), with the
 * same recipe: leave-one-document-out word frequencies, a loss-augmented margin, several
 * shuffles averaged.
 */
import { analyseEnglish, enTrainingSentences } from './englishTagger';
import { averageModels, TAGS, trainPerceptron, type TaggerModel, type TrainingSentence } from './tagger';
import type { AnnotatedDoc } from './train';

export interface EnglishTrainOptions {
  epochs?: number;
  seed?: number;
  /** Shuffles trained and averaged (default 4). */
  runs?: number;
  /** Loss-augmented margin (see trainPerceptron). */
  margin?: number;
  /** Tag set (default TAGS, BIOES). */
  tags?: string[];
  onProgress?: (done: number, total: number) => void;
}

/** Score scale of the marginals (confidences): fitted on held-out documents, see scripts/train-ner-en.ts. */
export const EN_TEMPERATURE = 12;
export const EN_MARGIN = 20;

export function lowerFrequencies(docs: readonly AnnotatedDoc[]): Map<string, number> {
  const freq = new Map<string, number>();
  for (const d of docs) for (const w of d.text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’&-]*/gu) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  return freq;
}

export function englishTrainingSentences(docs: readonly AnnotatedDoc[], freq: Map<string, number>, tags: string[] = TAGS): TrainingSentence[] {
  return docs.flatMap((d) => {
    // Leave-one-document-out frequencies: a name seen only in this document looks unseen,
    // as a new name will at tagging time.
    const own = lowerFrequencies([d]);
    const a = analyseEnglish(d.text, (w) => (freq.get(w) ?? 0) - (own.get(w) ?? 0));
    return enTrainingSentences(a, d.spans, tags);
  });
}

export function trainEnglishModel(docs: readonly AnnotatedDoc[], opts: EnglishTrainOptions = {}): TaggerModel {
  const freq = lowerFrequencies(docs);
  const tags = opts.tags ?? TAGS;
  const sentences = englishTrainingSentences(docs, freq, tags);
  const runs = opts.runs ?? 4;
  const models = Array.from({ length: runs }, (_, k) =>
    trainPerceptron(sentences, { epochs: opts.epochs ?? 10, margin: opts.margin ?? EN_MARGIN, seed: (opts.seed ?? 1) + k * 7919, freq, tags, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) }),
  );
  const model = averageModels(models);
  model.temperature = EN_TEMPERATURE;
  model.meta = { ...model.meta, language: 'en', documents: docs.length, sentences: sentences.length };
  return model;
}
