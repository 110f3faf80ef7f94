/**
 * The team's label schema through the bundled server (and the CLI that reads
 * the same file): problems reported on labels.json itself as it is typed and
 * as it is on disk, the schema in force following the saved file, a custom
 * label end to end (manual annotation, refused undeclared labels, descriptions
 * in fixes and hovers, semantic-token family by parent, dictionary
 * suggestions), renamed labels migrated in every sidecar with undo, and the
 * annotation view's layout request.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Hover, SemanticTokens } from 'vscode-languageserver-protocol';
import {
  Command,
  DiagnosticCode,
  LABEL_SCHEMA_PATH,
  Request,
  type BatchResult,
  type DocumentViewResult,
  type EntityDiagnosticData,
  type LabelMigrationPreview,
  type LabelSchema,
  type SidecarAnnotation,
  type UndoResult,
} from '../../server/src/protocol';
import { codeOf, command, indexed, makeWorkspace, open, ROOT, SAMPLE, SAMPLE_NAME, type Session, sidecar, startServer, uriOf } from './lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');

const SCHEMA = {
  labels: [
    { name: 'PER', description: 'A person, named.', key: 'e' },
    { name: 'ORG', description: 'An organisation.' },
    { name: 'LOC', description: 'A place that is not a state.', color: { light: '#2a7f3a', dark: '#7fd18b' } },
    { name: 'GPE', description: 'A country or state; a city counts as LOC.', parent: 'LOC', key: 'g', color: '#9a6324', renamedFrom: ['COUNTRY'] },
  ],
  tags: [{ name: 'genre', values: ['news', 'opinion'] }],
  guidelines: 'GUIDELINES.md',
};

/** A span of `sub` in `text` as the server's span commands take it (code points). */
function span(text: string, sub: string, from = 0): { start: number; end: number; text: string } {
  const u = text.indexOf(sub, from);
  assert.ok(u >= 0, `${sub} not in the text`);
  const start = [...text.slice(0, u)].length;
  return { start, end: start + [...sub].length, text: sub };
}

function lspRange(text: string, sub: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const u = text.indexOf(sub);
  const before = text.slice(0, u).split(/\r\n|\n|\r/);
  const line = before.length - 1;
  return { start: { line, character: before[line].length }, end: { line, character: before[line].length + sub.length } };
}

describe('labels.json: problems on the file itself, the schema in force follows the saved file', () => {
  let folder: string;
  let s: Session;
  let schemaFile: string;
  const changes: number[] = [];

  before(async () => {
    folder = makeWorkspace({ [SAMPLE_NAME]: fs.readFileSync(SAMPLE, 'utf8'), [LABEL_SCHEMA_PATH]: '{ "labels": [ { "name": "PER", "key": "a" }, "ORG", { "name": "bad name" } ] }' });
    schemaFile = path.join(folder, ...LABEL_SCHEMA_PATH.split('/'));
    s = await startServer(folder);
    s.connection.onNotification('newsAnnotator/labelSchemaChanged', () => {
      changes.push(Date.now());
    });
  });
  after(() => s.close());

  it('reports the problems of the file on disk at start, where they are written', async () => {
    const d = await s.waitForDiagnostics(uriOf(schemaFile), (x) => x.length >= 2);
    const text = fs.readFileSync(schemaFile, 'utf8');
    const at = (x: Diagnostic) => text.slice(x.range.start.character, x.range.end.character);
    assert.ok(d.every((x) => codeOf(x) === 'label-schema' && x.source === 'News Corpus Annotator'));
    assert.deepEqual(d.map(at).sort(), ['"a"', '"bad name"'].sort(), JSON.stringify(d));
    const schema = (await s.connection.sendRequest(Request.labelSchema.method, {})) as LabelSchema;
    assert.equal(schema.source, 'file');
    assert.deepEqual(schema.labels.map((l) => l.name), ['PER', 'ORG'], 'the valid labels are used');
  });

  it('checks the open buffer as it is typed, without changing the schema in force until it is saved', async () => {
    const uri = uriOf(schemaFile);
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: '{ "labels": [ "PER" ' } });
    const broken = await s.waitForDiagnostics(uri, (x) => x.some((d) => /JSON syntax/.test(String(d.message))));
    assert.equal(broken.find((d) => /JSON syntax/.test(String(d.message)))!.severity, 1);
    const good = JSON.stringify(SCHEMA, null, 2);
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: good }] });
    const ok = await s.waitForDiagnostics(uri, (x) => !x.some((d) => /JSON syntax/.test(String(d.message))));
    assert.deepEqual(ok.filter((d) => d.severity === 1), [], 'no error in the new text');
    let schema = (await s.connection.sendRequest(Request.labelSchema.method, {})) as LabelSchema;
    assert.deepEqual(schema.labels.map((l) => l.name), ['PER', 'ORG'], 'unsaved edits do not change the schema in force');
    fs.writeFileSync(path.join(folder, 'GUIDELINES.md'), '# Guidelines\n\nGPE: a country.\n');
    fs.writeFileSync(schemaFile, good);
    const before = changes.length;
    await s.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    for (let i = 0; i < 50 && changes.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(changes.length > before, 'labelSchemaChanged was sent');
    schema = (await s.connection.sendRequest(Request.labelSchema.method, {})) as LabelSchema;
    assert.deepEqual(schema.labels.map((l) => l.name), ['PER', 'ORG', 'LOC', 'GPE']);
    assert.equal(schema.guidelines, path.join(folder, 'GUIDELINES.md'));
    assert.deepEqual(schema.labels[3].color, { light: '#9a6324', dark: '#9a6324' });
    assert.deepEqual(schema.tags.map((t) => t.name), ['genre', 'exclude']);
    const clean = await s.waitForDiagnostics(uri, (x) => x.length === 0);
    assert.deepEqual(clean, []);
  });

  it('a file that cannot be used falls back to the settings, never a crash', async () => {
    fs.writeFileSync(schemaFile, '\u0000\u0001 not json');
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(schemaFile), type: 2 }] });
    let schema: LabelSchema | undefined;
    for (let i = 0; i < 50; i++) {
      schema = (await s.connection.sendRequest(Request.labelSchema.method, {})) as LabelSchema;
      if (schema.source === 'settings') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(schema!.source, 'settings');
    assert.deepEqual(schema!.labels.map((l) => l.name), ['PER', 'ORG', 'LOC', 'MISC']);
    // The server still answers.
    const uri = await open(s, path.join(folder, SAMPLE_NAME));
    await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.entity));
  });
});

describe('a custom label end to end through the server', () => {
  let folder: string;
  let s: Session;
  const second = '002_gpe.txt';
  const secondText = 'وصل وفد من باكستان إلى طهران أمس، وقالت مصادر إن باكستان تريد اتفاقا.\n';

  before(async () => {
    folder = makeWorkspace({
      [SAMPLE_NAME]: fs.readFileSync(SAMPLE, 'utf8'),
      [second]: secondText,
      [LABEL_SCHEMA_PATH]: JSON.stringify(SCHEMA),
      'GUIDELINES.md': '# Guidelines\n',
    });
    s = await startServer(folder);
    await indexed(s);
  });
  after(() => s.close());

  it('annotates with GPE, refuses a label the schema does not declare', async () => {
    const file = path.join(folder, SAMPLE_NAME);
    const text = fs.readFileSync(file, 'utf8');
    const uri = await open(s, file);
    await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.entity));
    const ann = await command<SidecarAnnotation>(s, Command.annotateRange, { uri, range: lspRange(text, 'باكستان'), label: 'GPE' });
    assert.equal(ann.label, 'GPE');
    assert.ok(sidecar(file)!.annotations.some((a) => a.label === 'GPE' && a.text === 'باكستان'));
    await assert.rejects(command(s, Command.annotateRange, { uri, range: lspRange(text, 'إيران'), label: 'MISC' }), /not one of the labels \(PER, ORG, LOC, GPE\); add it to labels.json/);
  });

  it('shows descriptions in quick-fix titles and hovers; GPE has the LOC family in semantic tokens', async () => {
    const file = path.join(folder, SAMPLE_NAME);
    const uri = uriOf(file);
    const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.entity));
    const suggestion = d.find((x) => codeOf(x) === DiagnosticCode.entity && (x.data as EntityDiagnosticData).label === 'PER')!;
    const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: suggestion.range, context: { diagnostics: [suggestion] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /as PER \(A person, named\)/.test(t)), titles.join('\n'));
    const gpe = actions.find((a) => /as GPE \(A country or state/.test(a.title));
    assert.ok(gpe, titles.join('\n'));
    assert.match((gpe.command as { tooltip?: string }).tooltip ?? '', /GPE: A country or state; a city counts as LOC\./);
    const text = fs.readFileSync(file, 'utf8');
    const r = lspRange(text, 'باكستان');
    const hover = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: r.start.line, character: r.start.character + 1 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*GPE\*\*/);
    assert.match(value, /A country or state; a city counts as LOC\._ \(under LOC\)/);
    const tokens = (await s.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as SemanticTokens;
    // [deltaLine, deltaStart, length, type, modifiers]: the GPE token has type entity (0) and modifier location (bit 2).
    const gpeToken = tokens.data.slice(0, 5);
    assert.equal(gpeToken[3], 0);
    assert.equal(gpeToken[4], 1 << 2, 'location family');
  });

  it('suggests the accepted GPE name in another document from the dictionary', async () => {
    const uri = await open(s, path.join(folder, second), secondText);
    const d = await s.waitForDiagnostics(uri, (x) => x.some((y) => codeOf(y) === DiagnosticCode.entity && (y.data as EntityDiagnosticData).label === 'GPE'));
    const gpe = d.filter((x) => codeOf(x) === DiagnosticCode.entity && (x.data as EntityDiagnosticData).label === 'GPE').map((x) => x.data as EntityDiagnosticData);
    assert.deepEqual(gpe.map((g) => g.text), ['باكستان', 'باكستان']);
    assert.ok(gpe.every((g) => g.source.includes('dictionary')));
  });

  it('lays the document out for the annotation view: RTL paragraphs, the GPE annotation and the suggestions', async () => {
    const uri = uriOf(path.join(folder, SAMPLE_NAME));
    const v = (await s.connection.sendRequest(Request.documentView.method, { uri })) as DocumentViewResult;
    assert.equal(v.dir, 'rtl');
    assert.ok(v.paragraphs.length > 20);
    assert.ok(v.paragraphs.filter((p) => p.dir === 'rtl').length >= v.paragraphs.length - 2);
    const gpe = v.marks.find((m) => m.status === 'accepted' && m.label === 'GPE');
    assert.ok(gpe && gpe.text === 'باكستان');
    assert.ok(v.marks.some((m) => m.status === 'suggested' && m.kind === 'entity'));
    assert.ok(v.marks.some((m) => m.kind === 'boilerplate'));
    const para = v.paragraphs.find((p) => p.segments.some((x) => x.entity !== undefined && v.marks[x.entity] === gpe));
    assert.ok(para, 'the annotation is drawn in its paragraph');
    assert.equal((await s.connection.sendRequest(Request.documentView.method, { uri: 'file:///nope.txt' })) as null, null);
  });
});

describe('Migrate Renamed Labels: preview, one undoable batch in every sidecar', () => {
  let folder: string;
  let s: Session;
  const files = ['a.txt', 'b.txt', 'c.txt'];
  const text = 'وصل وفد من باكستان إلى طهران أمس.\n';

  before(async () => {
    const entries: Record<string, string> = { [LABEL_SCHEMA_PATH]: JSON.stringify(SCHEMA) };
    for (const f of files) entries[f] = text;
    folder = makeWorkspace(entries);
    // Sidecars written with the old name (COUNTRY) and one name no label claims (STATE).
    const mk = (label: string, sub: string) => ({ id: `a${label}${sub.length}`, kind: 'entity', label, ...span(text, sub), prefix: '', suffix: '', status: 'accepted', source: 'user', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z' });
    const sc = (annotations: unknown[]) => JSON.stringify({ version: 1, document: { path: 'x', sha256: '0'.repeat(64) }, offsets: 'codepoint', annotations });
    fs.writeFileSync(path.join(folder, 'a.txt.ann.json'), sc([mk('COUNTRY', 'باكستان')]));
    fs.writeFileSync(path.join(folder, 'b.txt.ann.json'), sc([mk('COUNTRY', 'باكستان'), mk('STATE', 'طهران')]));
    s = await startServer(folder);
    await indexed(s);
  });
  after(() => s.close());

  it('previews the declared renames with their counts, and the names no label declares', async () => {
    const p = (await s.connection.sendRequest(Request.labelMigration.method, {})) as LabelMigrationPreview;
    assert.deepEqual(p.renames, [{ kind: 'entity', from: 'COUNTRY', to: 'GPE', annotations: 2, documents: 2 }]);
    assert.deepEqual(p.unknown, [{ kind: 'entity', name: 'STATE', annotations: 1, documents: 1 }]);
  });

  it('renames in one batch, keeping ids; undo puts the old name back', async () => {
    const before = sidecar(path.join(folder, 'a.txt'))!.annotations[0];
    const r = await command<BatchResult>(s, Command.migrateLabels, { renames: [{ kind: 'entity', from: 'COUNTRY', to: 'GPE' }] });
    assert.equal(r.documents, 2);
    assert.equal(r.annotations, 2);
    const after = sidecar(path.join(folder, 'a.txt'))!.annotations[0];
    assert.equal(after.label, 'GPE');
    assert.equal(after.id, before.id);
    assert.equal(sidecar(path.join(folder, 'b.txt'))!.annotations.find((a) => a.text === 'طهران')!.label, 'STATE', 'other names are left alone');
    assert.equal(sidecar(path.join(folder, 'c.txt')), null, 'a document without the name is not touched');
    const u = await command<UndoResult>(s, Command.undo, {});
    assert.match(u.description ?? '', /Rename COUNTRY → GPE/);
    assert.equal(sidecar(path.join(folder, 'a.txt'))!.annotations[0].label, 'COUNTRY');
    assert.equal(sidecar(path.join(folder, 'b.txt'))!.annotations.find((a) => a.text === 'باكستان')!.label, 'COUNTRY');
  });

  it('refuses a rename to an undeclared label, or a chain', async () => {
    await assert.rejects(command(s, Command.migrateLabels, { renames: [{ kind: 'entity', from: 'STATE', to: 'NATION' }] }), /"NATION" is not a declared label/);
    await assert.rejects(command(s, Command.migrateLabels, { renames: [{ kind: 'entity', from: 'STATE', to: 'GPE' }, { kind: 'entity', from: 'GPE', to: 'LOC' }] }), /one step/);
  });
});

describe('the CLI reads the same labels.json', () => {
  it('offers only the schema labels and prints the file\'s problems with their line', () => {
    const folder = makeWorkspace({
      [SAMPLE_NAME]: fs.readFileSync(SAMPLE, 'utf8'),
      [LABEL_SCHEMA_PATH]: '{\n  "labels": [\n    "PER",\n    { "name": "GPE", "parent": "LOC" },\n    "LOC",\n    { "name": "x y" }\n  ]\n}\n',
    });
    const r = spawnSync(process.execPath, [CLI, 'annotate', '--json', folder], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /labels\.json:6:15: error: A label name is 1–40 letters/);
    const doc = JSON.parse(r.stdout.trim().split('\n')[0]) as { entities: { label: string }[] };
    const labels = new Set(doc.entities.map((e) => e.label));
    assert.ok(labels.has('PER') && labels.has('LOC'));
    assert.ok(!labels.has('ORG'), 'ORG is not in the schema: its suggestions are not shown');
    // --labels wins over the schema.
    const r2 = spawnSync(process.execPath, [CLI, 'annotate', '--json', '--labels', 'ORG', folder], { encoding: 'utf8' });
    const labels2 = new Set((JSON.parse(r2.stdout.trim().split('\n')[0]) as { entities: { label: string }[] }).entities.map((e) => e.label));
    assert.deepEqual([...labels2], ['ORG']);
  });
});
