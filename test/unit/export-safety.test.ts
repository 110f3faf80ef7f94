/** An export never writes over the corpus and never silently drops a document's annotations. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExportRefused, exportFiles, exportFilesAsync, plannedPaths } from '../../server/src/host/export';
import { EXPORT_FORMATS } from '../../server/src/protocol';
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

  it('writes the same bytes in every format whether it pauses between documents (the server) or not (the CLI)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`d${i}.txt`] = `${TEXT}قال الرئيس ${i} إن إيران وباكستان تتعاونان.\n`;
    const dir = corpus(files);
    const list = listTextFiles([dir]);
    for (const format of EXPORT_FORMATS) {
      const a = path.join(os.tmpdir(), `nca-export-sync-${process.pid}-${format}`);
      const b = path.join(os.tmpdir(), `nca-export-async-${process.pid}-${format}`);
      const sync = exportFiles(list, format, { outDir: a, root: dir, includeSuggestions: true }, [dir]);
      // A slice of 0 ms: it gives way after every document.
      const cooperative = await exportFilesAsync(list, format, { outDir: b, root: dir, includeSuggestions: true }, [dir], { sliceMs: 0 });
      assert.equal(cooperative.documents, sync.documents, format);
      assert.equal(cooperative.annotations, sync.annotations, format);
      assert.deepEqual(cooperative.files.map((f) => path.relative(b, f)), sync.files.map((f) => path.relative(a, f)), format);
      for (const f of sync.files) assert.equal(fs.readFileSync(path.join(b, path.relative(a, f)), 'utf8'), fs.readFileSync(f, 'utf8'), `${format}: ${path.relative(a, f)}`);
      // The detectors' suggestions are in it (the part that takes time).
      if (format === 'jsonl') assert.match(fs.readFileSync(sync.files[0], 'utf8'), /"LOC"/);
    }
  });

  it('stops a cancelled export at the next document and still closes its files', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`d${i}.txt`] = TEXT;
    const dir = corpus(files);
    const list = listTextFiles([dir]);
    for (const format of ['labelstudio', 'jsonl'] as const) {
      const out = path.join(os.tmpdir(), `nca-export-cancel-${process.pid}-${format}`);
      let asked = 0;
      // Cancelled once the sidecar check (a question per file) and three documents are behind it.
      const r = await exportFilesAsync(list, format, { outDir: out, root: dir }, [dir], { sliceMs: 0, isCancelled: () => ++asked > list.length + 3 });
      assert.equal(r.cancelled, true, format);
      assert.equal(r.documents, 4, format);
      const written = fs.readFileSync(r.files[0], 'utf8');
      if (format === 'labelstudio') assert.equal((JSON.parse(written) as unknown[]).length, 4);
      else assert.equal(written.trim().split('\n').length, 4);
    }
    // Cancelled during the sidecar check: nothing is written.
    const none = path.join(os.tmpdir(), `nca-export-cancel-early-${process.pid}`);
    const early = await exportFilesAsync(list, 'jsonl', { outDir: none, root: dir }, [dir], { isCancelled: () => true });
    assert.equal(early.cancelled, true);
    assert.deepEqual(early.files, []);
    assert.equal(fs.existsSync(none), false);
  });
});
