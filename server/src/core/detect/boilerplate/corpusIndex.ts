/**
 * Cross-document index of block keys: in how many documents each folded
 * line occurs. Site chrome (footers, menus, "follow us" lines) recurs on
 * every page of a scrape; article text almost never does.
 */
import { foldKey } from './fold';

/** Lines this short are too generic to index usefully ("Home", "1"). */
const MIN_KEY_CHARS = 2;

export function documentKeys(text: string): Set<string> {
  const keys = new Set<string>();
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    const line = text.slice(pos, nl);
    if (line.trim()) {
      const k = foldKey(line);
      if (k.length >= MIN_KEY_CHARS) keys.add(k);
    }
    pos = nl + 1;
  }
  return keys;
}

export class CorpusIndex {
  private readonly docs = new Map<string, string[]>();
  private readonly counts = new Map<string, number>();

  get size(): number {
    return this.docs.size;
  }

  setDocument(docId: string, text: string): void {
    this.setKeys(docId, [...documentKeys(text)]);
  }

  /** Same as `setDocument`, from the document's keys (documentKeys) computed earlier. */
  setKeys(docId: string, keys: string[]): void {
    this.removeDocument(docId);
    this.docs.set(docId, keys);
    for (const k of keys) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  removeDocument(docId: string): void {
    const keys = this.docs.get(docId);
    if (!keys) return;
    this.docs.delete(docId);
    for (const k of keys) {
      const c = (this.counts.get(k) ?? 0) - 1;
      if (c > 0) this.counts.set(k, c);
      else this.counts.delete(k);
    }
  }

  /** In how many indexed documents the block key occurs (a key from blockKey). */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  has(docId: string): boolean {
    return this.docs.has(docId);
  }
}
