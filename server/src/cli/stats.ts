/**
 * `news-annotator stats`: where a corpus stands: documents by review status,
 * accepted and rejected annotations by label and category, and for each
 * detector how many of its suggestions users accepted or rejected (the
 * precision the users' own decisions measure).
 */
import type { ReviewStatus } from '../protocol';
import { listTextFiles, loadDocument } from '../host/corpus';
import { chooseCliLayer, integer, LAYER_OPTIONS, needInputs, parse, requestedLayer } from './options';

export const STATS_USAGE = `news-annotator stats [--json] [--annotator NAME | --adjudicated] [--max-size-kb N] <files|dirs>...
      Documents by review status, accepted/rejected annotations per label and category,
      and accepted vs rejected suggestions per detector, in one layer: --annotator NAME, --adjudicated,
      by default the adjudicated one, or the only annotator layer there is (see the README for the JSON fields).`;

interface Counts {
  accepted: number;
  rejected: number;
}

export interface CorpusStats {
  /** The layer counted: an annotator's name, or null for the adjudicated sidecars. */
  annotator: string | null;
  documents: { total: number; todo: number; inProgress: number; done: number; unreadable: number; damagedSidecars: number };
  entities: { accepted: Record<string, number>; rejected: Record<string, number> };
  boilerplate: { accepted: Record<string, number>; rejected: Record<string, number>; keptAsArticle: number };
  orphans: number;
  /** Per detector (a `+`-joined source counts for each part; `user` and `import:*` are not detectors). */
  sources: Record<string, Counts & { precision: number | null }>;
}

const STATUS_KEY: Record<ReviewStatus, 'todo' | 'inProgress' | 'done'> = { todo: 'todo', 'in-progress': 'inProgress', done: 'done' };

export function statsCommand(argv: string[]): number {
  const { values, positionals } = parse('stats', argv, { json: { type: 'boolean' }, 'max-size-kb': { type: 'string' }, ...LAYER_OPTIONS });
  requestedLayer(values);
  const maxBytes = (integer(values['max-size-kb'], '--max-size-kb', 1, 1024 * 1024) ?? 4096) * 1024;
  let failures = 0;
  const fail = (message: string): void => {
    failures++;
    process.stderr.write(`news-annotator: ${message}\n`);
  };
  const files = listTextFiles(needInputs(positionals), ['.txt'], Infinity, (p, m) => fail(`${p}: ${m}`));
  const layer = chooseCliLayer(files, values, (m) => process.stderr.write(`news-annotator: ${m}\n`));
  const s: CorpusStats = {
    annotator: layer,
    documents: { total: 0, todo: 0, inProgress: 0, done: 0, unreadable: 0, damagedSidecars: 0 },
    entities: { accepted: {}, rejected: {} },
    boilerplate: { accepted: {}, rejected: {}, keptAsArticle: 0 },
    orphans: 0,
    sources: {},
  };
  const bump = (o: Record<string, number>, k: string): void => {
    o[k] = (o[k] ?? 0) + 1;
  };
  for (const file of files) {
    const r = loadDocument(file, maxBytes, layer);
    if (!r.ok) {
      s.documents.unreadable++;
      fail(`${file}: ${r.message}`);
      continue;
    }
    const d = r.doc;
    s.documents.total++;
    s.documents[STATUS_KEY[d.review]]++;
    if (d.sidecar === 'damaged' || d.sidecar === 'newer') {
      s.documents.damagedSidecars++;
      fail(`${file}: ${d.sidecarMessage ?? 'sidecar cannot be read'}`);
    }
    s.orphans += d.orphans;
    for (const a of d.annotations) {
      if (a.kind === 'entity') bump(s.entities[a.status], a.label ?? '?');
      else if (a.status === 'accepted' && a.category === 'none') s.boilerplate.keptAsArticle++;
      else bump(s.boilerplate[a.status], a.category ?? '?');
      for (const part of detectorsOf(a.source)) {
        const c = (s.sources[part] ??= { accepted: 0, rejected: 0, precision: null });
        c[a.status]++;
      }
    }
  }
  for (const c of Object.values(s.sources)) c.precision = c.accepted + c.rejected ? round(c.accepted / (c.accepted + c.rejected)) : null;
  if (values.json) process.stdout.write(JSON.stringify(s) + '\n');
  else process.stdout.write(table(s));
  return failures ? 1 : 0;
}

function detectorsOf(source: string): string[] {
  // The user's, an import's and the adjudicator's decisions are nobody's suggestions.
  if (source === 'user' || source.startsWith('import:') || source === 'agreement' || source === 'adjudication' || source.startsWith('adjudication:')) return [];
  return source.split('+').filter(Boolean);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function table(s: CorpusStats): string {
  const d = s.documents;
  const lines = [
    `Layer: ${s.annotator === null ? 'adjudicated (article.txt.ann.json)' : `${s.annotator} (article.txt.ann.${s.annotator}.json)`}`,
    `Documents: ${d.total} (${d.done} done, ${d.inProgress} in progress, ${d.todo} to do)${d.unreadable ? `; ${d.unreadable} unreadable` : ''}${d.damagedSidecars ? `; ${d.damagedSidecars} damaged sidecars` : ''}`,
    `Entities accepted: ${fmt(s.entities.accepted)}`,
    `Entities rejected: ${fmt(s.entities.rejected)}`,
    `Boilerplate accepted: ${fmt(s.boilerplate.accepted)}; kept as article text: ${s.boilerplate.keptAsArticle}`,
  ];
  if (s.orphans) lines.push(`Orphaned annotations: ${s.orphans}`);
  const sources = Object.entries(s.sources).sort(([a], [b]) => (a < b ? -1 : 1));
  if (sources.length) {
    lines.push('Suggestions decided, by detector (accepted / rejected, precision):');
    for (const [k, c] of sources) lines.push(`  ${k.padEnd(12)} ${String(c.accepted).padStart(6)} / ${String(c.rejected).padEnd(6)} ${c.precision === null ? '' : (c.precision * 100).toFixed(1) + '%'}`);
  }
  return lines.join('\n') + '\n';
}

function fmt(o: Record<string, number>): string {
  const e = Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
  return e.length ? e.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}
