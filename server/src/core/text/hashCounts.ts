/**
 * Counts keyed by integers up to 2^53 (the 53-bit hashes of hash53), in two
 * typed arrays with open addressing. A Map keyed by such numbers boxes each
 * key as a heap number (16 bytes, plus the entry), and allocates one more on
 * every lookup with a key read from a typed array; a corpus of 100,000 pages
 * counts millions of folded lines, and a restart counts them all again.
 * Here an entry is 12 bytes at most half the slots: linear probing, and
 * deletion by shifting the entries behind back (no tombstones).
 */
export class HashCounts {
  private keys: Float64Array;
  /** 0: an empty slot (a count that falls to 0 is deleted). */
  private counts: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.counts = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.used;
  }

  /** The home slot of a key: both halves of it mixed (the keys need not be hashes). */
  private home(k: number): number {
    const lo = k >>> 0;
    const hi = (k / 4294967296) >>> 0;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) & this.mask;
  }

  /** The slot holding `k`, or the empty slot where it would go. */
  private find(k: number): number {
    let i = this.home(k);
    while (this.counts[i] !== 0 && this.keys[i] !== k) i = (i + 1) & this.mask;
    return i;
  }

  get(k: number): number {
    return this.counts[this.find(k)];
  }

  /** Adds `delta` to the count of `k`; a count that falls to 0 or below is removed. */
  add(k: number, delta: number): void {
    if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`HashCounts keys are integers from 0 to 2^53: ${k}`);
    const i = this.find(k);
    if (this.counts[i] === 0) {
      if (delta <= 0) return;
      this.keys[i] = k;
      this.counts[i] = delta;
      if (++this.used * 2 > this.counts.length) this.grow();
      return;
    }
    const c = this.counts[i] + delta;
    if (c > 0) this.counts[i] = c;
    else this.removeAt(i);
  }

  /** Empties slot `i` and moves back the entries of the same run that could sit in it. */
  private removeAt(i: number): void {
    this.counts[i] = 0;
    this.used--;
    for (let j = (i + 1) & this.mask; this.counts[j] !== 0; j = (j + 1) & this.mask) {
      // The entry at j may move to i if i lies on its probe path (between its home and j).
      if (((j - this.home(this.keys[j])) & this.mask) >= ((j - i) & this.mask)) {
        this.keys[i] = this.keys[j];
        this.counts[i] = this.counts[j];
        this.counts[j] = 0;
        i = j;
      }
    }
  }

  private grow(): void {
    const keys = this.keys;
    const counts = this.counts;
    this.keys = new Float64Array(keys.length * 2);
    this.counts = new Int32Array(counts.length * 2);
    this.mask = this.counts.length - 1;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      const j = this.find(keys[i]);
      this.keys[j] = keys[i];
      this.counts[j] = counts[i];
    }
  }

  /** Every key with its count, in no particular order. */
  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] !== 0) yield [this.keys[i], this.counts[i]];
  }
}
