/** Settings come from the workspace (untrusted): every value is checked, and what fails is reported by key and replaced by its default. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, SETTING_LIMITS, describeProblems, validateSettings } from '../../server/src/core/settings';

describe('validateSettings', () => {
  it('gives the defaults, and no problem, for nothing', () => {
    for (const raw of [undefined, null, {}]) assert.deepEqual(validateSettings(raw), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('keeps valid values', () => {
    const r = validateSettings({
      labels: ['PER', 'GPE', 'شخص'],
      maxFileSizeKB: 100,
      entities: { enabled: false, minConfidence: 0.7, modelPath: 'models/x.json' },
      boilerplate: { threshold: 0, repeatedMinDocs: 5, repeatedMinFraction: 0.1, extraCues: { share: ['Partager sur'] } },
      workspace: { maxFiles: 10, include: ['.txt', '.article'] },
    });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.settings.labels, ['PER', 'GPE', 'شخص']);
    assert.equal(r.settings.boilerplate.threshold, 0, 'a threshold of 0 is a value, not "unset"');
    assert.equal(r.settings.entities.modelPath, 'models/x.json');
    assert.deepEqual(r.settings.workspace.include, ['.txt', '.article']);
  });

  it('refuses wrong types and out-of-range values, naming each key once, and uses the default', () => {
    const r = validateSettings({ labels: ['PER', 3], entities: { minConfidence: 7, enabled: 'yes' }, boilerplate: { repeatedMinDocs: 1.5 }, maxFileSizeKB: 'x' });
    assert.deepEqual(r.settings.labels, DEFAULT_SETTINGS.labels);
    assert.equal(r.settings.entities.minConfidence, DEFAULT_SETTINGS.entities.minConfidence);
    assert.equal(r.settings.entities.enabled, true);
    assert.equal(r.settings.boilerplate.repeatedMinDocs, DEFAULT_SETTINGS.boilerplate.repeatedMinDocs);
    assert.equal(r.settings.maxFileSizeKB, DEFAULT_SETTINGS.maxFileSizeKB);
    assert.deepEqual(r.problems.map((p) => p.key).sort(), ['boilerplate.repeatedMinDocs', 'entities.enabled', 'entities.minConfidence', 'labels', 'maxFileSizeKB']);
    assert.match(describeProblems(r.problems), /entities\.minConfidence: 7 is outside \[0, 1\]/);
  });

  it('refuses hostile sizes: 100,004 labels, a 5 MB label, a thousand cue phrases', () => {
    const many = validateSettings({ labels: Array.from({ length: 100_004 }, (_, i) => `L${i}`) });
    assert.deepEqual(many.settings.labels, DEFAULT_SETTINGS.labels);
    assert.match(many.problems[0].message, /100004 labels; at most 64/);
    const long = validateSettings({ labels: ['X'.repeat(5_000_000)] });
    assert.deepEqual(long.settings.labels, DEFAULT_SETTINGS.labels);
    assert.ok(long.problems[0].message.length < 300, 'the message does not echo the 5 MB value');
    const cues = validateSettings({ boilerplate: { extraCues: { share: Array.from({ length: 1000 }, (_, i) => `cue ${i}`) } } });
    assert.deepEqual(cues.settings.boilerplate.extraCues, {});
    assert.equal(cues.problems[0].key, 'boilerplate.extraCues');
    const phrase = validateSettings({ boilerplate: { extraCues: { share: ['x'.repeat(SETTING_LIMITS.cueLength + 1)] } } });
    assert.deepEqual(phrase.settings.boilerplate.extraCues, {});
  });

  it('refuses label names with spaces or markup, and keeps Object.prototype names as ordinary cue categories', () => {
    assert.deepEqual(validateSettings({ labels: ['PER', 'a b'] }).settings.labels, DEFAULT_SETTINGS.labels);
    assert.deepEqual(validateSettings({ labels: ['<b>'] }).settings.labels, DEFAULT_SETTINGS.labels);
    const raw = JSON.parse('{"boilerplate":{"extraCues":{"__proto__":["x"],"constructor":["y"]}}}');
    const r = validateSettings(raw);
    assert.deepEqual(Object.keys(r.settings.boilerplate.extraCues).sort(), ['__proto__', 'constructor']);
    assert.deepEqual(r.settings.boilerplate.extraCues['constructor'], ['y']);
    assert.equal(({} as Record<string, unknown>).x, undefined, 'nothing leaked onto Object.prototype');
  });

  it('refuses an empty or oversized include list and a model path with a NUL byte', () => {
    assert.deepEqual(validateSettings({ workspace: { include: [] } }).settings.workspace.include, DEFAULT_SETTINGS.workspace.include);
    assert.deepEqual(validateSettings({ workspace: { include: Array(1000).fill('.txt') } }).settings.workspace.include, DEFAULT_SETTINGS.workspace.include);
    assert.equal(validateSettings({ entities: { modelPath: 'a\u0000b' } }).settings.entities.modelPath, undefined);
  });

  it('takes include globs and exclude globs; refuses one it cannot read, naming the key, and keeps the default', () => {
    const ok = validateSettings({ workspace: { include: ['.txt', 'notes/**/*.md'], exclude: ['**/drafts'] } });
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.settings.workspace.include, ['.txt', 'notes/**/*.md']);
    assert.deepEqual(ok.settings.workspace.exclude, ['**/drafts']);
    const bad = validateSettings({ workspace: { include: ['notes/{a'], exclude: ['[x'] } });
    assert.deepEqual(bad.settings.workspace.include, DEFAULT_SETTINGS.workspace.include);
    assert.deepEqual(bad.settings.workspace.exclude, []);
    assert.deepEqual(bad.problems.map((p) => p.key).sort(), ['workspace.exclude', 'workspace.include']);
    assert.match(bad.problems.find((p) => p.key === 'workspace.exclude')!.message, /unclosed "\["/);
    assert.deepEqual(validateSettings({ workspace: { exclude: 'raw' } }).settings.workspace.exclude, []);
  });

  it('takes an annotator name; refuses one outside the pattern and keeps it as refused (nothing may then be written), not as "nobody"', () => {
    assert.equal(validateSettings({ annotator: 'alice_2' }).settings.annotator, 'alice_2');
    assert.equal(validateSettings({ annotator: '  bob ' }).settings.annotator, 'bob', 'surrounding spaces are not part of the name');
    for (const nobody of [undefined, null, '', '   ']) {
      const r = validateSettings({ annotator: nobody });
      assert.equal(r.settings.annotator, null);
      assert.equal(r.settings.annotatorRefused, undefined);
      assert.deepEqual(r.problems, []);
    }
    for (const bad of ['alice smith', '../x', 'é', 42]) {
      const r = validateSettings({ annotator: bad });
      assert.equal(r.settings.annotator, null);
      assert.ok(r.settings.annotatorRefused !== undefined, JSON.stringify(bad));
      assert.equal(r.problems[0].key, 'annotator');
      assert.match(r.problems[0].message, /nothing can be annotated until it is fixed/);
    }
  });

  it('showOtherAnnotators and learn.includeAnnotatorLayers are booleans, off by default', () => {
    assert.equal(DEFAULT_SETTINGS.showOtherAnnotators, false);
    assert.equal(validateSettings({ showOtherAnnotators: true }).settings.showOtherAnnotators, true);
    assert.equal(validateSettings({ learn: { includeAnnotatorLayers: true } }).settings.learn.includeAnnotatorLayers, true);
    const r = validateSettings({ showOtherAnnotators: 'yes', learn: 3 });
    assert.deepEqual(r.problems.map((p) => p.key).sort(), ['learn', 'showOtherAnnotators']);
  });
});
