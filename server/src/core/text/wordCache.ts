/**
 * A bounded memo keyed by word that keeps the words in use.
 *
 * The detectors keep per-word answers across documents (a word's feature inputs, its feature
 * scores, its dictionary answer). Those caches used to be Maps emptied when full: on a corpus
 * whose vocabulary outgrows the bound (2,000 news pages hold 30,000 distinct Latin words) each
 * emptying threw away the few thousand frequent words with the rare ones, and the next
 * documents computed them all again.
 *
 * Here the entries live in two generations of at most bound / 2 each. New entries go to the
 * young one; when it is full it becomes the old one (the previous old one is dropped) and a
 * new young one starts. A word found in the old generation moves to the young one, so a word
 * met in every document is never dropped, and at most `bound` entries are held.
 */
import { ownString } from './ownString';

export class WordCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;

  constructor(bound: number) {
    this.half = Math.max(1, Math.floor(bound / 2));
  }

  get(word: string): V | undefined {
    const v = this.young.get(word);
    if (v !== undefined) return v;
    const o = this.old.get(word);
    if (o !== undefined) {
      this.old.delete(word);
      this.set(ownString(word), o);
    }
    return o;
  }

  /**
   * Keeps `value` for `word`. The key is kept as given: pass a string of its own (ownString),
   * not a slice of a document, which would keep the whole document alive.
   */
  set(word: string, value: V): void {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(word, value);
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
