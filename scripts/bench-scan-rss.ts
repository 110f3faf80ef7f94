/**
 * The server's memory during a first scan of an existing corpus folder:
 * starts the bundled server (or another build) on the folder with its
 * summary cache removed, waits until the corpus is indexed, and prints the
 * time and the peak resident memory (VmHWM). With --warm the cache is kept:
 * a restart. Prints figures; asserts nothing. Linux (reads /proc).
 * `npm run build` first.
 *
 *   node --import tsx scripts/bench-scan-rss.ts [--warm] <corpus folder> [<other dist/server.js>]
 *
 * A corpus folder: `npm run bench:scale -- --sizes 2000 --keep` leaves one.
 * Run two builds back to back on the same folder to compare them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Request, type ReviewQueueResult } from '../server/src/protocol';
import { startServer } from '../test/protocol/lspClient';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const warm = args[0] === '--warm';
  const [dir, server] = warm ? args.slice(1) : args;
  if (!dir || !fs.statSync(dir).isDirectory()) throw new Error('usage: bench-scan-rss.ts [--warm] <corpus folder> [<server.js>]');
  if (!warm) fs.rmSync(path.join(dir, '.news-annotator', 'cache'), { recursive: true, force: true });
  const t0 = performance.now();
  const s = await startServer(dir, {}, server ? { server: path.resolve(server) } : {});
  const status = (): string => fs.readFileSync(`/proc/${s.process.pid}/status`, 'utf8');
  const mb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())?.[1] ?? 0) / 1024;
  try {
    let q: ReviewQueueResult;
    do {
      await new Promise((r) => setTimeout(r, 100));
      // The top of the queue, as bench:scale asks (the whole queue sorted ten times a second would be most of the work).
      q = (await s.connection.sendRequest(Request.reviewQueue.method, { limit: 1 })) as ReviewQueueResult;
    } while (q.indexing || q.progress.total === 0);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`${server ?? 'dist/server.js'}${warm ? ', warm cache' : ''}: ${q.progress.total} documents indexed in ${seconds.toFixed(1)} s after start; peak resident memory (VmHWM) ${mb('VmHWM').toFixed(0)} MB, now ${mb('VmRSS').toFixed(0)} MB`);
  } finally {
    await s.close();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
