/** The bundled CLI (dist/cli.js) as a user runs it: output, files written, exit codes. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, cpSlice, makeWorkspace, SAMPLE, SAMPLE_NAME } from './lspClient';

const sample = fs.readFileSync(SAMPLE, 'utf8');

describe('news-annotator CLI', () => {
  it('prints help, and exits 2 on usage errors', () => {
    const h = cli('--help');
    assert.equal(h.status, 0);
    assert.match(h.stdout, /annotate/);
    assert.match(h.stdout, /export --format/);
    assert.match(h.stdout, /import --format/);
    assert.equal(cli().status, 2);
    assert.equal(cli('frobnicate', 'x').status, 2);
    const bad = cli('export', '--format', 'docx', 'x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown format/);
  });

  it('annotates a folder as JSON lines with code point offsets', () => {
    const folder = makeWorkspace({ [SAMPLE_NAME]: sample });
    const r = cli('annotate', '--json', folder);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 1);
    assert.equal(out[0].offsets, 'codepoint');
    const iran = out[0].entities.find((e: { text: string }) => e.text === 'إيران');
    assert.equal(iran.label, 'LOC');
    assert.equal(cpSlice(sample, iran.start, iran.end), 'إيران');
    assert.ok(out[0].boilerplate.some((b: { category: string }) => b.category === 'duplicate'));
    assert.ok(out[0].boilerplate.some((b: { text: string }) => b.text.includes('اثنان × خمسة')));
    const human = cli('annotate', folder);
    assert.match(human.stdout, /LOC\s+إيران/);
    assert.match(human.stdout, /boilerplate captcha/);
  });

  it('reports missing, binary and non-UTF-8 inputs on stderr and exits 1, still processing the rest', () => {
    const folder = makeWorkspace({ 'ok.txt': 'زار الرئيس الفرنسي باكستان.\n', 'bin.txt': Buffer.from([0, 1, 2, 3]), 'cp1256.txt': Buffer.from([0xc7, 0xe1, 0xd1, 0xc6, 0xc7, 0xd3, 0xc9]) });
    const r = cli('annotate', '--json', folder, path.join(folder, 'missing.txt'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing\.txt: no such file/);
    assert.match(r.stderr, /bin\.txt: .*binary/);
    assert.match(r.stderr, /cp1256\.txt: .*not valid UTF-8/);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'the good file is still annotated');
  });

  it('exports with suggestions in every format and imports them back into a fresh corpus', () => {
    const folder = makeWorkspace({ [SAMPLE_NAME]: sample });
    for (const format of ['jsonl', 'conll', 'brat', 'w3c', 'labelstudio', 'spacy', 'text']) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-cli-'));
      const r = cli('export', '--format', format, '--include-suggestions', '--out', out, folder);
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      assert.match(r.stdout, /Exported \d+ annotations from 1 documents/);
      assert.ok(fs.readdirSync(out).length > 0, format);
      if (format === 'jsonl' || format === 'brat' || format === 'labelstudio' || format === 'conll') {
        const fresh = makeWorkspace({ [SAMPLE_NAME]: sample });
        const imp = cli('import', '--format', format, '--into', fresh, out);
        assert.match(imp.stdout, /Imported [1-9]\d* annotations into 1 documents/, `${format}: ${imp.stdout} ${imp.stderr}`);
        const sc = JSON.parse(fs.readFileSync(path.join(fresh, SAMPLE_NAME + '.ann.json'), 'utf8'));
        for (const a of sc.annotations) assert.equal(cpSlice(sample, a.start, a.end), a.text, `${format}: imported offsets`);
        assert.ok(sc.annotations.some((a: { text: string; label?: string }) => a.text === 'إيران' && a.label === 'LOC'), format);
      }
    }
  });
});
