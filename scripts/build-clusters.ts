/**
 * Builds the word clusters the entity tagger uses as features (data/clusters/ar-clusters.json):
 * Brown-style hierarchical clusters of the folded word forms of Arabic Wikipedia text
 * (../shared/train/arwiki-text) plus the tagger's training texts, tokenised and folded
 * exactly as the tagger does (core/text/tokenize.ts). Flat classes by the exchange
 * algorithm (clusters/exchange.ts), then Brown's agglomerative merging of the classes into
 * bit strings (clusters/hierarchy.ts). Deterministic: the same inputs give the same file.
 *
 *   npm run build:clusters [-- --classes 512] [--min-count 5] [--keep-count 5] [--training-text none|aqmar|all] [--out FILE]
 *
 * --min-count: words rarer than this in the clustering text share one "rare" class;
 * --keep-count: only words at least this frequent are written to the file (size).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { hasArabic } from '../server/src/core/text/arabic';
import { tokenize } from '../server/src/core/text/tokenize';
import { countBigrams, exchangeClusters } from './clusters/exchange';
import { brownPaths } from './clusters/hierarchy';
import { ARWIKI_ATTRIBUTION, arwikiParagraphs } from './arwiki';
import { sharedDir } from './shared-dir';

const { values: opt } = parseArgs({
  options: {
    classes: { type: 'string', default: '512' },
    'min-count': { type: 'string', default: '5' },
    'keep-count': { type: 'string', default: '5' },
    'max-passes': { type: 'string', default: '15' },
    'training-text': { type: 'string', default: 'aqmar' },
    'ner-dev-head': { type: 'string', default: '1' },
    out: { type: 'string' },
  },
  strict: true,
  allowPositionals: false,
});
const positive = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${v}`);
  return n;
};
const C = positive('classes', opt.classes);
const minCount = positive('min-count', opt['min-count']);
const keepCount = positive('keep-count', opt['keep-count']);
const maxPasses = positive('max-passes', opt['max-passes']);
/**
 * Which training texts join Wikipedia: AQMAR by default. ANERcorp dev (`all`) is left out
 * by default so that cross-validation and the tail split score documents whose words did
 * not shape the clusters, as the held-out part's did not.
 */
const nerDev = sharedDir('eval', 'ner-dev');
const TRAINING_TEXTS: Record<string, string[]> = { none: [], aqmar: [sharedDir('train', 'aqmar')], all: [sharedDir('train', 'aqmar'), nerDev] };
const nerDevHead = Number(opt['ner-dev-head']);
if (!(nerDevHead > 0 && nerDevHead <= 1)) {
  console.error(`--ner-dev-head must be a fraction in (0, 1] (got ${JSON.stringify(opt['ner-dev-head'])})`);
  process.exit(2);
}
const trainingTexts = TRAINING_TEXTS[opt['training-text']];
if (!trainingTexts) {
  console.error(`--training-text must be one of ${Object.keys(TRAINING_TEXTS).join(', ')} (got ${JSON.stringify(opt['training-text'])})`);
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const out = path.resolve(opt.out ?? path.join(root, 'data/clusters/ar-clusters.json'));

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

/** The clustering text, one paragraph per line. */
function* paragraphs(): Generator<string> {
  yield* arwikiParagraphs();
  // The training texts (their words, never their labels).
  for (const dir of trainingTexts) {
    const lines = fs.readFileSync(path.join(dir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean);
    // ANERcorp dev: its first fraction only when asked (to check a tail split whose words the clusters never saw).
    const kept = dir === nerDev ? lines.slice(0, Math.round(lines.length * nerDevHead)) : lines;
    for (const line of kept) yield* (JSON.parse(line) as { text: string }).text.split('\n');
  }
}

/** Token → the form clustered: folded words and symbols as they are, every number one form. */
const formOf = (t: ReturnType<typeof tokenize>[number]) => (t.kind === 'number' ? '<num>' : t.folded);

// One pass over the text: every form gets an id in order of appearance, the text becomes
// an array of ids (−1 between paragraphs), and forms are counted.
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
for (const p of paragraphs()) {
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
  push(-1); // no bigram across paragraphs
}
console.log(`${paragraphCount} paragraphs, ${n - paragraphCount} tokens, ${forms.length} word forms (${secs()})`);

// Vocabulary: most frequent first (ties by code point order), rare forms share one id.
const vocabIds = forms
  .map((_, i) => i)
  .filter((i) => formCount[i] >= minCount)
  .sort((a, b) => formCount[b] - formCount[a] || (forms[a] < forms[b] ? -1 : forms[a] > forms[b] ? 1 : 0));
const vocab: [string, number][] = vocabIds.map((i) => [forms[i], formCount[i]]);
const RARE = vocab.length;
const V = vocab.length + 1;
const toVocab = new Int32Array(forms.length).fill(RARE);
vocabIds.forEach((f, v) => (toVocab[f] = v));
const stream = ids.subarray(0, n);
for (let i = 0; i < n; i++) if (stream[i] >= 0) stream[i] = toVocab[stream[i]];
const bigrams = countBigrams(stream, V);
console.log(`vocabulary ${vocab.length} forms seen ≥ ${minCount} times (+1 for the rest), ${bigrams.succWord.length} distinct bigrams (${secs()})`);

const ex = exchangeClusters(bigrams, C, {
  maxPasses,
  onPass: (pass, moved, ll) => console.log(`pass ${pass}: ${moved} words moved, log-likelihood ${ll.toExponential(6)} (${secs()})`),
});
const paths = brownPaths(ex.N, C);
console.log(`hierarchy: paths of ${Math.min(...paths.filter(Boolean).map((p) => p.length))}–${Math.max(...paths.map((p) => p.length))} bits (${secs()})`);

// The file: path → the words of that class, most frequent first. Only Arabic-script
// words are kept (the tagger's cluster features are for them), frequent enough to matter.
const byPath = new Map<string, string[]>();
let kept = 0;
for (let w = 0; w < vocab.length; w++) {
  const [form, n] = vocab[w];
  if (n < keepCount || !hasArabic(form) || form.includes(' ')) continue;
  const p = paths[ex.cls[w]];
  const list = byPath.get(p) ?? [];
  list.push(form);
  byPath.set(p, list);
  kept++;
}
const data = {
  about:
    'Brown-style word clusters (exchange algorithm, then agglomerative merging into bit strings) of folded Arabic word forms, built by scripts/build-clusters.ts. ' +
    'From ' + ARWIKI_ATTRIBUTION.replace(/\.$/, '') +
    ({ none: '', aqmar: ', and the words of AQMAR (CC BY-SA 3.0)', all: ', and the words of the tagger training texts (AQMAR, CC BY-SA 3.0; ANERcorp, CC BY-SA 4.0)' } as Record<string, string>)[opt['training-text']] +
    '. Licence: CC BY-SA 4.0; see data/clusters/NOTICE.md.',
  classes: C,
  minCount,
  words: kept,
  paths: Object.fromEntries([...byPath].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p, ws]) => [p, ws.join(' ')])),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(data) + '\n');
console.log(`${kept} words in ${byPath.size} classes → ${path.relative(root, out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB) (${secs()})`);
