/**
 * The body of an analysis worker thread (see analysisPool.ts): reads a
 * document and its layer's sidecar, and returns its summary. The tagger model
 * is loaded once per worker (again only when the workspace's model changes).
 */
import { parentPort } from 'node:worker_threads';
import type { EntityOptions, TaggerModel } from '../core/detect/entities';
import type { AnalysisJob, JobResult } from './analysisPool';
import { summarizeFile } from './summarizeFile';
import { readModelFile } from './workspace';

export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) return;
  let loaded: { fingerprint: string; model: TaggerModel } | undefined;
  port.on('message', (job: AnalysisJob) => {
    void summarize(job).then((r) => port.postMessage(r));
  });

  async function summarize({ file, config, reuse }: AnalysisJob): Promise<JobResult> {
    try {
      let entities: EntityOptions | false = false;
      if (config.entities !== false) {
        if (config.model && loaded?.fingerprint !== config.model.fingerprint) {
          loaded = { fingerprint: config.model.fingerprint, model: (await readModelFile(config.model.file)).model };
        }
        entities = { ...config.entities, ...(config.model && loaded ? { model: loaded.model } : {}) };
      }
      return summarizeFile(file, config.maxBytes, config.layer, entities, reuse);
    } catch (err) {
      return { ok: false, message: `${file}: ${(err as Error).message}` };
    }
  }
}
