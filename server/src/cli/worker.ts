/**
 * The child side of `--jobs` (see workerPool.ts): `news-annotator __worker`,
 * started by the CLI itself with an IPC channel. Builds the parent's
 * Workspace, then answers one request at a time until the parent disconnects.
 * Everything a request produces for the user goes back to the parent (spool
 * files, messages), which prints it in input order.
 */
import * as fs from 'node:fs';
import { serializeStats, validateStats } from '../core/corpus/stats';
import type { Workspace } from '../host/workspace';
import { importShard } from './importShards';
import { openWorkspace, UsageError } from './options';
import { indexPart, runPart, type Message } from './passes';
import { SpoolWriter } from './spoolFile';
import type { WorkerRequest, WorkerSpec } from './workerPool';

export async function workerCommand(): Promise<number> {
  if (!process.send) throw new UsageError('__worker is started by news-annotator --jobs itself');
  let ws: Promise<Workspace> | undefined;
  /** The statistics file loaded into the Workspace (a worker serves many parts with the same statistics). */
  let loaded: string | undefined;
  let chain = Promise.resolve();
  const answer = (m: unknown): void => {
    process.send!(m);
  };
  const handle = async (request: WorkerRequest): Promise<unknown> => {
    const w = await ws!;
    const messages: Message[] = [];
    const report = (m: Message): void => void messages.push(m);
    if (request.type === 'index') {
      const r = await indexPart(w, request.part, report, request.foundFile);
      fs.writeFileSync(request.statsFile, serializeStats(r.stats));
      return { documents: r.documents, messages };
    }
    if (request.type === 'import') return importShard(request.shard);
    if (request.statsFile && loaded !== request.statsFile) {
      w.loadStats(validateStats(JSON.parse(fs.readFileSync(request.statsFile, 'utf8'))));
      loaded = request.statsFile;
    }
    const out = new SpoolWriter(request.outFile);
    try {
      const r = await runPart(w, request.part, request.task, { text: (s) => out.write(String(s)), document: (d) => out.write(JSON.stringify(d) + '\n') }, report, request.foundFile);
      return { ...r, messages };
    } finally {
      out.close();
    }
  };
  process.on('message', (m: { type: 'init'; spec: WorkerSpec } | WorkerRequest) => {
    if (m.type === 'init') {
      // Settings problems and the tagger choice were reported once, by the parent.
      const layer = m.spec.layer;
      ws = openWorkspace(m.spec.inputs, m.spec.values, () => undefined).then((w) => {
        if (layer !== undefined) w.useLayer(layer);
        return w;
      });
      return;
    }
    chain = chain.then(() =>
      handle(m).then(
        (result) => answer({ ok: true, result }),
        (err: unknown) => answer({ ok: false, message: (err as Error)?.message ?? String(err) }),
      ),
    );
  });
  // The parent is gone (done, or stopped early): nothing here is worth finishing.
  await new Promise<void>((resolve) => process.once('disconnect', resolve));
  process.exit(0);
}
