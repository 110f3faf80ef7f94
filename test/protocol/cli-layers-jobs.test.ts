/**
 * The streaming, parallel CLI reads the annotator layer the user chose
 * (--annotator / --adjudicated / the only layer there is) in every process:
 * a decision in one annotator's layer reaches the other documents through
 * the dictionary with `--jobs 2` exactly as with `--jobs 1`, and through
 * `index` + `--corpus-stats`.
 */
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './lspClient';
import { ACCEPTED, folderAsJsonl, writeCorpusFolder } from './streamingCorpus';

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** Entities suggested from the dictionary (a name accepted elsewhere) in annotate --json output. */
function fromDictionary(out: string): number {
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { entities: { text: string; source: string }[] })
    .reduce((n, r) => n + r.entities.filter((e) => e.text === ACCEPTED.text && e.source.includes('dictionary')).length, 0);
}

describe('news-annotator CLI: annotator layers with --jobs and --corpus-stats', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-layers-jobs-'));
  const docs = path.join(work, 'docs');
  let files: string[] = [];
  before(() => {
    files = writeCorpusFolder(docs, 30);
    // The one decision moves from the adjudicated sidecar to alice's layer.
    const sidecar = files[0] + '.ann.json';
    const layer = { ...JSON.parse(fs.readFileSync(sidecar, 'utf8')), annotator: 'alice' };
    fs.writeFileSync(files[0] + '.ann.alice.json', JSON.stringify(layer, null, 2));
    fs.rmSync(sidecar);
  });

  it('annotate and export read the only layer there is in every worker, as one process does', () => {
    const one = cli('annotate', '--json', '--jobs', '1', docs);
    const two = cli('annotate', '--json', '--jobs', '2', docs);
    assert.equal(ok(two, '2 jobs'), ok(one, '1 job'));
    assert.equal(two.stderr, one.stderr);
    assert.match(one.stderr, /reading the only annotator layer there is, alice's/);
    assert.ok(fromDictionary(one.stdout) > 0, "alice's accepted name is suggested in the other documents");
    const adjudicated = ok(cli('annotate', '--json', '--adjudicated', '--jobs', '2', docs), '--adjudicated');
    assert.equal(fromDictionary(adjudicated), 0, 'the adjudicated layer has no decision');

    const outs = [1, 2].map((jobs) => {
      const out = path.join(work, `export-${jobs}`);
      const summary = JSON.parse(ok(cli('export', '--format', 'jsonl', '--include-suggestions', '--annotator', 'alice', '--json', '--jobs', String(jobs), '--out', out, docs), `export ${jobs}`));
      assert.equal(summary.annotator, 'alice');
      assert.equal(summary.annotations > 0, true);
      return fs.readFileSync(path.join(out, 'annotations.jsonl'), 'utf8');
    });
    assert.equal(outs[1], outs[0]);
    const first = JSON.parse(outs[0].split('\n')[0]) as { label: [number, number, string][] };
    assert.ok(first.label.some(([, , l]) => l === ACCEPTED.label), "alice's accepted name is exported");
  });

  it('index reads the same layer: --corpus-stats on one file flags what the whole folder flags', () => {
    const stats = path.join(work, 'alice.stats.json');
    ok(cli('index', '--annotator', 'alice', '--jobs', '2', docs, '--out', stats), 'index');
    const whole = ok(cli('annotate', '--json', '--annotator', 'alice', docs), 'whole');
    const one = ok(cli('annotate', '--json', '--annotator', 'alice', '--corpus-stats', stats, files[4]), 'one file');
    assert.deepEqual(JSON.parse(one), JSON.parse(whole.split('\n')[4]));
    assert.ok(fromDictionary(one) > 0, "alice's name, accepted in another document, from the statistics");
  });

  it('a layer with JSON Lines records is a usage error (records carry their annotations)', () => {
    const jsonl = path.join(work, 'corpus.jsonl');
    folderAsJsonl(files, jsonl);
    for (const args of [['annotate', '--jsonl', '--annotator', 'alice', jsonl], ['export', '--jsonl', '--format', 'text', '--adjudicated', jsonl], ['index', '--jsonl', '--annotator', 'bob', jsonl]]) {
      const r = cli(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /JSON Lines records \(--jsonl\) carry their own annotations/);
    }
  });
});
