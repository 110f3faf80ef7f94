/**
 * The computation of "Learn from Annotations", apart from reading the corpus: the
 * tagger adapted to the documents' decisions, and (with five documents or more) its
 * exact-span F1 before and after on a fifth of them set aside. Pure, so that the
 * language server can run it in a worker thread (host/learnWorker.ts): on a few
 * thousand annotated documents it trains for a minute.
 */
import { adaptModel, detectEntities, labelsOf } from './index';
import { planLabels, type LabelPlan } from './tagSet';
import type { TaggerModel } from './tagger';

/** One reading of a document: its accepted and rejected names (UTF-16 offsets). */
export interface LearnExample {
  text: string;
  entities: { start: number; end: number; label: string }[];
  rejected: { start: number; end: number; label: string }[];
  /** Marked done in its layer: every sentence is taught (AdaptExample.complete). */
  complete?: boolean;
}

/** What one document teaches: the working layer's reading, and (when asked) the other layers' readings. */
export interface DocumentExamples {
  own: LearnExample | null;
  others: LearnExample[];
}

export interface Learned {
  model: TaggerModel;
  plan: LabelPlan;
  /** Exact-span F1 of the tagger in use and of the adapted one on the documents set aside (five documents or more). */
  before?: number;
  after?: number;
}

/** Every reading of the documents: each one's own, then its other layers'. */
export function examplesOf(documents: readonly DocumentExamples[]): LearnExample[] {
  return documents.flatMap((d) => (d.own ? [d.own, ...d.others] : d.others));
}

export function learnFromExamples(base: TaggerModel, documents: readonly DocumentExamples[], onProgress?: (done: number, total: number) => void): Learned {
  const examples = examplesOf(documents);
  // New labels of the team's schema are learned once they have enough examples; the plan is made on all of them.
  const plan = planLabels(base, examples);
  let before: number | undefined;
  let after: number | undefined;
  // Documents are set aside whole (all their readings), and scored on the working layer's reading only.
  const held = documents.filter((d, i) => i % 5 === 4 && d.own);
  if (documents.length >= 5 && held.length) {
    const heldSet = new Set(held);
    const reference = held.map((d) => d.own!);
    before = score(base, reference);
    after = score(adaptModel(base, examplesOf(documents.filter((d) => !heldSet.has(d))), { plan }), reference);
  }
  const model = adaptModel(base, examples, { ...(onProgress ? { onProgress } : {}), plan });
  return { model, plan, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

function score(model: TaggerModel, examples: LearnExample[]): number {
  const gold: { doc: number; start: number; end: number; label: string }[] = [];
  const predicted: typeof gold = [];
  examples.forEach((ex, doc) => {
    for (const e of ex.entities) gold.push({ doc, ...e });
    for (const c of detectEntities(ex.text, { model, minConfidence: 0, labels: labelsOf(model) })) predicted.push({ doc, start: c.start, end: c.end, label: c.label });
  });
  const key = (s: (typeof gold)[number]): string => `${s.doc}:${s.start}:${s.end}:${s.label}`;
  const goldKeys = new Set(gold.map(key));
  const tp = predicted.filter((p) => goldKeys.has(key(p))).length;
  // Exact-span micro-F1 against the user's own annotations.
  return tp === 0 ? 0 : (2 * tp) / (gold.length + predicted.length);
}
