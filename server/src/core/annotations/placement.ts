/**
 * A sidecar's annotations placed on the text as it is now: as stored when the
 * text is the one they were made on (same SHA-256), re-anchored by text and
 * context otherwise. Orphans are returned apart, never dropped.
 */
import type { Sidecar, SidecarAnnotation } from '../../protocol';
import { reanchor } from './anchoring';
import { sha256Hex } from './sidecar';

export interface Placement {
  placed: SidecarAnnotation[];
  orphans: SidecarAnnotation[];
  /** How many annotations re-anchoring moved (0 when the text is unchanged). */
  moved: number;
  /** Whether the text differs from the one the sidecar was written for. */
  textChanged: boolean;
}

export function placeOnText(sidecar: Sidecar, text: string): Placement {
  if (sidecar.document.sha256 === sha256Hex(text)) {
    return { placed: sidecar.annotations.filter((a) => !a.orphaned), orphans: sidecar.annotations.filter((a) => a.orphaned), moved: 0, textChanged: false };
  }
  const r = reanchor(text, sidecar.annotations);
  return { placed: r.annotations, orphans: r.orphans, moved: r.moved, textChanged: true };
}
