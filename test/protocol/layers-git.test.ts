/**
 * The team workflow with real git: two annotators in two clones of one
 * repository write their layers (through the host API the editor uses),
 * commit, and merge — twice, each round editing in parallel — with no
 * conflict in any file. Then `agree` runs on the merged clone. As a control,
 * the same parallel work written to the one shared sidecar does conflict,
 * which is why layers exist.
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sidecar } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar } from '../../server/src/core/annotations/sidecar';
import { emptyLayer, readLayer, writeLayer } from '../../server/src/host/layers';
import { writeSidecarAtomic } from '../../server/src/host/sidecarFiles';
import { ROOT } from './lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');

const TEXTS: Record<string, string> = {
  'news/election.txt': 'Voters in Ohio chose Sherrod Brown over Bernie Moreno.\nSubscribe to our newsletter.\n',
  'news/summit.txt': 'Leaders of NATO met in Vilnius with Volodymyr Zelensky.\n',
  'sport.txt': 'Arsenal beat Chelsea at the Emirates Stadium.\n',
};

function git(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const who = path.basename(cwd);
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: who,
      GIT_AUTHOR_EMAIL: `${who}@example.org`,
      GIT_COMMITTER_NAME: who,
      GIT_COMMITTER_EMAIL: `${who}@example.org`,
      // The machine's and the user's git settings (signing, hooks, pull.rebase…) must not change the scenario.
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: os.devNull,
      GIT_TERMINAL_PROMPT: '0',
    },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function ok(cwd: string, ...args: string[]): string {
  const r = git(cwd, ...args);
  assert.equal(r.status, 0, `git ${args.join(' ')} in ${path.basename(cwd)}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** A bare "origin" with the corpus committed, and two clones named after their annotators. */
function setUp(): { origin: string; alice: string; bob: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-git-'));
  roots.push(root);
  const origin = path.join(root, 'origin.git');
  ok(root, 'init', '--bare', '--initial-branch=main', origin);
  const seed = path.join(root, 'seed');
  ok(root, 'clone', origin, seed);
  for (const [name, text] of Object.entries(TEXTS)) {
    fs.mkdirSync(path.dirname(path.join(seed, name)), { recursive: true });
    fs.writeFileSync(path.join(seed, name), text);
  }
  ok(seed, 'add', '.');
  ok(seed, 'commit', '-m', 'corpus');
  ok(seed, 'push', 'origin', 'HEAD:main');
  const alice = path.join(root, 'alice');
  const bob = path.join(root, 'bob');
  ok(root, 'clone', '--branch', 'main', origin, alice);
  ok(root, 'clone', '--branch', 'main', origin, bob);
  return { origin, alice, bob };
}

/** Adds accepted entities to the annotator's layer of `name` in `clone`, as the editor would (read, change, atomic write). */
function annotate(clone: string, annotator: string, name: string, marks: [string, string][], done: boolean): void {
  const file = path.join(clone, name);
  const text = fs.readFileSync(file, 'utf8');
  const st = readLayer(file, annotator);
  assert.ok(st.status === 'ok' || st.status === 'absent', `${annotator} ${name}: ${st.status}`);
  const base = st.status === 'ok' ? st.sidecar : null;
  let layer: Sidecar = base ?? emptyLayer(file, text, annotator);
  for (const [word, label] of marks) {
    const at = text.indexOf(word);
    const fields = label.startsWith('#')
      ? { kind: 'boilerplate' as const, category: label.slice(1), status: 'accepted' as const, source: 'user' }
      : { kind: 'entity' as const, label, status: 'accepted' as const, source: 'user' };
    layer = { ...layer, annotations: [...layer.annotations, createAnnotation(text, at, at + word.length, fields)] };
  }
  if (done) layer = { ...layer, review: { status: 'done', modified: new Date().toISOString() } };
  writeLayer(file, annotator, layer, { fingerprint: st.status === 'ok' ? st.fingerprint : null, sidecar: base }, { text });
}

function commitAll(clone: string, message: string): void {
  ok(clone, 'add', '-A');
  ok(clone, 'commit', '-m', message);
}

function assertNoConflict(clone: string): void {
  assert.equal(ok(clone, 'diff', '--name-only', '--diff-filter=U'), '', 'no unmerged file');
  assert.equal(ok(clone, 'status', '--porcelain'), '', 'clean work tree after the merge');
  for (const f of ok(clone, 'ls-files').split('\n').filter((n) => n.endsWith('.json')))
    assert.doesNotMatch(fs.readFileSync(path.join(clone, f), 'utf8'), /^(<<<<<<<|=======|>>>>>>>)/m, `${f} has conflict markers`);
}

describe('annotator layers in git', () => {
  it('two annotators in two clones commit their layers and merge twice without a conflict; agree reads the merged corpus', () => {
    const { alice, bob } = setUp();

    // Round 1: both annotate every document in parallel; alice pushes first, bob merges.
    annotate(alice, 'alice', 'news/election.txt', [['Ohio', 'LOC'], ['Sherrod Brown', 'PER'], ['Bernie Moreno', 'PER'], ['Subscribe to our newsletter.', '#subscribe']], true);
    annotate(alice, 'alice', 'news/summit.txt', [['NATO', 'ORG'], ['Vilnius', 'LOC'], ['Volodymyr Zelensky', 'PER']], true);
    annotate(alice, 'alice', 'sport.txt', [['Arsenal', 'ORG'], ['Chelsea', 'ORG']], false);
    commitAll(alice, 'alice: first pass');
    ok(alice, 'push', 'origin', 'main');

    annotate(bob, 'bob', 'news/election.txt', [['Ohio', 'LOC'], ['Sherrod Brown', 'PER'], ['Moreno', 'PER']], true);
    annotate(bob, 'bob', 'news/summit.txt', [['NATO', 'ORG'], ['Vilnius', 'LOC'], ['Zelensky', 'PER']], true);
    annotate(bob, 'bob', 'sport.txt', [['Arsenal', 'ORG'], ['Emirates Stadium', 'LOC']], true);
    commitAll(bob, 'bob: first pass');
    ok(bob, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    assertNoConflict(bob);
    const files = ok(bob, 'ls-files').trim().split('\n').sort();
    assert.deepEqual(files, [
      'news/election.txt',
      'news/election.txt.ann.alice.json',
      'news/election.txt.ann.bob.json',
      'news/summit.txt',
      'news/summit.txt.ann.alice.json',
      'news/summit.txt.ann.bob.json',
      'sport.txt',
      'sport.txt.ann.alice.json',
      'sport.txt.ann.bob.json',
    ], 'the texts and one layer per annotator: no lock, temporary or backup file');
    ok(bob, 'push', 'origin', 'main');

    // Round 2: both revise their own layers of the same document in parallel, then merge the other way round.
    ok(alice, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    annotate(alice, 'alice', 'sport.txt', [['Emirates Stadium', 'LOC']], true);
    commitAll(alice, 'alice: sport done');
    annotate(bob, 'bob', 'sport.txt', [['Chelsea', 'ORG']], true);
    commitAll(bob, 'bob: sport revised');
    ok(bob, 'push', 'origin', 'main');
    ok(alice, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    assertNoConflict(alice);

    // Each annotator's decisions are intact after both merges.
    const sportAlice = readLayer(path.join(alice, 'sport.txt'), 'alice');
    const sportBob = readLayer(path.join(alice, 'sport.txt'), 'bob');
    assert.ok(sportAlice.status === 'ok' && sportBob.status === 'ok');
    assert.deepEqual(sportAlice.sidecar.annotations.map((a) => a.text).sort(), ['Arsenal', 'Chelsea', 'Emirates Stadium']);
    assert.deepEqual(sportBob.sidecar.annotations.map((a) => a.text).sort(), ['Arsenal', 'Chelsea', 'Emirates Stadium']);
    assert.equal(sportAlice.sidecar.annotator, 'alice');
    assert.equal(sportBob.sidecar.review?.status, 'done');

    // The merged clone is a corpus `agree` can read: three documents both marked done.
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
    const r = spawnSync(process.execPath, [CLI, 'agree', '--json', alice], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.annotators, ['alice', 'bob']);
    assert.equal(report.documents.compared, 3);
    // election: Ohio, Sherrod Brown match of 4 and 3; summit: NATO, Vilnius of 3 and 3; sport: all 3 match.
    assert.deepEqual([report.entity.spans.pairs[0].micro.matched, report.entity.spans.pairs[0].micro.spansA, report.entity.spans.pairs[0].micro.spansB], [7, 9, 9]);
  });

  it('control: the same parallel work written to the one shared sidecar conflicts in git', () => {
    const { alice, bob } = setUp();
    const write = (clone: string, word: string): void => {
      const file = path.join(clone, 'sport.txt');
      const text = TEXTS['sport.txt'];
      const at = text.indexOf(word);
      const s = emptySidecar(file, text);
      s.annotations.push(createAnnotation(text, at, at + word.length, { kind: 'entity', label: 'ORG', status: 'accepted', source: 'user' }));
      writeSidecarAtomic(file, s, { fingerprint: null, sidecar: null });
    };
    write(alice, 'Arsenal');
    commitAll(alice, 'alice on the shared sidecar');
    ok(alice, 'push', 'origin', 'main');
    write(bob, 'Chelsea');
    commitAll(bob, 'bob on the shared sidecar');
    const merge = git(bob, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    assert.notEqual(merge.status, 0, 'git reports a conflict');
    assert.match(ok(bob, 'diff', '--name-only', '--diff-filter=U'), /sport\.txt\.ann\.json/);
  });
});
