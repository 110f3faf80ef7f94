/**
 * Commands that go over the whole corpus, through the bundled language server
 * (needs `npm run build`): how long each takes on a corpus of generated
 * articles, and how long the editor waits for a hover meanwhile (a hover sent
 * every 50 ms while the command runs; answering them takes some of the command's
 * time, which the build before did not spend). Prints figures; asserts nothing.
 *
 *   npm run bench:commands -- [--docs 2000] [--server other/dist/server.js]
 *
 * `--server` runs another build (a before/after comparison on the same corpus).
 * Apply Everywhere runs on a footer in every document and on a line in one document of 50.
 * Last, Apply Everywhere (half-way through the time it took) and Learn are cancelled part-way: how long after Cancel
 * the server answers, and what the stopped decision wrote.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { Command, Request, type ExportResult, type FindMentionsResult } from '../server/src/protocol';
import { indexed, makeWorkspace, open, sampleArticles, startServer, type Session } from '../test/protocol/lspClient';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '2000' }, server: { type: 'string' } }, strict: true });
const DOCS = Number(values.docs);
const NAME = 'ماريا زاخاروفا';
const FOOTER = 'تابعونا على تيليجرام لمزيد من الأخبار العاجلة';
/** A name in one document of 50: what a search for most names meets. */
const RARE = 'ليونيد سلوتسكي';
/** A line in one document of 50 (a promotion that ran for a week). */
const RARE_LINE = 'شاركوا في استطلاع الرأي الأسبوعي حول الانتخابات';

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * Waits until hovers are quick: after the scan and after each decision the server refines the
 * Review Queue's figures in the background for a few seconds, which would be timed with the
 * next command.
 */
async function settle(s: Session, uri: string): Promise<void> {
  for (let quick = 0, t0 = performance.now(); quick < 5 && performance.now() - t0 < 60_000; ) {
    const h0 = performance.now();
    await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 6 } });
    quick = performance.now() - h0 < 5 ? quick + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `work` while hovering every 50 ms (once the server has settled); its duration and the hovers' latencies. */
async function withHovers(s: Session, uri: string, work: () => Promise<unknown>): Promise<{ ms: number; hovers: number[]; answeredDuring: number }> {
  await settle(s, uri);
  const hovers: number[] = [];
  let running = true;
  let answeredDuring = 0;
  const loop = (async () => {
    while (running) {
      const h0 = performance.now();
      await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 6 } });
      hovers.push(performance.now() - h0);
      if (running) answeredDuring++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  running = false;
  await loop;
  return { ms, hovers, answeredDuring };
}

function report(what: string, r: { ms: number; hovers: number[]; answeredDuring: number }): void {
  console.log(`  ${what}: ${(r.ms / 1000).toFixed(2)} s; hovers meanwhile: ${r.answeredDuring} answered, p50 ${pct(r.hovers, 50).toFixed(0)} ms, p99 ${pct(r.hovers, 99).toFixed(0)} ms, max ${Math.max(...r.hovers).toFixed(0)} ms`);
}

async function main(): Promise<void> {
  const files = sampleArticles(DOCS, 5, (i) => `قالت ${NAME} إن الوزارة سترد.${i % 50 === 0 ? ` وعلق ${RARE} على ذلك.` : ''}`, (i) => (i % 50 === 25 ? `${RARE_LINE}\n\n${FOOTER}` : FOOTER));
  const mb = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0) / 1048576;
  const folder = makeWorkspace(files);
  const s = await startServer(folder, {}, values.server ? { server: values.server } : {});
  try {
    await indexed(s, 100_000);
    const uri = await open(s, `${folder}/doc00000.txt`);
    await s.waitForDiagnostics(uri);
    console.log(`corpus-wide commands, ${DOCS} documents (${mb.toFixed(1)} MB)${values.server ? `, server ${values.server}` : ''}:`);
    report('nothing (2 s of hovers alone)', await withHovers(s, uri, () => new Promise((r) => setTimeout(r, 2000))));
    const exec = (command: string, arg: unknown) => s.connection.sendRequest('workspace/executeCommand', { command, arguments: [arg] });
    report('export text (cleaned, with suggestions)', await withHovers(s, uri, () => exec(Command.export, { format: 'text', outDir: `${folder}-out-text` }) as Promise<ExportResult>));
    report('export jsonl (decisions only)', await withHovers(s, uri, () => exec(Command.export, { format: 'jsonl', outDir: `${folder}-out-jsonl` })));
    let found: FindMentionsResult | undefined;
    report('find every mention of a name', await withHovers(s, uri, async () => (found = (await s.connection.sendRequest(Request.findMentions.method, { text: NAME, label: 'PER' })) as FindMentionsResult)));
    console.log(`    (${found?.total} mentions in ${found?.files.length} files)`);
    let rare: FindMentionsResult | undefined;
    report('find every mention of a rare name', await withHovers(s, uri, async () => (rare = (await s.connection.sendRequest(Request.findMentions.method, { text: RARE, label: 'PER' })) as FindMentionsResult)));
    console.log(`    (${rare?.total} mentions in ${rare?.files.length} files)`);
    const footer = await withHovers(s, uri, () => exec(Command.applyEverywhere, { text: FOOTER, boilerplate: true, category: 'social' }));
    report('mark a footer as boilerplate everywhere', footer);
    report('undo it', await withHovers(s, uri, () => s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] })));
    let rareBlock: { documents?: number } = {};
    report('mark a line of one document in 50 as boilerplate everywhere', await withHovers(s, uri, async () => (rareBlock = (await exec(Command.applyEverywhere, { text: RARE_LINE, boilerplate: true, category: 'ad' })) as { documents?: number })));
    console.log(`    (${rareBlock.documents} documents decided)`);
    await s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] });
    const mentions = found!.files.flatMap((f) => f.mentions.map((m) => ({ uri: f.uri, start: m.start, end: m.end, text: m.text })));
    report('accept every mention of the name', await withHovers(s, uri, () => exec(Command.applyMentions, { action: 'accept', label: 'PER', mentions })));
    report('Learn from Annotations (one name in every document)', await withHovers(s, uri, () => s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] })));
    const cancelled = async (what: string, command: string, args: unknown[], afterMs: number) => {
      await settle(s, uri);
      const cts = new CancellationTokenSource();
      const answer = s.connection.sendRequest('workspace/executeCommand', { command, arguments: args }, cts.token) as Promise<{ documents: number; cancelled?: true }>;
      await new Promise((r) => setTimeout(r, afterMs));
      const c0 = performance.now();
      cts.cancel();
      const r = await answer;
      const outcome = !r.cancelled ? 'it went on to the end' : command === Command.learn ? 'stopped; the tagger unchanged' : `stopped; ${r.documents} documents written`;
      console.log(`  ${what}, Cancel after ${(afterMs / 1000).toFixed(1)} s: answered ${(performance.now() - c0).toFixed(0)} ms after Cancel (${outcome})`);
      return r;
    };
    const part = await cancelled('mark the footer as boilerplate everywhere', Command.applyEverywhere, [{ text: FOOTER, boilerplate: true, category: 'social' }], Math.round(footer.ms / 2));
    if (part.documents) await s.connection.sendRequest('workspace/executeCommand', { command: Command.undo, arguments: [] });
    await cancelled('Learn from Annotations', Command.learn, [], 3000);
  } finally {
    await s.close();
    for (const d of [folder, `${folder}-out-text`, `${folder}-out-jsonl`]) fs.rmSync(d, { recursive: true, force: true });
  }
}

void main();
