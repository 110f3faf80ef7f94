/** `news-annotator export`: the corpus' annotations in a format other tools read. */
import * as path from 'node:path';
import { CONLL_SCHEMES, EXPORT_FORMATS, type ExportFormat } from '../protocol';
import { ExportRefused, exportFiles } from '../host/export';
import { chooseCliLayer, commonRoot, CORPUS_OPTIONS, DETECTOR_OPTIONS, LAYER_OPTIONS, needInputs, oneOf, openWorkspace, parse, progressPrinter, requestedLayer, UsageError } from './options';

export const EXPORT_USAGE = `news-annotator export --format ${EXPORT_FORMATS.join('|')} [--scheme iob2|iob1|bioes (conll)]
                      [--out DIR] [--include-suggestions] [--skip-damaged] [--json] [--annotator NAME | --adjudicated]
                      [--labels …] [--min-confidence X] [--max-size-kb N] [--settings FILE] <files|dirs>...
      Write the annotations (accepted ones; with --include-suggestions also the detectors', as the editor
      shows them) to DIR (default ./annotations-export/<format>). Refuses to write into the corpus, and
      refuses when a sidecar cannot be read unless --skip-damaged (then it names what it left out).
      The layer exported: --annotator NAME (article.txt.ann.NAME.json), --adjudicated (article.txt.ann.json),
      by default the adjudicated one, or the only annotator layer there is when no document has an
      adjudicated sidecar. --json prints the summary as one JSON object.`;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    format: { type: 'string', short: 'f' },
    scheme: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'include-suggestions': { type: 'boolean' },
    'skip-damaged': { type: 'boolean' },
    json: { type: 'boolean' },
    ...LAYER_OPTIONS,
    ...DETECTOR_OPTIONS,
    ...CORPUS_OPTIONS,
  });
  requestedLayer(values);
  if (!values.format) throw new UsageError(`export needs --format ${EXPORT_FORMATS.join('|')}`);
  const format = oneOf(values.format, 'format', EXPORT_FORMATS) as ExportFormat;
  const scheme = oneOf(values.scheme, 'scheme', CONLL_SCHEMES);
  if (scheme && format !== 'conll') throw new UsageError(`--scheme applies to --format conll only, not ${format}`);
  if ((values.labels !== undefined || values['min-confidence'] !== undefined) && !values['include-suggestions'] && format !== 'text') {
    throw new UsageError('--labels and --min-confidence shape suggestions: use them with --include-suggestions');
  }
  const inputs = needInputs(positionals);
  let failures = 0;
  const fail = (message: string): void => {
    failures++;
    process.stderr.write(`news-annotator: ${message}\n`);
  };
  const ws = await openWorkspace(inputs, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  const files = ws.listFiles((p, message) => fail(`${p}: ${message}`));
  const layer = chooseCliLayer(files, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  // The corpus memory (names accepted elsewhere, boilerplate decisions) comes from the same layer.
  ws.useLayer(layer);
  // Cleaned text without the detector's boilerplate would be the raw text: suggestions are its content.
  const includeSuggestions = !!values['include-suggestions'] || format === 'text';
  if (includeSuggestions) await ws.scan(undefined, undefined, files);
  const outDir = values.out ?? path.join(process.cwd(), 'annotations-export', format);
  let result;
  try {
    result = exportFiles(
      files,
      format,
      {
        outDir,
        root: commonRoot(inputs),
        scheme,
        includeSuggestions,
        analysisFor: (file) => ws.analysisOptions(file),
        skipDamaged: !!values['skip-damaged'],
        annotator: layer,
        maxBytes: ws.maxBytes,
        onProgress: progressPrinter('exported'),
        // Documents left out because the user asked (--skip-damaged) are named, but are not failures.
        onSkip: (file, message, why) => (why === 'sidecar' ? process.stderr.write(`news-annotator: ${file}: ${message}\n`) : fail(`${file}: ${message}`)),
      },
      inputs,
    );
  } catch (err) {
    if (!(err instanceof ExportRefused)) throw err;
    if (values.json) process.stdout.write(JSON.stringify({ ok: false, format, out: outDir, annotator: layer, error: err.message, damaged: err.damaged }) + '\n');
    process.stderr.write(`news-annotator: ${err.message}\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ ok: failures === 0, format, out: outDir, annotator: layer, documents: result.documents, annotations: result.annotations, files: result.files, skipped: result.skipped ?? [] }) + '\n');
  } else {
    const skipped = result.skipped?.length ? `; ${result.skipped.length} document(s) left out (named above)` : '';
    const from = layer === null ? 'adjudicated layer' : `layer of ${layer}`;
    process.stdout.write(`Exported ${result.annotations} annotations from ${result.documents} documents (${from}) as ${format} to ${outDir} (${result.files.length} files)${skipped}.\n`);
  }
  return failures ? 1 : 0;
}
