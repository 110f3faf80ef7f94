/**
 * npm run bench:scale — the language server on big corpora, through the
 * bundled server (`npm run build` first). Prints figures; asserts nothing.
 *
 * For each corpus size (default 2,000 / 20,000 / 100,000 documents of real
 * news text: ANERcorp documents and scraped pages from ../shared when present,
 * else the fixtures, each copy made distinct, 3–11 KB, with a shared site
 * footer so that `repeated` boilerplate exists):
 * - the floor: tokenising the same text with a regular expression, in this run;
 * - time to the first diagnostics of a file opened right after the server starts (stored
 *   annotations and boilerplate, published before the tagger's data are loaded), and to the
 *   whole analysis with its entity suggestions;
 * - the first scan (no cache): documents/s, MB/s, and its time as a multiple of the floor;
 * - hover latency while the scan runs (p50 / p99 of hovers every 100 ms);
 * - the server's peak resident memory (VmHWM);
 * - a restart on the unchanged corpus (warm cache) until the index is complete (and the CPU it
 *   uses once indexed: none when it takes the Review Queue's figures back),
 *   then after changing 500 files.
 * Then the CLI (scripts/bench-scale-cli.ts, when present).
 *
 *   node --import tsx scripts/bench-scale.ts [--sizes 2000,20000,100000] [--keep]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Request, type ReviewQueueResult } from '../server/src/protocol';
import { open, startServer, type Session } from '../test/protocol/lspClient';
import { distinctCopy, newsTexts } from './news-texts';
import { settle, statusMb } from './proc-status';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '2000,20000,100000' }, keep: { type: 'boolean' } }, strict: true });
const SIZES = values.sizes!.split(',').map(Number);
const FOOTER = 'جميع الحقوق محفوظة لموقع الأخبار ٢٠٢٦ — تابعونا على تلغرام وفيسبوك';

/** Writes a corpus of n distinct documents (numbers varied, one line of its own) into 100-file folders. */
function writeCorpus(dir: string, n: number, texts: string[]): number {
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, `part${String(Math.floor(i / 100)).padStart(4, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(sub, { recursive: true });
    const doc = `${distinctCopy(texts, i)}\n\nالمرجع ${i}\n${FOOTER}\n`;
    fs.writeFileSync(path.join(sub, `doc${String(i).padStart(6, '0')}.txt`), doc);
    bytes += Buffer.byteLength(doc);
  }
  return bytes;
}

/** The floor: a regular expression tokenising the same files (read included), MB/s. */
function regexFloor(dir: string): { mbps: number; seconds: number } {
  const t0 = performance.now();
  let bytes = 0;
  let tokens = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.txt')) {
        const text = fs.readFileSync(p, 'utf8');
        bytes += Buffer.byteLength(text);
        for (const _ of text.matchAll(/[\p{L}\p{M}\p{N}]+|\S/gu)) tokens++;
      }
    }
  };
  walk(dir);
  const seconds = (performance.now() - t0) / 1000;
  void tokens;
  return { mbps: bytes / 1048576 / seconds, seconds };
}

async function queue(s: Session): Promise<ReviewQueueResult> {
  return (await s.connection.sendRequest(Request.reviewQueue.method, { limit: 1 })) as ReviewQueueResult;
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);

/** Starts the server on `dir`, opens one file at once, and waits for the index; returns the timings. */
async function run(dir: string, probe: string, withHovers: boolean) {
  const t0 = performance.now();
  const s = await startServer(dir);
  const uri = await open(s, probe);
  await s.waitForDiagnostics(uri, () => true, 600_000);
  const whole = performance.now() - t0;
  const firstDiagnostics = Math.min(...s.publications.filter((p) => p.uri === uri).map((p) => p.at)) - t0;
  const hovers: number[] = [];
  let q = await queue(s);
  while (q.indexing) {
    if (withHovers) {
      const h0 = performance.now();
      await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
      hovers.push(performance.now() - h0);
    }
    await new Promise((r) => setTimeout(r, 100));
    q = await queue(s);
  }
  const indexed = performance.now() - t0;
  const rss = statusMb(s.process.pid, 'VmHWM');
  // After the index the server tags the top of the Review Queue on its own thread (unless a restart
  // takes the last start's figures back): the peak of the whole start.
  const { idle, cpu: cpuAfter } = await settle(s.process.pid!);
  const settledRss = statusMb(s.process.pid, 'VmHWM');
  await s.close();
  return { firstDiagnostics, whole, indexed, hovers, rss, idle, settledRss, cpuAfter, documents: q.progress.total };
}

async function main(): Promise<void> {
  const texts = newsTexts();
  console.log(`corpus texts: ${texts.length} real documents copied over and over (3–11 KB), ${os.availableParallelism?.() ?? os.cpus().length} cores`);
  const rows: { n: number; docsPerSecond: number }[] = [];
  for (const n of SIZES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nca-scale-${n}-`));
    try {
      const bytes = writeCorpus(dir, n, texts);
      fs.mkdirSync(path.join(dir, '.news-annotator'));
      const mb = bytes / 1048576;
      const floor = regexFloor(dir);
      const probe = path.join(dir, 'part0000', 'doc000000.txt');
      const cold = await run(dir, probe, true);
      const scanSeconds = cold.indexed / 1000;
      const dps = cold.documents / scanSeconds;
      rows.push({ n, docsPerSecond: dps });
      console.log(`\n${n.toLocaleString('en')} documents, ${mb.toFixed(0)} MB:`);
      console.log(`  floor (regex tokenisation of the same files): ${floor.mbps.toFixed(1)} MB/s (${floor.seconds.toFixed(1)} s)`);
      console.log(`  first diagnostics of a file opened at start: ${cold.firstDiagnostics.toFixed(0)} ms after the server started; with its entity suggestions: ${cold.whole.toFixed(0)} ms`);
      console.log(`  first scan (no cache): ${scanSeconds.toFixed(1)} s → ${dps.toFixed(0)} documents/s, ${(mb / scanSeconds).toFixed(2)} MB/s, ${(scanSeconds / floor.seconds).toFixed(1)}× the floor`);
      console.log(`  hover during the scan: p50 ${pct(cold.hovers, 50).toFixed(1)} ms, p99 ${pct(cold.hovers, 99).toFixed(1)} ms (${cold.hovers.length} hovers)`);
      console.log(`  server peak resident memory: ${cold.rss.toFixed(0)} MB at the end of the index, ${cold.settledRss.toFixed(0)} MB once idle (${cold.idle.toFixed(0)} s later: the Review Queue's top refined)`);
      const warm = await run(dir, probe, false);
      console.log(`  restart, unchanged corpus (warm cache): index complete ${(warm.indexed / 1000).toFixed(1)} s after start (peak ${warm.rss.toFixed(0)} MB; ${warm.settledRss.toFixed(0)} MB once idle, after ${warm.cpuAfter.toFixed(1)} s more of CPU)`);
      // A `git pull` that changed 500 files.
      for (let i = 0; i < Math.min(500, n); i++) {
        const f = path.join(dir, `part${String(Math.floor(i / 100)).padStart(4, '0')}`, `doc${String(i).padStart(6, '0')}.txt`);
        fs.appendFileSync(f, `\nتحديث ${i}\n`);
      }
      const changed = await run(dir, probe, false);
      console.log(`  restart after 500 files changed: index complete ${(changed.indexed / 1000).toFixed(1)} s after start`);
    } finally {
      if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`  kept ${dir}`);
    }
  }
  if (rows.length > 1) {
    const first = rows[0];
    for (const r of rows.slice(1)) console.log(`\ngrowth: ${r.n.toLocaleString('en')} vs ${first.n.toLocaleString('en')} documents: documents/s ratio ${(r.docsPerSecond / first.docsPerSecond).toFixed(2)} (1.00 = linear)`);
  }
  const cli = path.join(__dirname, 'bench-scale-cli.ts');
  if (fs.existsSync(cli)) {
    console.log('\n== the CLI');
    spawnSync(process.execPath, ['--import', 'tsx', cli], { stdio: 'inherit' });
  }
}

void main();
