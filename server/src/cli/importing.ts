/**
 * `news-annotator import`: parses annotations made with other tools, finds
 * the corpus file each document belongs to (by name, else by its text), places
 * the spans on that file's text and merges them into its sidecar.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONLL_SCHEMES, type ConllScheme, type TagDefinition } from '../protocol';
import { sha256Hex } from '../core/annotations/sidecar';
import { IMPORT_FORMATS, importAnnotations, type ImportFormat, type ImportedDocument } from '../core/import';
import { listTextFiles, readTextFile } from '../host/corpus';
import { Workspace } from '../host/workspace';
import { importShard, type ImportDocResult, type ImportShard } from './importShards';
import { integer, jobsOption, needInputs, oneOf, parse, requestedLayer, UsageError, type Jobs } from './options';
import { WorkerPool } from './workerPool';

export const IMPORT_USAGE = `news-annotator import --format ${IMPORT_FORMATS.join('|')} [--scheme auto|iob2|iob1|bioes (conll)]
                      --into CORPUS_DIR [--annotator NAME] [--json] [--max-size-kb N] [--jobs N] <input>...
      Add annotations (and document tags) from other tools to the sidecars of the corpus files they belong to
      (by name, else by identical text); with --annotator NAME to that annotator's layers
      (article.txt.ann.NAME.json) instead. --json prints the summary as one JSON object.
      --jobs N places and writes on N processes (default: the number of cores), with the same result.`;

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('import', argv, {
    format: { type: 'string', short: 'f' },
    scheme: { type: 'string' },
    into: { type: 'string' },
    json: { type: 'boolean' },
    'max-size-kb': { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    annotator: { type: 'string' },
  });
  const annotator = requestedLayer({ annotator: values.annotator }) ?? null;
  if (!values.format) throw new UsageError(`import needs --format ${IMPORT_FORMATS.join('|')}`);
  const format = oneOf(values.format, 'import format', IMPORT_FORMATS)!;
  const scheme = oneOf(values.scheme, 'scheme', ['auto', ...CONLL_SCHEMES] as const);
  if (scheme && format !== 'conll') throw new UsageError(`--scheme applies to --format conll only, not ${format}`);
  if (!values.into) throw new UsageError('import needs --into <corpus dir>');
  const maxBytes = (integer(values['max-size-kb'], '--max-size-kb', 1, 1024 * 1024) ?? 4096) * 1024;
  const jobs = jobsOption(values.jobs);
  return importInto(needInputs(positionals), format, values.into, scheme, maxBytes, !!values.json, jobs, annotator);
}

/** Imports into the adjudicated sidecars, or with `annotator` into that annotator's layers. */
export async function importInto(
  inputs: string[],
  format: ImportFormat,
  into: string,
  scheme: ConllScheme | 'auto' | undefined,
  maxBytes: number,
  json = false,
  jobs: Jobs = { count: 1, explicit: true },
  annotator: string | null = null,
): Promise<number> {
  if (!fs.existsSync(into) || !fs.statSync(into).isDirectory()) {
    process.stderr.write(`news-annotator: ${into}: not a folder\n`);
    return 1;
  }
  const files = readInputs(inputs);
  const { documents, problems } = importAnnotations(format, files.read, { scheme: scheme ?? 'auto' });
  let failures = files.failed;
  for (const p of problems) process.stderr.write(`news-annotator: import: ${p}\n`);
  const corpus = new CorpusLookup(into, maxBytes);
  // The corpus' label schema tells how imported tags are shaped (one value or a list).
  const ws = new Workspace({ folders: [into] });
  ws.loadLabelSchema();
  const tagDefs = ws.labels.schema.tags;
  // Where each document goes is decided here; placing and writing is what the jobs share.
  const targets = documents.map((doc) => corpus.find(doc));
  const results = await placeAll(documents, targets, format, maxBytes, jobs, annotator, tagDefs);
  let tagged = 0;
  let placedTotal = 0;
  let unplacedTotal = 0;
  const updated: string[] = [];
  documents.forEach((doc, i) => {
    for (const p of doc.problems) process.stderr.write(`news-annotator: ${doc.name}: ${p}\n`);
    const target = targets[i];
    if (!target) {
      process.stderr.write(`news-annotator: ${doc.name}: no corpus file with this name or text under ${into}; ${doc.annotations.length} annotations not imported\n`);
      unplacedTotal += doc.annotations.length;
      failures++;
      return;
    }
    const r = results.get(i)!;
    for (const m of r.messages) process.stderr.write(`news-annotator: ${m}\n`);
    unplacedTotal += r.unplaced;
    placedTotal += r.imported;
    if (r.tagsChanged) tagged++;
    if (r.failed) failures++;
    if (r.imported || r.tagsChanged) updated.push(target);
  });
  if (json) {
    process.stdout.write(JSON.stringify({ ok: !failures && !unplacedTotal, format, into, annotator, documents: documents.length, imported: placedTotal, tagged, unplaced: unplacedTotal, updated }) + '\n');
  } else {
    const where = annotator === null ? '' : ` (layers of ${annotator})`;
    process.stdout.write(`Imported ${placedTotal} annotations into ${documents.length} documents${where}${tagged ? ` and the tags of ${tagged}` : ''}; ${unplacedTotal} could not be placed.\n`);
  }
  return failures || unplacedTotal ? 1 : 0;
}

/** Without --jobs, an import into fewer corpus files than this runs in one process. */
const AUTO_JOBS_MIN_FILES = 200;

/**
 * Places and writes every document that has a corpus file: in this process,
 * or cut into `jobs` shards, each holding whole groups of documents that go
 * to the same corpus file (in input order).
 */
async function placeAll(
  documents: ImportedDocument[],
  targets: (string | undefined)[],
  format: string,
  maxBytes: number,
  asked: Jobs,
  annotator: string | null,
  tagDefs: readonly TagDefinition[],
): Promise<Map<number, ImportDocResult>> {
  const byTarget = new Map<string, ImportShard['docs']>();
  documents.forEach((doc, index) => {
    const target = targets[index];
    if (!target) return;
    let group = byTarget.get(target);
    if (!group) byTarget.set(target, (group = []));
    group.push({ index, doc, target });
  });
  const groups = [...byTarget.values()];
  // A worker takes about a second to start: without --jobs, small imports stay in this process.
  const jobs = asked.explicit || groups.length >= AUTO_JOBS_MIN_FILES ? asked.count : 1;
  const shards: ImportShard[] = [];
  const per = Math.ceil(groups.length / Math.max(1, Math.min(jobs, groups.length)));
  for (let i = 0; i < groups.length; i += per) shards.push({ format, maxBytes, annotator, tagDefs: [...tagDefs], docs: groups.slice(i, i + per).flat().sort((a, b) => a.index - b.index) });
  const out = new Map<number, ImportDocResult>();
  if (shards.length <= 1) {
    for (const s of shards) for (const r of importShard(s).results) out.set(r.index, r);
    return out;
  }
  const pool = new WorkerPool(shards.length, { inputs: [], values: {} });
  try {
    const all = await Promise.all(shards.map((shard) => pool.run({ type: 'import', shard })));
    for (const a of all) for (const r of a.results) out.set(r.index, r);
  } finally {
    pool.close();
  }
  return out;
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

/** Finds the corpus file of an imported document: by relative name, then by base name, then by identical text. */
class CorpusLookup {
  private readonly files: string[];
  private readonly paths: Set<string>;
  private byText: Map<string, string> | undefined;

  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {
    this.files = listTextFiles([root]);
    this.paths = new Set(this.files);
  }

  find(doc: ImportedDocument): string | undefined {
    const candidates = [doc.name, doc.name.endsWith('.txt') ? doc.name : doc.name + '.txt'];
    for (const c of candidates) {
      const p = path.resolve(this.root, c);
      if (this.paths.has(p)) return p;
    }
    const base = path.basename(candidates[1]);
    const byBase = this.files.filter((f) => path.basename(f) === base);
    if (byBase.length === 1) return byBase[0];
    if (!doc.text) return undefined;
    // Read only when a document's name says nothing: every text of the corpus, once.
    if (!this.byText) {
      this.byText = new Map();
      for (const f of this.files) {
        const r = readTextFile(f, this.maxBytes);
        if (r.ok && !this.byText.has(sha256Hex(r.text))) this.byText.set(sha256Hex(r.text), f);
      }
    }
    return this.byText.get(sha256Hex(doc.text));
  }
}
