/** `news-annotator annotate`: what the detectors flag in each document, as the editor shows it. */
import { suggest } from '../core/analyze';
import { TextIndex } from '../core/text/offsets';
import { chooseCliLayer, CORPUS_OPTIONS, DETECTOR_OPTIONS, LAYER_OPTIONS, needInputs, openWorkspace, parse, requestedLayer } from './options';

export const ANNOTATE_USAGE = `news-annotator annotate [--json] [--labels PER,ORG,LOC,MISC] [--min-confidence 0.5]
                        [--annotator NAME | --adjudicated] [--max-size-kb N] [--settings FILE] <files|dirs>...
      Print the entities and boilerplate the detectors flag (offsets: Unicode code points),
      with the corpus-wide signals and the decisions in the sidecars (or one annotator's layers),
      exactly as the editor shows them.`;

export async function annotateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('annotate', argv, { json: { type: 'boolean' }, ...LAYER_OPTIONS, ...DETECTOR_OPTIONS, ...CORPUS_OPTIONS });
  requestedLayer(values);
  const inputs = needInputs(positionals);
  let failures = 0;
  const fail = (message: string): void => {
    failures++;
    process.stderr.write(`news-annotator: ${message}\n`);
  };
  const ws = await openWorkspace(inputs, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  const files = ws.listFiles((p, message) => fail(`${p}: ${message}`));
  ws.useLayer(chooseCliLayer(files, values, (m) => process.stderr.write(`news-annotator: ${m}\n`)));
  // The corpus first: repeated blocks, names found and decided anywhere shape every document's suggestions.
  await ws.scan(undefined, undefined, files);
  for (const file of files) {
    const r = ws.loadDocument(file);
    if (!r.ok) {
      fail(`${file}: ${r.message}`);
      continue;
    }
    const d = r.doc;
    if (d.sidecarMessage) process.stderr.write(`news-annotator: ${file}: sidecar ignored: ${d.sidecarMessage}\n`);
    const index = new TextIndex(d.text);
    const s = suggest(d.text, d.annotations, ws.analysisOptions(file), index);
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
    if (values.json) {
      process.stdout.write(JSON.stringify({ file, offsets: 'codepoint', review: d.review, accepted, entities, boilerplate }) + '\n');
      continue;
    }
    process.stdout.write(`${file}: ${entities.length} entities, ${boilerplate.length} boilerplate blocks, ${accepted} accepted annotations\n`);
    for (const e of entities) process.stdout.write(`  ${e.line}: ${e.label.padEnd(4)} ${e.text}  (${Math.round(e.confidence * 100)}% ${e.source})\n`);
    for (const b of boilerplate) {
      const where = b.lines[0] === b.lines[1] ? `${b.lines[0]}` : `${b.lines[0]}-${b.lines[1]}`;
      process.stdout.write(`  ${where}: boilerplate ${b.category}: ${clip(b.text)}  [${b.reason}]\n`);
    }
  }
  return failures ? 1 : 0;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? one.slice(0, 57) + '…' : one;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
