/**
 * How the bundles load the large data files: with the server's and the CLI's real esbuild
 * options, a small entry requires the word clusters twice and imports the cue lists. Each
 * `require` must parse anew (a cached module would keep the parsed JSON alive in every scan
 * thread next to what the loaders build from it), with the same content; the server reads
 * the file from its data folder beside the bundle, the CLI has it inside.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { bundleOptions, ROOT } from '../../scripts/build';

const ENTRY = `
const clusters = () => require(${JSON.stringify(path.join(ROOT, 'data/clusters/ar-clusters.json'))});
import cues from ${JSON.stringify(path.join(ROOT, 'data/boilerplate-cues.json'))};
const a = clusters();
const b = clusters();
console.log(JSON.stringify({ fresh: a !== b, same: JSON.stringify(a) === JSON.stringify(b), paths: Object.keys(a.paths).length, cues: Object.keys(cues).length }));
`;

for (const bundle of ['dist/server.js', 'dist/cli.js'] as const) {
  test(`${bundle}: each require of a data file parses it anew, with the same content`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-bundle-data-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      fs.writeFileSync(entry, ENTRY);
      const outfile = path.join(dir, 'out.js');
      const options = bundleOptions({ outdir: dir })[bundle];
      await esbuild.build({ ...options, entryPoints: [entry], outfile, banner: undefined, sourcemap: false, logLevel: 'silent' });
      const run = () => JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { fresh: boolean; same: boolean; paths: number; cues: number };
      const expected = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'data/clusters/ar-clusters.json'), 'utf8')) as { paths: object }).paths).length;
      assert.deepEqual(run(), { fresh: true, same: true, paths: expected, cues: Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'data/boilerplate-cues.json'), 'utf8'))).length });
      const side = path.join(dir, 'data', 'clusters', 'ar-clusters.json');
      if (bundle === 'dist/server.js') {
        // The server's copy reads its data folder: without it, it says which file is missing.
        assert.ok(fs.existsSync(side));
        fs.rmSync(side);
        assert.throws(() => run(), /cannot read its data file .*ar-clusters\.json/);
      } else assert.equal(fs.existsSync(side), false, 'the CLI carries its data inside');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
