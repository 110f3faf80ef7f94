/**
 * Which files are the corpus, through the bundled server: `workspace.include`
 * (endings and globs), `workspace.exclude` and the editor's `files.exclude`,
 * read at start and again when they change (the corpus is listed again).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexed, makeWorkspace, startServer, uriOf } from './lspClient';

const ARTICLE = 'أعلنت وزارة الخارجية في القاهرة اليوم عن زيارة رسمية.\n';

test('include globs, workspace.exclude and files.exclude decide what is indexed; a change lists the corpus again', { timeout: 120_000 }, async () => {
  const folder = makeWorkspace({
    'a.txt': ARTICLE,
    'drafts/b.txt': ARTICLE,
    'raw/c.txt': ARTICLE,
    'notes/2024/d.md': ARTICLE,
    'other/e.md': ARTICLE,
  });
  const settings: Record<string, unknown> = { workspace: { include: ['.txt', 'notes/**/*.md'], exclude: ['**/drafts'] } };
  const filesExclude: Record<string, unknown> = { 'raw/**': true, '**/*.js': false };
  const s = await startServer(folder, settings, { filesExclude });
  const listed = async (): Promise<string[]> => (await indexed(s)).documents.map((d) => d.uri).sort();
  try {
    assert.deepEqual(await listed(), [uriOf(path.join(folder, 'a.txt')), uriOf(path.join(folder, 'notes', '2024', 'd.md'))]);
    // files.exclude switched off for raw/, and the drafts let in: both come in after the change.
    filesExclude['raw/**'] = false;
    settings.workspace = { include: ['.txt', 'notes/**/*.md'], exclude: [] };
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { newsAnnotator: settings } });
    let now: string[] = [];
    for (let i = 0; i < 100 && now.length !== 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await listed();
    }
    assert.deepEqual(now.map((u) => u.slice(uriOf(folder).length + 1)), ['a.txt', 'drafts/b.txt', 'notes/2024/d.md', 'raw/c.txt']);
    // A pattern the server cannot read is reported, naming the setting; the corpus keeps the defaults.
    settings.workspace = { exclude: ['{broken'] };
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { newsAnnotator: settings } });
    for (let i = 0; i < 100 && !s.messages.some((m) => /workspace\.exclude/.test(m.message)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(s.messages.some((m) => /workspace\.exclude/.test(m.message) && /unclosed "\{"/.test(m.message)), JSON.stringify(s.messages));
  } finally {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("files.exclude's conditional entries: a text beside its HTML page is left out, at start, when a text appears and when a page comes or goes", { timeout: 120_000 }, async () => {
  const folder = makeWorkspace({ 'a.txt': ARTICLE, 'a.html': '<p>a</p>', 'b.txt': ARTICLE });
  const filesExclude: Record<string, unknown> = { '**/*.txt': { when: '$(basename).html' } };
  const settings: Record<string, unknown> = {};
  const s = await startServer(folder, settings, { filesExclude, watchFiles: true });
  const listed = async (): Promise<string[]> => (await indexed(s)).documents.map((d) => path.basename(d.uri)).sort();
  const until = async (want: string[]): Promise<string[]> => {
    let now: string[] = [];
    for (let i = 0; i < 100 && JSON.stringify(now) !== JSON.stringify(want); i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await listed();
    }
    return now;
  };
  const watchingPages = () => [...s.watchers.values()].some((globs) => globs.includes('**/*.html'));
  const changed = (name: string, type: 1 | 2 | 3) => s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(folder, name)), type }] });
  try {
    assert.deepEqual(await listed(), ['b.txt']);
    // The server watches the pages, as VS Code is asked to.
    assert.ok(watchingPages(), JSON.stringify([...s.watchers.values()]));
    // Files made outside the editor reach the server as watched-file events: c.txt has its page, d.txt not.
    fs.writeFileSync(path.join(folder, 'c.html'), '<p>c</p>');
    for (const name of ['c.txt', 'd.txt']) fs.writeFileSync(path.join(folder, name), ARTICLE);
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: ['c.txt', 'd.txt'].map((n) => ({ uri: uriOf(path.join(folder, n)), type: 1 })) });
    assert.deepEqual(await until(['b.txt', 'd.txt']), ['b.txt', 'd.txt']);
    // A page deleted lets its text in; a page saved beside a text takes it out.
    fs.rmSync(path.join(folder, 'a.html'));
    await changed('a.html', 3);
    fs.writeFileSync(path.join(folder, 'b.html'), '<p>b</p>');
    await changed('b.html', 1);
    assert.deepEqual(await until(['a.txt', 'd.txt']), ['a.txt', 'd.txt']);
    // Without the conditional entry the watcher goes and every text is a document.
    delete filesExclude['**/*.txt'];
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { newsAnnotator: settings } });
    assert.deepEqual(await until(['a.txt', 'b.txt', 'c.txt', 'd.txt']), ['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    for (let i = 0; i < 50 && watchingPages(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!watchingPages(), 'the page watcher is unregistered');
  } finally {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
