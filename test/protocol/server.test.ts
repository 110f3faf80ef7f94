/**
 * Protocol tests: the bundled server (`node dist/server.js --stdio`) driven
 * through a real LSP connection, as any editor would drive it.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { Command, DiagnosticCode, PRODUCT_NAME, type EntityDiagnosticData, type ExportResult, type Sidecar } from '../../server/src/protocol';
import { codeOf, cpSlice, makeWorkspace, open, ROOT, SAMPLE, SAMPLE_NAME, startServer, type Session } from './lspClient';

const sampleText = fs.readFileSync(SAMPLE, 'utf8');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'sidecar.schema.json'), 'utf8'));

function entity(diags: Diagnostic[], text: string, label?: string): Diagnostic | undefined {
  return diags.find((d) => codeOf(d) === DiagnosticCode.entity && (d.data as EntityDiagnosticData).text === text && (!label || (d.data as EntityDiagnosticData).label === label));
}

function readSidecar(file: string): Sidecar {
  return JSON.parse(fs.readFileSync(file + '.ann.json', 'utf8')) as Sidecar;
}

function validate(sidecar: unknown): void {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const ok = ajv.validate(schema, sidecar);
  assert.ok(ok, `sidecar does not match schema/sidecar.schema.json: ${ajv.errorsText()}`);
}

async function codeActionsFor(s: Session, uri: string, d: Diagnostic): Promise<CodeAction[]> {
  return (await s.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d], only: undefined },
  })) as CodeAction[];
}

async function run(s: Session, action: CodeAction): Promise<unknown> {
  assert.ok(action.command, `action "${action.title}" has no command`);
  return s.connection.sendRequest('workspace/executeCommand', { command: action.command.command, arguments: action.command.arguments });
}

describe('language server on the sample article', () => {
  let s: Session;
  let file: string;
  let uri: string;
  let diags: Diagnostic[];

  before(async () => {
    const folder = makeWorkspace({ [SAMPLE_NAME]: sampleText });
    file = path.join(folder, SAMPLE_NAME);
    s = await startServer(folder);
    uri = await open(s, file);
    diags = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.entity));
  });
  after(() => s.close());

  it('flags the expected entities with labels, as Information/Hint from the product', () => {
    const expected: [string, string][] = [
      ['إيران', 'LOC'],
      ['باكستان', 'LOC'],
      ['غزة', 'LOC'],
      ['الضفة الغربية', 'LOC'],
      ['راسك', 'LOC'],
      ['حسين أمير عبد اللهيان', 'PER'],
      ['جيلاني', 'PER'],
      ['جيش العدل', 'ORG'],
    ];
    for (const [text, label] of expected) assert.ok(entity(diags, text, label), `missing ${label} ${text}; got ${diags.filter((d) => codeOf(d) === 'entity').map((d) => d.message).join(' | ')}`);
    for (const d of diags.filter((x) => codeOf(x) === DiagnosticCode.entity)) {
      assert.equal(d.source, PRODUCT_NAME);
      assert.ok(d.severity === 3 || d.severity === 4, 'entity severity must be Information or Hint');
      const data = d.data as EntityDiagnosticData;
      assert.ok(['PER', 'ORG', 'LOC', 'MISC'].includes(data.label));
      assert.equal(cpSlice(sampleText, data.start, data.end), data.text, 'data offsets are code points into the text');
      assert.ok(data.confidence > 0 && data.confidence <= 1);
    }
  });

  it('excludes the conjunction from وباكستان', () => {
    const line = sampleText.split('\n').findIndex((l) => l.includes('وباكستان'));
    const d = diags.find((x) => codeOf(x) === 'entity' && x.range.start.line === line && (x.data as EntityDiagnosticData).text.endsWith('باكستان'));
    assert.ok(d, 'Pakistan inside وباكستان is flagged');
    assert.equal((d.data as EntityDiagnosticData).text, 'باكستان');
  });

  it('flags the footer lines 27–39 and one duplicated lead paragraph as boilerplate', () => {
    const bp = diags.filter((d) => codeOf(d) === DiagnosticCode.boilerplate);
    for (const d of bp) {
      assert.equal(d.severity, 4, 'boilerplate is a Hint');
      assert.ok(d.tags?.includes(1), 'boilerplate carries the Unnecessary tag');
      assert.ok((d.data as { category: string }).category);
      assert.ok((d.data as { reason: string }).reason);
    }
    const covered = (line: number) => bp.some((d) => d.range.start.line <= line && line <= d.range.end.line);
    const lines = sampleText.split('\n');
    for (let l = 26; l <= 38; l++) if (lines[l].trim()) assert.ok(covered(l), `line ${l + 1} "${lines[l]}" is not flagged`);
    const dup = bp.filter((d) => (d.data as { category: string }).category === 'duplicate');
    assert.ok(dup.some((d) => d.range.start.line === 2 || d.range.start.line === 4), 'one of lines 3/5 is a duplicate');
    assert.ok(!(covered(2) && covered(4)), 'only one of the two duplicated paragraphs is flagged');
    for (let l = 6; l <= 24; l++) if (lines[l].trim()) assert.ok(!covered(l), `article line ${l + 1} must not be boilerplate`);
  });

  it('offers linked quick fixes; accepting writes a schema-valid sidecar and removes the suggestion', async () => {
    const iran = entity(diags, 'إيران', 'LOC')!;
    const actions = await codeActionsFor(s, uri, iran);
    const accept = actions.find((a) => a.command?.command === Command.accept && a.isPreferred);
    assert.ok(accept, 'an accept action');
    assert.equal(accept.kind, 'quickfix');
    assert.deepEqual(accept.diagnostics?.map((d) => d.range), [iran.range]);
    assert.ok(actions.some((a) => a.command?.command === Command.accept && a.title.includes('PER')), 'accept with another label');
    assert.ok(actions.some((a) => a.command?.command === Command.reject), 'reject');
    assert.ok(actions.some((a) => a.command?.command === Command.annotateAll), 'annotate every mention');

    await run(s, accept);
    const sidecar = readSidecar(file);
    validate(sidecar);
    assert.equal(sidecar.version, 1);
    assert.equal(sidecar.offsets, 'codepoint');
    assert.equal(sidecar.document.sha256, createHash('sha256').update(sampleText, 'utf8').digest('hex'));
    const a = sidecar.annotations.find((x) => x.text === 'إيران');
    assert.ok(a);
    assert.equal(a.status, 'accepted');
    assert.equal(a.label, 'LOC');
    assert.equal(a.kind, 'entity');
    assert.equal(cpSlice(sampleText, a.start, a.end), 'إيران');
    assert.ok(sampleText.includes(a.prefix + a.text + a.suffix), 'prefix + text + suffix occur in the text');
    assert.ok(!Number.isNaN(Date.parse(a.created)) && !Number.isNaN(Date.parse(a.modified)));

    const after = await s.waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'entity' && x.range.start.line === iran.range.start.line && x.range.start.character === iran.range.start.character));
    assert.ok(after.some((d) => codeOf(d) === 'entity'), 'other suggestions remain');
  });

  it('reject hides the span; annotate-all covers every mention; the sidecar stays deterministic', async () => {
    const d1 = entity(s.diagnostics.get(uri)!.diagnostics, 'غزة')!;
    const actions = await codeActionsFor(s, uri, d1);
    await run(s, actions.find((a) => a.command?.command === Command.reject)!);
    await s.waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'entity' && x.range.start.line === d1.range.start.line && x.range.start.character === d1.range.start.character));
    const rejected = readSidecar(file).annotations.filter((a) => a.status === 'rejected');
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].text, 'غزة');

    const pk = entity(s.diagnostics.get(uri)!.diagnostics, 'باكستان')!;
    const all = (await codeActionsFor(s, uri, pk)).find((a) => a.command?.command === Command.annotateAll)!;
    await run(s, all);
    const pakistan = readSidecar(file).annotations.filter((a) => a.text === 'باكستان' && a.status === 'accepted');
    // Mentions: the name alone or behind proclitics (وباكستان), not inside الباكستاني.
    const mentions = [...sampleText.matchAll(/(?<![\p{L}\p{M}])[وفبكل]{0,3}باكستان(?![\p{L}\p{M}])/gu)].length;
    assert.ok(mentions >= 3);
    assert.equal(pakistan.length, mentions, 'every mention of باكستان is annotated');
    for (const a of pakistan) assert.equal(cpSlice(sampleText, a.start, a.end), 'باكستان');

    const raw = fs.readFileSync(file + '.ann.json', 'utf8');
    assert.ok(raw.endsWith('\n') && raw.includes('\n  "'), 'pretty-printed');
    const sorted = [...readSidecar(file).annotations].sort((a, b) => a.start - b.start || a.end - b.end);
    assert.deepEqual(readSidecar(file).annotations.map((a) => a.id), sorted.map((a) => a.id), 'annotations sorted by offset');
  });

  it('annotates any selection with a label through a code action', async () => {
    const line = sampleText.split('\n').findIndex((l) => l.includes('مقر للشرطة'));
    const col = sampleText.split('\n')[line].indexOf('مقر للشرطة');
    const range = { start: { line, character: col }, end: { line, character: col + 'مقر للشرطة'.length } };
    const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } })) as CodeAction[];
    const org = actions.find((a) => a.command?.command === Command.annotateRange && a.title.includes('ORG'));
    assert.ok(org, 'annotate selection as ORG');
    await run(s, org);
    assert.ok(readSidecar(file).annotations.some((a) => a.text === 'مقر للشرطة' && a.label === 'ORG' && a.source === 'user'));
  });

  it('returns accepted annotations as semantic tokens for editors without our client', async () => {
    const r = (await s.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as { data: number[] };
    assert.ok(r.data.length >= 5 && r.data.length % 5 === 0);
    // First token: line 0, character 0, length 5 (إيران), type 0 (entity), modifier bit of "location".
    assert.deepEqual(r.data.slice(0, 5), [0, 0, 5, 0, 1 << 2]);
  });

  it('hovers an entity with label, normal form, provenance, confidence and mention counts', async () => {
    const d = entity(s.diagnostics.get(uri)!.diagnostics, 'جيلاني') ?? entity(s.diagnostics.get(uri)!.diagnostics, 'جليل عباس جيلاني')!;
    const h = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: d.range.start })) as Hover;
    const text = typeof h.contents === 'string' ? h.contents : 'value' in h.contents ? h.contents.value : '';
    assert.match(text, /PER/);
    assert.match(text, /normalised/);
    assert.match(text, /confidence/);
    assert.match(text, /mentions: \d+ in this document; \d+ in \d+ of \d+ workspace documents/);
  });

  it('hovers boilerplate with its category and why', async () => {
    const bp = s.diagnostics.get(uri)!.diagnostics.find((d) => codeOf(d) === 'boilerplate')!;
    const h = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: bp.range.start })) as Hover;
    const text = typeof h.contents === 'string' ? h.contents : 'value' in h.contents ? h.contents.value : '';
    assert.match(text, /Boilerplate/);
    assert.match(text, /Why:/);
  });

  it('boilerplate quick fixes mark and unmark blocks', async () => {
    const diagsNow = s.diagnostics.get(uri)!.diagnostics;
    const captcha = diagsNow.find((d) => codeOf(d) === 'boilerplate' && d.range.start.line === 36)!;
    const actions = await codeActionsFor(s, uri, captcha);
    await run(s, actions.find((a) => a.command?.command === Command.markBoilerplate)!);
    const related = diagsNow.find((d) => codeOf(d) === 'boilerplate' && d.range.start.line === 30)!;
    await run(s, (await codeActionsFor(s, uri, related)).find((a) => a.command?.command === Command.unmarkBoilerplate)!);
    const anns = readSidecar(file).annotations.filter((a) => a.kind === 'boilerplate');
    assert.ok(anns.some((a) => a.category === 'captcha' && a.status === 'accepted'));
    assert.ok(anns.some((a) => a.category === 'none' && a.text === 'مقالات ذات صلة'));
    validate(readSidecar(file));
  });

  it('exports in every format, and each output parses', async () => {
    const formats = ['jsonl', 'conll', 'brat', 'w3c', 'text', 'labelstudio', 'spacy'] as const;
    for (const format of formats) {
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), `nca-out-${format}-`));
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.export, arguments: [{ format, outDir }] })) as ExportResult;
      assert.equal(r.documents, 1, format);
      assert.ok(r.files.length >= 1, format);
      for (const f of r.files) assert.ok(fs.statSync(f).size > 0, `${format}: ${f} is empty`);
      const content = r.files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      switch (format) {
        case 'jsonl':
        case 'spacy':
          for (const line of content.split('\n').filter(Boolean)) JSON.parse(line);
          assert.match(content, /إيران/);
          break;
        case 'w3c':
        case 'labelstudio':
          for (const f of r.files) JSON.parse(fs.readFileSync(f, 'utf8'));
          break;
        case 'conll':
          for (const line of content.split('\n')) {
            if (!line || line.startsWith('-DOCSTART-') || line.startsWith('#')) continue;
            assert.match(line, /^\S+\t(O|[BIES]-[A-Z]+)$/, `CoNLL line: ${line}`);
          }
          assert.match(content, /إيران\tB-LOC/);
          break;
        case 'brat': {
          const ann = r.files.find((f) => f.endsWith('.ann'))!;
          const txt = r.files.find((f) => f.endsWith('.txt'))!;
          assert.equal(fs.readFileSync(txt, 'utf8'), sampleText);
          for (const line of fs.readFileSync(ann, 'utf8').split('\n').filter(Boolean)) {
            if (line.startsWith('A')) {
              assert.match(line, /^A\d+\t\S+ T\d+( \S+)?$/, `brat attribute line: ${line}`);
              continue;
            }
            const m = /^T\d+\t(\S+) (\d+) (\d+)\t(.*)$/.exec(line);
            assert.ok(m, `brat line: ${line}`);
            assert.equal(cpSlice(sampleText, +m[2], +m[3]), m[4]);
          }
          break;
        }
        case 'text':
          assert.ok(!content.includes('اثنان × خمسة'), 'cleaned text drops the captcha');
          assert.ok(content.includes('جيش العدل'), 'cleaned text keeps the article');
          break;
      }
    }
  });
});

describe('bad input', () => {
  let s: Session;
  before(async () => {
    const folder = makeWorkspace({
      'binary.txt': Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0xff, 0x00]),
      'latin1.txt': Buffer.from('Caf\xe9 \xe0 Paris, Fran\xe7ois Hollande a dit.', 'latin1'),
      'big.txt': 'Paris. '.repeat(3000),
      'crlf.txt': '\uFEFF😀 وزار الرئيس الفرنسي إيمانويل ماكرون باكستان.\r\n\r\nثم زار 𝕏 إيران\u202B يوم الاثنين.\r\n',
    });
    s = await startServer(folder, { maxFileSizeKB: 16 });
  });
  after(() => s.close());

  for (const [name, problem] of [
    ['binary.txt', /binary/],
    ['latin1.txt', /UTF-8/],
    ['big.txt', /limit/],
  ] as const) {
    it(`refuses ${name} with a clear message and writes no sidecar`, async () => {
      const file = path.join(s.folder, name);
      const text = fs.readFileSync(file).toString('utf8');
      const uri = await open(s, file, text);
      const d = await s.waitForDiagnostics(uri);
      assert.equal(d.length, 1);
      assert.equal(codeOf(d[0]), DiagnosticCode.inputRefused);
      assert.match(d[0].message as string, problem);
      await assert.rejects(
        s.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri, label: 'LOC', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } }] }),
      );
      assert.ok(!fs.existsSync(file + '.ann.json'));
    });
  }

  it('keeps offsets exact with a BOM, CRLF, emoji, astral letters and bidi controls', async () => {
    const file = path.join(s.folder, 'crlf.txt');
    // Editors strip the BOM before handing text to the server.
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const uri = await open(s, file, text);
    const diags = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'entity'));
    assert.ok(diags.some((d) => codeOf(d) === DiagnosticCode.inputNotice && /bidirectional/.test(d.message as string)), 'bidi controls are reported');
    const lines = text.split('\r\n');
    for (const d of diags.filter((x) => codeOf(x) === 'entity')) {
      const data = d.data as EntityDiagnosticData;
      const byRange = lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
      assert.equal(byRange, data.text, 'LSP range (UTF-16) covers the text');
      assert.equal(cpSlice(text, data.start, data.end), data.text, 'data offsets (code points) cover the text');
    }
    const iran = diags.find((d) => codeOf(d) === 'entity' && (d.data as EntityDiagnosticData).text === 'إيران');
    assert.ok(iran, 'إيران after 𝕏 on a CRLF line is found');
    assert.equal(iran.range.start.line, 2);
    const actions = await codeActionsFor(s, uri, iran);
    await run(s, actions.find((a) => a.command?.command === Command.accept)!);
    const sc = readSidecar(file);
    const a = sc.annotations[0];
    assert.equal(cpSlice(text, a.start, a.end), 'إيران');
    assert.equal(a.start, [...text.slice(0, text.indexOf('إيران'))].length, 'code point offset, not UTF-16');
    assert.notEqual(a.start, text.indexOf('إيران'), 'the text has astral characters before the name, so the units differ');
  });
});

describe('sidecar safety and edits', () => {
  it('reports a damaged sidecar, keeps it, and refuses to overwrite it', async () => {
    const folder = makeWorkspace({ 'a.txt': 'زار الرئيس الفرنسي باكستان.\n', 'a.txt.ann.json': '{"version": 1, "annotations": [ broken' });
    const s = await startServer(folder);
    try {
      const file = path.join(folder, 'a.txt');
      const uri = await open(s, file);
      const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.sidecarError));
      assert.ok(d.some((y) => codeOf(y) === DiagnosticCode.sidecarError));
      await assert.rejects(
        s.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri, label: 'LOC', range: { start: { line: 0, character: 19 }, end: { line: 0, character: 26 } } }] }),
      );
      assert.equal(fs.readFileSync(file + '.ann.json', 'utf8'), '{"version": 1, "annotations": [ broken');
      assert.ok(fs.readdirSync(folder).some((f) => f.includes('.bak')), 'a backup copy is kept aside');
    } finally {
      await s.close();
    }
  });

  it('moves annotations with edits and writes them on save; re-anchors when the file changed on disk', async () => {
    const text = 'قال وزير الخارجية إن باكستان ستتعاون.\n';
    const folder = makeWorkspace({ 'b.txt': text });
    const file = path.join(folder, 'b.txt');
    let s = await startServer(folder);
    let uri = await open(s, file);
    await s.waitForDiagnostics(uri);
    const col = text.indexOf('باكستان');
    await s.connection.sendRequest('workspace/executeCommand', {
      command: Command.annotateRange,
      arguments: [{ uri, label: 'LOC', range: { start: { line: 0, character: col }, end: { line: 0, character: col + 7 } } }],
    });
    assert.equal(readSidecar(file).annotations[0].start, [...text].indexOf('ب', col - 1));
    // Insert a line (with an emoji) before the annotation, then save.
    const inserted = 'عاجل 🚨\n';
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: inserted }],
    });
    const newText = inserted + text;
    fs.writeFileSync(file, newText);
    await s.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await waitFor(() => readSidecar(file).annotations[0].start !== [...text].indexOf('ب', col - 1));
    const a = readSidecar(file).annotations[0];
    assert.equal(cpSlice(newText, a.start, a.end), 'باكستان');
    assert.equal(readSidecar(file).document.sha256, createHash('sha256').update(newText).digest('hex'));
    await s.close();

    // Changed behind the editor's back: re-anchored by text and context when opened.
    const changed = 'مقدمة جديدة تماما.\n' + newText;
    fs.writeFileSync(file, changed);
    s = await startServer(folder);
    uri = await open(s, file);
    await s.waitForDiagnostics(uri);
    const r = (await s.connection.sendRequest('newsAnnotator/documentAnnotations', { uri })) as { annotations: { text: string; range: { start: { line: number; character: number } } }[] };
    assert.equal(r.annotations[0].text, 'باكستان');
    assert.equal(r.annotations[0].range.start.line, 2);
    await s.close();
  });

  it('never loses the work of another writer (the CLI or a second window) that changed the sidecar meanwhile', async () => {
    const text = 'التقى وزير خارجية إيران نظيره الباكستاني في إسلام آباد.\n';
    const folder = makeWorkspace({ 'c.txt': text });
    const file = path.join(folder, 'c.txt');
    const a = await startServer(folder);
    const b = await startServer(folder);
    try {
      const ua = await open(a, file);
      const ub = await open(b, file);
      await a.waitForDiagnostics(ua);
      await b.waitForDiagnostics(ub);
      const at = (w: string) => ({ start: { line: 0, character: text.indexOf(w) }, end: { line: 0, character: text.indexOf(w) + w.length } });
      await a.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri: ua, label: 'LOC', range: at('إيران') }] });
      await b.connection.sendRequest('workspace/executeCommand', { command: Command.annotateRange, arguments: [{ uri: ub, label: 'LOC', range: at('إسلام آباد') }] });
      const texts = readSidecar(file).annotations.map((x) => x.text).sort();
      assert.deepEqual(texts, ['إسلام آباد', 'إيران']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('corpus-wide knowledge', () => {
  it('flags a footer that recurs across many files as repeated, with the count in the hover', async () => {
    const files: Record<string, string> = {};
    const footer = 'جميع الحقوق محفوظة لموقع الأخبار اليومية 2024';
    const subjects = ['الوزير', 'المتحدث', 'السفير', 'المدير', 'الخبير', 'النائب', 'القاضي', 'المحافظ', 'الرئيس', 'المستشار', 'الأمين', 'المندوب'];
    const topics = ['الاقتصاد', 'الطاقة', 'الزراعة', 'التعليم', 'الصحة', 'النقل', 'المياه', 'السياحة', 'الصناعة', 'التجارة', 'الإسكان', 'الثقافة'];
    for (let i = 0; i < 12; i++) {
      const [a, b, c] = [subjects[i], topics[i], topics[(i + 5) % 12]];
      files[`n${i}.txt`] = `${a} يبحث ملف ${b}\n\nقال ${a} اليوم إن المفاوضات بشأن ${b} ستستأنف الأسبوع المقبل في العاصمة، وأضاف أن الوفد سيضم خبراء في ${c} و${b}.\n\n${footer}\n`;
    }
    const folder = makeWorkspace(files);
    const s = await startServer(folder);
    try {
      const file = path.join(folder, 'n3.txt');
      const uri = await open(s, file);
      const diags = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'boilerplate' && (x.data as { category: string }).category === 'repeated'), 30000);
      const rep = diags.find((x) => codeOf(x) === 'boilerplate' && (x.data as { category: string }).category === 'repeated')!;
      assert.equal(rep.range.start.line, 4);
      const h = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: rep.range.start })) as Hover;
      const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
      assert.match(value, /Appears in 12 of 12 files/);
    } finally {
      await s.close();
    }
  });

  it('suggests a name accepted in one file wherever it occurs in another', async () => {
    const name = 'زبرجد كوثراني';
    const folder = makeWorkspace({
      'x.txt': `وصرح ${name} للصحفيين بأن الاتفاق قريب.\n`,
      'y.txt': `وفي سياق متصل، نفى ${name} صحة التقارير.\n`,
    });
    const s = await startServer(folder);
    try {
      const fx = path.join(folder, 'x.txt');
      const ux = await open(s, fx);
      await s.waitForDiagnostics(ux);
      const text = fs.readFileSync(fx, 'utf8');
      const c = text.indexOf(name);
      await s.connection.sendRequest('workspace/executeCommand', {
        command: Command.annotateRange,
        arguments: [{ uri: ux, label: 'PER', range: { start: { line: 0, character: c }, end: { line: 0, character: c + name.length } } }],
      });
      const uy = await open(s, path.join(folder, 'y.txt'));
      const d = await s.waitForDiagnostics(uy, (x) => x.some((y) => codeOf(y) === 'entity' && (y.data as EntityDiagnosticData).text === name));
      const hit = d.find((y) => (y.data as EntityDiagnosticData).text === name)!;
      assert.equal((hit.data as EntityDiagnosticData).label, 'PER');
    } finally {
      await s.close();
    }
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}


