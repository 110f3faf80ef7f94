/**
 * `news-annotator import`: parses annotations made with other tools, finds
 * the corpus file each document belongs to (by name, else by its text), places
 * the spans on that file's text and merges them into its sidecar.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConllScheme, Sidecar } from '../protocol';
import { createAnnotation } from '../core/annotations/model';
import { emptySidecar, sha256Hex } from '../core/annotations/sidecar';
import { importAnnotations, placeImported, type ImportFormat, type ImportedDocument } from '../core/import';
import { codePointLength } from '../core/text/offsets';
import { listTextFiles, readTextFile } from '../host/corpus';
import { readSidecar, writeSidecarAtomic } from '../host/sidecarFiles';

const FORMATS: ImportFormat[] = ['jsonl', 'brat', 'labelstudio', 'conll'];

export function importInto(inputs: string[], format: string, into: string, scheme: string | undefined, maxBytes: number): number {
  if (!FORMATS.includes(format as ImportFormat)) throw new Error(`unknown import format "${format}"; use one of ${FORMATS.join(', ')}`);
  if (scheme && !['auto', 'iob2', 'iob1', 'bioes'].includes(scheme)) throw new Error(`unknown scheme "${scheme}"`);
  if (!fs.existsSync(into) || !fs.statSync(into).isDirectory()) throw new Error(`${into}: not a folder`);
  const files = readInputs(inputs);
  const { documents, problems } = importAnnotations(format as ImportFormat, files, { scheme: (scheme ?? 'auto') as ConllScheme | 'auto' });
  let failures = 0;
  for (const p of problems) process.stderr.write(`news-annotator: import: ${p}\n`);
  const corpus = corpusFiles(into, maxBytes);
  let placedTotal = 0;
  let unplacedTotal = 0;
  for (const doc of documents) {
    for (const p of doc.problems) process.stderr.write(`news-annotator: ${doc.name}: ${p}\n`);
    const target = findTarget(doc, into, corpus);
    if (!target) {
      process.stderr.write(`news-annotator: ${doc.name}: no corpus file with this name or text under ${into}; ${doc.annotations.length} annotations not imported\n`);
      unplacedTotal += doc.annotations.length;
      failures++;
      continue;
    }
    const { annotations, unplaced } = placeImported(target.text, doc);
    for (const u of unplaced) process.stderr.write(`news-annotator: ${doc.name}: could not place ${JSON.stringify(u)}\n`);
    unplacedTotal += unplaced.length;
    try {
      placedTotal += mergeIntoSidecar(target.file, target.text, annotations, format);
    } catch (err) {
      process.stderr.write(`news-annotator: ${target.file}: ${(err as Error).message}\n`);
      failures++;
    }
  }
  process.stdout.write(`Imported ${placedTotal} annotations into ${documents.length} documents; ${unplacedTotal} could not be placed.\n`);
  return failures || unplacedTotal ? 1 : 0;
}

function readInputs(inputs: string[]): { path: string; content: string }[] {
  const out: { path: string; content: string }[] = [];
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new Error(`${input}: no such file or directory`);
    const paths = fs.statSync(input).isDirectory() ? listTextFiles([input], ['.jsonl', '.json', '.ann', '.txt', '.conll', '.tsv', '.iob', '.bio']) : [input];
    for (const p of paths) out.push({ path: p, content: fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '') });
  }
  return out;
}

interface CorpusFile {
  file: string;
  text: string;
}

function corpusFiles(root: string, maxBytes: number): Map<string, CorpusFile> {
  const m = new Map<string, CorpusFile>();
  for (const file of listTextFiles([root])) {
    const r = readTextFile(file, maxBytes);
    if (r.ok) m.set(file, { file, text: r.text });
  }
  return m;
}

/** By relative name, then by base name, then by identical text. */
function findTarget(doc: ImportedDocument, root: string, corpus: Map<string, CorpusFile>): CorpusFile | undefined {
  const candidates = [doc.name, doc.name.endsWith('.txt') ? doc.name : doc.name + '.txt'];
  for (const c of candidates) {
    const hit = corpus.get(path.resolve(root, c));
    if (hit) return hit;
  }
  const base = path.basename(candidates[1]);
  const byBase = [...corpus.values()].filter((f) => path.basename(f.file) === base);
  if (byBase.length === 1) return byBase[0];
  if (doc.text) {
    const h = sha256Hex(doc.text);
    for (const f of corpus.values()) if (sha256Hex(f.text) === h) return f;
  }
  return undefined;
}

function mergeIntoSidecar(file: string, text: string, spans: ImportedDocument['annotations'], format: string): number {
  const state = readSidecar(file);
  if (state.status === 'damaged' || state.status === 'newer') throw new Error(`sidecar left untouched: ${state.message}`);
  const base: Sidecar | null = state.status === 'ok' ? state.sidecar : null;
  const sidecar: Sidecar = base ? { ...base, annotations: base.annotations.slice() } : emptySidecar(path.basename(file), text);
  sidecar.document = { path: path.basename(file), sha256: sha256Hex(text), length: codePointLength(text) };
  let added = 0;
  for (const s of spans) {
    const dup = sidecar.annotations.some((a) => a.start === s.start && a.end === s.end && a.kind === s.kind && a.label === s.label && a.category === s.category);
    if (dup) continue;
    sidecar.annotations.push(
      createAnnotation(text, s.start, s.end, { kind: s.kind, label: s.label, category: s.category, status: 'accepted', source: `import:${format}` }),
    );
    added++;
  }
  if (added) writeSidecarAtomic(file, sidecar, { fingerprint: state.status === 'ok' ? state.fingerprint : null, sidecar: base }, { text });
  return added;
}
