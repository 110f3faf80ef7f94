/**
 * The memory the detectors' data take in one thread (the server's, and each analysis
 * worker's): heap and typed arrays in use after garbage collection, before and after
 * analysing an Arabic and an English article (which loads the Arabic and English models,
 * lexicon, gazetteers, clusters and cue lists). Prints the figures; asserts nothing.
 *
 * Measured twice: from the sources (Node's module cache then keeps each data file's parsed
 * JSON, as the bundles did before), and bundled as the language server is (esbuild with
 * the server's options, its data files beside it: what a scan thread holds).
 *
 *   node --expose-gc --import tsx scripts/bench-detector-memory.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectAll } from '../server/src/core/analyze';

/** Set in the bundled copy's environment: measure and print, nothing else. */
const BUNDLED = 'NCA_DETECTOR_MEMORY_FIXTURES';

function measure(fixtures: string): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
  // Typed arrays keep their contents outside the heap (the packed word lists, the model's weights): counted too.
  const used = () => {
    gc();
    const m = process.memoryUsage();
    return { heap: m.heapUsed, buffers: m.arrayBuffers };
  };
  const before = used();
  detectAll(fixture('000_f74c9c0780b14a3d.txt'));
  detectAll(fixture('002_border_talks_en.txt'));
  const after = used();
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  const heap = after.heap - before.heap;
  const buffers = after.buffers - before.buffers;
  return `${mb(heap + buffers)} MB (${mb(heap)} MB of heap, ${mb(buffers)} MB of typed arrays); process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const fixtures = process.env[BUNDLED];
  if (fixtures) {
    console.log(measure(fixtures));
    return;
  }
  const root = path.join(__dirname, '..');
  console.log(`from the sources: ${measure(path.join(root, 'test', 'fixtures', 'workspace'))}`);
  // Imported here so that the bundled copy does not carry the build script.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { bundleOptions } = require('./build') as typeof import('./build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-detector-memory-'));
  try {
    const options = bundleOptions({ outdir: dir })['dist/server.js'];
    const outfile = path.join(dir, 'measure.js');
    await esbuild.build({ ...options, entryPoints: [__filename], outfile, external: ['esbuild'], banner: undefined, sourcemap: false, logLevel: 'silent' });
    const out = execFileSync(process.execPath, ['--expose-gc', outfile], { encoding: 'utf8', env: { ...process.env, [BUNDLED]: path.join(root, 'test', 'fixtures', 'workspace') } });
    console.log(`bundled as the language server (one scan thread): ${out.trim()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
