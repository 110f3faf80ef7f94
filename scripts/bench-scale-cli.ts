/**
 * The CLI as a batch tool on a generated corpus (needs `npm run build`):
 * throughput of `annotate --jsonl` and `export --format jsonl
 * --include-suggestions` over a folder, with --jobs 1 and --jobs 2 (and the
 * ratio, same run), and of the Dask job (examples/dask/clean_corpus.py) on a
 * LocalCluster of two worker processes. Wall-clock time of the whole command,
 * start-up included; documents/s and MB/s of input text. Prints figures;
 * asserts nothing (the equality of the outputs is what the tests check).
 *
 *   node --import tsx scripts/bench-scale-cli.ts [--docs 3000] [--no-dask]
 *
 * The lead's `npm run bench:scale` calls it; `npm run bench:scale-cli` runs it alone.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../test/protocol/lspClient';
import { folderAsJsonl, writeCorpusFolder } from '../test/protocol/streamingCorpus';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '3000' }, 'no-dask': { type: 'boolean' } }, strict: true });
const DOCS = Number(values.docs);
const CLI = path.join(ROOT, 'dist', 'cli.js');
const JOB = path.join(ROOT, 'examples', 'dask', 'clean_corpus.py');

function timed(command: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  // Exit 1 would mean documents left out: the figure would not be the corpus' figure.
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return seconds;
}

function line(what: string, seconds: number, mb: number): string {
  return `${what.padEnd(64)} ${seconds.toFixed(2).padStart(7)} s  ${(DOCS / seconds).toFixed(0).padStart(6)} docs/s  ${(mb / seconds).toFixed(2).padStart(6)} MB/s`;
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-bench-cli-'));
  try {
    const docs = path.join(work, 'docs');
    const files = writeCorpusFolder(docs, DOCS, { unique: true, spread: true });
    const jsonl = path.join(work, 'corpus.jsonl');
    folderAsJsonl(files, jsonl);
    const mb = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1e6;
    console.log(`CLI throughput: ${DOCS} generated documents, ${mb.toFixed(2)} MB of text; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}`);
    const runs: [string, string[]][] = [
      ['annotate --jsonl corpus.jsonl', ['annotate', '--jsonl', jsonl]],
      ['export <folder> --format jsonl --include-suggestions', ['export', '--format', 'jsonl', '--include-suggestions', '--out', path.join(work, 'out'), docs]],
    ];
    for (const [what, args] of runs) {
      const one = timed(process.execPath, [CLI, ...args, '--jobs', '1']);
      const two = timed(process.execPath, [CLI, ...args, '--jobs', '2']);
      console.log(line(`${what}, --jobs 1`, one, mb));
      console.log(line(`${what}, --jobs 2`, two, mb));
      console.log(`${''.padEnd(64)} --jobs 2 vs --jobs 1: ×${(one / two).toFixed(2)}`);
    }
    if (values['no-dask']) return;
    const dask = spawnSync('/usr/bin/python3', ['-c', 'import dask.distributed'], { stdio: 'ignore' });
    if (dask.status !== 0) {
      console.log('Dask job: not measured (python3-dask / python3-distributed missing: apt-get install -y python3-dask python3-distributed)');
      return;
    }
    const out = path.join(work, 'dask');
    // Its partitions as the job chooses them (one per worker here); the summary says how many.
    const seconds = timed('/usr/bin/python3', [JOB, jsonl, '--out', out, '--local-workers', '2', '--cli', CLI, '--node', process.execPath, '--mode', 'annotate']);
    const partitions = fs.readdirSync(out).filter((f) => /^part-\d+\.jsonl$/.test(f)).length;
    console.log(line(`Dask LocalCluster, 2 workers, annotate, ${partitions} partitions`, seconds, mb));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
