/**
 * Values by label for one name, as the corpus totals keep one per name (CorpusMemory's entity
 * counts, CorpusNames' evidence). Almost every name carries one label, and a Map of one entry
 * costs its hash table, made for several. This holds one label and its value in two fields,
 * and becomes a Map only when a second label comes: the corpus memory of 20,000 generated
 * documents (about 42,000 such maps) went from 51–52 to 46 MB of heap. Iteration follows the
 * order the labels came in, as a Map's does.
 */
export class LabelMap<V> implements Iterable<[string, V]> {
  private label: string | undefined;
  private value: V | undefined;
  private more: Map<string, V> | undefined;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries) for (const [label, v] of entries) this.set(label, v);
  }

  get size(): number {
    return this.more ? this.more.size : this.label === undefined ? 0 : 1;
  }

  get(label: string): V | undefined {
    if (this.more) return this.more.get(label);
    return label === this.label ? this.value : undefined;
  }

  has(label: string): boolean {
    return this.more ? this.more.has(label) : label === this.label;
  }

  set(label: string, value: V): this {
    if (this.more) this.more.set(label, value);
    else if (this.label === undefined || this.label === label) {
      this.label = label;
      this.value = value;
    } else {
      this.more = new Map<string, V>([
        [this.label, this.value as V],
        [label, value],
      ]);
      this.label = this.value = undefined;
    }
    return this;
  }

  delete(label: string): boolean {
    if (this.more) return this.more.delete(label);
    if (this.label === undefined || label !== this.label) return false;
    this.label = this.value = undefined;
    return true;
  }

  *entries(): IterableIterator<[string, V]> {
    if (this.more) yield* this.more.entries();
    else if (this.label !== undefined) yield [this.label, this.value as V];
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  *keys(): IterableIterator<string> {
    for (const [label] of this.entries()) yield label;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
}
