/**
 * A count of documents shown as the editor's work-done progress (the status bar in
 * VS Code): the corpus-wide commands take minutes on 100,000 articles, and the
 * user should see how far along they are. A report goes out only when the
 * percentage moves, not once per document.
 */
import type { ServerState } from './state';

export interface DocumentProgress {
  /** `done` of the total documents are behind us. */
  step(done: number): void;
  end(): void;
}

export async function documentProgress(state: ServerState, title: string, total: number): Promise<DocumentProgress> {
  const progress = await state.connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin(title, 0, `0 / ${total} documents`, false);
  let shown = 0;
  return {
    step(done) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (pct === shown) return;
      shown = pct;
      progress?.report(pct, `${done} / ${total} documents`);
    },
    end() {
      progress?.done();
    },
  };
}
