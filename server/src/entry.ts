/**
 * Entry point of dist/server.js: the language server on the main thread, or
 * an analysis worker when the server's own pool starts this same file as a
 * worker thread (host/analysisPool.ts), so a scan uses every core.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { ANALYSIS_WORKER_ROLE, enableAnalysisWorkers } from './host/analysisPool';

if (!isMainThread && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE) {
  (require('./host/analysisWorker') as typeof import('./host/analysisWorker')).runAnalysisWorker();
} else {
  enableAnalysisWorkers(__filename);
  require('./server');
}
