/**
 * `news-annotator index`: the corpus statistics of some documents, in the
 * mergeable form of core/corpus/stats.ts; `index --merge`: the sum of
 * statistics indexed apart (parts of a corpus, Dask partitions).
 */
import * as fs from 'node:fs';
import { addStats, serializeStats, statsAccumulator, validateStats, type CorpusStats } from '../core/corpus/stats';
import { fileParts, jsonlParts, listInputFiles } from './inputs';
import type { Part } from './documents';
import { chooseCliLayer, CORPUS_OPTIONS, DETECTOR_OPTIONS, jobsOption, LAYER_OPTIONS, needInputs, noLayerWithJsonl, openWorkspace, parse, STREAM_OPTIONS, UsageError } from './options';
import { overwritesInput, TextOutput } from './output';
import type { Message } from './passes';
import { indexAll } from './runner';
import { lazyFolder } from './spoolFile';

export const INDEX_USAGE = `news-annotator index [--jsonl] [--out FILE|-] [--jobs N] [--annotator NAME | --adjudicated]
                     [--labels …] [--min-confidence X] [--max-size-kb N] [--settings FILE] <files|dirs|->...
       news-annotator index --merge [--out FILE|-] <stats.json>...
      Write the corpus statistics of the documents (repeated blocks, names found and their labels, the
      decisions in the sidecars, the number of documents) as one JSON object, to --out or standard output;
      annotate and export --corpus-stats then flag exactly what they would with the whole corpus.
      Use the same version, model, --labels/--min-confidence/--settings and layer as annotate and export.
      --merge adds up statistics written apart (any order gives the same file).`;

export async function indexCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('index', argv, {
    merge: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    ...STREAM_OPTIONS,
    ...LAYER_OPTIONS,
    ...DETECTOR_OPTIONS,
    ...CORPUS_OPTIONS,
  });
  const inputs = needInputs(positionals);
  const out = values.out ?? '-';
  if (values.merge) {
    const other = Object.keys(values).filter((k) => k !== 'merge' && k !== 'out' && values[k as keyof typeof values] !== undefined);
    if (other.length) throw new UsageError(`index --merge adds up statistics files: --${other[0]} does not apply`);
    return merge(inputs, out);
  }
  noLayerWithJsonl(values);
  const asked = jobsOption(values.jobs);
  let failures = 0;
  const report = (m: Message): void => {
    if (m.failure) failures++;
    process.stderr.write(`news-annotator: ${m.text}\n`);
  };
  const fail = (file: string, message: string): void => report({ text: `${file}: ${message}`, failure: true });
  const ws = await openWorkspace(inputs, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  const tmp = lazyFolder();
  try {
    let parts: Part[];
    let jobs = 1;
    let files: string[] = inputs;
    if (values.jsonl) ({ parts, jobs } = await jsonlParts(inputs, asked, false, tmp.dir, fail));
    else {
      const listed = await listInputFiles(ws, inputs, tmp.dir, fail);
      files = listed.map((f) => f.path);
      // The decisions counted come from one layer of the sidecars: the one annotate and export will read.
      ws.useLayer(chooseCliLayer(files, values, (m) => process.stderr.write(`news-annotator: ${m}\n`)));
      ({ parts, jobs } = fileParts(listed, asked));
    }
    const refused = overwritesInput(out, files);
    if (refused) {
      process.stderr.write(`news-annotator: ${refused}\n`);
      return 1;
    }
    const stats = await indexAll(ws, { inputs, values, layer: ws.layer }, parts, jobs, report);
    await write(out, stats);
  } finally {
    tmp.remove();
  }
  return failures ? 1 : 0;
}

/** Every file must be read: a sum without one of its parts would be wrong without saying so (nothing is written then). */
async function merge(inputs: string[], out: string): Promise<number> {
  if (inputs.filter((i) => i === '-').length > 1) throw new UsageError('"-" (standard input) can be given once');
  let total: CorpusStats | undefined;
  const problems: string[] = [];
  for (const input of inputs) {
    let stats: CorpusStats;
    try {
      stats = validateStats(JSON.parse(fs.readFileSync(input === '-' ? 0 : input, 'utf8')));
      total ??= statsAccumulator(stats.analysis);
      addStats(total, stats);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      problems.push(`${input}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    }
  }
  if (problems.length || !total) {
    for (const p of problems) process.stderr.write(`news-annotator: ${p}\n`);
    process.stderr.write('news-annotator: nothing written: every part is needed for the statistics of the whole\n');
    return 1;
  }
  // Writing over one of the parts is safe: every part is read before anything is written.
  await write(out, total);
  return 0;
}

async function write(out: string, stats: CorpusStats): Promise<void> {
  const output = TextOutput.open(out);
  try {
    await output.write(serializeStats(stats));
    await output.close();
  } catch (err) {
    output.abort();
    throw err;
  }
}
