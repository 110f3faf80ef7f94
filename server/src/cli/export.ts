/** `news-annotator export`: the corpus' annotations in a format other tools read. */
import * as path from 'node:path';
import { CONLL_SCHEMES, EXPORT_FORMATS, type ExportFormat, type TagDefinition } from '../protocol';
import { createExporter } from '../core/export';
import { isRecordFormat, RECORD_FORMATS } from '../core/export/records';
import { checkDamaged, checkExport, ExportRefused, FolderWriter } from '../host/export';
import { fileParts, jsonlParts, listInputFiles } from './inputs';
import type { Part } from './documents';
import { chooseCliLayer, commonRoot, CORPUS_OPTIONS, DETECTOR_OPTIONS, jobsOption, LAYER_OPTIONS, loadCorpusStats, needInputs, noLayerWithJsonl, oneOf, openWorkspace, parse, progressPrinter, STREAM_OPTIONS, UsageError } from './options';
import { overwritesInput, TextOutput } from './output';
import type { Message, Sink } from './passes';
import { runTask } from './runner';
import { lazyFolder } from './spoolFile';

export const EXPORT_USAGE = `news-annotator export --format ${EXPORT_FORMATS.join('|')} [--scheme iob2|iob1|bioes (conll)]
                      [--out DIR|-] [--include-suggestions] [--include-excluded] [--skip-damaged] [--json] [--jobs N] [--annotator NAME | --adjudicated]
                      [--jsonl] [--corpus-stats FILE] [--labels …] [--min-confidence X] [--max-size-kb N]
                      [--settings FILE] <files|dirs|->...
      Write the annotations (accepted ones; with --include-suggestions also the detectors', as the editor
      shows them) to DIR (default ./annotations-export/<format>), or with --out - to standard output
      (single-file formats and text). Refuses to write into the corpus, and refuses when a sidecar cannot
      be read unless --skip-damaged (then it names what it left out). The layer exported: --annotator NAME
      (article.txt.ann.NAME.json), --adjudicated (article.txt.ann.json), by default the adjudicated one, or
      the only annotator layer there is when no document has an adjudicated sidecar. Documents tagged
      "exclude": true are left out (and counted) unless --include-excluded. --json prints the
      summary as one JSON object. --jsonl: the inputs are JSON Lines files of records {"id", "text", "annotations"?}
      (- = standard input) and each record gives one line {"id", …} in --format ${RECORD_FORMATS.join('|')},
      to standard output or --out FILE. --jobs N: N processes, the same output
      (default: the number of cores, one for less than 1 MB). --corpus-stats: the statistics of the whole corpus (news-annotator index).`;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    format: { type: 'string', short: 'f' },
    scheme: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'include-suggestions': { type: 'boolean' },
    'skip-damaged': { type: 'boolean' },
    'include-excluded': { type: 'boolean' },
    json: { type: 'boolean' },
    'corpus-stats': { type: 'string' },
    ...STREAM_OPTIONS,
    ...LAYER_OPTIONS,
    ...DETECTOR_OPTIONS,
    ...CORPUS_OPTIONS,
  });
  noLayerWithJsonl(values);
  if (!values.format) throw new UsageError(`export needs --format ${EXPORT_FORMATS.join('|')}`);
  const format = oneOf(values.format, 'format', EXPORT_FORMATS) as ExportFormat;
  const scheme = oneOf(values.scheme, 'scheme', CONLL_SCHEMES);
  if (scheme && format !== 'conll') throw new UsageError(`--scheme applies to --format conll only, not ${format}`);
  // Cleaned text without the detector's boilerplate would be the raw text: suggestions are its content.
  const includeSuggestions = !!values['include-suggestions'] || format === 'text';
  if ((values.labels !== undefined || values['min-confidence'] !== undefined) && !includeSuggestions) {
    throw new UsageError('--labels and --min-confidence shape suggestions: use them with --include-suggestions');
  }
  if (values['corpus-stats'] !== undefined && !includeSuggestions) throw new UsageError('--corpus-stats shapes suggestions: use it with --include-suggestions');
  const jsonl = !!values.jsonl;
  if (jsonl && !isRecordFormat(format)) throw new UsageError(`--jsonl writes one record per document: use --format ${RECORD_FORMATS.join('|')}, not ${format}`);
  if (jsonl && values['skip-damaged']) throw new UsageError('--skip-damaged is about sidecars; JSON Lines records carry their annotations');
  const out = values.out ?? (jsonl ? '-' : path.join(process.cwd(), 'annotations-export', format));
  if (out === '-' && format === 'brat' && !jsonl) throw new UsageError('--format brat writes two files per document: give --out a folder');
  const inputs = needInputs(positionals);
  const asked = jobsOption(values.jobs);
  const toStdout = out === '-';
  let failures = 0;
  const left: { file: string; reason: string }[] = [];
  const report = (m: Message): void => {
    if (m.failure) failures++;
    if (m.left) left.push(m.left);
    process.stderr.write(`news-annotator: ${m.text}\n`);
  };
  const fail = (file: string, message: string): void => report({ text: `${file}: ${message}`, failure: true, left: { file, reason: message } });
  // With the data on standard output, the summary goes to standard error, and only when asked for (--json).
  const summary = (o: Record<string, unknown>, text: string): void => {
    if (toStdout) {
      if (values.json) process.stderr.write(JSON.stringify(o) + '\n');
    } else process.stdout.write(values.json ? JSON.stringify(o) + '\n' : text);
  };
  const ws = await openWorkspace(inputs, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  const statsGiven = loadCorpusStats(ws, values['corpus-stats']);
  const tmp = lazyFolder();
  const task = { kind: 'export' as const, format, includeSuggestions, jsonl, includeExcluded: !!values['include-excluded'] };
  try {
    let damaged: { file: string; text: string; reason: string }[] = [];
    // The layer of the sidecars read (files only: JSON Lines records carry their annotations).
    let layer: string | null | undefined;
    let parts: Part[];
    let jobs = 1;
    let writer: { sink: Sink; finish: () => Promise<string[]>; abort: () => void };
    let total: number | undefined;
    try {
      if (jsonl) {
        ({ parts, jobs } = await jsonlParts(inputs, asked, includeSuggestions && !statsGiven, tmp.dir, fail));
        writer = textWriter(out, inputs);
      } else {
        const files = await listInputFiles(ws, inputs, tmp.dir, fail);
        const paths = files.map((f) => f.path);
        const root = commonRoot(inputs.filter((i) => i !== '-'));
        layer = chooseCliLayer(paths, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
        // The corpus memory (names accepted elsewhere, boilerplate decisions) comes from the same layer.
        ws.useLayer(layer);
        damaged = toStdout
          ? checkDamaged(paths, !!values['skip-damaged'], layer)
          : checkExport(paths, format, { outDir: out, root, skipDamaged: !!values['skip-damaged'], annotator: layer }, inputs.filter((i) => i !== '-'));
        const reasons = new Map(damaged.map((d) => [d.text, d.reason]));
        for (const f of files) if (reasons.has(f.path)) f.skip = `left out: ${reasons.get(f.path)}`;
        ({ parts, jobs } = fileParts(files, asked));
        total = files.length;
        writer = fileExportWriter(format, scheme, out, paths, ws.labels.schema.tags);
      }
    } catch (err) {
      if (!(err instanceof ExportRefused)) throw err;
      if (values.json) process.stdout.write(JSON.stringify({ ok: false, format, out, ...(layer !== undefined ? { annotator: layer } : {}), error: err.message, damaged: err.damaged }) + '\n');
      process.stderr.write(`news-annotator: ${err.message}\n`);
      return 1;
    }
    const progress = total === undefined ? undefined : progressPrinter('exported');
    let result;
    try {
      result = await runTask({ ws, spec: { inputs, values, layer: ws.layer }, parts, task, jobs, statsGiven, sink: writer.sink, report, progress: progress && ((n) => progress(n, total!)) });
    } catch (err) {
      writer.abort();
      throw err;
    }
    const written = await writer.finish();
    const skipped = [...damaged.map(({ file, reason }) => ({ file, reason })), ...left];
    const from = layer === undefined ? '' : layer === null ? ' (adjudicated layer)' : ` (layer of ${layer})`;
    summary(
      { ok: failures === 0, format, out, ...(layer !== undefined ? { annotator: layer } : {}), documents: result.documents, annotations: result.annotations, excluded: result.excluded, files: written, skipped },
      `Exported ${result.annotations} annotations from ${result.documents} documents${from} as ${format} to ${out} (${written.length} files)${damaged.length ? `; ${damaged.length} document(s) left out (named above)` : ''}` +
        `${result.excluded ? `; ${result.excluded} document(s) tagged exclude left out (--include-excluded to export them)` : ''}.\n`,
    );
  } finally {
    tmp.remove();
  }
  return failures ? 1 : 0;
}

/** JSON Lines records, to a file or standard output. */
function textWriter(out: string, inputs: string[]): { sink: Sink; finish: () => Promise<string[]>; abort: () => void } {
  const refused = overwritesInput(out, inputs);
  if (refused) throw new ExportRefused(refused);
  const output = TextOutput.open(out);
  return {
    sink: { text: (s) => output.write(s), document: () => undefined },
    finish: async () => {
      await output.close();
      return output.isStdout ? [] : [path.resolve(out)];
    },
    abort: () => output.abort(),
  };
}

/** One exporter for the whole run, fed in input order: into a folder, or (single-file formats, text) to standard output. */
function fileExportWriter(
  format: ExportFormat,
  scheme: (typeof CONLL_SCHEMES)[number] | undefined,
  out: string,
  inputs: string[],
  tagDefinitions: readonly TagDefinition[],
): { sink: Sink; finish: () => Promise<string[]>; abort: () => void } {
  const exporter = createExporter(format, { scheme, tagDefinitions: [...tagDefinitions] });
  if (out !== '-') {
    const folder = new FolderWriter(out);
    return {
      sink: { text: () => undefined, document: (d) => folder.write(exporter.add(d)) },
      finish: async () => {
        folder.write(exporter.finish());
        return folder.files();
      },
      abort: () => undefined,
    };
  }
  const text = textWriter('-', inputs);
  const write = async (chunks: { content: string }[]): Promise<void> => {
    for (const c of chunks) await text.sink.text(c.content);
  };
  return {
    sink: { text: () => undefined, document: (d) => write(exporter.add(d)) },
    finish: async () => {
      await write(exporter.finish());
      return text.finish();
    },
    abort: () => undefined,
  };
}
