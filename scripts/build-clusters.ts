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
import { countBigrams, exchangeClusters } from './clusters/exchange';
import { brownPaths } from './clusters/hierarchy';
import { CLUSTERING_OPTIONS, clusteringSource, idText, positiveOption, vocabularyText } from './clusters/text';

const { values: opt } = parseArgs({
  options: {
    classes: { type: 'string', default: '512' },
    'max-passes': { type: 'string', default: '15' },
    ...CLUSTERING_OPTIONS,
  },
  strict: true,
  allowPositionals: false,
});
const C = positiveOption('classes', opt.classes);
const minCount = positiveOption('min-count', opt['min-count']);
const keepCount = positiveOption('keep-count', opt['keep-count']);
const maxPasses = positiveOption('max-passes', opt['max-passes']);
const source = clusteringSource(opt['training-text'], opt['ner-dev-head']);
const root = path.resolve(__dirname, '..');
const out = path.resolve(opt.out ?? path.join(root, 'data/clusters/ar-clusters.json'));

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

const text = idText(source.paragraphs());
console.log(`${text.paragraphCount} paragraphs, ${text.n - text.paragraphCount} tokens, ${text.forms.length} word forms (${secs()})`);

// Vocabulary: most frequent first (ties by code point order), rare forms share one id.
const { vocab, stream, RARE } = vocabularyText(text, minCount);
const V = RARE + 1;
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
    source.attribution +
    ' Licence: CC BY-SA 4.0; see data/clusters/NOTICE.md.',
  classes: C,
  minCount,
  words: kept,
  paths: Object.fromEntries([...byPath].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p, ws]) => [p, ws.join(' ')])),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(data) + '\n');
console.log(`${kept} words in ${byPath.size} classes → ${path.relative(root, out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB) (${secs()})`);
