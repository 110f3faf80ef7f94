/**
 * Before/after of each detector in alternating fresh processes (prints figures; asserts
 * nothing). bench-compare.ts times both revisions in one process, which is quick but lets
 * each disturb the other (the two copies share the heap, the garbage collector and the
 * processor's caches: on 2026-12-03 it showed the boilerplate detector 1.05-1.10x slower
 * where fresh processes showed it 0.63-0.91x). Here every measurement is a process of its
 * own (bench-fresh-worker.ts, bundled with each revision's detectors by esbuild as the
 * server and the CLI are: run through tsx instead, every call between modules goes through
 * an export getter, which made the new boilerplate loops look 1.2x slower than the old
 * expressions where the bundles give 0.75-0.87x), the two revisions alternate, and the
 * figure to read is the median of the ratios of each pair.
 *   node --import tsx scripts/bench-fresh.ts [--against REF] [--rounds N]   (default: e45e507, 5 rounds; ~6 min)
 * Texts: five articles of each language, consecutive documents of ../shared/eval/ner-en-dev
 * and ner-dev joined up to 10 KB (as bench-compare.ts takes them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { articles, checkoutOf, median } from './bench-revisions';
import { sharedDir } from './shared-dir';

const { values } = parseArgs({ options: { against: { type: 'string', default: 'e45e507' }, rounds: { type: 'string', default: '5' } }, strict: true });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds wants a whole number, not ${values.rounds}`);
const root = path.resolve(__dirname, '..');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fresh-'));
const before = checkoutOf(values.against!);
try {
  fs.mkdirSync(path.join(before, 'scripts'));
  fs.copyFileSync(path.join(__dirname, 'bench-fresh-worker.ts'), path.join(before, 'scripts', 'bench-fresh-worker.ts'));
  const bundles = { before: path.join(tmp, 'before.js'), after: path.join(tmp, 'after.js') };
  for (const [tree, out] of [[before, bundles.before], [root, bundles.after]] as const) {
    esbuild.buildSync({ entryPoints: [path.join(tree, 'scripts', 'bench-fresh-worker.ts')], bundle: true, platform: 'node', target: 'node20', outfile: out, logLevel: 'warning', nodePaths: [path.join(root, 'node_modules')] });
  }
  const files = { en: path.join(tmp, 'en.json'), ar: path.join(tmp, 'ar.json') };
  fs.writeFileSync(files.en, JSON.stringify(articles(sharedDir('eval', 'ner-en-dev'), 5)));
  fs.writeFileSync(files.ar, JSON.stringify(articles(sharedDir('eval', 'ner-dev'), 5)));
  const measure = (bundle: string, what: string, lang: 'en' | 'ar'): number => {
    const r = spawnSync(process.execPath, [bundle, '--what', what, '--texts', files[lang]], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the measurement of ${what} (${lang}) by ${bundle} failed:\n${r.stderr}`);
    return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { msPer10KiB: number }).msPer10KiB;
  };
  const cases: [string, string, 'en' | 'ar'][] = [
    ['full analysis, English articles', 'full', 'en'],
    ['full analysis, Arabic articles', 'full', 'ar'],
    ['entities, English articles', 'entities', 'en'],
    ['  of which the English tagger', 'english', 'en'],
    ['entities, Arabic articles', 'entities', 'ar'],
    ['boilerplate, English articles', 'boilerplate', 'en'],
    ['boilerplate, Arabic articles', 'boilerplate', 'ar'],
  ];
  const rev = execFileSync('git', ['-C', root, 'rev-parse', '--short', values.against!], { encoding: 'utf8' }).trim();
  console.log(`before: ${values.against} (${rev}); after: this checkout. ${rounds} rounds of alternating fresh processes (the order flips every round); ms per 10 KiB, medians; ratio: median of the paired after/before.`);
  const after: Record<string, number> = {};
  for (const [name, what, lang] of cases) {
    const b: number[] = [];
    const a: number[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2) (a.push(measure(bundles.after, what, lang)), b.push(measure(bundles.before, what, lang)));
      else (b.push(measure(bundles.before, what, lang)), a.push(measure(bundles.after, what, lang)));
    }
    const ratios = a.map((x, i) => x / b[i]!).sort((x, y) => x - y);
    after[what + lang] = median(a);
    console.log(`${name.padEnd(34)} before ${median(b).toFixed(2).padStart(6)}  after ${median(a).toFixed(2).padStart(6)}  ratio ${median(ratios).toFixed(2)} (${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)})`);
  }
  // English against Arabic per byte (issue 13 wants at most 1): the two medians above come from
  // different minutes of a shared, noisy host, so each revision's figure is measured again as
  // pairs of back-to-back processes (English, Arabic; the order flips every round), and the
  // median of the pairs' ratios is read.
  const perByte = (bundle: string): string => {
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let en: number, ar: number;
      if (r % 2) (en = measure(bundle, 'full', 'en')), (ar = measure(bundle, 'full', 'ar'));
      else (ar = measure(bundle, 'full', 'ar')), (en = measure(bundle, 'full', 'en'));
      ratios.push(en / ar);
    }
    ratios.sort((x, y) => x - y);
    return `${median(ratios).toFixed(2)} (${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)})`;
  };
  console.log(`English ÷ Arabic full analysis per byte (medians above): after ${(after.fullen! / after.fullar!).toFixed(2)}`);
  console.log(`English ÷ Arabic full analysis per byte (${rounds} back-to-back pairs each): before ${perByte(bundles.before)}, after ${perByte(bundles.after)}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(before, { recursive: true, force: true });
}
