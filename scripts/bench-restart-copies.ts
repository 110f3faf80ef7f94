/**
 * A large corpus for restart measurements without tagging it: `copies` copies
 * of a kept corpus (hard links: no disk space), and its summary cache made
 * from the kept corpus' own (each copy's entry is its original's summary), so
 * that a restart on it is a warm restart. Then measure with
 * `node --import tsx scripts/bench-scan-rss.ts --warm <out>` (the first start
 * writes the snapshot of corpus totals, the next ones read it).
 *
 *   node --import tsx scripts/bench-restart-copies.ts <kept corpus> <copies> <out folder>
 *
 * A kept corpus: `npm run bench:scale -- --sizes 20000 --keep` (its summary
 * cache must be complete: the bench's warm restart leaves it so). What is per
 * document (files, stats, cache entries, summaries) is that of the larger
 * corpus; its names and blocks are those of the kept corpus, whose documents
 * already repeat a few hundred source texts with their numbers changed.
 * Prints what it made; asserts nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../server/src/host/workspace';
import type { SummaryCache } from '../server/src/host/summaryCache';

/** Workspace internals this tool needs: its cache and its stamps, as the server computes them. */
interface Internals {
  summaryCache(): SummaryCache | null;
  stamp(file: string): string | undefined;
}

async function main(): Promise<void> {
  const [src, n, out] = process.argv.slice(2);
  const copies = Number(n);
  if (!src || !out || !(copies >= 1)) throw new Error('usage: bench-restart-copies.ts <kept corpus> <copies> <out folder>');
  if (fs.existsSync(out)) throw new Error(`${out} exists: give a new folder`);
  const from = new Workspace({ folders: [path.resolve(src)] });
  from.cacheFolder = path.join(path.resolve(src), '.news-annotator', 'cache');
  const fromCache = (from as unknown as Internals).summaryCache()!;
  await fromCache.load();
  const files = from.listFiles();
  fs.mkdirSync(path.join(out, '.news-annotator'), { recursive: true });
  for (let c = 0; c < copies; c++) {
    for (const f of files) {
      const to = path.join(out, `copy${c}`, path.relative(src, f));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.linkSync(f, to);
    }
  }
  const to = new Workspace({ folders: [path.resolve(out)] });
  to.cacheFolder = path.join(path.resolve(out), '.news-annotator', 'cache');
  const internals = to as unknown as Internals;
  const toCache = internals.summaryCache()!;
  await toCache.load();
  let missing = 0;
  for (const f of files) {
    // The original's stamp changed with its new links (ctime): its entry is taken whatever the stamp.
    const e = fromCache.earlier(f);
    if (!e) {
      missing++;
      continue;
    }
    for (let c = 0; c < copies; c++) {
      const copy = path.join(path.resolve(out), `copy${c}`, path.relative(src, f));
      toCache.put(copy, internals.stamp(copy)!, e.hash, e.summary);
    }
  }
  await toCache.flush();
  console.log(`${files.length * copies} documents in ${out} (${copies} copies of ${files.length}), ${(files.length - missing) * copies} with a cache entry${missing ? `; ${missing} originals had none (read and tagged at the first start)` : ''}`);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
