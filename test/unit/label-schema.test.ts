/** The label schema (.news-annotator/labels.json): validation with positions, fallback, defaults, the published JSON Schema. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { rootLabel, schemaFromSettings } from '../../server/src/core/labels/defaults';
import { resolveLabelSchema, type SchemaProblem } from '../../server/src/core/labels/schema';

const SETTINGS = ['PER', 'ORG', 'LOC', 'MISC'];

const GOOD = `{
  // comments are allowed, as in VS Code's settings
  "labels": [
    { "name": "PER", "description": "A person", "color": { "light": "#e6194b", "dark": "#ff6680" }, "key": "e", "examples": ["جليل عباس جيلاني"] },
    { "name": "LOC", "description": "A place", "color": "#3cb44b", "key": "l" },
    { "name": "GPE", "description": "A country, city or state", "parent": "LOC", "key": "g", "renamedFrom": ["COUNTRY"] },
    "ORG",
  ],
  "boilerplate": [ { "name": "share", "description": "Share lines", "key": "s" } ],
  "tags": [
    { "name": "topic", "type": "multiple", "values": ["politics", { "name": "economy", "description": "Money" }] },
    { "name": "genre", "values": ["news", "opinion"] },
    { "name": "note", "type": "text" }
  ],
  "guidelines": "GUIDELINES.md"
}`;

/** The text a problem points at. */
function at(text: string, p: SchemaProblem): string {
  return text.slice(p.start, p.end);
}

describe('resolveLabelSchema', () => {
  it('reads labels, categories, tags and guidelines; comments and trailing commas are fine', () => {
    const r = resolveLabelSchema(GOOD, SETTINGS, '/ws/.news-annotator/labels.json');
    assert.deepEqual(r.problems, []);
    const s = r.schema;
    assert.equal(s.source, 'file');
    assert.equal(s.file, '/ws/.news-annotator/labels.json');
    assert.deepEqual(s.labels.map((l) => l.name), ['PER', 'LOC', 'GPE', 'ORG']);
    assert.deepEqual(s.labels[0], { name: 'PER', description: 'A person', color: { light: '#e6194b', dark: '#ff6680' }, key: 'e', examples: ['جليل عباس جيلاني'] });
    assert.deepEqual(s.labels[1].color, { light: '#3cb44b', dark: '#3cb44b' }, 'one colour serves both themes');
    assert.equal(s.labels[2].parent, 'LOC');
    assert.deepEqual(s.labels[2].renamedFrom, ['COUNTRY']);
    assert.deepEqual(s.labels[3].color, { light: '#4363d8', dark: '#4363d8' }, 'a bare standard name gets its standard colour');
    assert.ok(s.labels[2].color.light.startsWith('#'), 'a label without colour gets one from the palette');
    assert.deepEqual(s.boilerplate.map((c) => c.name), ['share']);
    assert.deepEqual(s.tags.map((t) => [t.name, t.type]), [['topic', 'multiple'], ['genre', 'single'], ['note', 'text'], ['exclude', 'boolean']], 'exclude is always there');
    assert.deepEqual(s.tags[0].values, [{ name: 'politics' }, { name: 'economy', description: 'Money' }]);
    assert.equal(s.guidelines, 'GUIDELINES.md');
  });

  it('no file: the settings are the schema, with descriptions and colours for the standard labels', () => {
    const r = resolveLabelSchema(undefined, ['PER', 'EVENT']);
    assert.equal(r.schema.source, 'settings');
    assert.deepEqual(r.schema.labels.map((l) => l.name), ['PER', 'EVENT']);
    assert.ok(r.schema.labels[0].description?.startsWith('Person'));
    assert.notEqual(r.schema.labels[1].color.light, r.schema.labels[0].color.light);
    assert.ok(r.schema.boilerplate.some((c) => c.name === 'share'), 'the detector categories are described');
    assert.deepEqual(r.schema.tags.map((t) => t.name), ['exclude']);
  });

  it('invalid JSON: an error where the syntax breaks, and the settings are used', () => {
    const text = '{ "labels": [ { "name": "PER" } \n "x" ] }';
    const r = resolveLabelSchema(text, SETTINGS);
    assert.equal(r.schema.source, 'settings');
    assert.deepEqual(r.schema.labels.map((l) => l.name), SETTINGS);
    const syntax = r.problems.find((p) => p.message.startsWith('JSON syntax'));
    assert.ok(syntax, JSON.stringify(r.problems));
    assert.equal(syntax.severity, 'error');
    assert.ok(syntax.start > text.indexOf('}'), 'the problem is placed after the first label, where a comma is missing');
    assert.ok(r.problems.some((p) => /setting is used/.test(p.message)));
  });

  it('not an object, empty labels: fallback with a message', () => {
    assert.equal(resolveLabelSchema('[1, 2]', SETTINGS).schema.source, 'settings');
    const r = resolveLabelSchema('{ "labels": [] }', SETTINGS);
    assert.equal(r.schema.source, 'settings');
    assert.ok(r.problems.some((p) => /No usable label/.test(p.message)));
    assert.equal(resolveLabelSchema('', SETTINGS).schema.source, 'settings', 'an empty file');
  });

  it('each bad entry is reported where it is written and left out; the good ones are used', () => {
    const text = `{
  "labels": [
    { "name": "PER", "color": "red", "key": "a" },
    { "name": "has space" },
    { "description": "no name" },
    { "name": "ORG", "key": "Q", "parent": "NOPE" },
    { "name": "ORG" },
    { "name": "X1", "parent": "X2" }, { "name": "X2", "parent": "X1" },
    { "name": "LOC", "renamedFrom": ["ORG"], "extra": 1 },
    42
  ],
  "tags": [
    { "name": "genre", "type": "single" },
    { "name": "exclude", "type": "text" },
    { "name": "topic", "type": "multiple", "values": ["a", "a"] },
    { "name": "flag", "type": "boolean", "values": ["x"] },
    { "name": "kind", "type": "many", "values": ["x"] }
  ],
  "colour": "#fff",
  "guidelines": 7
}`;
    const r = resolveLabelSchema(text, SETTINGS);
    const byText = (m: RegExp) => r.problems.filter((p) => m.test(p.message)).map((p) => at(text, p));
    assert.deepEqual(r.schema.labels.map((l) => l.name), ['PER', 'ORG', 'X1', 'X2', 'LOC']);
    assert.deepEqual(byText(/expected a colour/), ['"red"']);
    assert.deepEqual(byText(/review key for Accept/), ['"a"']);
    assert.deepEqual(byText(/no spaces/), ['"has space"']);
    assert.ok(byText(/needs a "name"/)[0].includes('no name'));
    assert.deepEqual(byText(/choose one lower-case letter/), ['"Q"']);
    assert.deepEqual(byText(/not a declared label/), ['"NOPE"']);
    assert.ok(byText(/declared twice/)[0].includes('ORG'));
    assert.equal(byText(/form a cycle/).length, 1, 'a cycle is reported once, at the label that closes it');
    assert.deepEqual(byText(/still a declared label/), ['["ORG"]']);
    assert.deepEqual(byText(/Unknown key "extra"/), ['"extra"']);
    assert.deepEqual(byText(/Unknown key "colour"/), ['"colour"']);
    assert.deepEqual(byText(/is an object/), ['42']);
    assert.equal(r.schema.labels[0].color.light, '#e6194b', 'a bad colour falls back to the default');
    assert.equal(r.schema.labels[0].key, undefined);
    assert.equal(r.schema.labels[1].parent, undefined);
    assert.equal(r.schema.labels[4].renamedFrom, undefined);
    assert.ok(byText(/needs a list of allowed "values"/)[0].includes('"genre"'));
    assert.ok(byText(/built in and boolean/).length === 1);
    assert.deepEqual(r.schema.tags.map((t) => t.name), ['topic', 'flag', 'exclude']);
    assert.deepEqual(r.schema.tags[0].values.map((v) => v.name), ['a']);
    assert.ok(byText(/given twice/).includes('"a"'));
    assert.ok(byText(/its "values" are ignored/).length === 1);
    assert.deepEqual(byText(/kind.type/), ['"many"']);
    assert.deepEqual(byText(/^guidelines: expected a string/), ["7"]);
    for (const p of r.problems) assert.ok(p.end >= p.start && p.end <= text.length);
  });

  it('keys are unique across labels and categories', () => {
    const r = resolveLabelSchema('{ "labels": [ { "name": "PER", "key": "s" } ], "boilerplate": [ { "name": "share", "key": "s" } ] }', SETTINGS);
    assert.equal(r.schema.labels[0].key, 's');
    assert.equal(r.schema.boilerplate[0].key, undefined);
    assert.ok(r.problems.some((p) => /given to both PER and share/.test(p.message) && p.severity === 'warning'));
  });

  it('hostile sizes are bounded', () => {
    const many = JSON.stringify({ labels: Array.from({ length: 100 }, (_, i) => ({ name: `L${i}` })) });
    const r = resolveLabelSchema(many, SETTINGS);
    assert.equal(r.schema.labels.length, 64);
    assert.ok(r.problems.some((p) => /At most 64 labels/.test(p.message)));
    const long = JSON.stringify({ labels: [{ name: 'PER', description: 'x'.repeat(5000) }] });
    assert.ok(resolveLabelSchema(long, SETTINGS).problems.some((p) => /at most 2000 characters/.test(p.message)));
  });
});

describe('rootLabel', () => {
  it('follows parents to the root (for a label family)', () => {
    const s = resolveLabelSchema('{ "labels": ["LOC", { "name": "GPE", "parent": "LOC" }, { "name": "CITY", "parent": "GPE" }, "EVENT"] }', SETTINGS).schema;
    assert.equal(rootLabel(s, 'CITY'), 'LOC');
    assert.equal(rootLabel(s, 'GPE'), 'LOC');
    assert.equal(rootLabel(s, 'EVENT'), 'EVENT');
    assert.equal(rootLabel(schemaFromSettings(SETTINGS), 'UNKNOWN'), 'UNKNOWN');
  });
});

describe('published JSON Schema (schema/labels.schema.json)', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schema/labels.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it('accepts a schema the validator accepts without problems', () => {
    const plain = GOOD.replace(/^\s*\/\/.*$/m, '').replace(/,(\s*[\]}])/g, '$1');
    const value = JSON.parse(plain);
    assert.deepEqual(resolveLabelSchema(plain, SETTINGS).problems, []);
    assert.ok(validate(value), JSON.stringify(validate.errors));
  });

  it('rejects what the validator reports as an error', () => {
    const cases: unknown[] = [
      { labels: [{ name: 'has space' }] },
      { labels: [{ name: 'PER', color: 'red' }] },
      { labels: [{ name: 'PER', key: 'a' }] },
      { labels: [{ description: 'no name' }] },
      { labels: [{ name: 'PER' }], tags: [{ name: 'genre', type: 'single' }] },
      { labels: [{ name: 'PER' }], tags: [{ name: 'exclude', type: 'text' }] },
      { labels: 'PER' },
    ];
    for (const c of cases) {
      const text = JSON.stringify(c);
      assert.ok(resolveLabelSchema(text, SETTINGS).problems.some((p) => p.severity === 'error'), `validator: ${text}`);
      assert.equal(validate(c), false, `JSON Schema accepted ${text}`);
    }
  });
});
