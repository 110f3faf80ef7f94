/**
 * How much a second core adds on this machine, for the scan's work and for plain arithmetic
 * (prints figures; asserts nothing). The scan tags documents on one worker thread per core,
 * and its figure in `bench:scale` is compared with a regular expression on one core: this
 * says what two threads can give here at best.
 *
 * Each round runs, in fresh processes: the scan's work (core/corpus/summary.ts
 * summarizeDocument: the entity detectors and block keys, as a worker does) over the same
 * generated documents, once alone and then twice at the same time; and an integer loop,
 * alone and twice at once. The ratio "each of two ÷ alone" is 1.00 when the second core is
 * free, 0.50 when the two runs share one.
 *
 *   node --import tsx scripts/bench-parallel.ts [--docs 600] [--rounds 2]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { summarizeDocument } from '../server/src/core/corpus/summary';
import { distinctCopy, newsTexts } from './news-texts';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '600' }, rounds: { type: 'string', default: '2' }, child: { type: 'string' } }, strict: true });

/** In a child: the timed work, its rate printed as the last line (MB/s, or loops/s). */
async function child(kind: string): Promise<void> {
  if (kind === 'loop') {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 1e9; i++) x = (x + i * 7) | 0;
    console.log(JSON.stringify({ rate: 1e9 / ((performance.now() - t0) / 1000), check: x }));
    return;
  }
  const texts = newsTexts();
  const n = Number(values.docs);
  // The tagger's data are loaded before the clock starts, as a worker has them when it scans.
  summarizeDocument(texts[0], [], {});
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    // Each copy distinct (numbers changed), as bench:scale makes its corpus.
    const doc = distinctCopy(texts, i);
    bytes += Buffer.byteLength(doc);
    summarizeDocument(doc, [], {});
  }
  console.log(JSON.stringify({ rate: bytes / 1048576 / ((performance.now() - t0) / 1000) }));
}

function run(kind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', kind, '--docs', values.docs!], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve((JSON.parse(out.trim().split('\n').pop()!) as { rate: number }).rate) : reject(new Error(`${kind} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  if (values.child) return child(values.child);
  const rounds = Number(values.rounds);
  console.log(`one process alone, then two at the same time; ${values.docs} documents of real news text per process; ${rounds} rounds`);
  for (let r = 1; r <= rounds; r++) {
    for (const [kind, unit] of [['scan', 'MB/s'], ['loop', 'M loops/s']] as const) {
      const alone = await run(kind);
      const pair = await Promise.all([run(kind), run(kind)]);
      const scale = unit === 'MB/s' ? 1 : 1e-6;
      const each = pair.map((p) => p / alone);
      console.log(
        `round ${r}, ${kind === 'scan' ? 'scan work (entities + block keys)' : 'integer loop'}: alone ${(alone * scale).toFixed(2)} ${unit}; two at once ${pair.map((p) => (p * scale).toFixed(2)).join(' / ')} ${unit}: each ${each.map((e) => e.toFixed(2)).join(' / ')} of alone, together ${(each[0] + each[1]).toFixed(2)}×`,
      );
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
