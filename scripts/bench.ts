/**
 * npm run bench: every benchmark, one after the other (never in parallel:
 * on a 2-core machine they would measure each other). Each prints its own
 * figures; none asserts a time.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const benches = ['bench-boilerplate.ts', 'bench-ner.ts', 'bench-compare.ts', 'bench-fresh.ts', 'bench-server.ts', 'bench-corpus.ts', 'bench-corpus-commands.ts', 'bench-sidecar.ts', 'bench-refusal.ts', 'bench-agree.ts', 'bench-view.ts'];
let failed = 0;
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, b), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
