/**
 * A read-only set of strings packed into one string and two typed arrays, for the large
 * word lists each worker thread loads once and keeps (the lexicon's stems; through PackedMap
 * below, the word clusters, the English word classes, the Wikidata name tokens). A Map took
 * about 75 bytes an entry for these short Arabic words (the key's own string with its
 * header, the entry, the hash table); here a word is its characters (two bytes each), its
 * start (four) and its slot (eight at most): about 22. Every scan thread holds its own copy,
 * so this is paid once per thread.
 *
 * Each distinct string gets an id (0, 1, …, in order of first appearance) that callers use
 * to index their own typed arrays of values. Lookups hash in JavaScript: cheap, but not free
 * as a Map's lookup of a string whose hash the engine already holds, so this is for lookups
 * made once per word type (cached by the caller), not once per token.
 * Pure: no fs, no editor imports.
 */
export class StringTable {
  /** The distinct strings, concatenated in id order. */
  private readonly chars: string;
  /** starts[id] .. starts[id + 1]: where string `id` lies in `chars`. */
  private readonly starts: Uint32Array;
  /** Open addressing, linear probing: id + 1, or 0 for an empty slot; at most half full. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Number of distinct strings. */
  readonly size: number;

  private constructor(chars: string, starts: Uint32Array, slots: Int32Array) {
    this.chars = chars;
    this.starts = starts;
    this.slots = slots;
    this.mask = slots.length - 1;
    this.size = starts.length - 1;
  }

  /**
   * The table of `keys`, and for each key its id: a key given twice gets the id of its first
   * appearance (callers decide whether the later value replaces or joins the first).
   */
  static from(keys: readonly string[]): { table: StringTable; ids: Int32Array } {
    let capacity = 16;
    while (capacity < keys.length * 2) capacity *= 2;
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    const ids = new Int32Array(keys.length);
    /** first[id]: the index in `keys` of string `id`'s first appearance. */
    const first: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      let s = hashOf(key) & mask;
      for (;;) {
        const held = slots[s];
        if (held === 0) {
          slots[s] = first.push(i);
          ids[i] = first.length - 1;
          break;
        }
        if (keys[first[held - 1]] === key) {
          ids[i] = held - 1;
          break;
        }
        s = (s + 1) & mask;
      }
    }
    const starts = new Uint32Array(first.length + 1);
    const parts = new Array<string>(first.length);
    let at = 0;
    for (let id = 0; id < first.length; id++) {
      starts[id] = at;
      parts[id] = keys[first[id]];
      at += parts[id].length;
    }
    starts[first.length] = at;
    // join gives one flat string of its own: no view into the data the keys were cut from.
    return { table: new StringTable(parts.join(''), starts, slots), ids };
  }

  /** The id of `key`, or -1 when the table does not hold it. */
  id(key: string): number {
    const { chars, starts, slots, mask } = this;
    const n = key.length;
    for (let s = hashOf(key) & mask; ; s = (s + 1) & mask) {
      const held = slots[s];
      if (held === 0) return -1;
      const from = starts[held - 1];
      if (starts[held] - from !== n) continue;
      let j = 0;
      while (j < n && chars.charCodeAt(from + j) === key.charCodeAt(j)) j++;
      if (j === n) return held - 1;
    }
  }

  has(key: string): boolean {
    return this.id(key) >= 0;
  }

  /** String `id` (0 ≤ id < size). */
  key(id: number): string {
    return this.chars.slice(this.starts[id], this.starts[id + 1]);
  }
}

/** FNV-1a over UTF-16 code units, with a final mix so that the low bits (the slot) depend on every unit. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * A read-only map from strings to a few distinct values (a cluster's path, a list of word
 * classes, a name token's group), packed: the keys in a StringTable, each distinct value
 * stored once and each key's value as a small index.
 */
export class PackedMap<V> {
  private readonly keys: StringTable;
  private readonly values: V[] = [];
  private readonly valueOf: Uint8Array | Uint16Array | Uint32Array;
  /** Number of distinct keys. */
  readonly size: number;

  /**
   * `values[i]` for `keys[i]`; a key given twice keeps its last value, as a Map would. Values
   * with the same `identity` (default: the value itself) are stored once, the first of them.
   * Parallel arrays, not entries: this runs once per thread, mostly before the engine has
   * compiled it, where destructuring 88,000 pairs cost more than the packing itself.
   */
  constructor(keys: readonly string[], values: readonly V[], identity: (v: V) => unknown = (v) => v) {
    if (keys.length !== values.length) throw new Error(`PackedMap: ${keys.length} keys for ${values.length} values`);
    const valueIds = new Int32Array(keys.length);
    const ids = new Map<unknown, number>();
    for (let i = 0; i < values.length; i++) {
      const id = identity(values[i]);
      let n = ids.get(id);
      if (n === undefined) ids.set(id, (n = this.values.push(values[i]) - 1));
      valueIds[i] = n;
    }
    const { table, ids: keyIds } = StringTable.from(keys);
    this.valueOf = indexArray(this.values.length, table.size);
    for (let i = 0; i < keyIds.length; i++) this.valueOf[keyIds[i]] = valueIds[i];
    this.keys = table;
    this.size = table.size;
  }

  /**
   * The map of a `value → its keys, space-separated` record (the word clusters' paths, the
   * name tokens' groups): every key of a value maps to that value.
   */
  static fromGroups(groups: Readonly<Record<string, string>>): PackedMap<string> {
    const keys: string[] = [];
    const values: string[] = [];
    for (const [value, list] of Object.entries(groups)) {
      const split = list.split(' ');
      for (let i = 0; i < split.length; i++) if (split[i]) keys.push(split[i]), values.push(value);
    }
    return new PackedMap(keys, values);
  }

  get(key: string): V | undefined {
    const id = this.keys.id(key);
    return id < 0 ? undefined : this.values[this.valueOf[id]];
  }

  has(key: string): boolean {
    return this.keys.id(key) >= 0;
  }
}

/** Room for `length` indexes below `distinct`, in the smallest typed array that holds them. */
export function indexArray(distinct: number, length: number): Uint8Array | Uint16Array | Uint32Array {
  return distinct <= 0x100 ? new Uint8Array(length) : distinct <= 0x10000 ? new Uint16Array(length) : new Uint32Array(length);
}
