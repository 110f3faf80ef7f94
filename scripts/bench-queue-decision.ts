/**
 * What a decision costs the Review Queue on a large corpus: loads the summary
 * cache of a kept corpus into a CorpusMemory (as a warm restart does), gives
 * every document its estimate (the queue's first listing), then takes decisions
 * (a found name accepted in one document) and times the queue's next listing:
 * re-estimating only the documents that have a decided name
 * (CorpusMemory.namesChangedSince, as ReviewQueue does), against re-estimating
 * every document (as before), in the same run. Prints figures; asserts nothing.
 *
 *   node --import tsx scripts/bench-queue-decision.ts <corpus folder with a summary cache>
 *
 * A corpus: `npm run bench:scale -- --sizes 20000 --keep`, or a larger one made
 * from it by scripts/bench-restart-copies.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SidecarAnnotation } from '../server/src/protocol';
import { createAnnotation } from '../server/src/core/annotations/model';
import { CorpusMemory } from '../server/src/core/corpus/memory';
import { estimateFromSummary, mentionsAny, type QueueStats } from '../server/src/core/corpus/queue';
import { foundList, withDecisions, type DocumentSummary } from '../server/src/core/corpus/summary';
import { CACHE_FORMAT, CACHE_VERSION, SummaryCache } from '../server/src/host/summaryCache';

async function load(dir: string): Promise<CorpusMemory> {
  const root = path.join(dir, '.news-annotator', 'cache');
  const folder = fs.existsSync(root) ? fs.readdirSync(root).find((d) => d.startsWith(`v${CACHE_VERSION}-`)) : undefined;
  if (!folder) throw new Error(`usage: bench-queue-decision.ts <corpus folder with a version-${CACHE_VERSION} summary cache>`);
  const header = JSON.parse(fs.readFileSync(path.join(root, folder, 'shard-0.ndjson'), 'utf8').split('\n')[0]) as { format: string; key: string };
  if (header.format !== CACHE_FORMAT) throw new Error('not a summary cache');
  const cache = new SummaryCache(root, header.key);
  cache.intern = (x) => memory.intern(x);
  const memory = new CorpusMemory();
  await cache.load();
  // Every entry with the stamp it was made for (private to the cache: read here for the measure only).
  const shards = (cache as unknown as { shards: Map<string, { stamp: string }>[] }).shards;
  for (const m of shards) {
    for (const [file, e] of m) {
      const s = cache.get(file, e.stamp);
      if (s) memory.set(file, s, true);
    }
  }
  cache.release();
  return memory;
}

/** The queue's estimates as ReviewQueue keeps them: per summary, with the decisions version they were made at. */
class Estimates {
  private readonly kept = new WeakMap<DocumentSummary, { version: number; stats: QueueStats }>();
  constructor(
    private readonly memory: CorpusMemory,
    private readonly incremental: boolean,
  ) {}

  /** One listing: every document's figures; returns how many were estimated again. */
  list(): number {
    const version = this.memory.decisionsVersion;
    const since = new Map<number, ReadonlySet<string> | null>();
    let made = 0;
    for (const [, s] of this.memory.entries()) {
      const e = this.kept.get(s);
      if (e && e.version === version) continue;
      if (e && this.incremental) {
        let names = since.get(e.version);
        if (names === undefined) since.set(e.version, (names = this.memory.namesChangedSince(e.version)));
        if (names !== null && !mentionsAny(s, names)) {
          e.version = version;
          continue;
        }
      }
      made++;
      this.kept.set(s, { version, stats: estimateFromSummary(s, this.memory) });
    }
    return made;
  }
}

async function main(): Promise<void> {
  const memory = await load(process.argv[2] ?? '');
  const ms = (f: () => number): [number, number] => {
    const t0 = performance.now();
    const n = f();
    return [performance.now() - t0, n];
  };
  const incremental = new Estimates(memory, true);
  const full = new Estimates(memory, false);
  const [first] = ms(() => incremental.list());
  full.list();
  console.log(`${memory.documentCount.toLocaleString('en')} documents: the queue's first listing estimates every one in ${first.toFixed(0)} ms`);
  const docs = [...memory.entries()].filter(([, s]) => s.found.normalized.length > 0 && s.decided.length === 0);
  for (let k = 0; k < 5; k++) {
    const [id, s] = docs[Math.floor((k * docs.length) / 5)];
    const f = foundList(s.found)[0];
    // A text long enough for the span; the annotation keeps the name's own text.
    const a: SidecarAnnotation = { ...createAnnotation(' '.repeat(f.end + 1), f.start, f.end, { kind: 'entity', label: f.label, status: 'accepted', source: 'user' }), text: s.found.text[0] };
    memory.set(id, withDecisions(s, [a], 'in-progress'));
    const [inc, remade] = ms(() => incremental.list());
    const [all] = ms(() => full.list());
    console.log(`accepted "${f.normalized}": next listing ${inc.toFixed(0)} ms re-estimating ${remade} documents with the name, against ${all.toFixed(0)} ms re-estimating all (${(all / inc).toFixed(1)}×)`);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
