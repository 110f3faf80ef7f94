/**
 * Annotator layers: file names (pure), the schema and validator fields
 * `annotator` and `review`, and layers on disk with the sidecar's guarantees
 * (atomic, merged, damaged ones kept and never overwritten).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { ANNOTATOR_NAME_PATTERN, layerSuffix, type Sidecar } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import {
  isAnnotationFileName,
  isAnnotatorName,
  layerOwnerOf,
  layerOwnerProblem,
  layerPathOf,
  parseLayerPath,
  reviewStatusOf,
} from '../../server/src/core/annotations/layers';
import { emptySidecar, parseSidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { validateSidecar } from '../../server/src/core/annotations/validate';
import { emptyLayer, layerPath, listLayers, loadLayers, readLayer, writeLayer } from '../../server/src/host/layers';
import { readSidecar, sidecarPath, SidecarFileError, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';
import { listTextFiles } from '../../server/src/host/corpus';

const TEXT = 'Ann met Bob in Rome.\n';
const T0 = new Date('2026-03-01T00:00:00.000Z');
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));

function tmpDoc(name = 'article.txt'): string {
  const dir = fs.mkdtempSync(path.join(ROOT, 'case-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, TEXT);
  return p;
}
function withEntity(s: Sidecar, word: string, label: string, id: string): Sidecar {
  const at = TEXT.indexOf(word);
  return { ...s, annotations: [...s.annotations, createAnnotation(TEXT, at, at + word.length, { kind: 'entity', label, status: 'accepted', source: 'user' }, T0, id)] };
}

// ---------------------------------------------------------------------------
// Names

test('annotator names: letters, digits, _ and - only; the suffix refuses anything else', () => {
  for (const ok of ['alice', 'Bob_2', 'a-b', '0']) {
    assert.ok(isAnnotatorName(ok), ok);
    assert.equal(layerSuffix(ok), `.ann.${ok}.json`);
  }
  for (const bad of ['', 'a b', '../x', 'a/b', 'a.b', 'é', 'a\\b', 'x\n']) {
    assert.ok(!isAnnotatorName(bad), JSON.stringify(bad));
    assert.ok(!ANNOTATOR_NAME_PATTERN.test(bad));
    assert.throws(() => layerSuffix(bad), RangeError);
    assert.throws(() => layerPathOf('/c/a.txt', bad), RangeError);
  }
});

test('layer file names: built and parsed back; the adjudicated sidecar is the layer without annotator', () => {
  assert.equal(layerPathOf('/c/sub/a.txt', 'alice'), '/c/sub/a.txt.ann.alice.json');
  assert.equal(layerPathOf('/c/sub/a.txt', null), '/c/sub/a.txt.ann.json');
  assert.equal(sidecarPath('/c/a.txt', 'bob'), '/c/a.txt.ann.bob.json');
  assert.equal(sidecarPath('/c/a.txt'), '/c/a.txt.ann.json');
  assert.deepEqual(parseLayerPath('/c/sub/a.txt.ann.alice.json'), { textPath: '/c/sub/a.txt', annotator: 'alice' });
  assert.deepEqual(parseLayerPath('/c/sub/a.txt.ann.json'), { textPath: '/c/sub/a.txt', annotator: null });
  assert.deepEqual(parseLayerPath('a.b.c.ann.x-1.json'), { textPath: 'a.b.c', annotator: 'x-1' });
  for (const not of ['/c/a.txt', '/c/a.txt.json', '/c/a.txt.ann.bad name.json', '/c/.ann.json', '/c/.ann.bob.json', '/c/a.txt.ann.alice.json.bak'])
    assert.equal(parseLayerPath(not), null, not);
  for (const a of ['alice', 'b_2']) assert.deepEqual(parseLayerPath(layerPathOf('x/y.txt', a)), { textPath: 'x/y.txt', annotator: a });
  // Relative to a known text file there is no ambiguity.
  assert.equal(layerOwnerOf('a.txt', 'a.txt.ann.bob.json'), 'bob');
  assert.equal(layerOwnerOf('a.txt', 'a.txt.ann.json'), null);
  assert.equal(layerOwnerOf('a.txt', 'b.txt.ann.bob.json'), undefined);
  assert.equal(layerOwnerOf('a.txt', 'a.txt.ann.b.o.b.json'), undefined);
  assert.equal(layerOwnerOf('a.txt', 'a.txt.ann.bob.json.damaged-1.bak'), undefined);
});

test('annotation files are never corpus texts, whatever endings are included', () => {
  for (const name of ['a.txt.ann.json', 'a.txt.ann.bob.json', 'a.txt.ann.bob.json.damaged-20260101T000000000Z.bak', 'a.txt.ann.json.damaged-x-1.bak'])
    assert.ok(isAnnotationFileName(name), name);
  for (const name of ['a.txt', 'notes.json', 'a.json.bak', 'annotations.jsonl']) assert.ok(!isAnnotationFileName(name), name);
  const dir = path.dirname(tmpDoc('a.txt'));
  for (const n of ['a.txt.ann.json', 'a.txt.ann.bob.json', 'a.txt.ann.bob.json.damaged-1.bak', 'notes.json']) fs.writeFileSync(path.join(dir, n), '{}');
  assert.deepEqual(listTextFiles([dir], ['.txt', '.json', '.bak']).map((p) => path.basename(p)), ['a.txt', 'notes.json']);
});

// ---------------------------------------------------------------------------
// Format: `annotator` and `review`

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schema/sidecar.schema.json'), 'utf8'));
const schemaValidate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

test('schema and validator accept a layer with annotator and review, and reject the same bad values', () => {
  const layer: Sidecar = {
    ...withEntity(emptyLayer('a.txt', TEXT, 'alice'), 'Rome', 'LOC', 'r1'),
    review: { status: 'done', modified: '2026-03-01T10:00:00.000Z' },
  };
  const json: Record<string, unknown> = JSON.parse(serializeSidecar(layer));
  assert.deepEqual(Object.keys(json), ['version', 'annotator', 'document', 'offsets', 'review', 'annotations'], 'fixed key order, owner first');
  assert.ok(schemaValidate(json), JSON.stringify(schemaValidate.errors));
  assert.ok(validateSidecar(json).ok);
  assert.ok(schemaValidate({ ...json, review: { status: 'in-progress' } }), 'modified is optional');
  assert.ok(validateSidecar({ ...json, review: { status: 'in-progress' } }).ok);
  const mutations: ((o: Record<string, any>) => void)[] = [
    (o) => (o.annotator = ''),
    (o) => (o.annotator = 'a b'),
    (o) => (o.annotator = 7),
    (o) => (o.review = 'done'),
    (o) => (o.review = {}),
    (o) => (o.review = { status: 'finished' }),
    (o) => (o.review = { status: 'done', modified: 'yesterday' }),
  ];
  mutations.forEach((m, i) => {
    const o = JSON.parse(JSON.stringify(json));
    m(o);
    assert.equal(schemaValidate(o), false, `schema accepted mutation ${i}`);
    const v = validateSidecar(o);
    assert.equal(v.ok, false, `validator accepted mutation ${i}`);
    if (!v.ok) assert.match(v.errors.join(';'), /^(annotator|review)/);
  });
  assert.equal(reviewStatusOf(emptySidecar('a.txt', TEXT)), 'todo', 'no review means todo');
  assert.equal(reviewStatusOf(layer), 'done');
});

test("a layer must name the annotator of its file name", () => {
  const alice = emptyLayer('a.txt', TEXT, 'alice');
  assert.equal(layerOwnerProblem(alice, 'alice'), null);
  assert.match(layerOwnerProblem(alice, 'bob')!, /layer of "bob" but says "annotator": "alice"/);
  assert.match(layerOwnerProblem(emptySidecar('a.txt', TEXT), 'bob')!, /missing/);
});

// ---------------------------------------------------------------------------
// On disk

test('write then read a layer: its own file, annotator stamped, the adjudicated sidecar untouched; listed in name order', () => {
  const doc = tmpDoc();
  const w = writeLayer(doc, 'bob', withEntity(emptySidecar(doc, TEXT), 'Bob', 'PER', 'b1'), { fingerprint: null, sidecar: null });
  assert.equal(w.sidecar.annotator, 'bob');
  writeLayer(doc, 'alice', withEntity(emptyLayer(doc, TEXT, 'alice'), 'Ann', 'PER', 'a1'), { fingerprint: null, sidecar: null });
  assert.ok(fs.existsSync(doc + '.ann.bob.json'));
  assert.equal(layerPath(doc, 'bob'), doc + '.ann.bob.json');
  assert.equal(fs.existsSync(doc + '.ann.json'), false, 'no adjudicated sidecar was written');
  assert.deepEqual(readSidecar(doc), { status: 'absent' });
  const st = readLayer(doc, 'bob');
  assert.equal(st.status, 'ok');
  if (st.status === 'ok') {
    assert.equal(st.sidecar.annotator, 'bob');
    assert.equal(st.fingerprint, w.fingerprint);
    assert.deepEqual(st.sidecar.annotations.map((a) => a.text), ['Bob']);
  }
  // The gold sidecar next to them is not a layer.
  writeSidecarAtomic(doc, emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null });
  assert.deepEqual(listLayers(doc).map((l) => l.annotator), ['alice', 'bob']);
  assert.deepEqual(listLayers(path.join(path.dirname(doc), 'other.txt')), []);
  const leftovers = fs.readdirSync(path.dirname(doc)).filter((n) => n.includes('.tmp-') || n.endsWith('.lock'));
  assert.deepEqual(leftovers, []);
});

test('a layer claiming another annotator is refused on write; a layer file naming someone else is reported, kept aside, never overwritten', () => {
  const doc = tmpDoc();
  const err = (() => {
    try {
      writeLayer(doc, 'bob', emptyLayer(doc, TEXT, 'alice'), { fingerprint: null, sidecar: null });
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(err instanceof SidecarFileError && err.code === 'invalid-sidecar', String(err));
  assert.equal(fs.existsSync(doc + '.ann.bob.json'), false);
  assert.throws(() => writeLayer(doc, '../evil', emptySidecar(doc, TEXT), { fingerprint: null, sidecar: null }), RangeError);

  // Someone copied alice's layer over bob's.
  const copied = serializeSidecar(withEntity(emptyLayer(doc, TEXT, 'alice'), 'Ann', 'PER', 'a1'));
  fs.writeFileSync(doc + '.ann.bob.json', copied);
  const st = readLayer(doc, 'bob');
  assert.equal(st.status, 'damaged');
  if (st.status === 'damaged') {
    assert.equal(st.reason, 'invalid');
    assert.match(st.message, /layer of "bob" but says "annotator": "alice"/);
    assert.ok(st.backupPath && fs.readFileSync(st.backupPath, 'utf8') === copied, 'a copy is kept aside');
  }
  assert.throws(
    () => writeLayer(doc, 'bob', emptyLayer(doc, TEXT, 'bob'), { fingerprint: null, sidecar: null }),
    (e: unknown) => e instanceof SidecarFileError && e.code === 'damaged',
  );
  assert.equal(fs.readFileSync(doc + '.ann.bob.json', 'utf8'), copied, 'never overwritten');
  // Truncated JSON: same protection.
  fs.writeFileSync(doc + '.ann.carol.json', '{"version": 1, "annot');
  assert.equal(readLayer(doc, 'carol').status, 'damaged');
  assert.throws(() => writeLayer(doc, 'carol', emptyLayer(doc, TEXT, 'carol'), { fingerprint: null, sidecar: null }), SidecarFileError);
  assert.equal(fs.readFileSync(doc + '.ann.carol.json', 'utf8'), '{"version": 1, "annot');
  // The default sidecar may carry no annotator, or any: only layers are checked against their name.
  assert.ok(parseSidecar(copied).ok);
});

test('two writers of the same layer from the same base: merged, nothing lost', () => {
  const doc = tmpDoc();
  const base = writeLayer(doc, 'alice', emptyLayer(doc, TEXT, 'alice'), { fingerprint: null, sidecar: null });
  const b = { fingerprint: base.fingerprint, sidecar: base.sidecar };
  writeLayer(doc, 'alice', withEntity(base.sidecar, 'Ann', 'PER', 'x1'), b);
  const second = writeLayer(doc, 'alice', { ...withEntity(base.sidecar, 'Rome', 'LOC', 'x2'), review: { status: 'done', modified: T0.toISOString() } }, b);
  assert.deepEqual(second.sidecar.annotations.map((a) => a.id).sort(), ['x1', 'x2']);
  assert.equal(second.sidecar.annotator, 'alice');
  assert.deepEqual(second.sidecar.review, { status: 'done', modified: T0.toISOString() });
});

test('loadLayers: every layer placed on the current text (re-anchored after an edit) with its review status; damaged ones named', () => {
  const doc = tmpDoc();
  writeLayer(doc, 'alice', { ...withEntity(emptyLayer(doc, TEXT, 'alice'), 'Rome', 'LOC', 'r'), review: { status: 'done' } }, { fingerprint: null, sidecar: null });
  writeLayer(doc, 'bob', withEntity(emptyLayer(doc, TEXT, 'bob'), 'Bob', 'PER', 'b'), { fingerprint: null, sidecar: null });
  fs.writeFileSync(doc + '.ann.carol.json', 'not json');
  const edited = 'Yesterday ' + TEXT;
  const layers = loadLayers(doc, edited);
  assert.deepEqual(layers.map((l) => [l.annotator, l.state, l.review]), [['alice', 'ok', 'done'], ['bob', 'ok', 'todo'], ['carol', 'damaged', 'todo']]);
  const rome = layers[0].annotations[0];
  assert.equal(Array.from(edited).slice(rome.start, rome.end).join(''), 'Rome');
  assert.match(layers[2].message!, /carol\.json is damaged/);
});
