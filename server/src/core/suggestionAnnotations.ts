/**
 * Detector suggestions in sidecar-annotation shape, for exports and CLI
 * output that include pre-annotations. They carry the detector as `source`
 * and a deterministic id, so a consumer can tell them from user decisions.
 */
import type { SidecarAnnotation } from '../protocol';
import type { Suggestions } from './analyze';
import { createAnnotation } from './annotations/model';
import type { TextIndex } from './text/offsets';

export function suggestionsAsAnnotations(text: string, index: TextIndex, s: Suggestions, now = new Date()): SidecarAnnotation[] {
  const out: SidecarAnnotation[] = [];
  for (const e of s.entities) {
    const start = index.toCodePoint(e.start);
    const end = index.toCodePoint(e.end);
    const a = createAnnotation(text, start, end, { kind: 'entity', label: e.label, status: 'accepted', source: e.source, confidence: e.confidence }, now);
    out.push({ ...a, id: `suggestion-entity-${start}-${end}` });
  }
  for (const b of s.boilerplate) {
    const start = index.toCodePoint(b.start);
    const end = index.toCodePoint(b.end);
    const a = createAnnotation(text, start, end, { kind: 'boilerplate', category: b.category, status: 'accepted', source: 'boilerplate-detector', confidence: b.confidence }, now);
    out.push({ ...a, id: `suggestion-boilerplate-${start}-${end}` });
  }
  return out;
}
