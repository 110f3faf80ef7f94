/**
 * A sidecar's annotations placed on the text as it is now. A matching
 * SHA-256 says the text is the one the sidecar was written for, not that the
 * sidecar tells the truth about it (a hand edit, a buggy tool, a hostile
 * workspace): every annotation is checked against the text at its offsets,
 * whatever the hash says. Those that do not match are re-anchored by their
 * text and context, or kept apart as orphans — never shown at a wrong place,
 * never dropped. Linear in the number of annotations (plus the text length).
 */
import type { Sidecar, SidecarAnnotation } from '../../protocol';
import { TextIndex } from '../text/offsets';
import { reanchor } from './anchoring';
import { sha256Hex } from './sidecar';

export interface Placement {
  placed: SidecarAnnotation[];
  orphans: SidecarAnnotation[];
  /** How many annotations got other offsets or became orphans (0 when everything is where the sidecar says). */
  moved: number;
  /** Whether the text differs from the one the sidecar was written for. */
  textChanged: boolean;
  /**
   * Annotations whose stored offsets did not hold their `text` although the
   * hash matched (the sidecar contradicts itself); they were re-anchored or
   * orphaned. Such a sidecar should be rewritten.
   */
  contradicted: number;
}

export function placeOnText(sidecar: Sidecar, text: string): Placement {
  if (sidecar.document.sha256 !== sha256Hex(text)) {
    const r = reanchor(text, sidecar.annotations);
    return { placed: r.annotations, orphans: r.orphans, moved: r.moved, textChanged: true, contradicted: 0 };
  }
  const index = new TextIndex(text);
  const len = index.codePointLength;
  const placed: SidecarAnnotation[] = [];
  const orphans: SidecarAnnotation[] = [];
  const suspect: SidecarAnnotation[] = [];
  for (const a of sidecar.annotations) {
    if (a.orphaned) orphans.push(a);
    else if (a.text !== '' && a.end <= len && a.start < a.end && index.sliceCodePoints(a.start, a.end) === a.text) placed.push(a);
    else suspect.push(a);
  }
  if (!suspect.length) return { placed, orphans, moved: 0, textChanged: false, contradicted: 0 };
  // Only the contradicted ones are searched for; the others keep their places. A contradicted
  // annotation found again where the sidecar already holds the same decision stays an orphan
  // rather than become a duplicate.
  const r = reanchor(text, suspect);
  const held = new Set(placed.map(spanKey));
  for (const a of r.annotations) {
    if (held.has(spanKey(a))) orphans.push({ ...a, orphaned: true });
    else placed.push(a);
  }
  for (const o of r.orphans) orphans.push(o); // not push(...): 200,000 arguments overflow the stack
  return { placed, orphans, moved: suspect.length, textChanged: false, contradicted: suspect.length };
}

function spanKey(a: SidecarAnnotation): string {
  return `${a.kind}\u0000${a.label ?? a.category ?? ''}\u0000${a.status}\u0000${a.start}\u0000${a.end}`;
}
