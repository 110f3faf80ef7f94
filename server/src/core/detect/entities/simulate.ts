/**
 * A simulated annotator, to measure what accepting names and Learn from Annotations are
 * worth on a corpus (scripts/eval-adapt.ts). The "user" reviews the first k documents in
 * order as the editor shows them: the suggestions (with the names accepted so far), each
 * accepted when gold agrees, rejected otherwise, and every gold name nobody suggested
 * added by hand. The tagger then adapts to those decisions (adaptModel), and the rest of
 * the corpus is tagged as a workspace with the adapted tagger and the user's names.
 * Pure: callers read the corpora.
 */
import { corpusRejections, EntityDictionary } from './dictionary';
import { adaptModel, detectEntities, type AdaptExample, type EntityOptions } from './index';
import { spanMatches, type LabeledSpan } from './metric';
import type { TaggerModel } from './tagger';
import { evaluateWithCorpus, type AnnotatedDoc, type Evaluation } from './train';

export interface Review {
  /** Suggestions the user accepted (as suggested), and gold names added by hand. */
  accepted: LabeledSpan[];
  /** Suggestions that are not a gold name. */
  rejected: LabeledSpan[];
}

/** The decisions a careful annotator leaves on one document (UTF-16 offsets). */
export function reviewDocument(text: string, gold: LabeledSpan[], suggestions: LabeledSpan[]): Review {
  const accepted: LabeledSpan[] = [];
  const rejected: LabeledSpan[] = [];
  const covered = new Set<number>();
  for (const s of suggestions) {
    // A suggestion that leaves out a proclitic of the gold token is the better annotation (metric.ts).
    const g = gold.findIndex((x, i) => !covered.has(i) && spanMatches(text, x, s));
    if (g >= 0) {
      covered.add(g);
      accepted.push({ start: s.start, end: s.end, label: s.label });
    } else rejected.push({ start: s.start, end: s.end, label: s.label });
  }
  gold.forEach((g, i) => {
    if (!covered.has(i)) accepted.push({ ...g });
  });
  return { accepted, rejected };
}

export interface AdaptationPoint {
  k: number;
  /** The shipped tagger with the user's accepted and rejected names (the dictionary) only. */
  dictionaryOnly: Evaluation;
  /** After Learn from Annotations: the adapted tagger, with the dictionary. */
  adapted: Evaluation;
  /** Time adaptModel took (ms). */
  adaptMs: number;
  /** The adapted model (for further checks by the caller). */
  model: TaggerModel;
}

/**
 * Reviews `pool` in order, and after each k of `ks` adapts `base` to the first k
 * reviews and tags `test` as a workspace. k = 0 is the base tagger alone.
 */
export function adaptationCurve(
  base: TaggerModel,
  pool: AnnotatedDoc[],
  test: AnnotatedDoc[],
  ks: number[],
  detect: Omit<EntityOptions, 'model' | 'dictionary'> = {},
  adapt: { epochs?: number; margin?: number; rate?: number; knownRate?: number; knownBound?: number } = {},
  /** The reviewed documents are marked done (AdaptExample.complete). */
  complete = true,
): AdaptationPoint[] {
  const labels = new Set(detect.labels ?? ['PER', 'ORG', 'LOC', 'MISC']);
  const gold = (d: AnnotatedDoc) => d.spans.filter((s) => labels.has(s.label));
  const testDocs = test.map((d) => ({ ...d, spans: gold(d) }));
  const dictionary = new EntityDictionary();
  const examples: AdaptExample[] = [];
  const points: AdaptationPoint[] = [];
  const maxK = Math.max(...ks);
  for (let k = 0; k <= maxK; k++) {
    if (ks.includes(k)) {
      const dictOnly = k === 0 ? undefined : evaluateWithCorpus(testDocs, base, { ...detect, dictionary });
      const t0 = performance.now();
      const model = k === 0 ? base : adaptModel(base, examples, adapt);
      const adaptMs = performance.now() - t0;
      const adapted = evaluateWithCorpus(testDocs, model, { ...detect, ...(k ? { dictionary } : {}) });
      points.push({ k, dictionaryOnly: dictOnly ?? adapted, adapted, adaptMs, model });
    }
    if (k === maxK || k >= pool.length) break;
    // The user opens document k: suggestions come from the shipped tagger and the names decided so far.
    const d = pool[k];
    const suggestions = detectEntities(d.text, { ...detect, model: base, dictionary }).map((e) => ({ start: e.start, end: e.end, label: e.label }));
    const r = reviewDocument(d.text, gold(d), suggestions);
    for (const a of r.accepted) dictionary.add(d.text.slice(a.start, a.end), a.label);
    for (const a of corpusRejections(r.accepted, r.rejected)) dictionary.reject(d.text.slice(a.start, a.end), a.label);
    examples.push({ text: d.text, entities: r.accepted, rejected: r.rejected, ...(complete ? { complete: true } : {}) });
  }
  return points;
}
