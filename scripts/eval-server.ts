/**
 * Scores the detectors the way users get them: through the bundled language
 * server (`node dist/server.js --stdio`) over a real LSP connection, with the
 * evaluation folder as the workspace (so corpus-wide signals are on, as in the
 * editor). Needs `npm run build` first.
 *
 *   node --import tsx scripts/eval-server.ts boilerplate [dir]   # default ../shared/eval/boilerplate-dev
 *   node --import tsx scripts/eval-server.ts ner [dir]           # default ../shared/eval/ner-dev
 *       [--tail F]      score only the last fraction F of the documents (corpus order),
 *                       in a workspace that holds only them (as a held-out part would be)
 *       [--model FILE]  use this tagger model (setting newsAnnotator.entities.modelPath),
 *                       e.g. one trained on the head only: npm run train:ner -- --head 0.8 --out FILE
 *
 * Boilerplate: the text under boilerplate diagnostics is removed, the rest
 * scored against gold.json with the benchmark's shingle metric. Entities:
 * entity diagnostics (`data.label`, code point offsets) against gold.jsonl.
 * Note for NER: the shipped model was trained on ner-dev, so a score on
 * ner-dev here measures fit, not generalisation (use npm run eval:ner for
 * cross-validated figures).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BoilerplateDiagnosticData, EntityDiagnosticData } from '../server/src/protocol';
import { aggregate, keptText, scorePage, type PageScore } from '../server/src/core/detect/boilerplate/metric';
import { addCounts, countDocument, micro, scores, type Counts, type LabeledSpan } from '../server/src/core/detect/entities/metric';
import { TextIndex } from '../server/src/core/text/offsets';
import { codeOf, makeWorkspace, open, startServer } from '../test/protocol/lspClient';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv.splice(i, 2)[1] : undefined;
};
const tail = flag('--tail');
const modelFile = flag('--model');
const [task, dirArg] = argv;
const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  if (task !== 'boilerplate' && task !== 'ner') {
    console.error('usage: eval-server.ts boilerplate|ner [dir]');
    process.exit(2);
  }
  const dir = path.resolve(dirArg ?? path.join(root, '..', 'shared', 'eval', task === 'boilerplate' ? 'boilerplate-dev' : 'ner-dev'));
  const workspace = task === 'ner' && tail ? tailWorkspace(dir, Number(tail)) : dir;
  const s = await startServer(workspace, modelFile ? { entities: { modelPath: path.resolve(modelFile) } } : {});
  const t0 = Date.now();
  try {
    if (task === 'boilerplate') await boilerplate(workspace, s);
    else await ner(workspace, s);
  } finally {
    await s.close();
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s through the language server)`);
}

type S = Awaited<ReturnType<typeof startServer>>;

/** A workspace with only the last fraction of the documents and their gold. */
function tailWorkspace(dir: string, fraction: number): string {
  const lines = fs.readFileSync(path.join(dir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean);
  const kept = lines.slice(lines.length - Math.round(lines.length * fraction));
  const files: Record<string, string> = { 'gold.jsonl': kept.join('\n') + '\n' };
  for (const l of kept) {
    const id = (JSON.parse(l) as { id: string }).id;
    files[`${id}.txt`] = fs.readFileSync(path.join(dir, `${id}.txt`), 'utf8');
  }
  console.log(`workspace: the last ${kept.length} of ${lines.length} documents`);
  return makeWorkspace(files);
}

async function diagnosticsOf(s: S, file: string): Promise<{ text: string; diags: Awaited<ReturnType<S['waitForDiagnostics']>> }> {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const uri = await open(s, file, text);
  const diags = await s.waitForDiagnostics(uri, () => true, 60_000);
  await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return { text, diags };
}

async function boilerplate(dir: string, s: S): Promise<void> {
  const gold = JSON.parse(fs.readFileSync(path.join(dir, 'gold.json'), 'utf8')) as Record<string, { articleBody: string }>;
  const pages: PageScore[] = [];
  for (const id of Object.keys(gold).sort()) {
    const file = path.join(dir, `${id}.txt`);
    if (!fs.existsSync(file)) continue;
    const { text, diags } = await diagnosticsOf(s, file);
    const index = new TextIndex(text);
    const blocks = diags
      .filter((d) => codeOf(d) === 'boilerplate')
      .map((d) => d.data as BoilerplateDiagnosticData)
      .map((b) => ({ start: index.toUtf16(b.start), end: index.toUtf16(b.end) }));
    pages.push(scorePage(gold[id].articleBody, keptText(text, blocks)));
  }
  const r = aggregate(pages);
  console.log(`boilerplate through the server, ${pages.length} pages: P ${r.precision.toFixed(3)}  R ${r.recall.toFixed(3)}  F1 ${r.f1.toFixed(3)}`);
}

async function ner(dir: string, s: S): Promise<void> {
  const lines = fs.readFileSync(path.join(dir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean);
  const per = new Map<string, Counts>();
  for (const line of lines) {
    const rec = JSON.parse(line) as { id: string; text: string; label: [number, number, string][] };
    const file = path.join(dir, `${rec.id}.txt`);
    if (!fs.existsSync(file)) continue;
    const { text, diags } = await diagnosticsOf(s, file);
    // Gold and diagnostics data are both in code points; compare over the code point array.
    const cps = [...text];
    const gold: LabeledSpan[] = rec.label.map(([start, end, label]) => ({ start, end, label }));
    const pred: LabeledSpan[] = diags
      .filter((d) => codeOf(d) === 'entity')
      .map((d) => d.data as EntityDiagnosticData)
      .map((e) => ({ start: e.start, end: e.end, label: e.label }));
    addCounts(per, countDocument(cps as unknown as string, gold, pred));
  }
  for (const [label, c] of [...per].sort()) {
    const r = scores(c);
    console.log(`${label.padEnd(5)} P ${r.precision.toFixed(3)}  R ${r.recall.toFixed(3)}  F1 ${r.f1.toFixed(3)}  (tp ${c.tp} fp ${c.fp} fn ${c.fn})`);
  }
  const m = micro(per);
  console.log(`micro P ${m.precision.toFixed(3)}  R ${m.recall.toFixed(3)}  F1 ${m.f1.toFixed(3)}  over ${lines.length} documents`);
}

void main();
