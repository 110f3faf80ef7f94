/**
 * The corpus file listing (host/corpus.ts listTextFiles): `.gitignore` files
 * are respected, nested ones relative to their folder; symbolic links are
 * followed, each real folder and file once; a loop or a dangling link is
 * harmless.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listTextFiles as listSync, listTextFilesAsync } from '../../server/src/host/corpus';
import { FileSelection } from '../../server/src/core/text/glob';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-list-'));
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  return root;
}
/**
 * Both walks (the CLI's synchronous one, the server's asynchronous one) on
 * the same tree: they must list the same files and report the same problems.
 */
async function listTextFiles(...args: Parameters<typeof listSync>): Promise<string[]> {
  const [inputs, ext, max] = args;
  const errors: string[][] = [];
  const asyncErrors: string[][] = [];
  const sync = listSync(inputs, ext, max, (p, m) => errors.push([p, m]));
  const later = await listTextFilesAsync(inputs, ext, max, (p, m) => asyncErrors.push([p, m]));
  assert.deepEqual(later, sync, 'the asynchronous walk lists what the synchronous one does');
  assert.deepEqual(asyncErrors, errors);
  for (const [p, m] of errors) args[3]?.(p, m);
  return sync;
}
const rel = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

test('.gitignore: ignored files and folders are left out, negations and nested files apply relative to their folder', async () => {
  const root = tree({
    '.gitignore': 'raw/\n*.tmp.txt\nscratch*.txt\n!scratch-keep.txt\n',
    'a.txt': 'a',
    'b.tmp.txt': 'b',
    'scratch1.txt': 's',
    'scratch-keep.txt': 'k',
    'raw/c.txt': 'c',
    'news/d.txt': 'd',
    'news/.gitignore': 'drafts\n/local.txt\n',
    'news/drafts/e.txt': 'e',
    'news/local.txt': 'l',
    'news/deep/local.txt': 'deep local: only /local.txt at news/ is ignored',
  });
  assert.deepEqual(rel(root, await listTextFiles([root])), ['a.txt', 'news/d.txt', 'news/deep/local.txt', 'scratch-keep.txt']);
});

test('symbolic links are followed once: a linked folder, a loop back up, a linked file, a dangling link', async () => {
  const root = tree({ 'corpus/a.txt': 'a', 'corpus/sub/b.txt': 'b', 'elsewhere/c.txt': 'c' });
  const corpus = path.join(root, 'corpus');
  fs.symlinkSync(path.join(root, 'elsewhere'), path.join(corpus, 'linked'));
  fs.symlinkSync(corpus, path.join(corpus, 'sub', 'loop'));
  fs.symlinkSync(path.join(corpus, 'a.txt'), path.join(corpus, '0-alias-of-a.txt'));
  fs.symlinkSync(path.join(root, 'nowhere.txt'), path.join(corpus, 'dangling.txt'));
  assert.deepEqual(rel(corpus, await listTextFiles([corpus])), ['a.txt', 'linked/c.txt', 'sub/b.txt']);
});

test('maxFiles keeps the first files in sorted order', async () => {
  const root = tree({ 'c.txt': '', 'a.txt': '', 'b.txt': '' });
  assert.deepEqual(rel(root, await listTextFiles([root], ['.txt'], 2)), ['a.txt', 'b.txt']);
});

test('include globs and exclude globs: matched on the path relative to the folder; an excluded folder is not entered', async () => {
  const root = tree({
    'a.txt': 'a',
    'drafts/b.txt': 'b',
    'deep/drafts/c.txt': 'c',
    'raw/d.txt': 'd',
    'notes/2024/e.md': 'e',
    'other/f.md': 'f',
    'g.tmp.txt': 'g',
  });
  try {
    const selection = new FileSelection(['.txt', 'notes/**/*.md'], ['**/drafts', 'raw/**', '*.tmp.txt']);
    assert.deepEqual(rel(root, await listTextFiles([root], selection)), ['a.txt', 'notes/2024/e.md']);
    // The plain endings alone (the CLI's default) list every .txt as before.
    assert.deepEqual(rel(root, await listTextFiles([root])), ['a.txt', 'deep/drafts/c.txt', 'drafts/b.txt', 'g.tmp.txt', 'raw/d.txt']);
    // A file named as an input is listed whatever the patterns say.
    assert.deepEqual(rel(root, await listTextFiles([path.join(root, 'raw', 'd.txt')], selection)), ['raw/d.txt']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("files.exclude's conditional entries leave out a file or folder beside its sibling, in both walks", async () => {
  const root = tree({
    'site/a.txt': 'a',
    'site/a.html': '<p>a</p>',
    'site/b.txt': 'b',
    'c.txt': 'c',
    'c.html': '<p>c</p>',
    'dumps/d.txt': 'd',
    'dumps.lock': '',
    'keep/e.txt': 'e',
  });
  try {
    const selection = new FileSelection(['.txt'], [], [
      { pattern: '**/*.txt', when: '$(basename).html' },
      { pattern: 'dumps', when: 'dumps.lock' },
      { pattern: 'keep', when: 'keep.lock' },
    ]);
    assert.deepEqual(rel(root, await listTextFiles([root], selection)), ['keep/e.txt', 'site/b.txt']);
    // Without the sibling, the same file is a document again.
    fs.rmSync(path.join(root, 'site', 'a.html'));
    assert.deepEqual(rel(root, await listTextFiles([root], selection)), ['keep/e.txt', 'site/a.txt', 'site/b.txt']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an input that does not exist is reported once, the same way by both walks, and the others are listed', async () => {
  const root = tree({ 'a.txt': 'a', 'sub/b.txt': 'b' });
  try {
    const problems: string[] = [];
    const listed = await listTextFiles([path.join(root, 'missing'), root, path.join(root, 'sub', 'b.txt')], ['.txt'], Infinity, (p, m) => problems.push(`${path.basename(p)}: ${m}`));
    assert.deepEqual(rel(root, listed), ['a.txt', 'sub/b.txt']);
    assert.deepEqual(problems, ['missing: no such file or directory']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
