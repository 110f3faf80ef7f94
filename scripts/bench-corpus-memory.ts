/**
 * The corpus memory's heap on a real cache: loads the summary cache of a
 * corpus folder (one left by `npm run bench:scale -- --keep`, after a first
 * scan wrote `.news-annotator/cache/`) into a CorpusMemory, as a warm
 * restart does, and prints the heap it keeps after garbage collection (and
 * the typed arrays' buffers, which V8 keeps outside the heap): the
 * summaries, the corpus names and the block counts. Prints figures; asserts
 * nothing.
 *
 *   node --expose-gc --import tsx scripts/bench-corpus-memory.ts <corpus folder>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CorpusMemory } from '../server/src/core/corpus/memory';
import { CACHE_FORMAT, CACHE_VERSION, SummaryCache } from '../server/src/host/summaryCache';

const gc = (globalThis as { gc?: () => void }).gc;

/** The JavaScript heap and the typed arrays' buffers (kept outside it), after garbage collection. */
function heapMb(): { heap: number; buffers: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1048576, buffers: m.arrayBuffers / 1048576 };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!gc) throw new Error('run with node --expose-gc');
  const root = path.join(dir ?? '', '.news-annotator', 'cache');
  const folder = fs.existsSync(root) ? fs.readdirSync(root).find((d) => d.startsWith(`v${CACHE_VERSION}-`)) : undefined;
  if (!folder) throw new Error(`usage: bench-corpus-memory.ts <corpus folder with a version-${CACHE_VERSION} summary cache>`);
  // The cache's key is in every shard's header (the analysis it was made with).
  const header = JSON.parse(fs.readFileSync(path.join(root, folder, 'shard-0.ndjson'), 'utf8').split('\n')[0]) as { format: string; key: string };
  if (header.format !== CACHE_FORMAT) throw new Error('not a summary cache');
  const base = heapMb();
  const cache = new SummaryCache(root, header.key);
  await cache.load();
  // Every entry, with the stamp it was made for (private to the cache: read here for the measure only).
  const shards = (cache as unknown as { shards: Map<string, { stamp: string }>[] }).shards;
  const files = shards.flatMap((m) => [...m].map(([file, e]): [string, string] => [file, e.stamp]));
  const memory = new CorpusMemory();
  let mentions = 0;
  for (const [file, stamp] of files) {
    const s = cache.get(file, stamp);
    if (!s) continue;
    const found = s.found as unknown;
    mentions += Array.isArray(found) ? found.length : (found as { normalized: string[] }).normalized.length;
    memory.set(file, s);
  }
  cache.release();
  const after = heapMb();
  const heap = after.heap - base.heap;
  const buffers = after.buffers - base.buffers;
  const perDoc = (mb: number): string => ((mb * 1024) / memory.documentCount).toFixed(1);
  console.log(
    `${memory.documentCount.toLocaleString('en')} documents, ${mentions.toLocaleString('en')} mentions: the corpus memory keeps ${heap.toFixed(0)} MB of heap ` +
      `and ${buffers.toFixed(0)} MB of typed-array buffers (${perDoc(heap)} + ${perDoc(buffers)} KB a document)`,
  );
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
