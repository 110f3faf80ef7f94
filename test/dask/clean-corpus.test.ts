/**
 * The Dask job (examples/dask/clean_corpus.py) on a real distributed
 * LocalCluster — a scheduler and two worker processes talking TCP over
 * loopback — against the bundled CLI (dist/cli.js) in one process on the same
 * corpus: the same records, in the same order, byte for byte. The corpus is
 * big enough to be cut into partitions, with a footer that only the merged
 * statistics show as `repeated` in the second half, and a name accepted in
 * one partition's sidecar that the others get from the dictionary.
 *
 * Needs Debian's python3-dask and python3-distributed (scripts/test.sh
 * installs them); run alone with `npm run test:dask` after `npm run build`.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../protocol/lspClient';
import { ACCEPTED, folderAsJsonl, SPREAD_FOOTER, writeCorpusFolder } from '../protocol/streamingCorpus';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const JOB = path.join(ROOT, 'examples', 'dask', 'clean_corpus.py');
const PYTHON = '/usr/bin/python3';
const DOCUMENTS = 2000;
const PARTITIONS = 6;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-dask-'));
const docs = path.join(work, 'docs');
const corpus = path.join(work, 'corpus.jsonl');

function run(command: string, args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** The job's part files, concatenated in name order (= input order). */
function parts(out: string): string {
  const names = fs
    .readdirSync(out)
    .filter((n) => /^part-\d{5}\.jsonl$/.test(n))
    .sort();
  return names.map((n) => fs.readFileSync(path.join(out, n), 'utf8')).join('');
}

function records(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Runs the job on a LocalCluster with two worker processes, in `partitions` (null: as many as it chooses); its summary. */
function dask(input: string, out: string, extra: string[], partitions: number | null = PARTITIONS): Record<string, unknown> {
  const cut = partitions === null ? [] : ['--partitions', String(partitions)];
  const r = run(PYTHON, [JOB, input, '--out', out, '--local-workers', '2', ...cut, '--cli', CLI, '--node', process.execPath, ...extra]);
  return JSON.parse(ok(r, `dask ${extra.join(' ')}`).trim().split('\n').pop()!) as Record<string, unknown>;
}

function assertSameRecords(got: string, expected: string, what: string): void {
  const g = records(got);
  const e = records(expected);
  assert.equal(g.length, e.length, `${what}: as many records`);
  for (let i = 0; i < e.length; i++) assert.deepEqual(g[i], e[i], `${what}: record ${i} (${String(e[i].id)})`);
  assert.equal(got, expected, `${what}: byte for byte`);
}

describe('Dask: examples/dask/clean_corpus.py on a LocalCluster equals one CLI process', () => {
  before(() => {
    const files = writeCorpusFolder(docs, DOCUMENTS, { unique: true, spread: true });
    folderAsJsonl(files, corpus);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('Debian python3-dask and python3-distributed are importable', () => {
    ok(run(PYTHON, ['-c', 'import dask.bag, dask.distributed']), 'import dask');
  });

  it('export --format jsonl --include-suggestions: the same records as the CLI on the whole corpus', () => {
    const out = path.join(work, 'export');
    const summary = dask(corpus, out, ['--mode', 'export', '--format', 'jsonl']);
    const expected = ok(run(process.execPath, [CLI, 'export', '--jsonl', '--format', 'jsonl', '--include-suggestions', '--jobs', '1', corpus]), 'CLI export');
    assert.equal(summary.documents, DOCUMENTS);
    assert.equal(summary.records, DOCUMENTS);
    assert.equal(summary.partitions, PARTITIONS, 'cut into as many partitions as asked');
    assertSameRecords(parts(out), expected, 'export');
    // Without --partitions: one per worker (a small corpus), the same records.
    const auto = path.join(work, 'export-auto');
    const chosen = dask(corpus, auto, ['--mode', 'export', '--format', 'jsonl'], null);
    assert.equal(chosen.partitions, 2, 'one partition per worker of the LocalCluster');
    assertSameRecords(parts(auto), expected, 'export, automatic partitions');
    // The merged statistics are the CLI's own for the whole corpus.
    assert.equal(fs.readFileSync(path.join(out, 'corpus-stats.json'), 'utf8'), ok(run(process.execPath, [CLI, 'index', '--jsonl', '--jobs', '1', corpus]), 'CLI index'));
  });

  it('annotate over a folder of articles and sidecars: what the CLI flags on the whole folder', () => {
    const out = path.join(work, 'annotate');
    const summary = dask(docs, out, ['--mode', 'annotate']);
    assert.equal(summary.documents, DOCUMENTS);
    const got = parts(out);
    const expected = ok(run(process.execPath, [CLI, 'annotate', '--jsonl', '--jobs', '1', corpus]), 'CLI annotate');
    assertSameRecords(got, expected, 'annotate');

    // What only the corpus statistics reveal, present in the job's output:
    const flagged = records(got);
    const second = flagged.slice(DOCUMENTS / 2);
    const spread = (rs: Record<string, unknown>[]): number => rs.filter((r) => (r.boilerplate as { category: string; text: string }[]).some((b) => b.category === 'repeated' && b.text.includes(SPREAD_FOOTER))).length;
    assert.ok(spread(second) > 0, 'the spread footer is repeated boilerplate in the second half');
    const dictionary = flagged.slice(1).filter((r) => (r.entities as { text: string; source: string }[]).some((e) => e.text === ACCEPTED.text && e.source.includes('dictionary')));
    assert.ok(dictionary.length > 0, 'the name accepted in the first document is suggested in others');
    // … and absent when a part of the second half is annotated alone.
    const lines = fs.readFileSync(corpus, 'utf8').split('\n').filter(Boolean);
    const alone = records(ok(run(process.execPath, [CLI, 'annotate', '--jsonl', '--jobs', '1', '-'], Buffer.from(lines.slice(DOCUMENTS / 2, DOCUMENTS / 2 + 500).join('\n') + '\n')), 'a part alone'));
    assert.equal(spread(alone), 0, 'a part alone does not see the spread footer as repeated');
    assert.ok(spread(second.slice(0, 500)) > 0, 'with the statistics, the same part does');
  });
});
