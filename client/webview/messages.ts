/**
 * Messages between the annotation view's page (client/webview/main.ts, in the
 * webview) and its host (client/src/views/annotationView.ts, in the extension
 * host). Types only: both sides import them, nothing runs from here.
 */
import type { DocumentViewResult, LabelSchema } from '../../server/src/protocol';

/** A colour per theme kind, ready for CSS (backgrounds translucent). */
export interface ViewColor {
  /** Badge and underline colour. */
  fg: string;
  /** Background of an accepted span. */
  bg: string;
}

/** Host → page. */
export type HostMessage =
  | {
      type: 'init';
      /** UI strings, already localised by the host (vscode.l10n). */
      strings: Record<string, string>;
      schema: LabelSchema;
      /** Colours of each label and category for the light and the dark themes. */
      colors: Record<string, { light: ViewColor; dark: ViewColor }>;
    }
  | { type: 'document'; data: DocumentViewResult; fileName: string }
  | { type: 'empty'; reason: string }
  /** The editor scrolled: show this line at the top (unless the user is scrolling the view). */
  | { type: 'scrollTo'; line: number }
  /** The editor's cursor moved: mark its paragraph, bring it into view if it is outside. */
  | { type: 'cursor'; offset16: number };

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  /** A document is drawn: `ms` until its first screen was laid out, `allMs` until all of it was, from the message's arrival. */
  | { type: 'rendered'; ms: number; allMs: number; paragraphs: number; marks: number; chars: number; version: number }
  | { type: 'scrolled'; line: number }
  | { type: 'cursor'; offset16: number }
  /** Annotate a selection [start16, end16) of the document (UTF-16 offsets) with a label. */
  | { type: 'annotate'; start16: number; end16: number; text: string; label: string; version: number }
  /** Mark a selection as boilerplate. */
  | { type: 'markBoilerplate'; start16: number; end16: number; text: string; category: string; version: number }
  /** Accept a suggestion (optionally as another label), or relabel an accepted entity. */
  | { type: 'accept'; mark: string; label?: string; version: number }
  /** Reject a suggestion (boilerplate: keep as article text). */
  | { type: 'reject'; mark: string; version: number }
  /** Remove an accepted annotation (or an orphan) by id. */
  | { type: 'remove'; id: string }
  | { type: 'review'; action: 'markDone' | 'markDoneAndNext' | 'nextDocument' | 'undo' | 'redo' | 'editTags' | 'openGuidelines' };
