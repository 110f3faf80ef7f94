/**
 * A count of documents shown as the editor's work-done progress (the status bar in
 * VS Code): the corpus-wide commands take minutes on 100,000 articles, and the
 * user should see how far along they are. A report goes out only when the
 * percentage moves, not once per document.
 */
import type { CancellationToken, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { ServerState } from './state';

export interface DocumentProgress {
  /** `done` of the documents are behind us (`of`: their number, when it was not known at the start). */
  step(done: number, of?: number): void;
  end(): void;
  /** The user cancelled the request or the progress (only when a cancellation was given). */
  readonly cancelled: boolean;
}

/**
 * Whether the user stopped a command: its request was cancelled (VS Code's Cancel button) or
 * its progress was (other editors cancel that). Without a request cancellation the command is
 * not to be stopped (undo, redo), whatever a client sends. Shared by documentProgress and Learn,
 * whose progress counts training epochs rather than documents.
 */
export function stoppedBy(stop: CancellationToken | undefined, progress: WorkDoneProgressServerReporter | null): () => boolean {
  return () => stop !== undefined && (stop.isCancellationRequested || !!progress?.token.isCancellationRequested);
}

/**
 * `stop`: the request's cancellation. With it the progress is cancellable too (editors
 * that cancel the progress rather than the request), and `cancelled` answers for both.
 */
export async function documentProgress(state: ServerState, title: string, total?: number, stop?: CancellationToken): Promise<DocumentProgress> {
  const progress = await state.connection.window.createWorkDoneProgress().catch(() => null);
  progress?.begin(title, 0, total === undefined ? undefined : `0 / ${total} documents`, stop !== undefined);
  let shown = 0;
  const stopped = stoppedBy(stop, progress);
  return {
    step(done, of = total ?? 0) {
      const pct = of ? Math.floor((done / of) * 100) : 100;
      if (pct === shown) return;
      shown = pct;
      progress?.report(pct, `${done} / ${of} documents`);
    },
    end() {
      progress?.done();
    },
    get cancelled() {
      return stopped();
    },
  };
}
