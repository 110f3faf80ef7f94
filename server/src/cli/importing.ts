/**
 * `news-annotator import`: parses annotations made with other tools, finds
 * the corpus file each document belongs to (by name, else by its text), places
 * the spans on that file's text and merges them into its sidecar.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONLL_SCHEMES, type ConllScheme, type Sidecar } from '../protocol';
import { createAnnotation } from '../core/annotations/model';
import { emptySidecar, sha256Hex } from '../core/annotations/sidecar';
import { IMPORT_FORMATS, importAnnotations, placeImported, type ImportFormat, type ImportedDocument } from '../core/import';
import { codePointLength } from '../core/text/offsets';
import { listTextFiles, readTextFile } from '../host/corpus';
import { readSidecar, writeSidecarAtomic } from '../host/sidecarFiles';
import { integer, needInputs, oneOf, parse, requestedLayer, UsageError } from './options';

export const IMPORT_USAGE = `news-annotator import --format ${IMPORT_FORMATS.join('|')} [--scheme auto|iob2|iob1|bioes (conll)]
                      --into CORPUS_DIR [--annotator NAME] [--json] [--max-size-kb N] <input>...
      Add annotations from other tools to the sidecars of the corpus files they belong to
      (by name, else by identical text); with --annotator NAME to that annotator's layers
      (article.txt.ann.NAME.json) instead. --json prints the summary as one JSON object.`;

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('import', argv, {
    format: { type: 'string', short: 'f' },
    scheme: { type: 'string' },
    into: { type: 'string' },
    json: { type: 'boolean' },
    'max-size-kb': { type: 'string' },
    annotator: { type: 'string' },
  });
  const annotator = requestedLayer({ annotator: values.annotator }) ?? null;
  if (!values.format) throw new UsageError(`import needs --format ${IMPORT_FORMATS.join('|')}`);
  const format = oneOf(values.format, 'import format', IMPORT_FORMATS)!;
  const scheme = oneOf(values.scheme, 'scheme', ['auto', ...CONLL_SCHEMES] as const);
  if (scheme && format !== 'conll') throw new UsageError(`--scheme applies to --format conll only, not ${format}`);
  if (!values.into) throw new UsageError('import needs --into <corpus dir>');
  const maxBytes = (integer(values['max-size-kb'], '--max-size-kb', 1, 1024 * 1024) ?? 4096) * 1024;
  return importInto(needInputs(positionals), format, values.into, scheme, maxBytes, !!values.json, annotator);
}

/** Imports into the adjudicated sidecars, or with `annotator` into that annotator's layers. */
export function importInto(inputs: string[], format: ImportFormat, into: string, scheme: ConllScheme | 'auto' | undefined, maxBytes: number, json = false, annotator: string | null = null): number {
  if (!fs.existsSync(into) || !fs.statSync(into).isDirectory()) {
    process.stderr.write(`news-annotator: ${into}: not a folder\n`);
    return 1;
  }
  const files = readInputs(inputs);
  const { documents, problems } = importAnnotations(format, files.read, { scheme: scheme ?? 'auto' });
  let failures = files.failed;
  for (const p of problems) process.stderr.write(`news-annotator: import: ${p}\n`);
  const corpus = corpusFiles(into, maxBytes);
  let placedTotal = 0;
  let unplacedTotal = 0;
  const updated: string[] = [];
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
      const added = mergeIntoSidecar(target.file, target.text, annotations, format, annotator);
      placedTotal += added;
      if (added) updated.push(target.file);
    } catch (err) {
      process.stderr.write(`news-annotator: ${target.file}: ${(err as Error).message}\n`);
      failures++;
    }
  }
  if (json) {
    process.stdout.write(JSON.stringify({ ok: !failures && !unplacedTotal, format, into, annotator, documents: documents.length, imported: placedTotal, unplaced: unplacedTotal, updated }) + '\n');
  } else {
    const where = annotator === null ? '' : ` (layers of ${annotator})`;
    process.stdout.write(`Imported ${placedTotal} annotations into ${documents.length} documents${where}; ${unplacedTotal} could not be placed.\n`);
  }
  return failures || unplacedTotal ? 1 : 0;
}

/** The import files; a missing or unreadable one is named on stderr and counted, the rest are still read. */
function readInputs(inputs: string[]): { read: { path: string; content: string }[]; failed: number } {
  const read: { path: string; content: string }[] = [];
  let failed = 0;
  const report = (p: string, message: string): void => {
    failed++;
    process.stderr.write(`news-annotator: ${p}: ${message}\n`);
  };
  const paths = listTextFiles(inputs, ['.jsonl', '.json', '.ann', '.txt', '.conll', '.tsv', '.iob', '.bio'], Infinity, report);
  for (const p of paths) {
    try {
      read.push({ path: p, content: fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '') });
    } catch (err) {
      report(p, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return { read, failed };
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

function mergeIntoSidecar(file: string, text: string, spans: ImportedDocument['annotations'], format: string, annotator: string | null): number {
  const who = annotator ?? undefined;
  const state = readSidecar(file, who);
  if (state.status === 'damaged' || state.status === 'newer') throw new Error(`${annotator === null ? 'sidecar' : `layer of ${annotator}`} left untouched: ${state.message}`);
  const base: Sidecar | null = state.status === 'ok' ? state.sidecar : null;
  const sidecar: Sidecar = base ? { ...base, annotations: base.annotations.slice() } : { ...emptySidecar(path.basename(file), text), ...(who ? { annotator: who } : {}) };
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
  if (added) writeSidecarAtomic(file, sidecar, { fingerprint: state.status === 'ok' ? state.fingerprint : null, sidecar: base }, { text, annotator: who });
  return added;
}
