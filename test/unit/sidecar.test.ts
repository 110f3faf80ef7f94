/** Sidecar format: parse/serialise round trip, determinism, validation messages, migration, schema agreement. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import {
  emptySidecar,
  migrateSidecar,
  parseSidecar,
  serializeSidecar,
  sha256Hex,
  validateSidecar,
  withDocumentText,
} from '../../server/src/core/annotations/sidecar';
import { createAnnotation } from '../../server/src/core/annotations/model';

const NOW = new Date('2026-01-31T12:00:00.000Z');
const TEXT = 'Hi 😀 𝕏 Barack Obama\r\nmet Ange\u0301la in \u202Bبرلين\u202C \u2067x\u2069. Obama!';

function cpIndexOf(text: string, needle: string, from = 0): number {
  const u = text.indexOf(needle, from);
  assert.ok(u >= 0, `${needle} not in text`);
  return Array.from(text.slice(0, u)).length;
}
function cpLen(s: string): number {
  return Array.from(s).length;
}
function annOn(text: string, needle: string, label = 'PER', id?: string): SidecarAnnotation {
  const s = cpIndexOf(text, needle);
  return createAnnotation(text, s, s + cpLen(needle), { kind: 'entity', label, status: 'accepted', source: 'user' }, NOW, id);
}
function sample(): Sidecar {
  const s = emptySidecar('/corpus/dir/article.txt', TEXT);
  s.annotations = [
    annOn(TEXT, 'Obama', 'PER', 'b'),
    annOn(TEXT, 'Barack Obama', 'PER', 'a'),
    annOn(TEXT, 'Ange\u0301la', 'PER', 'c'),
    annOn(TEXT, '\u202Bبرلين', 'LOC', 'd'),
    { ...createAnnotation(TEXT, 0, 2, { kind: 'boilerplate', category: 'byline', status: 'rejected', source: 'rules', confidence: 0.25 }, NOW, 'e'), note: 'not a byline' },
  ];
  return s;
}

test('sha256Hex: UTF-8 without BOM', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex('\uFEFFabc'), sha256Hex('abc'));
  assert.notEqual(sha256Hex('😀'), sha256Hex('\uD83D'));
});

test('emptySidecar: file name only, hash, code point length', () => {
  const s = emptySidecar('C:\\corpus\\a.txt', 'a😀b');
  assert.equal(s.document.path, 'a.txt');
  assert.equal(s.document.length, 3);
  assert.equal(s.document.sha256, sha256Hex('a😀b'));
  assert.equal(s.offsets, 'codepoint');
  assert.deepEqual(s.annotations, []);
  assert.equal(withDocumentText(s, 'x').document.sha256, sha256Hex('x'));
});

test('round trip: serialise → parse → serialise is stable, astral/bidi/CRLF preserved', () => {
  const s = sample();
  const json = serializeSidecar(s);
  const r = parseSidecar(json);
  assert.ok(r.ok, !r.ok ? r.message : '');
  assert.equal(serializeSidecar(r.sidecar), json);
  const byId = new Map(r.sidecar.annotations.map((a) => [a.id, a]));
  assert.equal(byId.get('a')?.text, 'Barack Obama');
  assert.equal(byId.get('a')?.prefix, 'Hi 😀 𝕏 ');
  assert.equal(byId.get('d')?.text, '\u202Bبرلين');
  assert.ok(byId.get('a')?.suffix.startsWith('\r\nmet'));
  for (const a of r.sidecar.annotations) assert.equal(Array.from(TEXT).slice(a.start, a.end).join(''), a.text);
});

test('serialisation is deterministic: order of annotations and keys does not matter', () => {
  const s = sample();
  const shuffled: Sidecar = {
    annotations: [...s.annotations].reverse().map((a) => Object.fromEntries(Object.entries(a).reverse()) as unknown as SidecarAnnotation),
    offsets: 'codepoint',
    document: { length: s.document.length, sha256: s.document.sha256, path: s.document.path },
    version: 1,
  };
  const a = serializeSidecar(s);
  assert.equal(serializeSidecar(shuffled), a);
  assert.ok(a.endsWith('}\n') && !a.endsWith('\n\n'));
  assert.match(a, /^\{\n {2}"version": 1,\n {2}"document": \{\n {4}"path"/);
  const order = JSON.parse(a).annotations.map((x: SidecarAnnotation) => x.id);
  // Sorted by (start, end, kind, label|category, id): e@0, a@8 (Barack Obama), b@15 (its Obama), c, d.
  assert.deepEqual(order, ['e', 'a', 'b', 'c', 'd']);
  assert.deepEqual(Object.keys(JSON.parse(a).annotations[0]), [
    'id', 'kind', 'category', 'start', 'end', 'text', 'prefix', 'suffix', 'status', 'source', 'confidence', 'created', 'modified', 'note',
  ]);
});

test('unknown properties are preserved (sorted after known keys)', () => {
  const s = sample() as Sidecar & Record<string, unknown>;
  (s as Record<string, unknown>).zExtra = { keep: true };
  (s.annotations[0] as unknown as Record<string, unknown>).reviewer = 'amal';
  const r = parseSidecar(serializeSidecar(s));
  assert.ok(r.ok);
  // Parsed objects have no prototype (a key named __proto__ is data): compare contents.
  assert.deepEqual({ ...((r.sidecar as unknown as Record<string, object>).zExtra) }, { keep: true });
  assert.ok(r.sidecar.annotations.some((a) => (a as unknown as Record<string, unknown>).reviewer === 'amal'));
});

test('damaged input: empty, truncated, not JSON', () => {
  const json = serializeSidecar(sample());
  for (const bad of ['', '   \n', '{', json.slice(0, json.length / 2), 'null garbage', '\u0000\u0001']) {
    const r = parseSidecar(bad);
    assert.ok(!r.ok);
    assert.equal(r.reason, 'damaged', bad.slice(0, 20));
    assert.ok(r.message.length > 5);
  }
  assert.equal((parseSidecar('[]') as { reason: string }).reason, 'invalid');
  assert.equal((parseSidecar('"x"') as { reason: string }).reason, 'invalid');
});

test('BOM before the JSON is tolerated', () => {
  assert.ok(parseSidecar('\uFEFF' + serializeSidecar(sample())).ok);
});

test('newer version is reported with its version, not validated', () => {
  const r = parseSidecar(JSON.stringify({ version: 7, whatever: true }));
  assert.ok(!r.ok);
  assert.equal(r.reason, 'newer-version');
  assert.equal(r.version, 7);
  assert.match(r.message, /version 7/);
});

function invalidMessage(mutate: (o: Record<string, any>) => void): string {
  const o = JSON.parse(serializeSidecar(sample()));
  mutate(o);
  const r = parseSidecar(JSON.stringify(o));
  assert.ok(!r.ok, 'expected invalid');
  assert.equal(r.reason, 'invalid');
  return r.message;
}

test('validation messages name the JSON path and the problem', () => {
  assert.match(invalidMessage((o) => delete o.version), /version: expected a non-negative integer/);
  assert.match(invalidMessage((o) => (o.version = 'one')), /version/);
  assert.match(invalidMessage((o) => (o.offsets = 'utf16')), /offsets: expected "codepoint".*"utf16"/);
  assert.match(invalidMessage((o) => delete o.document), /document: required object/);
  assert.match(invalidMessage((o) => (o.document.sha256 = 'XYZ')), /document\.sha256: expected 64 lowercase hex/);
  assert.match(invalidMessage((o) => (o.annotations = {})), /annotations: required array/);
  assert.match(invalidMessage((o) => delete o.annotations[1].label), /annotations\[1\]\.label: required/);
  assert.match(invalidMessage((o) => delete o.annotations[0].category), /annotations\[0\]\.category: required/);
  assert.match(invalidMessage((o) => (o.annotations[2].start = -1)), /annotations\[2\]\.start: expected a non-negative integer/);
  assert.match(invalidMessage((o) => (o.annotations[2].start = 1.5)), /annotations\[2\]\.start/);
  assert.match(invalidMessage((o) => (o.annotations[2].end = 0)), /annotations\[2\]\.end: end \(0\) is before start/);
  assert.match(invalidMessage((o) => (o.annotations[3].kind = 'person')), /annotations\[3\]\.kind: expected "entity" or "boilerplate"/);
  assert.match(invalidMessage((o) => (o.annotations[3].status = 'maybe')), /annotations\[3\]\.status/);
  assert.match(invalidMessage((o) => (o.annotations[0].confidence = 2)), /annotations\[0\]\.confidence: expected a number in \[0,1\]/);
  assert.match(invalidMessage((o) => (o.annotations[0].created = 'yesterday')), /annotations\[0\]\.created: expected an ISO 8601/);
  assert.match(invalidMessage((o) => (o.annotations[0].orphaned = 'yes')), /annotations\[0\]\.orphaned: expected a boolean/);
  assert.match(invalidMessage((o) => delete o.annotations[4].prefix), /annotations\[4\]\.prefix: required/);
  assert.match(invalidMessage((o) => (o.annotations[4].id = o.annotations[1].id)), /annotations\[4\]\.id: duplicate id "a" \(also annotations\[1\]\)/);
  // Several problems are all listed.
  const many = invalidMessage((o) => {
    o.offsets = 'bytes';
    o.annotations[0].start = 'x';
  });
  assert.match(many, /offsets/);
  assert.match(many, /annotations\[0\]\.start/);
});

// ---------------------------------------------------------------------------
// Migration

const V0 = {
  version: 0,
  path: 'article.txt',
  sha256: sha256Hex(TEXT),
  annotations: [
    { id: 'x1', kind: 'entity', label: 'PER', start: 3, end: 4, text: '😀', status: 'accepted', source: 'user', timestamp: '2025-05-01T10:00:00Z' },
    { id: 'x2', kind: 'boilerplate', category: 'nav', start: 0, end: 2, text: 'Hi', status: 'rejected', source: 'rules', note: 'n' },
  ],
  custom: 42,
};

test('migration 0 → 1 (pre-release format)', () => {
  const input = JSON.parse(JSON.stringify(V0));
  const r = parseSidecar(JSON.stringify(input));
  assert.ok(r.ok, !r.ok ? r.message : '');
  assert.equal(r.migratedFrom, 0);
  assert.equal(r.sidecar.version, 1);
  assert.deepEqual({ ...r.sidecar.document }, { path: 'article.txt', sha256: sha256Hex(TEXT) });
  assert.equal(r.sidecar.offsets, 'codepoint');
  const [a, b] = r.sidecar.annotations;
  assert.equal(a.created, '2025-05-01T10:00:00Z');
  assert.equal(a.modified, '2025-05-01T10:00:00Z');
  assert.equal(a.prefix, '');
  assert.equal(b.created, '1970-01-01T00:00:00.000Z');
  assert.equal(b.note, 'n');
  assert.equal((r.sidecar as unknown as Record<string, unknown>).custom, 42);
  assert.ok(!('timestamp' in a));
  assert.deepEqual(input, V0, 'input not mutated');
});

test('migration framework: chains steps, reports gaps and bad steps, leaves current version alone', () => {
  const steps = {
    0: (o: Record<string, unknown>) => ({ ...o, version: 1, a: 1 }),
    1: (o: Record<string, unknown>) => ({ ...o, version: 2, b: 2 }),
  };
  const r = migrateSidecar({ version: 0 }, steps, 2);
  assert.ok(r.ok);
  assert.deepEqual(r.value, { version: 2, a: 1, b: 2 });
  assert.equal(r.steps, 2);
  const gap = migrateSidecar({ version: 0 }, { 0: steps[0] }, 2);
  assert.ok(!gap.ok && /version 1: no migration/.test(gap.message));
  const wrong = migrateSidecar({ version: 0 }, { 0: (o: Record<string, unknown>) => ({ ...o, version: 5 }) }, 1);
  assert.ok(!wrong.ok && /produced version 5/.test(wrong.message));
  const throwing = migrateSidecar({ version: 0 }, { 0: () => { throw new Error('boom'); } }, 1);
  assert.ok(!throwing.ok && /boom/.test(throwing.message));
  const same = migrateSidecar({ version: 1, z: 1 });
  assert.ok(same.ok && same.steps === 0);
  assert.ok(!migrateSidecar({ version: 3 }).ok);
  assert.ok(!migrateSidecar({}).ok);
  const broken = parseSidecar(JSON.stringify({ version: 0, path: 'a.txt', sha256: 'nope', annotations: [] }));
  assert.ok(!broken.ok && broken.reason === 'invalid' && /document\.sha256/.test(broken.message));
});

// ---------------------------------------------------------------------------
// JSON Schema agreement

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schema/sidecar.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemaValidate = ajv.compile(schema);

test('published JSON Schema accepts what the validator accepts', () => {
  const s = JSON.parse(serializeSidecar(sample()));
  assert.ok(schemaValidate(s), JSON.stringify(schemaValidate.errors));
  assert.ok(validateSidecar(s).ok);
  assert.ok(schemaValidate(JSON.parse(serializeSidecar(emptySidecar('a.txt', '')))));
});

test('published JSON Schema rejects what the validator rejects (structural mutations)', () => {
  const mutations: ((o: Record<string, any>) => void)[] = [
    (o) => delete o.version,
    (o) => (o.offsets = 'utf16'),
    (o) => delete o.document.path,
    (o) => (o.document.sha256 = 'ABC'),
    (o) => (o.document.length = -3),
    (o) => delete o.annotations[1].label,
    (o) => delete o.annotations[0].category,
    (o) => (o.annotations[2].start = -1),
    (o) => (o.annotations[2].text = 5),
    (o) => (o.annotations[3].kind = 'x'),
    (o) => (o.annotations[3].status = 'x'),
    (o) => (o.annotations[0].confidence = 1.5),
    (o) => (o.annotations[0].modified = 'soon'),
    (o) => (o.annotations[0].orphaned = 1),
    (o) => delete o.annotations[0].source,
    (o) => delete o.annotations[0].suffix,
  ];
  mutations.forEach((m, i) => {
    const o = JSON.parse(serializeSidecar(sample()));
    m(o);
    assert.equal(schemaValidate(o), false, `schema accepted mutation ${i}`);
    assert.equal(validateSidecar(o).ok, false, `validator accepted mutation ${i}`);
  });
});

test('property: any sidecar of random annotations round-trips byte-identically', () => {
  const str = fc.string({ unit: 'binary', maxLength: 40 });
  const annArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
    kind: fc.constantFrom('entity' as const, 'boilerplate' as const),
    lab: fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }),
    start: fc.nat(1000),
    len: fc.nat(50),
    text: str,
    prefix: str,
    suffix: str,
    status: fc.constantFrom('accepted' as const, 'rejected' as const),
    confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    note: fc.option(str, { nil: undefined }),
    orphaned: fc.option(fc.boolean(), { nil: undefined }),
  });
  fc.assert(
    fc.property(fc.uniqueArray(annArb, { selector: (a) => a.id, maxLength: 15 }), (raw) => {
      const s = emptySidecar('a.txt', 'x');
      s.annotations = raw.map(({ lab, len, ...r }) => {
        const a: SidecarAnnotation = { ...r, end: r.start + len, source: 'user', created: NOW.toISOString(), modified: NOW.toISOString() };
        if (a.kind === 'entity') a.label = lab;
        else a.category = lab;
        for (const k of ['confidence', 'note', 'orphaned'] as const) if (a[k] === undefined) delete a[k];
        return a;
      });
      const json = serializeSidecar(s);
      const r = parseSidecar(json);
      assert.ok(r.ok, !r.ok ? r.message : '');
      assert.equal(serializeSidecar(r.sidecar), json);
      assert.ok(schemaValidate(JSON.parse(json)), JSON.stringify(schemaValidate.errors));
    }),
    { numRuns: 200 },
  );
});
