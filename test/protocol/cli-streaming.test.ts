/**
 * The bundled CLI (dist/cli.js) as a streaming, parallel tool: JSON Lines
 * through standard input and output, bad lines, `--jobs 2` against `--jobs 1`
 * byte for byte, and `index` / `index --merge` / `--corpus-stats` against one
 * process holding the whole corpus.
 */
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { digestCodeFolder } from '../../server/src/host/dataDigest';
import { cpSlice, ROOT } from './lspClient';
import { ACCEPTED, FOOTERS, folderAsJsonl, writeCorpusFolder } from './streamingCorpus';

const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: string | Buffer, cwd?: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, cwd, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: Run, what: string): string {
  assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

function lines(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every file under a folder, relative name → bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-stream-'));
const docs = path.join(work, 'docs');
const jsonl = path.join(work, 'corpus.jsonl');
let files: string[] = [];
let texts: Map<string, string>;

describe('news-annotator CLI: streaming, --jobs, corpus statistics', () => {
  before(() => {
    files = writeCorpusFolder(docs, 40);
    folderAsJsonl(files, jsonl);
    texts = new Map(files.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')]));
  });

  it('annotates JSON Lines from standard input to standard output, as the same documents in a folder', () => {
    const out = lines(ok(cli(['annotate', '--jsonl', '-'], fs.readFileSync(jsonl)), 'annotate --jsonl -'));
    assert.deepEqual(
      out.map((r) => r.id),
      files.map((f) => path.basename(f)),
      'one line per record, in input order, with its id',
    );
    const byFile = lines(ok(cli(['annotate', '--json', docs]), 'annotate --json folder'));
    for (let i = 0; i < out.length; i++) {
      const { id, ...fromJsonl } = out[i];
      const { file, review: _review, ...fromFolder } = byFile[i];
      assert.equal(path.basename(file as string), id);
      assert.deepEqual(fromJsonl, fromFolder, `${id}: the record's flags are the file's`);
      for (const e of out[i].entities as { start: number; end: number; text: string }[]) assert.equal(cpSlice(texts.get(id as string)!, e.start, e.end), e.text, 'code point offsets');
    }
    const repeated = out.filter((r) => (r.boilerplate as { category: string; text: string }[]).some((b) => b.category === 'repeated' && FOOTERS.some((f) => b.text.includes(f))));
    assert.equal(repeated.length, out.length, 'every footer is repeated boilerplate');
    assert.ok(out.slice(1).some((r) => (r.entities as { text: string; source: string }[]).some((e) => e.text === ACCEPTED.text && e.source.includes('dictionary'))), 'the name accepted in one record is suggested in others');
    // The same through --out FILE, written whole.
    const target = path.join(work, 'flags.jsonl');
    ok(cli(['annotate', '--jsonl', jsonl, '--out', target]), 'annotate --out');
    assert.deepEqual(lines(fs.readFileSync(target, 'utf8')), out);
  });

  it('exports JSON Lines records from standard input: cleaned text, doccano, spaCy, Label Studio', () => {
    const input = fs.readFileSync(jsonl);
    const clean = lines(ok(cli(['export', '--jsonl', '--format', 'text', '-'], input), 'export text'));
    assert.equal(clean.length, files.length);
    for (const r of clean) {
      assert.deepEqual(Object.keys(r), ['id', 'text']);
      assert.ok(!FOOTERS.some((f) => (r.text as string).includes(f)), `${r.id}: the repeated footer is cleaned away`);
      // Every document has at least one article paragraph (over 40 characters), kept as it was.
      const kept = (r.text as string).split('\n').filter((l) => l.trim() !== '');
      assert.ok(kept.some((l) => l.trim().length > 40), `${r.id}: the article is kept`);
      for (const l of kept) assert.ok(texts.get(r.id as string)!.includes(l), `${r.id}: ${l} is a line of the document`);
    }
    const doccano = lines(ok(cli(['export', '--jsonl', '--format', 'jsonl', '--include-suggestions', '-'], input), 'export jsonl'));
    const spacy = lines(ok(cli(['export', '--jsonl', '--format', 'spacy', '--include-suggestions', '-'], input), 'export spacy'));
    const ls = lines(ok(cli(['export', '--jsonl', '--format', 'labelstudio', '--include-suggestions', '-'], input), 'export labelstudio'));
    for (let i = 0; i < files.length; i++) {
      const id = path.basename(files[i]);
      const text = texts.get(id)!;
      assert.equal(doccano[i].id, id);
      assert.equal(spacy[i].id, id);
      assert.equal(ls[i].id, id);
      for (const [s, e, label] of doccano[i].label as [number, number, string][]) assert.ok(cpSlice(text, s, e).length > 0 && label.length > 0);
      assert.ok((doccano[i].boilerplate as [number, number, string][]).some(([s, e, c]) => c === 'repeated' && FOOTERS.some((f) => cpSlice(text, s, e).includes(f))), `${id}: footer`);
      for (const sp of spacy[i].spans as { start: number; end: number; label: string }[]) assert.ok(cpSlice(text, sp.start, sp.end).length > 0);
      const results = (ls[i].annotations as { result: { id: string; value: { start: number; end: number; text: string } }[] }[])[0].result;
      assert.ok(results.length > 0);
      for (const [k, res] of results.entries()) {
        assert.equal(res.id, `r${k + 1}`);
        assert.equal(cpSlice(text, res.value.start, res.value.end), res.value.text);
      }
    }
    // Without suggestions, only the record's own accepted annotations.
    const accepted = lines(ok(cli(['export', '--jsonl', '--format', 'jsonl', jsonl]), 'export jsonl accepted'));
    const first = texts.get(path.basename(files[0]))!;
    const at = [...first.slice(0, first.indexOf(ACCEPTED.text))].length;
    assert.deepEqual(accepted[0].label, [[at, at + [...ACCEPTED.text].length, ACCEPTED.label]]);
    assert.ok(accepted.slice(1).every((r) => (r.label as unknown[]).length === 0));
  });

  it('reports bad lines with their line numbers, processes the rest, and exits 1', () => {
    const good = fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean);
    const badAnnotation = JSON.stringify({ id: 'bad-ann', text: 'زار الرئيس باكستان.', annotations: [{ id: 'x', kind: 'entity', start: 4, end: 2, text: 'ر', prefix: '', suffix: '', label: 'LOC', status: 'accepted', source: 'user', created: 'yesterday', modified: '2026-01-01T00:00:00Z' }] });
    const input = Buffer.concat([
      Buffer.from([good[0], 'this is not JSON', '', JSON.stringify({ text: 'no id' }), JSON.stringify({ id: 7, text: 42 }), badAnnotation, JSON.stringify({ id: 'nul', text: 'a\u0000b' }), ''].join('\n')),
      Buffer.from([0xc7, 0xe1, 0xd1, 0x0a]),
      Buffer.from(good[1] + '\r\n' + good[2]),
    ]);
    const r = cli(['annotate', '--jsonl', '-'], input);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(
      lines(r.stdout).map((l) => l.id),
      [good[0], good[1], good[2]].map((l) => JSON.parse(l).id),
      'the good lines are annotated (CRLF and a last line without a line break included)',
    );
    assert.match(r.stderr, /^news-annotator: -:2: not JSON/m);
    assert.match(r.stderr, /^news-annotator: -:4: "id" must be a non-empty string or a number/m);
    assert.match(r.stderr, /^news-annotator: -:5: record 7: "text" must be a string/m);
    assert.match(r.stderr, /^news-annotator: -:6: record "bad-ann": annotations\[0\]\.end: end \(2\) is before start \(4\); annotations\[0\]\.created: expected an ISO 8601 timestamp/m);
    assert.match(r.stderr, /^news-annotator: -:7: record "nul": .*NUL/m);
    assert.match(r.stderr, /^news-annotator: -:8: not valid UTF-8/m);
    assert.doesNotMatch(r.stderr, /-:3:/, 'a blank line is no record and no error');
    // Export: same lines, same verdicts.
    const e = cli(['export', '--jsonl', '--format', 'text', '-'], input);
    assert.equal(e.status, 1);
    assert.equal(lines(e.stdout).length, 3);
    assert.equal(e.stderr.split('\n').filter((l) => /^news-annotator: -:\d+:/.test(l)).length, 6);
  });

  it('--jobs 2 writes exactly what --jobs 1 writes: annotate, and export in every format', () => {
    // A binary file among the documents: both report it the same way and exit 1.
    const withBad = path.join(work, 'with-bad');
    fs.cpSync(docs, withBad, { recursive: true });
    fs.writeFileSync(path.join(withBad, 'doc00007b.txt'), Buffer.from([0, 1, 2]));
    const one = cli(['annotate', '--json', '--jobs', '1', withBad]);
    const two = cli(['annotate', '--json', '--jobs', '2', withBad]);
    assert.equal(one.status, 1);
    assert.equal(two.status, 1);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.stderr, one.stderr);
    assert.equal(lines(one.stdout).length, files.length);
    // Three bytes 00 01 02 are refused as UTF-16 or as binary: not text either way.
    assert.match(one.stderr, /doc00007b\.txt: .*(binary|UTF-8 only)/);
    assert.equal(ok(cli(['annotate', '--jobs', '2', docs]), 'readable, 2 jobs'), ok(cli(['annotate', '--jobs', '1', docs]), 'readable, 1 job'));
    assert.equal(ok(cli(['annotate', '--jsonl', '--jobs', '2', jsonl]), 'jsonl, 2 jobs'), ok(cli(['annotate', '--jsonl', '--jobs', '1', jsonl]), 'jsonl, 1 job'));
    for (const format of ['jsonl', 'conll', 'w3c', 'labelstudio', 'brat', 'text', 'spacy']) {
      const a = path.join(work, `export-${format}-1`);
      const b = path.join(work, `export-${format}-2`);
      const ra = cli(['export', '--format', format, '--include-suggestions', '--json', '--jobs', '1', '--out', a, docs]);
      const rb = cli(['export', '--format', format, '--include-suggestions', '--json', '--jobs', '2', '--out', b, docs]);
      ok(ra, `${format}, 1 job`);
      ok(rb, `${format}, 2 jobs`);
      const [sa, sb] = [JSON.parse(ra.stdout), JSON.parse(rb.stdout)];
      assert.equal(sb.documents, files.length);
      assert.deepEqual({ ...sb, out: '', files: [] }, { ...sa, out: '', files: [] }, `${format}: the summaries`);
      const ta = tree(a);
      const tb = tree(b);
      assert.deepEqual([...tb.keys()].sort(), [...ta.keys()].sort(), `${format}: the same files`);
      for (const [name, bytes] of ta) assert.ok(bytes.equals(tb.get(name)!), `${format}: ${name} byte for byte`);
    }
    // Standard output, and JSON Lines records.
    assert.equal(ok(cli(['export', '--format', 'w3c', '--include-suggestions', '--jobs', '2', '--out', '-', docs]), 'w3c to stdout'), fs.readFileSync(path.join(work, 'export-w3c-1', 'annotations.jsonld'), 'utf8'));
    for (const format of ['labelstudio', 'text']) {
      assert.equal(ok(cli(['export', '--jsonl', '--format', format, '--include-suggestions', '--jobs', '2', jsonl]), `${format} records, 2 jobs`), ok(cli(['export', '--jsonl', '--format', format, '--include-suggestions', '--jobs', '1', jsonl]), `${format} records, 1 job`));
    }
  });

  it('index, index --merge and --corpus-stats give what one process holding the whole corpus gives', () => {
    const all = fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean);
    // The first part holds the document whose sidecar accepts the name; the others do not.
    const parts = [all.slice(0, 13), all.slice(13, 30), all.slice(30)].map((p, i) => {
      const f = path.join(work, `part${i}.jsonl`);
      fs.writeFileSync(f, p.join('\n') + '\n');
      return f;
    });
    const stats = parts.map((p, i) => {
      const f = path.join(work, `part${i}.stats.json`);
      ok(cli(['index', '--jsonl', i === 1 ? '-' : p, '--out', f], i === 1 ? fs.readFileSync(p) : undefined), `index part ${i}`);
      return f;
    });
    const whole = ok(cli(['index', '--jsonl', '--jobs', '2', jsonl]), 'index whole');
    const merged = path.join(work, 'merged.json');
    ok(cli(['index', '--merge', stats[2], stats[0], stats[1], '--out', merged]), 'merge');
    assert.equal(fs.readFileSync(merged, 'utf8'), whole, 'parts merged in any order = the whole, byte for byte');
    assert.equal(ok(cli(['index', '--merge', stats[0], stats[1], stats[2]]), 'merge to stdout'), whole);
    const s = JSON.parse(whole);
    assert.equal(s.format, 'news-annotator/corpus-stats');
    assert.equal(s.documents, files.length);
    // What found the names: the bundle's version and the digest of the core it was built from.
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.ok(s.analysis.startsWith(`${version}+${digestCodeFolder(path.join(ROOT, 'server', 'src', 'core'))}|shipped:`), s.analysis);
    // The folder gives the same statistics as its records.
    assert.equal(ok(cli(['index', docs]), 'index folder'), whole);

    const wholeRun = ok(cli(['annotate', '--jsonl', jsonl]), 'annotate whole');
    const pieces = parts.map((p, i) => ok(cli(['annotate', '--jsonl', '--corpus-stats', merged, i === 2 ? '-' : p], i === 2 ? fs.readFileSync(p) : undefined), `annotate part ${i}`));
    assert.equal(pieces.join(''), wholeRun, 'each part with the statistics flags what the whole corpus flags, record for record');
    const exported = parts.map((p) => ok(cli(['export', '--jsonl', '--format', 'jsonl', '--include-suggestions', '--corpus-stats', merged, p]), 'export part'));
    assert.equal(exported.join(''), ok(cli(['export', '--jsonl', '--format', 'jsonl', '--include-suggestions', jsonl]), 'export whole'));

    // What only the statistics reveal: the repeated footers, and the name accepted in another part's sidecar.
    const alone = lines(ok(cli(['annotate', '--jsonl', parts[2]]), 'part 2 alone'));
    const withStats = lines(pieces[2]);
    const repeated = (rs: Record<string, unknown>[]): number => rs.reduce((n, r) => n + (r.boilerplate as { category: string }[]).filter((b) => b.category === 'repeated').length, 0);
    const dictionary = (rs: Record<string, unknown>[]): number => rs.reduce((n, r) => n + (r.entities as { source: string }[]).filter((e) => e.source.includes('dictionary')).length, 0);
    assert.ok(repeated(withStats) > repeated(alone), `repeated with the statistics: ${repeated(withStats)}, alone: ${repeated(alone)}`);
    assert.equal(dictionary(alone), 0);
    assert.ok(dictionary(withStats) > 0, 'the dictionary from another part');
    // A single file of the folder, with the folder's statistics.
    const folderStats = path.join(work, 'folder.stats.json');
    ok(cli(['index', docs, '--out', folderStats]), 'index folder to file');
    const one = lines(ok(cli(['annotate', '--json', '--corpus-stats', folderStats, files[5]]), 'one file'));
    const inWhole = lines(ok(cli(['annotate', '--json', docs]), 'folder')).find((r) => r.file === path.join(docs, path.basename(files[5])));
    assert.deepEqual({ ...one[0], file: '' }, { ...inWhole, file: '' });
  });

  it('refuses what cannot be right: usage errors exit 2, statistics of another analysis, an output over an input', () => {
    const usage: [string[], RegExp][] = [
      [['annotate', '--jobs', '0', docs], /--jobs must be a whole number from 1/],
      [['annotate', '--jobs', 'two', docs], /--jobs must be a whole number/],
      [['export', '--jsonl', '--format', 'conll', jsonl], /--jsonl writes one record per document/],
      [['export', '--format', 'jsonl', '--corpus-stats', 'x.json', docs], /--corpus-stats shapes suggestions/],
      [['export', '--format', 'brat', '--out', '-', docs], /brat writes two files per document/],
      [['annotate', '--json', '--jsonl', jsonl], /--json and --jsonl/],
      [['annotate', '-', '-'], /standard input\) can be given once/],
      [['annotate', '--corpus-stats', path.join(work, 'missing.json'), docs], /--corpus-stats .*missing\.json: no such file/],
      [['annotate', '--corpus-stats', jsonl, docs], /--corpus-stats .*: /],
      [['index', '--merge', '--jsonl', 'a.json'], /--jsonl does not apply/],
      [['index', '--frobnicate', docs], /Unknown option/],
      [['import', '--format', 'brat', '--into', docs, '--jobs', '-1', docs], /--jobs/],
    ];
    for (const [args, message] of usage) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
    }
    const stats = path.join(work, 'per-only.json');
    ok(cli(['index', '--labels', 'PER', docs, '--out', stats]), 'index with other labels');
    const other = cli(['annotate', '--corpus-stats', stats, docs]);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /made by another analysis/);
    // Merging needs every part, of one analysis.
    const bad = cli(['index', '--merge', stats, path.join(work, 'folder.stats.json'), path.join(work, 'nope.json')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /different analyses/);
    assert.match(bad.stderr, /nope\.json: no such file/);
    assert.match(bad.stderr, /nothing written/);
    // An output file that is an input: refused, the input untouched.
    const before = fs.readFileSync(jsonl);
    const clobber = cli(['annotate', '--jsonl', jsonl, '--out', jsonl]);
    assert.equal(clobber.status, 1);
    assert.match(clobber.stderr, /is one of the inputs/);
    assert.ok(fs.readFileSync(jsonl).equals(before));
  });

  it('imports with --jobs 2 exactly as with --jobs 1', () => {
    const exported = path.join(work, 'to-import');
    ok(cli(['export', '--format', 'brat', '--include-suggestions', '--out', exported, docs]), 'export brat');
    const results = [1, 2].map((jobs) => {
      const target = path.join(work, `import-${jobs}`);
      fs.mkdirSync(target, { recursive: true });
      for (const f of files) fs.copyFileSync(f, path.join(target, path.basename(f)));
      const r = cli(['import', '--format', 'brat', '--json', '--jobs', String(jobs), '--into', target, exported]);
      const summary = JSON.parse(ok(r, `import, ${jobs} jobs`));
      const sidecars = files.map((f) => {
        const p = path.join(target, path.basename(f) + '.ann.json');
        // Ids are random and times are now: what was imported is the rest.
        return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')).annotations as Record<string, unknown>[]).map(({ id: _i, created: _c, modified: _m, ...a }) => a) : null;
      });
      return { summary: { ...summary, into: '', updated: (summary.updated as string[]).map((u) => path.basename(u)) }, sidecars, stderr: r.stderr };
    });
    assert.ok(results[0].summary.imported > files.length, 'annotations were imported');
    assert.deepEqual(results[1], results[0]);
  });
});
