/**
 * The server's memory during a first scan of an existing corpus folder:
 * starts the bundled server (or another build) on the folder with its
 * summary cache removed, waits until the corpus is indexed, and prints the
 * time and the peak resident memory (VmHWM), then waits until the server is idle (it tags
 * the top of the Review Queue on its own thread once the corpus is indexed) and prints the
 * peak again, with the CPU time used meanwhile: the process's peak over the whole start. With --warm the cache is kept:
 * a restart. With --open, a document is opened as the server starts (as an
 * editor restoring its window does, and as `bench:scale` does). --workers=N sets
 * `newsAnnotator.workspace.workers` (default 0, automatic). Prints figures;
 * asserts nothing. Linux (reads /proc). `npm run build` first.
 *
 *   node --import tsx scripts/bench-scan-rss.ts [--warm] [--open] [--workers=N] <corpus folder> [<other dist/server.js>]
 *
 * A corpus folder: `npm run bench:scale -- --sizes 2000 --keep` leaves one.
 * Run two builds back to back on the same folder to compare them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Request, type ReviewQueueResult } from '../server/src/protocol';
import { open, startServer } from '../test/protocol/lspClient';
import { settle, statusMb } from './proc-status';

/** The first text file of the corpus (in walk order), to open at start. */
function firstText(dir: string): string {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const f = firstText(p);
      if (f) return f;
    } else if (e.name.endsWith('.txt')) return p;
  }
  return '';
}

async function main(): Promise<void> {
  const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
  const [dir, server] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const warm = flags.includes('--warm');
  const opening = flags.includes('--open');
  if (!dir || !fs.statSync(dir).isDirectory()) throw new Error('usage: bench-scan-rss.ts [--warm] [--open] [--workers=N] <corpus folder> [<server.js>]');
  if (!warm) fs.rmSync(path.join(dir, '.news-annotator', 'cache'), { recursive: true, force: true });
  const t0 = performance.now();
  const workers = Number(flags.find((f) => f.startsWith('--workers='))?.slice('--workers='.length) ?? 0);
  if (!Number.isInteger(workers) || workers < 0) throw new Error('--workers=N: a whole number, 0 for automatic');
  const s = await startServer(dir, { workspace: { workers } }, server ? { server: path.resolve(server) } : {});
  if (opening) await open(s, firstText(dir));
  const mb = (field: 'VmHWM' | 'VmRSS'): number => statusMb(s.process.pid, field);
  try {
    let q: ReviewQueueResult;
    do {
      await new Promise((r) => setTimeout(r, 100));
      // The top of the queue, as bench:scale asks (the whole queue sorted ten times a second would be most of the work).
      q = (await s.connection.sendRequest(Request.reviewQueue.method, { limit: 1 })) as ReviewQueueResult;
    } while (q.indexing || q.progress.total === 0);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`${server ?? 'dist/server.js'}${workers ? `, ${workers} worker${workers === 1 ? '' : 's'}` : ''}${warm ? ', warm cache' : ''}${opening ? ', a document opened at start' : ''}: ${q.progress.total} documents indexed in ${seconds.toFixed(1)} s after start; peak resident memory (VmHWM) ${mb('VmHWM').toFixed(0)} MB, now ${mb('VmRSS').toFixed(0)} MB`);
    const { idle: idleAfter, cpu: cpuAfter } = await settle(s.process.pid!);
    console.log(`  idle ${idleAfter.toFixed(1)} s later (the Review Queue's top refined), after ${cpuAfter.toFixed(1)} s of CPU: peak ${mb('VmHWM').toFixed(0)} MB, now ${mb('VmRSS').toFixed(0)} MB`);
  } finally {
    await s.close();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
