/**
 * Folding the journals of large sidecars back into their files (see
 * host/sidecarFiles.ts): a decision on a 90 MB sidecar is one appended line,
 * and the file is made self-contained again once the user pauses, when the
 * document closes and when the server stops. Folding rewrites the file
 * (seconds for 200,000 annotations), so it waits for a pause rather than
 * holding up the next decision.
 */
import * as path from 'node:path';
import { compactJournals, compactSidecar, hasPendingJournals } from '../host/sidecarFiles';
import type { Sidecar } from '../protocol';
import type { Doc } from './documents';
import type { ServerState } from './state';

/** The pause after the last decision before journals are folded in. */
export const COMPACT_AFTER_MS = 1500;

export class JournalCompactor {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly state: ServerState) {}

  /** After decisions were written (or a journal was found): fold the journals in once the user pauses. */
  schedule(): void {
    if (!hasPendingJournals()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, COMPACT_AFTER_MS);
    this.timer.unref?.();
  }

  /** Folds every pending journal now; open documents keep writing quickly (their fingerprint follows the file). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    compactJournals({
      current: (textPath, annotator) => held(this.openDoc(textPath, annotator)),
      onCompacted: (textPath, annotator, { before, after }) => {
        const doc = this.openDoc(textPath, annotator);
        // The same content in one file now: the document's next write need not read it.
        if (doc && doc.sidecar.fingerprint === before) doc.sidecar.fingerprint = after;
      },
      onError: (sidecar, err) => this.warn(sidecar, err),
    });
  }

  /** A closed document's journal is folded in (after the close is answered). */
  closed(doc: Doc): void {
    const file = doc.path;
    if (!file) return;
    setImmediate(() => {
      try {
        if (!this.openDoc(file, doc.layer ?? undefined)) compactSidecar(file, doc.layer ?? undefined, held(doc));
      } catch (err) {
        this.warn(file, err as Error);
      }
    });
  }

  private warn(file: string, err: Error): void {
    this.state.connection.console.warn(`${path.basename(file)}: its journal could not be folded in now (${err.message}); it is kept and read with the file.`);
  }

  /** The open document of a text file in a layer, if any. */
  private openDoc(textPath: string, annotator: string | undefined): Doc | undefined {
    for (const d of this.state.docs.values()) if (d.path === textPath && (d.layer ?? undefined) === annotator) return d;
    return undefined;
  }
}

/** What a document holds as its sidecar on disk (so folding its journal need not read it), when it holds it whole. */
function held(doc: Doc | undefined): { fingerprint: string; sidecar: Sidecar } | undefined {
  return doc?.sidecar.status === 'ok' && doc.sidecar.sidecar && doc.sidecar.fingerprint && !doc.unsaved ? { fingerprint: doc.sidecar.fingerprint, sidecar: doc.sidecar.sidecar } : undefined;
}
