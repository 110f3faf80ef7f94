/**
 * Entry point of dist/server.js: the language server on the main thread, or
 * an analysis worker when the server's own pool starts this same file as a
 * worker thread (host/analysisPool.ts), so a scan uses every core, or the
 * worker that adapts the tagger for Learn from Annotations (host/learnWorker.ts).
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { ANALYSIS_WORKER_ROLE, enableAnalysisWorkers, LEARN_WORKER_ROLE } from './host/analysisPool';
import { tuneCollector } from './host/heapGrowth';

const role = isMainThread ? undefined : (workerData as { role?: string } | null)?.role;
if (role === ANALYSIS_WORKER_ROLE) {
  (require('./host/analysisWorker') as typeof import('./host/analysisWorker')).runAnalysisWorker();
} else if (role === LEARN_WORKER_ROLE) {
  (require('./host/learnWorker') as typeof import('./host/learnWorker')).runLearnWorker();
} else {
  // Process-wide, so before any worker starts (host/heapGrowth.ts).
  tuneCollector();
  enableAnalysisWorkers(__filename);
  require('./server');
}
