/**
 * Throughput of the boilerplate detector (printed figures, no assertions):
 *  - classifier MB/s over the real dev pages (../shared/eval/boilerplate-dev),
 *  - ms per 10 KB article,
 *  - corpus indexing throughput on a generated corpus of 10,000+ documents,
 *    and the cost of detection with that corpus attached.
 *
 *   node --import tsx scripts/bench-boilerplate.ts [dir] [--docs N]
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CorpusIndex, detectBoilerplate } from '../server/src/core/detect/boilerplate/index';

const args = process.argv.slice(2);
const docsArg = args.indexOf('--docs');
const nDocs = docsArg >= 0 ? Number(args[docsArg + 1]) : 10_000;
const root = resolve(__dirname, '..');
const dir = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--docs') ?? join(root, '..', 'shared', 'eval', 'boilerplate-dev'));

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// --- real pages --------------------------------------------------------------
let pages: string[] = [];
if (existsSync(dir)) {
  pages = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}
if (pages.length === 0) {
  console.log(`(no pages in ${dir}; using the test fixture)`);
  pages = [readFileSync(join(root, 'test', 'fixtures', 'samples', '000_f74c9c0780b14a3d.txt'), 'utf8')];
}
const utf8Bytes = pages.reduce((a, p) => a + Buffer.byteLength(p, 'utf8'), 0);
for (const p of pages) detectBoilerplate(p); // warm-up: JIT, stoplists, cue index
const rounds = 5;
const ms = time(() => {
  for (let r = 0; r < rounds; r++) for (const p of pages) detectBoilerplate(p);
});
console.log(`classifier on ${pages.length} real pages (${(utf8Bytes / 1e3).toFixed(0)} KB UTF-8), ${rounds} rounds:`);
console.log(`  ${((utf8Bytes * rounds) / 1e6 / (ms / 1000)).toFixed(2)} MB/s (UTF-8 input), ${(ms / rounds / pages.length).toFixed(2)} ms/page`);

// --- 10 KB article -----------------------------------------------------------
const tenK = pages
  .map((p) => ({ p, d: Math.abs(Buffer.byteLength(p, 'utf8') - 10_000) }))
  .sort((a, b) => a.d - b.d)
  .slice(0, 10)
  .map((x) => x.p);
for (const p of tenK) detectBoilerplate(p);
const reps = 50;
const tenKms = time(() => {
  for (let r = 0; r < reps; r++) for (const p of tenK) detectBoilerplate(p);
});
const avgBytes = tenK.reduce((a, p) => a + Buffer.byteLength(p, 'utf8'), 0) / tenK.length;
const perArticle = tenKms / reps / tenK.length;
console.log(`10 KB article (the ${tenK.length} real pages nearest 10 KB, avg ${(avgBytes / 1e3).toFixed(1)} KB): ${perArticle.toFixed(2)} ms each, ${((perArticle * 10_000) / avgBytes).toFixed(2)} ms per 10 KB`);

// --- generated corpus ----------------------------------------------------------
// Deterministic generator: each document = site chrome shared by its site
// (menus, footer) + unique article paragraphs of pseudo-words.
let seed = 42;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const syll = ['ka', 'lo', 'mi', 'ra', 'sen', 'tu', 'vel', 'dor', 'an', 'is', 'qu', 'pe', 'zor', 'ul', 'bra', 'nek'];
const word = (): string => {
  let w = '';
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) w += syll[Math.floor(rand() * syll.length)];
  return w;
};
const sentence = (n: number): string => {
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(word());
  const s = ws.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
};
const sites = Array.from({ length: 50 }, (_, s) => ({
  menu: Array.from({ length: 12 }, () => word()[0]!.toUpperCase() + word()),
  footer: [`© 2024 Site ${s}. All rights reserved.`, `Follow Site ${s} on Telegram`, sentence(12)],
}));
const corpusDocs: [string, string][] = [];
let corpusChars = 0;
for (let d = 0; d < nDocs; d++) {
  const site = sites[d % sites.length]!;
  const parts = [...site.menu, '', sentence(8), ''];
  const paras = 4 + Math.floor(rand() * 6);
  for (let p = 0; p < paras; p++) parts.push(sentence(15 + Math.floor(rand() * 25)), '');
  parts.push(...site.footer);
  const text = parts.join('\n');
  corpusDocs.push([`doc${d}.txt`, text]);
  corpusChars += text.length;
}
const corpus = new CorpusIndex();
const idxMs = time(() => {
  for (const [id, t] of corpusDocs) corpus.setDocument(id, t);
});
console.log(`corpus indexing: ${nDocs} generated documents (${(corpusChars / 1e6).toFixed(1)} M chars) in ${idxMs.toFixed(0)} ms → ${(nDocs / (idxMs / 1000)).toFixed(0)} docs/s, ${(corpusChars / 1e6 / (idxMs / 1000)).toFixed(1)} M chars/s`);
const reMs = time(() => {
  for (let d = 0; d < 1000; d++) corpus.setDocument(corpusDocs[d]![0], corpusDocs[d]![1]);
});
console.log(`  re-indexing 1,000 changed documents: ${reMs.toFixed(0)} ms`);
const sampleDocs = corpusDocs.slice(0, 500).map((x) => x[1]);
const withCorpus = time(() => {
  for (const t of sampleDocs) detectBoilerplate(t, { corpus });
});
const flagged = detectBoilerplate(sampleDocs[0]!, { corpus }).filter((b) => b.category === 'repeated').length;
console.log(`detection with the ${corpus.size}-document index attached: ${(withCorpus / sampleDocs.length).toFixed(2)} ms/doc (${flagged} repeated blocks in doc0)`);
console.log("(MB/s counts the UTF-8 bytes of the input files.)");
