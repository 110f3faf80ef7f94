/**
 * The corpus-wide totals of a corpus memory as plain data: block counts, the
 * names found across documents and the entity counts. A restart that reads
 * them back (a snapshot kept with the summary cache) need not count every
 * document's mentions and blocks again: at 20,000 documents that counting
 * was a third of a restart.
 */
import type { NameTotalsRows } from '../detect/entities';

export interface CorpusTotals {
  /** Block hashes (blockHash) and in how many documents each occurs. */
  blocks: { keys: Float64Array; counts: Int32Array };
  /** Names found across documents, per label (CorpusNames): documents, mentions, summed confidence. */
  names: NameTotalsRows;
  /** Entity counts per normalised name and label (CorpusMemory.mentions): documents, mentions. */
  entities: { keys: string[]; labels: string[]; numbers: number[] };
}

const isCount = (x: number): boolean => Number.isSafeInteger(x) && x >= 1;

/**
 * Throws unless the totals could have been counted from documents: positive whole counts,
 * no more documents than mentions, block keys that are 53-bit hashes, rows of equal length,
 * each name and label once. A snapshot that fails is not used (its documents are counted).
 */
export function checkTotals(t: CorpusTotals): void {
  const { keys, counts } = t.blocks;
  if (keys.length !== counts.length) throw new Error('block keys and counts of different lengths');
  for (let i = 0; i < keys.length; i++) {
    if (!(Number.isSafeInteger(keys[i]) && keys[i] >= 0)) throw new Error('a block key that is not a 53-bit hash');
    if (!isCount(counts[i])) throw new Error('a block count that is not a positive whole number');
  }
  const rows = (r: { keys: string[]; labels: string[]; numbers: number[] }, width: number, what: string): void => {
    if (r.labels.length !== r.keys.length || r.numbers.length !== width * r.keys.length) throw new Error(`${what}: columns of different lengths`);
    const seen = new Set<string>();
    for (let i = 0; i < r.keys.length; i++) {
      if (typeof r.keys[i] !== 'string' || !r.keys[i] || typeof r.labels[i] !== 'string' || !r.labels[i]) throw new Error(`${what}: a name or label that is not a text`);
      const docs = r.numbers[width * i];
      const mentions = r.numbers[width * i + 1];
      if (!isCount(docs) || !isCount(mentions) || docs > mentions) throw new Error(`${what}: impossible counts`);
      if (width > 2 && !Number.isFinite(r.numbers[width * i + 2])) throw new Error(`${what}: a confidence that is not a number`);
      const id = `${r.labels[i]}\u0000${r.keys[i]}`;
      if (seen.has(id)) throw new Error(`${what}: a name and label twice`);
      seen.add(id);
    }
  };
  rows(t.names, 3, 'names');
  rows(t.entities, 2, 'entities');
}
