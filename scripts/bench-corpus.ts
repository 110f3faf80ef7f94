/**
 * The review loop on a corpus, through the bundled language server (needs
 * `npm run build`): how soon the Review Queue is ready after the start-up scan
 * of a 3,000-document corpus (and when every row carries exact figures), and
 * how long a corpus-wide decision takes — finding and annotating 500 mentions
 * of a name across 300 files, then undoing it. Prints figures; asserts nothing.
 *
 *   node --import tsx scripts/bench-corpus.ts [--docs 3000] [--files 300] [--only batch|queue]
 */
import { parseArgs } from 'node:util';
import { Command, Request, type BatchResult, type FindMentionsResult, type ReviewQueueResult } from '../server/src/protocol';
import { makeWorkspace, sampleArticles, startServer, type Session } from '../test/protocol/lspClient';

const { values } = parseArgs({
  options: { docs: { type: 'string', default: '3000' }, files: { type: 'string', default: '300' }, only: { type: 'string' } },
  strict: true,
});
const DOCS = Number(values.docs);
const FILES = Number(values.files);

async function queue(s: Session): Promise<ReviewQueueResult> {
  return (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
}

async function queueBench(): Promise<void> {
  // Distinct articles of ~3 KB made from the sample.
  const files = sampleArticles(DOCS, 5);
  const mb = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0) / 1048576;
  const folder = makeWorkspace(files);
  const t0 = performance.now();
  const s = await startServer(folder);
  try {
    let q = await queue(s);
    while (q.indexing) {
      await new Promise((r) => setTimeout(r, 50));
      q = await queue(s);
    }
    const scanned = performance.now();
    const t1 = performance.now();
    q = await queue(s);
    const answer = performance.now() - t1;
    let exact = q.documents.filter((d) => d.exact).length;
    while (exact < q.documents.length && performance.now() - scanned < 600_000) {
      await new Promise((r) => setTimeout(r, 500));
      q = await queue(s);
      exact = q.documents.filter((d) => d.exact).length;
    }
    const allExact = performance.now() - scanned;
    console.log(`review queue, ${DOCS} documents (${mb.toFixed(1)} MB):`);
    console.log(`  start-up scan until the queue stops "indexing": ${((scanned - t0) / 1000).toFixed(1)} s`);
    console.log(`  queue request right after the scan: ${answer.toFixed(0)} ms for ${q.documents.length} rows (estimates where not yet exact)`);
    console.log(`  every row exact (background refinement): ${(allExact / 1000).toFixed(1)} s after the scan`);
  } finally {
    await s.close();
  }
}

async function batchBench(): Promise<void> {
  const NAME = 'ماريا زاخاروفا';
  // 500 mentions over FILES files: two in most, one in the rest.
  const twice = 500 - FILES;
  const files = sampleArticles(FILES, 5, (i) => (i < twice ? `قالت ${NAME} إن الوزارة سترد. وأضافت ${NAME} أن الحوار مستمر.` : `قالت ${NAME} إن الوزارة سترد.`));
  const folder = makeWorkspace(files);
  const s = await startServer(folder);
  try {
    while ((await queue(s)).indexing) await new Promise((r) => setTimeout(r, 50));
    let t = performance.now();
    const found = (await s.connection.sendRequest(Request.findMentions.method, { text: NAME, label: 'PER' })) as FindMentionsResult;
    const findMs = performance.now() - t;
    const mentions = found.files.flatMap((f) => f.mentions.map((m) => ({ uri: f.uri, start: m.start, end: m.end, text: m.text })));
    t = performance.now();
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.applyMentions, arguments: [{ action: 'accept', label: 'PER', mentions }] })) as BatchResult;
    const applyMs = performance.now() - t;
    t = performance.now();
    await s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] });
    const undoMs = performance.now() - t;
    console.log(`corpus-wide annotation, ${found.total} mentions in ${found.files.length} of ${FILES} files:`);
    console.log(`  find every mention (preview data): ${findMs.toFixed(0)} ms`);
    console.log(`  annotate them in one batch (${r.annotations} annotations, ${r.documents} sidecars written): ${applyMs.toFixed(0)} ms`);
    console.log(`  undo the batch: ${undoMs.toFixed(0)} ms`);
  } finally {
    await s.close();
  }
}

async function main(): Promise<void> {
  if (values.only !== 'queue') await batchBench();
  if (values.only !== 'batch') await queueBench();
}

void main();
