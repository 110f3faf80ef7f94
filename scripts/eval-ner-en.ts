/**
 * English entity evaluation (`npm run eval:ner -- --lang en`): the full pipeline as the
 * server runs it, on ../shared/eval/ner-en-dev (12 Wikinews articles, GUM annotation) and,
 * as a second dev figure, on its `interviews/` (19 Wikinews interviews). Metric: exact span
 * and label, micro-averaged (core/detect/entities/metric.ts), per label.
 *
 *   npm run eval:ner -- --lang en [dir] [--no-corpus] [--errors]
 *
 * Each set is tagged as the server tags a workspace (every document once, names observed
 * into a CorpusNames, then every document again with it); --no-corpus: documents alone.
 * The English model is trained on other corpora (scripts/train-ner-en.ts), never on these
 * sets, so there is no cross-validation here: every figure is on unseen text.
 * --errors: lists the misses and false alarms of every document (for error analysis).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectEntities } from '../server/src/core/detect/entities/index';
import { countDocument, scores } from '../server/src/core/detect/entities/metric';
import { evaluate, evaluateWithCorpus, type AnnotatedDoc } from '../server/src/core/detect/entities/train';
import { loadModel } from '../server/src/core/detect/entities/index';
import { printEvaluation, readGold } from './ner-data';
import { sharedDir } from './shared-dir';

/** `npm run eval:ner -- --lang en`: scripts/eval-ner.ts hands over to runEnglishEval when it sees the switch. */
export function englishEvalRequested(argv = process.argv): boolean {
  const i = argv.indexOf('--lang');
  return i >= 0 && argv[i + 1] === 'en';
}

export function runEnglishEval(argv = process.argv.slice(2)): void {
  const args = argv.filter((a, i) => !(a === '--lang' || argv[i - 1] === '--lang'));
  const noCorpus = args.includes('--no-corpus');
  const errors = args.includes('--errors');
  const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? sharedDir('eval', 'ner-en-dev'));
  const sets: [string, string][] = [[path.basename(dir), dir]];
  if (fs.existsSync(path.join(dir, 'interviews', 'gold.jsonl'))) sets.push([`${path.basename(dir)}/interviews`, path.join(dir, 'interviews')]);
  const model = loadModel();
  for (const [name, d] of sets) {
    const docs = readGold(d);
    const t0 = performance.now();
    const e = noCorpus ? evaluate(docs, (text) => detectEntities(text, { model })) : evaluateWithCorpus(docs, model);
    const ms = performance.now() - t0;
    const words = docs.reduce((n, doc) => n + (doc.text.match(/\S+/g)?.length ?? 0), 0);
    printEvaluation(
      `${name}: ${docs.length} documents, ${words} words, ${docs.reduce((n, doc) => n + doc.spans.length, 0)} gold entities (${noCorpus ? 'documents alone' : 'tagged as a workspace'}; ${ms.toFixed(0)} ms)`,
      e,
      scores,
    );
    if (errors) for (const doc of docs) printErrors(doc);
  }
}

function printErrors(doc: AnnotatedDoc): void {
  const pred = detectEntities(doc.text);
  const counts = countDocument(doc.text, doc.spans, pred);
  let fp = 0;
  let fn = 0;
  for (const c of counts.values()) (fp += c.fp), (fn += c.fn);
  console.log(`\n# ${doc.id}: ${fn} missed, ${fp} false`);
  const key = (s: { start: number; end: number; label: string }) => `${s.start}:${s.end}:${s.label}`;
  const goldKeys = new Set(doc.spans.map(key));
  const predKeys = new Set(pred.map(key));
  const ctx = (s: { start: number; end: number }) => doc.text.slice(Math.max(0, s.start - 25), s.start).replace(/\s+/g, ' ') + '[' + doc.text.slice(s.start, s.end) + ']' + doc.text.slice(s.end, s.end + 25).replace(/\s+/g, ' ');
  for (const g of doc.spans) if (!predKeys.has(key(g))) console.log(`  miss ${g.label.padEnd(4)} ${ctx(g)}`);
  for (const p of pred) if (!goldKeys.has(key(p))) console.log(`  fals ${p.label.padEnd(4)} ${ctx(p)}  (${p.source} ${p.confidence})`);
}

if (require.main === module) runEnglishEval();
