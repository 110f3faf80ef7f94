/**
 * What V8's heap growing factor (host/heapGrowth.ts) does to a thread that tags document
 * after document: each measurement is a fresh process that runs both detectors over the
 * same documents of a corpus folder with NCA_HEAP_GROWING_PERCENT set, and prints its time,
 * its peak resident memory (VmHWM) and what is alive at the end (after a full collection).
 * The settings alternate, the order flipping every round. Prints figures; asserts nothing.
 * Linux (reads /proc).
 *
 *   node --import tsx scripts/bench-heap-growth.ts <corpus folder> [--docs N] [--rounds N] [--percents 0,20,50]
 *
 * A corpus folder: `npm run bench:scale -- --sizes 2000 --keep` leaves one. 0 is V8's own factor.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { listTextFiles } from '../server/src/host/corpus';
import { median } from './bench-revisions';
import { statusMb } from './proc-status';

const { values, positionals } = parseArgs({
  options: { docs: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' }, percents: { type: 'string', default: '0,20,50' }, child: { type: 'boolean', default: false } },
  allowPositionals: true,
  strict: true,
});

function child(dir: string, docs: number): void {
  // As the server and the CLI do at their start.
  (require('../server/src/host/heapGrowth') as typeof import('../server/src/host/heapGrowth')).tuneCollector();
  const { detectAll } = require('../server/src/core/analyze') as typeof import('../server/src/core/analyze');
  // The files the server's scan would read, in its order.
  const files = listTextFiles([dir]);
  if (files.length === 0) throw new Error(`no .txt file under ${dir}`);
  const t0 = performance.now();
  for (let i = 0; i < docs; i++) detectAll(fs.readFileSync(files[i % files.length]!, 'utf8'));
  const seconds = (performance.now() - t0) / 1000;
  const peak = statusMb(process.pid, 'VmHWM');
  (globalThis as { gc?: () => void }).gc?.();
  console.log(JSON.stringify({ seconds, peak, live: process.memoryUsage().heapUsed / 1048576 }));
}

function main(): void {
  const [dir] = positionals;
  if (!dir || !fs.statSync(dir).isDirectory()) throw new Error('usage: bench-heap-growth.ts <corpus folder> [--docs N] [--rounds N] [--percents 0,20,50]');
  const docs = Number(values.docs);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(docs) || docs < 1 || !Number.isInteger(rounds) || rounds < 1) throw new Error('--docs and --rounds want whole numbers');
  if (values.child) return child(dir, docs);
  const percents = values.percents!.split(',').map(Number);
  if (percents.some((p) => !Number.isInteger(p) || p < 0)) throw new Error('--percents: whole numbers, 0 for V8 own factor');
  const runs = new Map<number, { seconds: number; peak: number; live: number }[]>(percents.map((p) => [p, []]));
  for (let r = 0; r < rounds; r++) {
    for (const p of r % 2 ? [...percents].reverse() : percents) {
      const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, dir, '--child', '--docs', String(docs)], { encoding: 'utf8', env: { ...process.env, NCA_HEAP_GROWING_PERCENT: String(p) } });
      if (out.status !== 0) throw new Error(`the measurement at ${p} % failed:\n${out.stderr}`);
      runs.get(p)!.push(JSON.parse(out.stdout.trim().split('\n').pop()!));
    }
  }
  console.log(`${docs} documents of ${dir}, both detectors in one thread; ${rounds} rounds of fresh processes, medians (and ranges)`);
  const base = median(runs.get(percents[0]!)!.map((x) => x.seconds));
  for (const p of percents) {
    const xs = runs.get(p)!;
    const f = (k: 'seconds' | 'peak' | 'live', digits: number) => `${median(xs.map((x) => x[k])).toFixed(digits)} (${Math.min(...xs.map((x) => x[k])).toFixed(digits)}–${Math.max(...xs.map((x) => x[k])).toFixed(digits)})`;
    console.log(`heap growing ${p === 0 ? "V8's own" : `${p} %`}`.padEnd(22) + `time ${f('seconds', 1)} s (×${(median(xs.map((x) => x.seconds)) / base).toFixed(2)}), peak ${f('peak', 0)} MB, alive at the end ${f('live', 0)} MB`);
  }
}

main();
