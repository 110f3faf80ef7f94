/**
 * New labels for the tagger. The shipped model knows PER, ORG, LOC and MISC;
 * a team's schema may add others (GPE, EVENT, …). Once a new label has
 * enough accepted examples, Learn from Annotations extends the model's tag
 * set with it (B-, I-, E-, S- tags, weights starting at zero) and trains it
 * like the others. Until then the label is suggested from the dictionary of
 * accepted names only: a tagger taught from three mentions would mostly guess.
 */
import type { TaggerModel } from './tagger';

/** Accepted mentions a new label needs before the tagger learns it… */
export const MIN_MENTIONS_TO_LEARN = 10;
/** …spread over at least this many documents (one article's repetitions teach little). */
export const MIN_DOCUMENTS_TO_LEARN = 2;
/** The tagger's packed feature index allows at most 31 tags (tagger.ts featureIndex). */
export const MAX_TAGS = 31;

/** The labels a model's tags know. */
export function labelsOf(model: Pick<TaggerModel, 'tags'>): string[] {
  return [...new Set(model.tags.filter((t) => t !== 'O').map((t) => t.slice(2)))];
}

export interface LabelPlan {
  /** New labels the tagger will learn now. */
  learn: string[];
  /** New labels with too few examples (or no room left in the tag set): dictionary only for now. */
  notYet: { label: string; mentions: number; documents: number; needed: number; reason: 'examples' | 'room' }[];
}

/** Which labels of the examples are new to the model, and which of those have enough examples to be learned. */
export function planLabels(model: Pick<TaggerModel, 'tags'>, examples: readonly { entities: readonly { label: string }[] }[]): LabelPlan {
  const known = new Set(labelsOf(model));
  const perTag = model.tags.some((t) => t.startsWith('E-')) ? 4 : 2;
  const stats = new Map<string, { mentions: number; documents: number }>();
  for (const ex of examples) {
    const seen = new Set<string>();
    for (const e of ex.entities) {
      if (known.has(e.label)) continue;
      const s = stats.get(e.label) ?? { mentions: 0, documents: 0 };
      s.mentions++;
      if (!seen.has(e.label)) s.documents++;
      seen.add(e.label);
      stats.set(e.label, s);
    }
  }
  const plan: LabelPlan = { learn: [], notYet: [] };
  let room = Math.floor((MAX_TAGS - model.tags.length) / perTag);
  // The best-attested labels first, so the room left goes to those the tagger can learn best.
  for (const [label, s] of [...stats].sort((a, b) => b[1].mentions - a[1].mentions || (a[0] < b[0] ? -1 : 1))) {
    const enough = s.mentions >= MIN_MENTIONS_TO_LEARN && s.documents >= MIN_DOCUMENTS_TO_LEARN;
    if (enough && room > 0) {
      plan.learn.push(label);
      room--;
    } else plan.notYet.push({ label, ...s, needed: MIN_MENTIONS_TO_LEARN, reason: enough ? 'room' : 'examples' });
  }
  return plan;
}

/**
 * The model with tags for `labels` added (in the scheme it uses: BIOES or
 * BIO), every weight of the new tags zero and the old weights and
 * transitions where they were. The input model is not modified.
 */
export function extendTagSet(model: TaggerModel, labels: readonly string[]): TaggerModel {
  const known = new Set(labelsOf(model));
  const prefixes = model.tags.some((t) => t.startsWith('E-')) ? ['B', 'I', 'E', 'S'] : ['B', 'I'];
  const added = labels.filter((l) => !known.has(l)).flatMap((l) => prefixes.map((p) => `${p}-${l}`));
  if (!added.length) return model;
  const T = model.tags.length;
  const tags = [...model.tags, ...added];
  const T2 = tags.length;
  if (T2 > MAX_TAGS) throw new RangeError(`a tagger model may have at most ${MAX_TAGS} tags; ${labels.join(', ')} would make ${T2}`);
  const weights = new Map<string, Float32Array>();
  for (const [f, w] of model.weights) {
    const v = new Float32Array(T2);
    v.set(w.subarray(0, T));
    weights.set(f, v);
  }
  // (T + 1) × T transitions, the last row being the sentence start: old rows and columns keep their place.
  const trans = new Float32Array((T2 + 1) * T2);
  for (let p = 0; p < T; p++) trans.set(model.trans.subarray(p * T, p * T + T), p * T2);
  trans.set(model.trans.subarray(T * T, T * T + T), T2 * T2);
  return { ...model, tags, weights, trans, meta: { ...model.meta, addedLabels: [...((model.meta.addedLabels as string[] | undefined) ?? []), ...labels.filter((l) => !known.has(l))] } };
}
