/**
 * Names the user has accepted or rejected (from sidecar annotations), matched
 * in new text on folded tokens. Accepted names are suggested wherever they
 * occur; rejected ones are never suggested again (for one label or all) —
 * unless the name was also accepted with that label somewhere: the rejection
 * then says that one mention is not that name (مصر the football team, not the
 * country), and its sidecar keeps it hidden there. In the simulated review of
 * ANERcorp folds (npm run eval:adapt), a rejection winning everywhere took away
 * 207 of the tagger's right names (15 with this rule) for 30 fewer wrong ones.
 */
import { normalizeName } from './normalize';
import { lowerBound } from '../../text/lowerBound';

export interface DictionaryHit {
  /** Token indices, end exclusive. */
  first: number;
  last: number;
  label: string;
  text: string;
}

/**
 * The rejections of one document that speak for the whole corpus: all but those of a
 * mention the user annotated with other bounds in that document. A suggestion rejected where
 * the name is longer or shorter (النيل, where the user annotated وادي النيل) says that this
 * mention was cut wrong, not that the words are never a name of that label: its sidecar still
 * hides it there. A rejection on the very span of the name the user annotated (another label:
 * فنسبري بارك a club, not a person) still counts everywhere, unless the name was accepted with
 * that label somewhere (EntityDictionary.isRejectedKey). In the simulated review of ANERcorp folds
 * (npm run eval:adapt), rejections of wrongly cut mentions hid right names (النيل, فرنسا, الشرق
 * الأوسط as places) in the other documents. Offsets in any one unit, both lists of one document.
 */
export function corpusRejections<T extends { start: number; end: number }>(accepted: readonly { start: number; end: number }[], rejected: readonly T[]): T[] {
  if (!accepted.length || !rejected.length) return [...rejected];
  const spans = [...accepted].sort((x, y) => x.start - y.start || x.end - y.end);
  const same = new Set(spans.map((a) => `${a.start}:${a.end}`));
  // Longest reach of the accepted spans up to each one: an overlap test by binary search.
  const reach: number[] = [];
  for (const a of spans) reach.push(Math.max(a.end, reach[reach.length - 1] ?? -Infinity));
  return rejected.filter((r) => {
    if (same.has(`${r.start}:${r.end}`)) return true;
    // The accepted spans that start before r ends: one of them overlaps r iff the farthest reach among them passes r's start.
    const lo = lowerBound(spans.length, (i) => spans[i].start < r.end);
    return lo === 0 || reach[lo - 1] <= r.start;
  });
}

export class EntityDictionary {
  /** normalized → label → count of acceptances. */
  private readonly accepted = new Map<string, Map<string, number>>();
  /** normalized → rejected labels ('*' = every label). */
  private readonly rejected = new Map<string, Set<string>>();
  private maxTokens = 0;

  add(text: string, label: string): void {
    const key = normalizeName(text);
    if (!key) return;
    const m = this.accepted.get(key) ?? new Map<string, number>();
    m.set(label, (m.get(label) ?? 0) + 1);
    this.accepted.set(key, m);
    this.maxTokens = Math.max(this.maxTokens, key.split(' ').length);
  }

  reject(text: string, label?: string): void {
    const key = normalizeName(text);
    if (!key) return;
    const s = this.rejected.get(key) ?? new Set<string>();
    s.add(label ?? '*');
    this.rejected.set(key, s);
  }

  /** Adds acceptances of an already normalised name (from corpus statistics). */
  addKey(key: string, label: string, count = 1): void {
    if (!key) return;
    const m = this.accepted.get(key) ?? new Map<string, number>();
    m.set(label, (m.get(label) ?? 0) + count);
    this.accepted.set(key, m);
    this.maxTokens = Math.max(this.maxTokens, key.split(' ').length);
  }

  /** Rejects an already normalised name, for one label or every one ('*'). */
  rejectKey(key: string, label = '*'): void {
    if (!key) return;
    const s = this.rejected.get(key) ?? new Set<string>();
    s.add(label);
    this.rejected.set(key, s);
  }

  /** normalised name → label → acceptances (for corpus statistics). */
  acceptedEntries(): IterableIterator<[string, Map<string, number>]> {
    return this.accepted.entries();
  }

  /** normalised name → rejected labels ('*' = every label) (for corpus statistics). */
  rejectedEntries(): IterableIterator<[string, Set<string>]> {
    return this.rejected.entries();
  }

  /** The most accepted label of a name, unless rejected for it. */
  labelOf(text: string): string | undefined {
    return this.labelOfKey(normalizeName(text));
  }

  isRejected(text: string, label: string): boolean {
    return this.rejected.size > 0 && this.isRejectedKey(normalizeName(text), label);
  }

  /** isRejected for an already normalised name: the queue asks it of every name of the corpus. */
  isRejectedKey(key: string, label: string): boolean {
    const s = this.rejected.get(key);
    return !!s && (s.has('*') || s.has(label)) && !this.accepted.get(key)?.get(label);
  }

  get size(): number {
    return this.accepted.size + this.rejected.size;
  }

  private labelOfKey(key: string): string | undefined {
    const m = this.accepted.get(key);
    if (!m) return undefined;
    let best: string | undefined;
    let n = 0;
    // Accepted with a label outweighs a rejection of it (isRejectedKey): every accepted label counts.
    for (const [l, c] of m) if (c > n) [best, n] = [l, c];
    return best;
  }

  /**
   * Longest accepted names in a token sequence (folded forms). `stripped[i]`
   * is token i's folded form without proclitics, tried for the first token.
   */
  match(folded: string[], stripped: string[]): DictionaryHit[] {
    const out: DictionaryHit[] = [];
    if (this.accepted.size === 0) return out;
    for (let i = 0; i < folded.length; i++) {
      for (let len = Math.min(this.maxTokens, folded.length - i); len >= 1; len--) {
        const rest = folded.slice(i + 1, i + len).join(' ');
        let hit: DictionaryHit | undefined;
        for (const head of [folded[i], stripped[i]]) {
          const key = len > 1 ? head + ' ' + rest : head;
          const label = this.labelOfKey(key);
          if (label) {
            hit = { first: i, last: i + len, label, text: key };
            break;
          }
        }
        if (hit) {
          out.push(hit);
          i += len - 1;
          break;
        }
      }
    }
    return out;
  }
}

