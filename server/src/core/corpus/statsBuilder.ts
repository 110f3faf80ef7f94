/**
 * Corpus statistics of a stream of documents, built one document at a time
 * in memory that does not grow with the documents (only with the distinct
 * blocks and names, which the statistics are): what `news-annotator index`
 * and the first pass of `annotate` / `export` use on inputs of any length.
 *
 * Each document's own statistics are rounded to the 6-decimal grid before
 * they are added (mergeable sums: see stats.ts), so the result is the same,
 * byte for byte, however the corpus is cut into parts and in whatever order
 * the parts are merged: one process, `--jobs N`, or Dask partitions.
 */
import { CorpusMemory } from './memory';
import { addStats, statsAccumulator, type CorpusStats } from './stats';
import type { DocumentSummary } from './summary';

export class StatsBuilder {
  readonly stats: CorpusStats;

  constructor(analysis: string) {
    this.stats = statsAccumulator(analysis);
  }

  add(summary: DocumentSummary): void {
    const one = new CorpusMemory();
    one.set('document', summary);
    addStats(this.stats, one.toStats(this.stats.analysis));
  }
}
