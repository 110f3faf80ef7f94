/**
 * Inter-annotator agreement over a corpus, document by document: exact-span
 * P/R/F1 per pair of annotators (per label and micro), Cohen's κ per pair,
 * Fleiss' κ over all annotators and Krippendorff's α (nominal) on token tags,
 * for entities and, as a layer of its own, boilerplate. Pure: the caller
 * reads the layers and decides which documents count.
 */
import type {
  AgreementReport,
  DocumentAgreement,
  DocumentPairAgreement,
  LayerAgreement,
  PairKappa,
  PairSpanAgreement,
  SidecarAnnotation,
  SpanScores,
} from '../../protocol';
import { prepareDocument, type LabeledSpan } from '../export/common';
import { CohenKappa, FleissKappa, KrippendorffAlpha } from './coefficients';
import { addCounts, compareSpans, emptyCounts, microCounts, scores, type SpanCounts } from './spans';
import { tokenTags } from './units';

// The report's types are declared in protocol.ts (the CLI's JSON and the server's answer are the same document).
export type {
  AgreementReport,
  DocumentAgreement,
  DocumentPairAgreement,
  LayerAgreement,
  PairKappa,
  PairSpanAgreement,
  SpanAgreement,
  TokenAgreement,
} from '../../protocol';

export type AgreementLayer = 'entity' | 'boilerplate';
export const AGREEMENT_LAYERS: readonly AgreementLayer[] = ['entity', 'boilerplate'];

export interface AnnotatorLayerInput {
  annotator: string;
  /** The layer's annotations placed on the current text (code point offsets); only accepted ones count. */
  annotations: readonly SidecarAnnotation[];
}

export interface AgreementDocumentInput {
  /** Name shown in the report (e.g. the path relative to the corpus). */
  name: string;
  text: string;
  /** The layers that take part in the comparison (two or more for the document to count). */
  layers: readonly AnnotatorLayerInput[];
}

export interface AgreementOptions {
  /** Entity labels compared; the others are left out as if nobody had annotated them. Default: all. */
  labels?: readonly string[];
  /** Annotations that cannot be used (offsets outside the text, text mismatch): for the user. */
  onProblem?: (message: string) => void;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface LayerState {
  spans: Map<string, { documents: number; byLabel: Map<string, SpanCounts> }>;
  cohen: Map<string, { kappa: CohenKappa; documents: number }>;
  /** By the set of annotators of the document: Fleiss' κ is read from the set of all of them. */
  fleiss: Map<string, { kappa: FleissKappa; documents: number }>;
  alpha: KrippendorffAlpha;
}

function newLayerState(): LayerState {
  return { spans: new Map(), cohen: new Map(), fleiss: new Map(), alpha: new KrippendorffAlpha() };
}

const PAIR_SEP = '\u0000';

/** Feed documents one at a time (`add`), then read the report (`report`). */
export class AgreementAccumulator {
  private readonly layers: Record<AgreementLayer, LayerState> = { entity: newLayerState(), boilerplate: newLayerState() };
  private readonly annotators = new Set<string>();
  private readonly documents: DocumentAgreement[] = [];
  private readonly labels: Set<string> | null;

  constructor(private readonly options: AgreementOptions = {}) {
    this.labels = options.labels ? new Set(options.labels) : null;
  }

  /** Adds a document; returns false (and counts nothing) when fewer than two annotators take part. */
  add(doc: AgreementDocumentInput): boolean {
    const layers = [...doc.layers].sort((x, y) => cmp(x.annotator, y.annotator));
    for (let i = 1; i < layers.length; i++)
      if (layers[i].annotator === layers[i - 1].annotator) throw new RangeError(`${doc.name}: annotator "${layers[i].annotator}" given twice`);
    if (layers.length < 2) return false;
    const names = layers.map((l) => l.annotator);
    for (const n of names) this.annotators.add(n);

    const prepared = layers.map((l) =>
      prepareDocument({ name: `${doc.name} (${l.annotator})`, text: doc.text, annotations: [...l.annotations] }, this.options.onProblem),
    );
    const cps = prepared[0].cps;
    const spansOf: Record<AgreementLayer, LabeledSpan[][]> = {
      entity: prepared.map((p) => (this.labels ? p.entities.filter((e) => this.labels!.has(e.label)) : p.entities)),
      boilerplate: prepared.map((p) => p.boilerplate),
    };

    const docPairs: DocumentPairAgreement[] = [];
    for (let i = 0; i < names.length; i++)
      for (let j = i + 1; j < names.length; j++) docPairs.push({ a: names[i], b: names[j], entity: scores(emptyCounts()), boilerplate: scores(emptyCounts()) });

    let tokens = 0;
    for (const kind of AGREEMENT_LAYERS) {
      const state = this.layers[kind];
      const spans = spansOf[kind];
      const tags = tokenTags(cps, spans);
      const units = tags[0].length;
      if (kind === 'entity') tokens = units;
      let p = 0;
      for (let i = 0; i < names.length; i++)
        for (let j = i + 1; j < names.length; j++, p++) {
          const key = names[i] + PAIR_SEP + names[j];
          const byLabel = compareSpans(spans[i], spans[j]);
          docPairs[p][kind] = scores(microCounts(byLabel.values()));
          let pair = state.spans.get(key);
          if (!pair) state.spans.set(key, (pair = { documents: 0, byLabel: new Map() }));
          pair.documents++;
          for (const [label, c] of byLabel) {
            let into = pair.byLabel.get(label);
            if (!into) pair.byLabel.set(label, (into = emptyCounts()));
            addCounts(into, c);
          }
          let cohen = state.cohen.get(key);
          if (!cohen) state.cohen.set(key, (cohen = { kappa: new CohenKappa(), documents: 0 }));
          cohen.documents++;
          for (let t = 0; t < units; t++) cohen.kappa.add(tags[i][t], tags[j][t]);
        }
      const setKey = names.join(PAIR_SEP);
      let fleiss = state.fleiss.get(setKey);
      if (!fleiss) state.fleiss.set(setKey, (fleiss = { kappa: new FleissKappa(names.length), documents: 0 }));
      fleiss.documents++;
      const column: string[] = new Array(names.length);
      for (let t = 0; t < units; t++) {
        for (let i = 0; i < names.length; i++) column[i] = tags[i][t];
        fleiss.kappa.addValues(column);
        state.alpha.addValues(column);
      }
    }
    const f1s = docPairs.map((d) => d.entity.f1).filter((f): f is number => f !== null);
    this.documents.push({ document: doc.name, annotators: names, tokens, pairs: docPairs, worstEntityF1: f1s.length ? Math.min(...f1s) : null });
    return true;
  }

  report(): AgreementReport {
    const annotators = [...this.annotators].sort(cmp);
    return {
      annotators,
      documents: this.documents.length,
      labels: this.labels ? [...this.labels].sort(cmp) : null,
      entity: this.layerReport('entity', annotators),
      boilerplate: this.layerReport('boilerplate', annotators),
      perDocument: this.documents,
    };
  }

  private layerReport(kind: AgreementLayer, annotators: string[]): LayerAgreement {
    const state = this.layers[kind];
    const pairKeys = [...state.spans.keys()].sort(cmp);
    const pairs: PairSpanAgreement[] = pairKeys.map((key) => {
      const [a, b] = key.split(PAIR_SEP);
      const { documents, byLabel } = state.spans.get(key)!;
      return { a, b, documents, micro: scores(microCounts(byLabel.values())), labels: labelScores(byLabel) };
    });
    const pooled = new Map<string, SpanCounts>();
    for (const key of pairKeys)
      for (const [label, c] of state.spans.get(key)!.byLabel) {
        let into = pooled.get(label);
        if (!into) pooled.set(label, (into = emptyCounts()));
        addCounts(into, c);
      }
    const pairF1 = pairs.map((p) => p.micro.f1).filter((f): f is number => f !== null);
    const cohen: PairKappa[] = pairKeys.map((key) => {
      const [a, b] = key.split(PAIR_SEP);
      const c = state.cohen.get(key)!;
      return { a, b, documents: c.documents, ...c.kappa.result() };
    });
    const everyone = state.fleiss.get(annotators.join(PAIR_SEP));
    return {
      spans: {
        pairs,
        allPairs: {
          pairs: pairs.length,
          documents: this.documents.length,
          micro: scores(microCounts(pooled.values())),
          labels: labelScores(pooled),
          meanPairF1: pairF1.length ? pairF1.reduce((s, f) => s + f, 0) / pairF1.length : null,
        },
      },
      tokens: {
        cohen,
        fleiss: everyone
          ? { annotators, documents: everyone.documents, ...everyone.kappa.result() }
          : { annotators, documents: 0, units: 0, observed: null, expected: null, kappa: null },
        krippendorff: { documents: this.documents.length, ...state.alpha.result() },
      },
    };
  }
}

function labelScores(byLabel: Map<string, SpanCounts>): Record<string, SpanScores> {
  // Labels are the users' strings: a null prototype keeps one called "__proto__" an ordinary key.
  const out: Record<string, SpanScores> = Object.create(null);
  for (const label of [...byLabel.keys()].sort(cmp)) out[label] = scores(byLabel.get(label)!);
  return out;
}

/** The whole computation for documents already in memory. */
export function computeAgreement(documents: Iterable<AgreementDocumentInput>, options: AgreementOptions = {}): AgreementReport {
  const acc = new AgreementAccumulator(options);
  for (const d of documents) acc.add(d);
  return acc.report();
}
