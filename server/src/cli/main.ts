/**
 * news-annotator: the same core as the language server, headless, for batch
 * pre-annotation, export and import. Exit codes: 0 success, 1 some inputs
 * could not be processed (each reported on stderr), 2 usage error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ConllScheme, type ExportFormat } from '../protocol';
import { suggest, type AnalysisOptions } from '../core/analyze';
import { CorpusIndex } from '../core/detect/boilerplate/corpusIndex';
import { CorpusNames, detectEntities, EntityDictionary } from '../core/detect/entities';
import { TextIndex } from '../core/text/offsets';
import { exportFiles, listTextFiles, loadDocument, type LoadedDocument } from '../host/corpus';
import { importInto } from './importing';
import { VERSION } from '../version';

const USAGE = `news-annotator — annotate corpora of news articles (plain-text files)

Usage:
  news-annotator annotate [--json] [--labels PER,ORG,LOC,MISC] [--min-confidence 0.5] <files|dirs>...
      Print the entities and boilerplate the detectors flag (offsets: Unicode code points).
  news-annotator export --format ${EXPORT_FORMATS.join('|')} [--scheme iob2|iob1|bioes]
                        [--out DIR] [--include-suggestions] <files|dirs>...
      Write the annotations (accepted ones; with --include-suggestions also the detectors') to DIR
      (default ./annotations-export/<format>).
  news-annotator import --format jsonl|brat|labelstudio|conll [--scheme auto|iob2|iob1|bioes]
                        --into CORPUS_DIR <input>...
      Add annotations from other tools to the sidecars of the corpus files they belong to.

Options:
  --max-size-kb N   refuse files larger than N KB (default 4096)
  -h, --help        show this help
  -v, --version     show the version

Exit codes: 0 success; 1 some files could not be processed; 2 usage error.`;

class UsageError extends Error {}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        labels: { type: 'string' },
        'min-confidence': { type: 'string' },
        format: { type: 'string', short: 'f' },
        scheme: { type: 'string' },
        out: { type: 'string', short: 'o' },
        into: { type: 'string' },
        'include-suggestions': { type: 'boolean' },
        'max-size-kb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    return usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...inputs] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return command || values.help ? 0 : 2;
  }
  const maxBytes = positiveNumber(values['max-size-kb'], 4096, '--max-size-kb') * 1024;
  try {
    switch (command) {
      case 'annotate':
        return annotate(needInputs(inputs), {
          json: !!values.json,
          labels: values.labels?.split(',').map((s) => s.trim()).filter(Boolean),
          minConfidence: values['min-confidence'] !== undefined ? positiveNumber(values['min-confidence'], 0.5, '--min-confidence') : undefined,
          maxBytes,
        });
      case 'export':
        return exportCommand(needInputs(inputs), values.format, values.scheme, values.out, !!values['include-suggestions'], maxBytes);
      case 'import': {
        if (!values.format) throw new UsageError('import needs --format jsonl|brat|labelstudio|conll');
        if (!values.into) throw new UsageError('import needs --into <corpus dir>');
        return importInto(needInputs(inputs), values.format, values.into, values.scheme, maxBytes);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message);
    process.stderr.write(`news-annotator: ${(err as Error).message}\n`);
    return 1;
  }
}

function usage(message: string): number {
  process.stderr.write(`news-annotator: ${message}\nRun "news-annotator --help" for usage.\n`);
  return 2;
}

function needInputs(inputs: string[]): string[] {
  if (!inputs.length) throw new UsageError('no input files or folders given');
  return inputs;
}

function positiveNumber(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

/** Files from the inputs; a missing input is an error the user must see. */
function resolveInputs(inputs: string[]): { files: string[]; missing: string[] } {
  const missing = inputs.filter((i) => !fs.existsSync(i));
  const files = listTextFiles(inputs.filter((i) => fs.existsSync(i)));
  return { files, missing };
}

interface AnnotateOptions {
  json: boolean;
  labels?: string[];
  minConfidence?: number;
  maxBytes: number;
}

function annotate(inputs: string[], opts: AnnotateOptions): number {
  const { files, missing } = resolveInputs(inputs);
  let failures = missing.length;
  for (const m of missing) process.stderr.write(`news-annotator: ${m}: no such file or directory\n`);
  // Two passes: the corpus-wide signals (repeated blocks, names accepted anywhere) need every file first.
  const loaded: LoadedDocument[] = [];
  const corpus = new CorpusIndex();
  const dictionary = new EntityDictionary();
  for (const file of files) {
    const r = loadDocument(file, opts.maxBytes);
    if (!r.ok) {
      process.stderr.write(`news-annotator: ${file}: ${r.message}\n`);
      failures++;
      continue;
    }
    if (r.doc.sidecarMessage) process.stderr.write(`news-annotator: ${file}: sidecar ignored: ${r.doc.sidecarMessage}\n`);
    loaded.push(r.doc);
    corpus.setDocument(file, r.doc.text);
    for (const a of r.doc.annotations) if (a.kind === 'entity' && a.status === 'accepted' && a.label) dictionary.add(a.text, a.label);
  }
  for (const d of loaded) for (const a of d.annotations) if (a.kind === 'entity' && a.status === 'rejected') dictionary.reject(a.text, a.label);
  // As in the editor: names found anywhere in the corpus are suggested where they recur.
  const names = new CorpusNames();
  for (const d of loaded) names.observe(d.file, d.text, detectEntities(d.text, { labels: opts.labels, dictionary }));
  for (const d of loaded) {
    const analysis: AnalysisOptions = {
      entities: { labels: opts.labels, minConfidence: opts.minConfidence, dictionary, corpus: names, corpusDocId: d.file },
      boilerplate: { corpus },
    };
    const index = new TextIndex(d.text);
    const s = suggest(d.text, d.annotations, analysis, index);
    const entities = s.entities.map((e) => ({
      start: index.toCodePoint(e.start),
      end: index.toCodePoint(e.end),
      label: e.label,
      text: d.text.slice(e.start, e.end),
      confidence: round(e.confidence),
      source: e.source,
      line: index.positionAt(e.start).line + 1,
    }));
    const boilerplate = s.boilerplate.map((b) => ({
      start: index.toCodePoint(b.start),
      end: index.toCodePoint(b.end),
      category: b.category,
      reason: b.reason,
      confidence: round(b.confidence),
      lines: [index.positionAt(b.start).line + 1, index.positionAt(b.end).line + 1],
      text: d.text.slice(b.start, b.end),
    }));
    const accepted = d.annotations.filter((a) => a.status === 'accepted').length;
    if (opts.json) {
      process.stdout.write(JSON.stringify({ file: d.file, offsets: 'codepoint', accepted, entities, boilerplate }) + '\n');
      continue;
    }
    process.stdout.write(`${d.file}: ${entities.length} entities, ${boilerplate.length} boilerplate blocks, ${accepted} accepted annotations\n`);
    for (const e of entities) process.stdout.write(`  ${e.line}: ${e.label.padEnd(4)} ${e.text}  (${Math.round(e.confidence * 100)}% ${e.source})\n`);
    for (const b of boilerplate) {
      const where = b.lines[0] === b.lines[1] ? `${b.lines[0]}` : `${b.lines[0]}-${b.lines[1]}`;
      process.stdout.write(`  ${where}: boilerplate ${b.category}: ${clip(b.text)}  [${b.reason}]\n`);
    }
  }
  return failures ? 1 : 0;
}

function exportCommand(inputs: string[], format: string | undefined, scheme: string | undefined, out: string | undefined, includeSuggestions: boolean, maxBytes: number): number {
  if (!format) throw new UsageError(`export needs --format ${EXPORT_FORMATS.join('|')}`);
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new UsageError(`unknown format "${format}"; use one of ${EXPORT_FORMATS.join(', ')}`);
  if (scheme && !['iob2', 'iob1', 'bioes'].includes(scheme)) throw new UsageError(`unknown scheme "${scheme}"; use iob2, iob1 or bioes`);
  const { files, missing } = resolveInputs(inputs);
  for (const m of missing) process.stderr.write(`news-annotator: ${m}: no such file or directory\n`);
  let failures = missing.length;
  const root = commonRoot(inputs.filter((i) => fs.existsSync(i)));
  const corpus = new CorpusIndex();
  if (includeSuggestions) {
    for (const f of files) {
      const r = loadDocument(f, maxBytes);
      if (r.ok) corpus.setDocument(f, r.doc.text);
    }
  }
  const outDir = out ?? path.join(process.cwd(), 'annotations-export', format);
  const result = exportFiles(files, format as ExportFormat, {
    outDir,
    root,
    scheme: scheme as ConllScheme | undefined,
    includeSuggestions,
    analysis: { boilerplate: { corpus } },
    maxBytes,
    onProgress: progressPrinter('exported'),
    onSkip: (file, message) => {
      failures++;
      process.stderr.write(`news-annotator: ${file}: ${message}\n`);
    },
  });
  process.stdout.write(`Exported ${result.annotations} annotations from ${result.documents} documents as ${format} to ${outDir} (${result.files.length} files).\n`);
  return failures ? 1 : 0;
}

/** Progress on stderr, at most every half second, only when a person is watching. */
function progressPrinter(verb: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 500) return;
    last = now;
    process.stderr.write(`\r${verb} ${done} / ${total} documents${done === total ? '\n' : ''}`);
  };
}

function commonRoot(inputs: string[]): string {
  const dirs = inputs.map((i) => {
    const abs = path.resolve(i);
    return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  });
  if (!dirs.length) return process.cwd();
  let root = dirs[0];
  for (const d of dirs) while (root !== path.dirname(root) && !(d === root || d.startsWith(root + path.sep))) root = path.dirname(root);
  return root;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? one.slice(0, 57) + '…' : one;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// `news-annotator annotate corpus/ | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = main(process.argv.slice(2));
