/**
 * Hostile and unlucky inputs against the bundled server and CLI (issue 10):
 * exports that would destroy the corpus or drop annotations, settings and
 * model files that would hang or kill the server, labels from nowhere, CLI
 * usage errors and odd file names, malformed LSP traffic. Each test
 * reproduces what went wrong before the fix.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, DiagnosticCode, SIDECAR_SUFFIX } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { codeOf, makeWorkspace, open, ROOT, SERVER, startServer } from '../protocol/lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const ARTICLE = 'زار وزير الخارجية الإيراني باكستان يوم الاثنين والتقى نظيره في إسلام آباد.\n\nتابعونا على تلغرام\n';

function cli(args: string[], opts: { asUser?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const cmd = opts.asUser !== undefined ? ['setpriv', `--reuid=${opts.asUser}`, `--regid=${opts.asUser}`, '--clear-groups', process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A sidecar with one accepted entity on the first occurrence of `name`. */
function annotate(file: string, name: string, label: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const start = [...text.slice(0, text.indexOf(name))].length;
  const sc = emptySidecar(file, text);
  sc.annotations.push(createAnnotation(text, start, start + [...name].length, { kind: 'entity', label, status: 'accepted', source: 'user' }));
  fs.writeFileSync(file + SIDECAR_SUFFIX, serializeSidecar(sc));
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of fs.readdirSync(dir)) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isFile()) out[n] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

describe('exports never destroy and never drop', () => {
  it('refuses to export cleaned text or brat into the corpus itself; every byte stays', () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE, 'b.txt': ARTICLE.replace('الاثنين', 'الثلاثاء') });
    annotate(path.join(dir, 'a.txt'), 'باكستان', 'LOC');
    const before = snapshot(dir);
    for (const format of ['text', 'brat']) {
      const r = cli(['export', '--format', format, '--include-suggestions', '--out', dir, dir]);
      assert.equal(r.status, 1, `${format}: ${r.stdout}`);
      assert.match(r.stderr, /refusing to export .* would overwrite/);
    }
    assert.deepEqual(snapshot(dir), before);
    const jsonl = cli(['export', '--format', 'jsonl', '--out', dir, dir]);
    assert.equal(jsonl.status, 0, 'a single-file format cannot collide with the corpus');
  });

  it('fails naming a damaged sidecar; --skip-damaged exports the rest and says what it left out', () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE, 'b.txt': ARTICLE });
    annotate(path.join(dir, 'a.txt'), 'باكستان', 'LOC');
    fs.writeFileSync(path.join(dir, 'b.txt' + SIDECAR_SUFFIX), '{"version": 1, "document": {"path": "b.txt", "sha');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-rel-out-'));
    const r = cli(['export', '--format', 'jsonl', '--out', out, dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /b\.txt\.ann\.json/);
    assert.ok(!fs.existsSync(path.join(out, 'annotations.jsonl')), 'nothing written');
    const skip = cli(['export', '--format', 'jsonl', '--skip-damaged', '--json', '--out', out, dir]);
    assert.equal(skip.status, 0, skip.stderr);
    const summary = JSON.parse(skip.stdout);
    assert.equal(summary.documents, 1);
    assert.equal(summary.skipped.length, 1);
    assert.match(summary.skipped[0].file, /b\.txt\.ann\.json$/);
    assert.match(skip.stderr, /b\.txt: left out/);
  });

  it('exits 1 with the reason when the output folder cannot be created', () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE, 'blocker': 'a file where a folder should be' });
    const r = cli(['export', '--format', 'jsonl', '--out', path.join(dir, 'blocker', 'out'), dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot create the output folder/);
  });
});

describe('CLI usage errors exit 2 with a message; inputs that cannot be read exit 1', () => {
  const dir = makeWorkspace({ 'a.txt': ARTICLE });
  for (const args of [
    ['import', '--format', 'xml', '--into', dir, dir],
    ['import', '--format', 'conll', '--scheme', 'bogus', '--into', dir, dir],
    ['annotate', '--max-size-kb', 'abc', dir],
    ['annotate', '--max-size-kb', '-5', dir],
    ['annotate', '--min-confidence', '7', dir],
    ['annotate', '--format', 'conll', dir],
    ['export', '--format', 'jsonl', '--scheme', 'bioes', dir],
    ['export', '--format', 'jsonl', '--frobnicate', dir],
    ['stats', '--include-suggestions', dir],
    ['annotate'],
  ]) {
    it(args.join(' ').replace(dir, 'DIR'), () => {
      const r = cli(args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /news-annotator: .+/);
      assert.equal(r.stdout, '');
    });
  }

  it('names a folder it cannot read instead of skipping it silently', { skip: process.getuid?.() !== 0 ? 'needs root to run the CLI as another user' : false }, () => {
    const d = makeWorkspace({ 'a.txt': ARTICLE, 'locked/b.txt': ARTICLE });
    fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(d, 'a.txt'), 0o644);
    fs.chmodSync(path.join(d, 'locked'), 0o000);
    try {
      const r = cli(['annotate', '--json', d], { asUser: 65534 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /locked: folder cannot be read \(EACCES\)/);
      assert.equal(r.stdout.trim().split('\n').length, 1, 'the readable file is still annotated');
    } finally {
      fs.chmodSync(path.join(d, 'locked'), 0o755);
    }
  });
});

describe('any file name the file system allows survives every format and the import round trip', () => {
  const names = ['new\nline.txt', 'quote"d.txt', 'tab\there.txt', '-leading-dash.txt', ' leading space.txt', 'back\\slash.txt', '$(touch pwned).txt', 'trailing space .txt', '"quoted".txt'];
  const texts = names.map((_, i) => ARTICLE.replace('الاثنين', `الاثنين ${i + 1}`));

  it('exports every format and imports jsonl, brat, labelstudio and conll back onto the right file', () => {
    const files: Record<string, string> = {};
    names.forEach((n, i) => (files[n] = texts[i]));
    const dir = makeWorkspace(files);
    for (const n of names) annotate(path.join(dir, n), 'باكستان', 'LOC');
    for (const format of ['jsonl', 'conll', 'brat', 'w3c', 'labelstudio', 'spacy', 'text']) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-names-'));
      const r = cli(['export', '--format', format, '--json', '--out', out, dir]);
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).documents, names.length, format);
      assert.ok(!fs.existsSync(path.join(process.cwd(), 'pwned')), 'no name is ever run by a shell');
      if (!['jsonl', 'brat', 'labelstudio', 'conll'].includes(format)) continue;
      const fresh: Record<string, string> = {};
      names.forEach((n, i) => (fresh[n] = texts[i]));
      const into = makeWorkspace(fresh);
      const imp = cli(['import', '--format', format, '--json', '--into', into, out]);
      assert.equal(imp.status, 0, `${format} import: ${imp.stderr}`);
      for (const n of names) {
        const sc = JSON.parse(fs.readFileSync(path.join(into, n + SIDECAR_SUFFIX), 'utf8'));
        assert.ok(sc.annotations.some((a: { text: string; label: string }) => a.text === 'باكستان' && a.label === 'LOC'), `${format}: ${JSON.stringify(n)}`);
      }
    }
  });
});

describe('the server against hostile settings and model files', () => {
  it('a 100,004-label setting is refused with one message; code actions and hovers still answer', async () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE });
    const s = await startServer(dir, { labels: Array.from({ length: 100_004 }, (_, i) => `LABEL${i}`) });
    try {
      const uri = await open(s, path.join(dir, 'a.txt'));
      const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.entity));
      const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d[0].range, context: { diagnostics: [d[0]] } })) as unknown[];
      assert.ok(actions.length > 0 && actions.length < 30, `${actions.length} code actions`);
      assert.ok(s.messages.some((m) => /labels: 100004 labels; at most 64/.test(m.message)), JSON.stringify(s.messages));
    } finally {
      await s.close();
    }
  });

  it('a model path naming a FIFO, or a 10 GB file, is refused at once and the shipped model is used', async () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE });
    const mk = spawnSync('mkfifo', [path.join(dir, 'model.fifo')]);
    assert.equal(mk.status, 0, 'mkfifo');
    const big = path.join(dir, 'huge.json');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 10 * 1024 ** 3); // sparse: no disk used
    for (const [modelPath, why] of [['model.fifo', /not a regular file/], ['huge.json', /over the 256 MB limit/]] as const) {
      const s = await startServer(dir, { entities: { modelPath } });
      try {
        const uri = await open(s, path.join(dir, 'a.txt'));
        const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.entity));
        assert.ok(d.some((y) => (y.data as { text?: string })?.text === 'باكستان'), 'the shipped model tags');
        assert.ok(s.messages.some((m) => why.test(m.message)), `${modelPath}: ${JSON.stringify(s.messages)}`);
      } finally {
        await s.close();
      }
    }
  });

  it('labels from nowhere and 1,000-character labels never reach a sidecar', async () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE });
    const s = await startServer(dir);
    try {
      const uri = await open(s, path.join(dir, 'a.txt'));
      await s.waitForDiagnostics(uri);
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
      for (const label of ['EVIL', 'X'.repeat(1000), '<script>']) {
        await assert.rejects(s.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri, range, label }] }));
      }
      assert.ok(!fs.existsSync(path.join(dir, 'a.txt' + SIDECAR_SUFFIX)));
    } finally {
      await s.close();
    }
  });
});

describe('malformed LSP traffic', () => {
  it('clamps out-of-range and reversed change positions, and republishes correctly after a full resync', async () => {
    const dir = makeWorkspace({ 'a.txt': ARTICLE });
    const s = await startServer(dir);
    try {
      const uri = await open(s, path.join(dir, 'a.txt'));
      await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.entity));
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [
          { range: { start: { line: 999, character: 0 }, end: { line: 1000, character: 5 } }, text: 'X' },
          { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 4 } }, text: '' },
          { range: { start: { line: -3, character: -1 }, end: { line: 0, character: 'x' } }, text: '' },
        ],
      });
      await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: ARTICLE }] });
      const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.entity) && true);
      const lines = ARTICLE.split('\n');
      for (const x of d) {
        const data = x.data as { text?: string } | undefined;
        if (codeOf(x) !== DiagnosticCode.entity || !data?.text) continue;
        assert.equal(x.range.start.line, x.range.end.line);
        assert.equal(lines[x.range.start.line].slice(x.range.start.character, x.range.end.character), data.text, 'ranges match the text after the resync');
      }
    } finally {
      await s.close();
    }
  });

  it('answers again after a malformed Content-Length header', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const frame = (o: object): string => {
      const body = JSON.stringify(o);
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    try {
      child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
      child.stdin.write('Content-Length: twelve\r\n\r\n{"jsonrpc":"2.0"}');
      child.stdin.write('Bogus header without colon\r\n\r\n');
      child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      for (let i = 0; i < 300 && !/"id":2/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /"id":1/);
      assert.match(out, /"id":2/, `no answer after the bad header; stderr: ${err}`);
      assert.match(err, /Dropped a malformed LSP message/);
    } finally {
      child.kill();
    }
  });

  it('answers at once after closing a 3.5 MB document', async () => {
    // Long one-word lines: a large file that is quick to analyse, so the test measures the close, not the tagger.
    const big = Array.from({ length: 33_000 }, () => 'ب'.repeat(54)).join('\n') + '\n';
    assert.ok(Buffer.byteLength(big) > 3.5e6);
    const dir = makeWorkspace({ 'big.txt': big, 'a.txt': ARTICLE });
    // Entities off: the tagger's cost on such a file is measured by the benchmarks; here only the close matters.
    const s = await startServer(dir, { maxFileSizeKB: 8192, entities: { enabled: false } });
    try {
      const uri = await open(s, path.join(dir, 'big.txt'), big);
      await s.waitForDiagnostics(uri, () => true, 120_000);
      const a = await open(s, path.join(dir, 'a.txt'));
      await s.waitForDiagnostics(a);
      await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      // A hang guard, not a timing: the answer must come back, the close must not hold the server.
      const hover = await Promise.race([
        s.connection.sendRequest('textDocument/hover', { textDocument: { uri: a }, position: { line: 0, character: 30 } }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 30 s of the close')), 30_000)),
      ]);
      void hover;
    } finally {
      await s.close();
    }
  });
});
