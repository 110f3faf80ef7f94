/**
 * Glob patterns for the corpus files (core/text/glob.ts): VS Code's syntax,
 * matched in linear time (the patterns come from the workspace's settings).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileGlob, extensionOf, FileSelection, isGlob } from '../../server/src/core/text/glob';

test('VS Code glob syntax: *, ?, **, {a,b}, [abc], [!abc], relative to the folder', () => {
  const cases: [string, string, boolean][] = [
    ['**/*.txt', 'a.txt', true],
    ['**/*.txt', 'x/y/a.txt', true],
    ['**/*.txt', 'x/y/a.txt.bak', false],
    ['*.txt', 'a.txt', true],
    ['*.txt', 'x/a.txt', false],
    ['articles/**/*.txt', 'articles/a.txt', true],
    ['articles/**/*.txt', 'articles/2024/01/a.txt', true],
    ['articles/**/*.txt', 'other/a.txt', false],
    ['**/node_modules', 'node_modules', true],
    ['**/node_modules', 'a/node_modules', true],
    ['**/node_modules', 'a/node_modulesx', false],
    ['{a,b}/**/x?.txt', 'b/q/x1.txt', true],
    ['{a,b}/**/x?.txt', 'c/q/x1.txt', false],
    ['**/[abc]*.txt', 'z/b1.txt', true],
    ['**/[!abc]*.txt', 'z/b1.txt', false],
    ['**/[a-c]?.txt', 'z/b1.txt', true],
    ['**/**/**/x', 'x', true],
    ['**/**/**/x', 'a/b/x', true],
    ['drafts/', 'drafts', true],
    ['a.b', 'axb', false],
    ['a+b(c)', 'a+b(c)', true],
    ['**', 'any/thing', true],
    ['**/*.{txt,md}', 'q/a.md', true],
    ['x{a,{b,c}}y', 'xcy', true],
    ['*', 'a\nb', true],
    ['./raw/**', 'raw/a/b.txt', true],
    ['مقالات/**/*.txt', 'مقالات/2024/خبر.txt', true],
  ];
  for (const [pattern, p, want] of cases) assert.equal(compileGlob(pattern).matches(p), want, `${pattern} on ${JSON.stringify(p)}`);
});

test('a pattern that backtracking engines take seconds on is matched at once; unreadable patterns are refused with a reason', () => {
  const hostile = compileGlob('a*a*a*a*a*a*a*a*a*b');
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) assert.equal(hostile.matches('a'.repeat(200) + 'c'), false);
  // Not a timing assertion on a noisy machine: a backtracking engine takes minutes here, so a hang shows as a timeout.
  assert.ok(performance.now() - t0 < 60_000);
  for (const bad of ['{a', 'a}', '[ab', '{'.repeat(20) + 'a' + '}'.repeat(20)]) assert.throws(() => compileGlob(bad), /"/);
});

test('FileSelection: endings and globs include, globs exclude files and whole folders, bad entries are reported', () => {
  assert.equal(isGlob('.txt'), false);
  assert.equal(isGlob('notes/*.md'), true);
  const s = new FileSelection(['.txt', 'notes/**/*.md'], ['**/drafts', 'raw/**', '**/*.tmp.txt']);
  assert.ok(s.includes('a.txt') && s.includes('x/y.txt') && s.includes('notes/n/d.md'));
  assert.ok(!s.includes('d.md') && !s.includes('other/d.md'));
  assert.ok(s.excludes('drafts') && s.excludes('a/drafts') && s.excludes('raw/x.txt') && s.excludes('b/c.tmp.txt'));
  assert.ok(!s.excludes('a.txt'));
  assert.ok(s.excludesWithFolders('a/drafts/b/c.txt'), 'a file under an excluded folder');
  assert.ok(!s.excludesWithFolders('a/draftsman/c.txt'));
  const bad = new FileSelection(['[x'], ['{y']);
  assert.equal(bad.problems.length, 2);
});

test('FileSelection: conditional exclusions (files.exclude "when") apply only beside their sibling, as VS Code reads them', () => {
  const s = new FileSelection(['.txt'], ['raw/**'], [
    { pattern: '**/*.txt', when: '$(basename).html' },
    { pattern: 'dumps', when: 'dumps.lock' },
  ]);
  assert.ok(s.hasSiblingConditions);
  const beside = (names: string[]) => (name: string) => names.includes(name);
  assert.ok(s.excludesBySibling('site/a.txt', beside(['a.txt', 'a.html'])), 'a.txt beside a.html');
  assert.ok(!s.excludesBySibling('site/b.txt', beside(['b.txt', 'a.html'])), 'b.txt has no b.html');
  // $(basename) is the name less its last extension: a.b.txt is excluded beside a.b.html, not a.html.
  assert.ok(s.excludesBySibling('a.b.txt', beside(['a.b.html'])));
  assert.ok(!s.excludesBySibling('a.b.txt', beside(['a.html'])));
  assert.ok(!s.excludesBySibling('page.html', beside(['page.html'])), 'only what the pattern matches');
  assert.ok(s.excludesBySibling('dumps', beside(['dumps.lock'])) && !s.excludesBySibling('dumps', beside([])), 'a folder too');
  // The plain exclusions are not conditional, and an unreadable conditional pattern is reported.
  assert.ok(!s.excludesBySibling('raw/c.txt', beside([])) && s.excludesWithFolders('raw/c.txt'));
  assert.ok(!new FileSelection(['.txt']).hasSiblingConditions);
  const bad = new FileSelection(['.txt'], [], [{ pattern: '{x', when: '$(basename).y' }]);
  assert.equal(bad.problems.length, 1);
  assert.ok(!bad.hasSiblingConditions);
  // Which entries a sibling decides when it comes or goes, and the globs a watcher needs for them.
  assert.deepEqual(s.decidedBySibling('a.b.html'), { stems: new Set(['a.b']), all: false });
  assert.deepEqual(s.decidedBySibling('dumps.lock'), { stems: new Set(), all: true });
  assert.deepEqual(s.decidedBySibling('a.txt'), { stems: new Set(), all: false });
  assert.deepEqual(s.siblingGlobPatterns(), ['**/*.html', '**/dumps.lock']);
  const odd = new FileSelection(['.txt'], [], [{ pattern: '*.txt', when: '[$(basename)]{1}.html' }]);
  assert.deepEqual(odd.siblingGlobPatterns(), ['**/[[]*[]][{]1[}].html'], 'glob characters of the name are matched as they are');
  assert.deepEqual(odd.decidedBySibling('[x]{1}.html').stems, new Set(['x']));
  assert.ok(compileGlob(odd.siblingGlobPatterns()[0]).matches('news/[x]{1}.html') && !compileGlob(odd.siblingGlobPatterns()[0]).matches('news/x{1}.html'));
  // The extension is Node's path.extname of the name.
  for (const name of ['a.txt', 'a.tar.gz', '.gitignore', 'a.', '.', '..', '...', '.a.', '..x', 'a..b', 'noext']) assert.equal(extensionOf(name), path.posix.extname(name), name);
});
