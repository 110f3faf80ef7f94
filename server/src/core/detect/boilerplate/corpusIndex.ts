/**
 * Cross-document index of block keys: in how many documents each folded
 * line occurs. Site chrome (footers, menus, "follow us" lines) recurs on
 * every page of a scrape; article text almost never does.
 */
import { hash53 } from '../../text/hash';
import { HashCounts } from '../../text/hashCounts';
import { foldedLines } from './blockLines';

/** Lines this short are too generic to index usefully ("Home", "1"). */
const MIN_KEY_CHARS = 2;

export function documentKeys(text: string): Set<string> {
  const keys = new Set<string>();
  foldedLines(text, (k) => {
    if (k.length >= MIN_KEY_CHARS) keys.add(k);
  });
  return keys;
}

/** The compact form a block key is counted under (a 53-bit hash: a number, not a 60-character string). */
export function blockHash(key: string): number {
  return hash53(key);
}

/** The hashes the index holds for these line keys (blockKey of each line); keys too short to be indexed are left out. */
export function indexedHashes(keys: readonly string[]): number[] {
  return keys.filter((k) => k.length >= MIN_KEY_CHARS).map(blockHash);
}

/**
 * In how many documents each block occurs. Keys are kept as hashes so that a
 * corpus of 100,000 pages fits in memory; a base of counts from mergeable
 * corpus statistics (documents not held here) can be added.
 */
export class CorpusIndex {
  private readonly docs = new Map<string, ArrayLike<number> & Iterable<number>>();
  private readonly counts = new HashCounts();
  private baseDocuments = 0;

  get size(): number {
    return this.docs.size + this.baseDocuments;
  }

  setDocument(docId: string, text: string): void {
    this.setKeys(docId, [...documentKeys(text)].map(blockHash));
  }

  /** Same as `setDocument`, from the hashes (blockHash) of the document's keys (documentKeys), computed earlier. */
  setKeys(docId: string, hashes: ArrayLike<number> & Iterable<number>): void {
    this.removeDocument(docId);
    this.docs.set(docId, hashes);
    for (const k of hashes) this.counts.add(k, 1);
  }

  removeDocument(docId: string): void {
    const keys = this.docs.get(docId);
    if (!keys) return;
    this.docs.delete(docId);
    for (const k of keys) this.counts.add(k, -1);
  }

  /** In how many indexed documents the block key occurs (a key from blockKey). */
  count(key: string): number {
    return this.counts.get(blockHash(key));
  }

  has(docId: string): boolean {
    return this.docs.has(docId);
  }

  /** Every block hash with its document count (for corpus statistics). */
  entries(): IterableIterator<[number, number]> {
    return this.counts.entries();
  }

  /**
   * Registers a document whose keys the counts hold already (read from a snapshot:
   * CorpusMemory.installTotals); removing it takes them out.
   */
  registerCounted(docId: string, hashes: ArrayLike<number> & Iterable<number>): void {
    if (this.docs.has(docId)) throw new Error(`${docId} is indexed already`);
    this.docs.set(docId, hashes);
  }

  /** Adds to one block's count (totals read from a snapshot: CorpusMemory.installTotals). */
  addCount(hash: number, n: number): void {
    this.counts.add(hash, n);
  }

  /** How many distinct block keys are counted. */
  get distinctKeys(): number {
    return this.counts.size;
  }

  /** Takes a document's keys out of the counts without it being registered (a snapshot counted it). */
  uncount(hashes: Iterable<number>): void {
    for (const k of hashes) this.counts.add(k, -1);
  }

  /** Adds counts of documents that are not held here (from corpus statistics). */
  addBase(counts: Iterable<[number, number]>, documents: number): void {
    for (const [k, n] of counts) this.counts.add(k, n);
    this.baseDocuments += documents;
  }
}
