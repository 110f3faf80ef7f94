/**
 * Accepted annotations as semantic tokens, so editors without our client
 * (Neovim, Helix, Emacs) can highlight them too: token type `entity` with a
 * modifier for the label family, or `boilerplate`. A label of the team's
 * schema with a `parent` (GPE under LOC) takes its root's family; any other
 * label is `other`. VS Code uses the client's decorations instead (the tokens
 * have no theme colours there).
 */
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { LabelSchema } from '../protocol';
import { rootLabel } from '../core/labels/defaults';
import type { Doc } from './documents';

const TYPES = ['entity', 'boilerplate'] as const;
const MODIFIERS = ['person', 'organization', 'location', 'misc', 'other'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const LABEL_MODIFIER: Record<string, (typeof MODIFIERS)[number]> = { PER: 'person', ORG: 'organization', LOC: 'location', MISC: 'misc' };

export function semanticTokens(doc: Doc, schema: Pick<LabelSchema, 'labels'>): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  const accepted = doc.annotations
    .filter((a) => a.status === 'accepted' && !a.orphaned && !(a.kind === 'boilerplate' && a.category === 'none'))
    .sort((a, b) => a.start - b.start);
  for (const a of accepted) {
    const type = TYPES.indexOf(a.kind);
    const modifier = a.kind === 'entity' ? 1 << MODIFIERS.indexOf(LABEL_MODIFIER[rootLabel(schema, a.label ?? '')] ?? 'other') : 0;
    // Tokens cannot span lines: emit one per line of the annotation.
    let s = doc.index.toUtf16(a.start);
    const e = doc.index.toUtf16(a.end);
    while (s < e) {
      const pos = doc.index.positionAt(s);
      const lineEnd = Math.min(e, doc.index.lineEnd(pos.line));
      if (lineEnd > s) builder.push(pos.line, pos.character, lineEnd - s, type, modifier);
      if (pos.line + 1 >= doc.index.lineCount) break;
      s = doc.index.lineStart(pos.line + 1);
    }
  }
  return builder.build();
}
