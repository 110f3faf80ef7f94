/**
 * Speed of `news-annotator agree` (printed figures, no assertions): a
 * generated corpus of documents of ~10 KB, each with three annotator layers
 * marked done that disagree here and there (a span dropped, a boundary moved,
 * a label changed), scored in-process the way the CLI does (listing, reading
 * and parsing every layer, re-anchoring check, spans, tokens, coefficients).
 * Then the adjudication queue's work on the same corpus: comparing every
 * document's layers against its adjudicated sidecar (read from disk, as when
 * the queue is first shown), and checking that nothing changed (the sizes and
 * times of the files, as on every later refresh).
 *
 *   node --import tsx scripts/bench-agree.ts [--docs N]   (default 1,000)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgree } from '../server/src/cli/agree';
import { compareLayers, openDisagreements, type LayerReading } from '../server/src/core/adjudication/disagreements';
import { readTextFile } from '../server/src/host/corpus';
import { LayerFolder, loadLayers, readPlacedLayer } from '../server/src/host/layers';
import { signatureOf } from '../server/src/lsp/adjudicationQueue';
import { createAnnotation } from '../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../server/src/core/annotations/sidecar';
import type { Sidecar, SidecarAnnotation } from '../server/src/protocol';

const args = process.argv.slice(2);
const docsArg = args.indexOf('--docs');
const nDocs = docsArg >= 0 ? Number(args[docsArg + 1]) : 1_000;
const ANNOTATORS = ['alice', 'bob', 'carol'];
const LABELS = ['PER', 'ORG', 'LOC', 'MISC'];

let seed = 7;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const syll = ['ka', 'lo', 'mi', 'ra', 'sen', 'tu', 'vel', 'dor', 'an', 'is', 'pe', 'zor', 'ul', 'bra', 'nek'];
const word = (cap = false): string => {
  let w = '';
  for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) w += pick(syll);
  return cap ? w[0].toUpperCase() + w.slice(1) : w;
};

/** ~10 KB of sentences; every tenth word is a one- or two-word name with a gold label. */
function makeDocument(): { text: string; names: { start: number; end: number; label: string }[] } {
  let text = '';
  const names: { start: number; end: number; label: string }[] = [];
  while (text.length < 10_000) {
    const words: string[] = [];
    for (let i = 0, n = 8 + Math.floor(rand() * 12); i < n; i++) {
      if (rand() < 0.1) {
        const name = rand() < 0.5 ? word(true) : `${word(true)} ${word(true)}`;
        const start = text.length + words.join(' ').length + (words.length ? 1 : 0);
        names.push({ start, end: start + name.length, label: pick(LABELS) });
        words.push(name);
      } else words.push(word());
    }
    text += words.join(' ') + (rand() < 0.2 ? '.\n' : '. ');
  }
  return { text, names };
}

function layerOf(file: string, text: string, annotator: string, names: { start: number; end: number; label: string }[], now: Date): Sidecar {
  const anns: SidecarAnnotation[] = [];
  for (const n of names) {
    const r = rand();
    if (r < 0.05) continue; // missed
    let { start, end, label } = n;
    if (r < 0.1 && text.indexOf(' ', start) > start && text.indexOf(' ', start) < end) end = text.indexOf(' ', start); // boundary
    else if (r < 0.15) label = pick(LABELS); // label
    anns.push(createAnnotation(text, start, end, { kind: 'entity', label, status: 'accepted', source: 'user' }, now));
  }
  return { ...emptySidecar(file, text), annotator, review: { status: 'done', modified: now.toISOString() }, annotations: anns };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-agree-'));
try {
  const now = new Date('2026-03-01T00:00:00.000Z');
  let bytes = 0;
  for (let d = 0; d < nDocs; d++) {
    const { text, names } = makeDocument();
    const file = path.join(dir, `doc${String(d).padStart(5, '0')}.txt`);
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    for (const a of ANNOTATORS) fs.writeFileSync(`${file}.ann.${a}.json`, serializeSidecar(layerOf(file, text, a, names, now)));
  }
  const sink = { stdout: () => undefined, stderr: (t: string) => process.stderr.write(t) };
  const options = { inputs: [dir], format: 'json' as const, all: false, maxBytes: 4096 * 1024 };
  runAgree({ ...options, inputs: [path.join(dir, 'doc00000.txt')] }, sink); // warm-up
  const times: number[] = [];
  let json = '';
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    runAgree(options, { ...sink, stdout: (t) => (json = t) });
    times.push(performance.now() - t0);
  }
  const ms = times.sort((a, b) => a - b)[1];
  const out = JSON.parse(json);
  console.log(
    `agree on ${nDocs.toLocaleString('en-US')} documents of ~10 KB (${(bytes / 1e6).toFixed(1)} MB), ${ANNOTATORS.length} layers each, ` +
      `${out.entity.tokens.krippendorff.units.toLocaleString('en-US')} tokens:`,
  );
  console.log(`  ${(ms / 1000).toFixed(2)} s (median of 3), ${((nDocs * 1000) / ms).toFixed(0)} documents/s, ${(bytes / 1e3 / ms).toFixed(2)} MB/s of text`);
  console.log(`  (figures of the generated disagreement: entity span F1 ${out.entity.spans.allPairs.micro.f1.toFixed(3)}, Fleiss κ ${out.entity.tokens.fleiss.kappa.toFixed(3)})`);

  // The adjudication queue: every document compared from disk (cold), then only its files' signatures (warm).
  const files = fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort().map((n) => path.join(dir, n));
  const cold: number[] = [];
  const warm: number[] = [];
  let open = 0;
  for (let r = 0; r < 3; r++) {
    let t0 = performance.now();
    open = 0;
    const folder = new LayerFolder(dir);
    for (const file of files) {
      const read = readTextFile(file);
      if (!read.ok) continue;
      const readings: LayerReading[] = loadLayers(file, read.text, folder.layersOf(path.basename(file))).map((l) => ({ annotator: l.annotator, annotations: l.annotations }));
      open += openDisagreements(compareLayers(readings), readPlacedLayer(file, read.text, null).annotations).length;
    }
    cold.push(performance.now() - t0);
    t0 = performance.now();
    const again = new LayerFolder(dir);
    for (const file of files) signatureOf(file, again.layersOf(path.basename(file)));
    warm.push(performance.now() - t0);
  }
  const coldMs = cold.sort((a, b) => a - b)[1];
  const warmMs = warm.sort((a, b) => a - b)[1];
  console.log(`adjudication queue on the same ${nDocs.toLocaleString('en-US')} documents (${open.toLocaleString('en-US')} open disagreements):`);
  console.log(`  first listing (read and compare every document): ${(coldMs / 1000).toFixed(2)} s, ${((nDocs * 1000) / coldMs).toFixed(0)} documents/s`);
  console.log(`  later listings (nothing changed: file sizes and times only): ${warmMs.toFixed(0)} ms; the first is ${(coldMs / warmMs).toFixed(0)}× slower`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
