/** `news-annotator annotate`: what the detectors flag in each document, as the editor shows it. */
import type { Part } from './documents';
import { fileParts, jsonlParts, listInputFiles } from './inputs';
import { chooseCliLayer, CORPUS_OPTIONS, DETECTOR_OPTIONS, jobsOption, LAYER_OPTIONS, loadCorpusStats, needInputs, noLayerWithJsonl, openWorkspace, parse, progressPrinter, STREAM_OPTIONS, UsageError } from './options';
import { overwritesInput, TextOutput } from './output';
import type { Message } from './passes';
import { runTask } from './runner';
import { lazyFolder } from './spoolFile';

export const ANNOTATE_USAGE = `news-annotator annotate [--json | --jsonl] [--out FILE|-] [--jobs N] [--corpus-stats FILE]
                        [--annotator NAME | --adjudicated] [--labels PER,ORG,LOC,MISC] [--min-confidence 0.5]
                        [--max-size-kb N] [--settings FILE] <files|dirs|->...
      Print the entities and boilerplate the detectors flag (offsets: Unicode code points),
      with the corpus-wide signals and the decisions in the sidecars (or one annotator's layers),
      exactly as the editor shows them.
      --json: one JSON object per file. --jsonl: the inputs are JSON Lines files of records
      {"id", "text", "annotations"?} (- = standard input), and each record gives one JSON line with its id.
      - alone (without --jsonl): one document read from standard input. --out: a file instead of standard output.
      --jobs N: N processes, the same output (default: the number of cores, one for less than 1 MB). --corpus-stats: the
      statistics of the whole corpus (news-annotator index), instead of reading the inputs twice.`;

export async function annotateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('annotate', argv, {
    json: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    'corpus-stats': { type: 'string' },
    ...STREAM_OPTIONS,
    ...LAYER_OPTIONS,
    ...DETECTOR_OPTIONS,
    ...CORPUS_OPTIONS,
  });
  const inputs = needInputs(positionals);
  const asked = jobsOption(values.jobs);
  const jsonl = !!values.jsonl;
  if (jsonl && values.json) throw new UsageError('--json and --jsonl: --jsonl already writes one JSON line per record');
  noLayerWithJsonl(values);
  let failures = 0;
  const report = (m: Message): void => {
    if (m.failure) failures++;
    process.stderr.write(`news-annotator: ${m.text}\n`);
  };
  const fail = (file: string, message: string): void => report({ text: `${file}: ${message}`, failure: true });
  const ws = await openWorkspace(inputs, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  const statsGiven = loadCorpusStats(ws, values['corpus-stats']);
  const tmp = lazyFolder();
  try {
    let parts: Part[];
    let jobs = 1;
    let files: string[];
    if (jsonl) {
      ({ parts, jobs } = await jsonlParts(inputs, asked, !statsGiven, tmp.dir, fail));
      files = inputs;
    } else {
      const listed = await listInputFiles(ws, inputs, tmp.dir, fail);
      ({ parts, jobs } = fileParts(listed, asked));
      files = listed.map((f) => f.path);
      // The decisions read, in this process and in the workers: one layer of the sidecars.
      ws.useLayer(chooseCliLayer(files, values, (m) => process.stderr.write(`news-annotator: ${m}\n`)));
    }
    const out = values.out ?? '-';
    const refused = overwritesInput(out, files);
    if (refused) {
      process.stderr.write(`news-annotator: ${refused}\n`);
      return 1;
    }
    const output = TextOutput.open(out);
    const progress = jsonl ? undefined : progressPrinter('annotated');
    try {
      await runTask({
        ws,
        spec: { inputs, values, layer: ws.layer },
        parts,
        task: { kind: 'annotate', json: !!values.json, jsonl },
        jobs,
        statsGiven,
        sink: { text: (s) => output.write(s), document: () => undefined },
        report,
        progress: progress && ((n) => progress(n, files.length)),
      });
      await output.close();
    } catch (err) {
      output.abort();
      throw err;
    }
  } finally {
    tmp.remove();
  }
  return failures ? 1 : 0;
}
