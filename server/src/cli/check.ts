/**
 * `news-annotator check`: the corpus' consistency in CI-friendly form. A name
 * accepted with different labels in different places (إيران LOC in 212
 * files, ORG in 3) is reported with its minority mentions; exit 1 when any is
 * found, so a team can gate its corpus in git.
 */
import * as path from 'node:path';
import { chooseCliLayer, CORPUS_OPTIONS, LAYER_OPTIONS, needInputs, openWorkspace, parse, requestedLayer } from './options';

export const CHECK_USAGE = `news-annotator check [--json] [--annotator NAME | --adjudicated] [--max-size-kb N] [--settings FILE] <dirs|files>...
      Report names accepted with different labels across the corpus (exit 1 when any is found), in one layer.`;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('check', argv, { json: { type: 'boolean' }, ...LAYER_OPTIONS, ...CORPUS_OPTIONS });
  requestedLayer(values);
  const inputs = needInputs(positionals);
  let unreadable = 0;
  const fail = (message: string): void => {
    unreadable++;
    process.stderr.write(`news-annotator: ${message}\n`);
  };
  const ws = await openWorkspace(inputs, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  // Consistency is about the user's decisions only: no detector needs to run.
  ws.settings = { ...ws.settings, entities: { ...ws.settings.entities, enabled: false }, boilerplate: { ...ws.settings.boilerplate, enabled: false } };
  const files = ws.listFiles((p, m) => fail(`${p}: ${m}`));
  ws.useLayer(chooseCliLayer(files, values, (m) => process.stderr.write(`news-annotator: ${m}\n`)));
  await ws.scan(undefined, undefined, files);
  const issues = ws.memory.inconsistencies();
  if (values.json) {
    const out = issues.map((i) => ({
      name: i.normalized,
      majority: i.majority,
      labels: i.labels,
      minority: i.minority.map((m) => ({ file: m.docId, id: m.id, start: m.start, end: m.end, text: m.text, label: m.label })),
    }));
    process.stdout.write(JSON.stringify({ documents: ws.memory.documentCount, inconsistencies: out }) + '\n');
  } else if (!issues.length) {
    process.stdout.write(`No inconsistent labels in ${ws.memory.documentCount} documents.\n`);
  } else {
    for (const i of issues) {
      const counts = Object.entries(i.labels).map(([l, c]) => `${l} ${c.mentions}× in ${c.documents} file${c.documents === 1 ? '' : 's'}`).join(', ');
      process.stdout.write(`${i.minority[0]?.text ?? i.normalized}: ${counts}; most say ${i.majority}\n`);
      for (const m of i.minority) process.stdout.write(`  ${path.relative(process.cwd(), m.docId) || m.docId}:${m.start}-${m.end} ${m.label} "${m.text}"\n`);
    }
    process.stdout.write(`${issues.length} inconsistent name${issues.length === 1 ? '' : 's'} in ${ws.memory.documentCount} documents.\n`);
  }
  return issues.length || unreadable ? 1 : 0;
}
