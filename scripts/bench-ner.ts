/**
 * Entity tagging and full-analysis speed, before and after, in one run (prints figures;
 * nothing is asserted). The code of an earlier commit (default: the last one before the
 * issue-13 entity work, BASELINE below) is extracted next to this checkout, and the two
 * are measured in alternating fresh processes (bench-ner-worker.ts), so that the drift of
 * a shared host hits both alike; the ratios after/before are the figures to read.
 *   node --import tsx scripts/bench-ner.ts [dir] [--against REF] [--rounds N] [--no-compare]
 * dir: a folder of .txt articles (default ANERcorp dev, ../shared/eval/ner-dev).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { numberOption, runScript, UsageError } from './ner-data';
import { sharedDir } from './shared-dir';

/** main before issue 13 (Arabic entities): clusters, gazetteer features and AQMAR came after it. */
const BASELINE = 'e1e58af';

const USAGE = 'node --import tsx scripts/bench-ner.ts [dir] [--against REF] [--rounds N] [--no-compare]';

interface Figures {
  loadMs: number;
  modelHeapMB: number;
  firstCallMs: number;
  tokensPerSecond: number;
  mbPerSecond: number;
  entitiesPerCorpus: number;
  articleBytes: number;
  articleEntitiesMs: number;
  articleFullMs: number;
}

const root = path.resolve(__dirname, '..');

function measure(tree: string, texts: string): Figures {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench-ner-worker.ts'), '--root', tree, '--texts', texts], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`the measurement of ${tree} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
}

/** The sources and data of `ref`, extracted into a temporary folder that shares this checkout's node_modules. */
function extract(ref: string): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-bench-ner-'));
  try {
    const tar = execFileSync('git', ['archive', '--format=tar', ref, 'server', 'data', 'package.json', 'tsconfig.json'], { cwd: root, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  } catch (err) {
    console.log(`(cannot extract ${ref}: ${(err as Error).message.split('\n')[0]}; measuring this checkout only)`);
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

runScript(USAGE, () => {
  const { values: opt, positionals } = parseArgs({
    options: { against: { type: 'string' }, rounds: { type: 'string' }, 'no-compare': { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError(`one folder of articles at most (got ${positionals.join(', ')})`);
  const texts = path.resolve(positionals[0] ?? sharedDir('eval', 'ner-dev'));
  if (!fs.existsSync(texts)) throw new UsageError(`no such folder: ${texts}`);
  const rounds = numberOption('rounds', opt.rounds, 3, 1);
  const ref = opt.against ?? BASELINE;
  const base = opt['no-compare'] ? undefined : extract(ref);
  const after: Figures[] = [];
  const before: Figures[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always meets a warmer or colder host.
      const order = r % 2 ? ['before', 'after'] : ['after', 'before'];
      for (const which of order) {
        if (which === 'after') after.push(measure(root, texts));
        else if (base) before.push(measure(base, texts));
      }
      console.log(`round ${r + 1}/${rounds}: 10 KB article, full analysis ${after[r].articleFullMs.toFixed(2)} ms${base ? ` (before: ${before[r].articleFullMs.toFixed(2)} ms)` : ''}`);
    }
  } finally {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  }
  const a = after[0];
  console.log(`\ntexts: ${texts} (${a.entitiesPerCorpus} entities found); article: ${a.articleBytes} bytes`);
  const rows: [string, keyof Figures, string][] = [
    ['10 KB article, full analysis (entities + boilerplate)', 'articleFullMs', 'ms'],
    ['10 KB article, entities only', 'articleEntitiesMs', 'ms'],
    ['entity tagging throughput', 'tokensPerSecond', 'tokens/s'],
    ['model load', 'loadMs', 'ms'],
    ['model heap', 'modelHeapMB', 'MB'],
    ['first call (gazetteer, lexicon, clusters)', 'firstCallMs', 'ms'],
  ];
  console.log(`median of ${rounds} fresh processes each${base ? `; before = ${ref}, ratio = after / before per round (median, range)` : ''}`);
  for (const [label, key, unit] of rows) {
    const now = median(after.map((f) => f[key]));
    let line = `${label.padEnd(54)} ${now.toFixed(unit === 'tokens/s' ? 0 : 2).padStart(9)} ${unit}`;
    if (base) {
      const ratios = after.map((f, i) => f[key] / before[i][key]);
      line += `   before ${median(before.map((f) => f[key])).toFixed(unit === 'tokens/s' ? 0 : 2).padStart(9)}   ratio ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
    }
    console.log(line);
  }
});
