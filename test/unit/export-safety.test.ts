/** An export never writes over the corpus and never silently drops a document's annotations. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExportRefused, exportFiles, plannedPaths } from '../../server/src/host/export';
import { listTextFiles } from '../../server/src/host/corpus';

function corpus(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-export-safety-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const TEXT = 'زار وزير الخارجية الإيراني باكستان.\nتابعونا على تلغرام\n';

describe('export safety', () => {
  it('plans the files each format writes', () => {
    assert.deepEqual(plannedPaths('jsonl', 'a/b.txt'), ['annotations.jsonl']);
    assert.deepEqual(plannedPaths('brat', 'a/b.txt'), ['a/b.txt', 'a/b.ann']);
    assert.deepEqual(plannedPaths('text', 'a/b.txt'), ['a/b.txt']);
  });

  it('refuses to write cleaned text or brat over the corpus, leaving every byte as it was', () => {
    const dir = corpus({ 'a.txt': TEXT, 'sub/b.txt': TEXT });
    const files = listTextFiles([dir]);
    for (const format of ['text', 'brat'] as const) {
      for (const out of [dir, path.join(dir, 'sub', '..')]) {
        assert.throws(() => exportFiles(files, format, { outDir: out, root: dir, includeSuggestions: true }, [dir]), (e: Error) => e instanceof ExportRefused && /overwrite/.test(e.message));
      }
    }
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), TEXT);
    assert.equal(fs.readFileSync(path.join(dir, 'sub/b.txt'), 'utf8'), TEXT);
  });

  it('allows an output folder inside the corpus when names cannot collide (a single-file format, a fresh subfolder)', () => {
    const dir = corpus({ 'a.txt': TEXT });
    const files = listTextFiles([dir]);
    const r = exportFiles(files, 'jsonl', { outDir: dir, root: dir }, [dir]);
    assert.deepEqual(r.files, [path.join(dir, 'annotations.jsonl')]);
    const clean = exportFiles(files, 'text', { outDir: path.join(dir, 'clean'), root: dir, includeSuggestions: true }, [dir]);
    assert.equal(clean.documents, 1);
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), TEXT);
  });

  it('never writes through a link planted in the output folder', () => {
    const dir = corpus({ 'a.txt': TEXT });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-export-out-'));
    fs.symlinkSync(path.join(dir, 'a.txt'), path.join(out, 'a.txt'));
    assert.throws(() => exportFiles(listTextFiles([dir]), 'text', { outDir: out, root: dir, includeSuggestions: true }, [dir]), /not a regular file/);
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), TEXT);
  });

  it('refuses a corpus with a damaged sidecar, naming it, unless told to skip it', () => {
    const dir = corpus({ 'a.txt': TEXT, 'b.txt': TEXT, 'b.txt.ann.json': '{"version": 1, "annot' });
    const files = listTextFiles([dir]);
    const out = path.join(os.tmpdir(), `nca-export-damaged-${process.pid}`);
    assert.throws(() => exportFiles(files, 'jsonl', { outDir: out, root: dir }, [dir]), (e: Error) => e instanceof ExportRefused && e.message.includes('b.txt.ann.json') && /--skip-damaged/.test(e.message));
    assert.ok(!fs.existsSync(path.join(out, 'annotations.jsonl')), 'nothing was written');
    const skipped: string[] = [];
    const r = exportFiles(files, 'jsonl', { outDir: out, root: dir, skipDamaged: true, onSkip: (f) => skipped.push(path.basename(f)) }, [dir]);
    assert.equal(r.documents, 1);
    assert.deepEqual(skipped, ['b.txt']);
    assert.equal(r.skipped?.length, 1);
    assert.match(r.skipped![0].file, /b\.txt\.ann\.json$/);
  });

  it('says why when the output folder cannot be created', () => {
    const dir = corpus({ 'a.txt': TEXT, 'file-not-folder': 'x' });
    assert.throws(() => exportFiles(listTextFiles([dir]), 'jsonl', { outDir: path.join(dir, 'file-not-folder', 'out'), root: dir }, [dir]), /cannot create the output folder .*(ENOTDIR|EEXIST)/);
  });
});
