/**
 * The clustering text as one array of word-form ids, shared by the two word-representation
 * builds (build-clusters.ts: Brown-style classes; build-embedding-clusters.ts: k-means over
 * skip-gram vectors), so both read the same words, tokenised and folded exactly as the
 * tagger does (core/text/tokenize.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tokenize } from '../../server/src/core/text/tokenize';
import { ARWIKI_ATTRIBUTION, arwikiParagraphs } from '../arwiki';
import { sharedDir } from '../shared-dir';

/**
 * The command-line options both builds take (node:util parseArgs): which text, which words,
 * where the file goes. --min-count: rarer words are left out of the model (Brown: share one
 * "rare" class); --keep-count: only words at least this frequent are written to the file.
 */
export const CLUSTERING_OPTIONS = {
  'min-count': { type: 'string', default: '5' },
  'keep-count': { type: 'string', default: '5' },
  'training-text': { type: 'string', default: 'aqmar' },
  'ner-dev-head': { type: 'string', default: '1' },
  out: { type: 'string' },
} as const;

/** A command-line value that must be a positive whole number. */
export function positiveOption(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${v}`);
  return n;
}

/**
 * The clustering text: Arabic Wikipedia, and which training texts join it (`--training-text`):
 * AQMAR by default. ANERcorp dev (`all`) is left out by default so that cross-validation and
 * the tail split score documents whose words did not shape the word representations, as the
 * held-out part's did not. `nerDevHead`: with `all`, only that first fraction of ANERcorp dev.
 * Exits with a message on a bad choice.
 */
export function clusteringSource(trainingText: string, nerDevHead: string): { paragraphs: () => Generator<string>; attribution: string } {
  const nerDev = sharedDir('eval', 'ner-dev');
  const TRAINING_TEXTS: Record<string, string[]> = { none: [], aqmar: [sharedDir('train', 'aqmar')], all: [sharedDir('train', 'aqmar'), nerDev] };
  const head = Number(nerDevHead);
  if (!(head > 0 && head <= 1)) {
    console.error(`--ner-dev-head must be a fraction in (0, 1] (got ${JSON.stringify(nerDevHead)})`);
    process.exit(2);
  }
  const dirs = TRAINING_TEXTS[trainingText];
  if (!dirs) {
    console.error(`--training-text must be one of ${Object.keys(TRAINING_TEXTS).join(', ')} (got ${JSON.stringify(trainingText)})`);
    process.exit(2);
  }
  function* paragraphs(): Generator<string> {
    yield* arwikiParagraphs();
    // The training texts (their words, never their labels).
    for (const dir of dirs!) {
      const lines = fs.readFileSync(path.join(dir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean);
      // ANERcorp dev: its first fraction only when asked (to check a tail split whose words the clusters never saw).
      const kept = dir === nerDev ? lines.slice(0, Math.round(lines.length * head)) : lines;
      for (const line of kept) yield* (JSON.parse(line) as { text: string }).text.split('\n');
    }
  }
  const extra = ({ none: '', aqmar: ', and the words of AQMAR (CC BY-SA 3.0)', all: ', and the words of the tagger training texts (AQMAR, CC BY-SA 3.0; ANERcorp, CC BY-SA 4.0)' } as Record<string, string>)[trainingText];
  return { paragraphs, attribution: 'From ' + ARWIKI_ATTRIBUTION.replace(/\.$/, '') + extra + '.' };
}

/** Token → the form clustered: folded words and symbols as they are, every number one form. */
export const formOf = (t: ReturnType<typeof tokenize>[number]) => (t.kind === 'number' ? '<num>' : t.folded);

export interface IdText {
  /** Forms in order of first appearance. */
  forms: string[];
  /** Occurrences of each form. */
  formCount: Float64Array;
  /** The text: form ids, −1 between paragraphs (ids.length ≥ n). */
  ids: Int32Array;
  n: number;
  paragraphCount: number;
}

/** One pass over the paragraphs: every form gets an id in order of appearance, and is counted. */
export function idText(paragraphs: Iterable<string>): IdText {
  const formId = new Map<string, number>();
  const forms: string[] = [];
  let formCount = new Float64Array(1 << 16);
  let ids = new Int32Array(1 << 24);
  let n = 0;
  let paragraphCount = 0;
  const push = (x: number) => {
    if (n === ids.length) {
      const bigger = new Int32Array(ids.length * 2);
      bigger.set(ids);
      ids = bigger;
    }
    ids[n++] = x;
  };
  for (const p of paragraphs) {
    const toks = tokenize(p);
    if (!toks.length) continue;
    paragraphCount++;
    for (const t of toks) {
      const f = formOf(t);
      let id = formId.get(f);
      if (id === undefined) {
        formId.set(f, (id = forms.length));
        forms.push(f);
        if (id === formCount.length) {
          const bigger = new Float64Array(formCount.length * 2);
          bigger.set(formCount);
          formCount = bigger;
        }
      }
      formCount[id]++;
      push(id);
    }
    push(-1); // no context across paragraphs
  }
  return { forms, formCount, ids, n, paragraphCount };
}

/**
 * Vocabulary of the forms seen at least `minCount` times, most frequent first (ties by code
 * point order), and the text rewritten in vocabulary ids, in place (`stream` is `t.ids`):
 * rarer forms all become `RARE` (= vocab.length), paragraph breaks stay −1.
 */
export function vocabularyText(t: IdText, minCount: number): { vocab: [string, number][]; stream: Int32Array; RARE: number } {
  const { forms, formCount } = t;
  const vocabIds = forms
    .map((_, i) => i)
    .filter((i) => formCount[i] >= minCount)
    .sort((a, b) => formCount[b] - formCount[a] || (forms[a] < forms[b] ? -1 : forms[a] > forms[b] ? 1 : 0));
  const vocab: [string, number][] = vocabIds.map((i) => [forms[i], formCount[i]]);
  const RARE = vocab.length;
  const toVocab = new Int32Array(forms.length).fill(RARE);
  vocabIds.forEach((f, v) => (toVocab[f] = v));
  const stream = t.ids.subarray(0, t.n);
  for (let i = 0; i < t.n; i++) if (stream[i] >= 0) stream[i] = toVocab[stream[i]];
  return { vocab, stream, RARE };
}
