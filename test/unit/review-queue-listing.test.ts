/**
 * The Review Queue's listings during a scan (lsp/queue.ts): a listing made less
 * than a second ago is given again to the same request, so that a client asking
 * often does not take the server's thread from the scan; anything decided or
 * observed, and the end of the scan, make the next listing fresh.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CorpusMemory } from '../../server/src/core/corpus/memory';
import { summarizeDocument } from '../../server/src/core/corpus/summary';
import { ReviewQueue } from '../../server/src/lsp/queue';
import type { ServerState } from '../../server/src/lsp/state';

const TEXTS = ['قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .', 'التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني في بكين .', 'أعلنت الأمم المتحدة في جنيف أن المساعدات وصلت إلى غزة .'];

/** The part of the server's state the queue reads, with the scan under way or not. */
function stateOf(memory: CorpusMemory): { state: ServerState; scan: { indexing: boolean } } {
  const scan = { indexing: true };
  const state = {
    workspace: { memory, suggestionsKey: () => 'settings' },
    get indexing() {
      return scan.indexing;
    },
    connection: { sendNotification: () => Promise.resolve() },
    findDocByPath: () => undefined,
  } as unknown as ServerState;
  return { state, scan };
}

describe('review queue listings during a scan', () => {
  it('gives a recent listing again while indexing, and a fresh one after a change, another request or the end of the scan', () => {
    const memory = new CorpusMemory();
    memory.set('/c/a.txt', summarizeDocument(TEXTS[0], [], {}));
    const { state, scan } = stateOf(memory);
    const queue = new ReviewQueue(state);
    const first = queue.result(1);
    assert.equal(first.progress.total, 1);
    assert.equal(first.indexing, true);
    // More documents indexed: within the second the same listing comes back.
    memory.set('/c/b.txt', summarizeDocument(TEXTS[1], [], {}));
    assert.equal(queue.result(1), first);
    // Another limit is another listing, with the corpus as it is now.
    assert.equal(queue.result(10).progress.total, 2);
    // A change (a decision, a status) makes the next listing fresh.
    memory.set('/c/c.txt', summarizeDocument(TEXTS[2], [], {}));
    queue.changed();
    assert.equal(queue.result(1).progress.total, 3);
    // The scan over: every listing is fresh, and says so.
    memory.remove('/c/a.txt');
    scan.indexing = false;
    const done = queue.result(1);
    assert.equal(done.indexing, false);
    assert.equal(done.progress.total, 2);
    assert.notEqual(queue.result(1), done);
  });
});
