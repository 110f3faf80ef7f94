/** Label renames declared in the schema, applied to annotations with their identity kept. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { resolveLabelSchema } from '../../server/src/core/labels/schema';
import { applyRenames, renameProblems, renamesFromSchema, undeclaredNames } from '../../server/src/core/labels/migrate';

const TEXT = 'إيران وباكستان والعراق';
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-02-01T00:00:00Z');

const annotations = [
  createAnnotation(TEXT, 0, 5, { kind: 'entity', label: 'COUNTRY', status: 'accepted', source: 'user' }, T0),
  createAnnotation(TEXT, 6, 14, { kind: 'entity', label: 'COUNTRY', status: 'rejected', source: 'tagger' }, T0),
  createAnnotation(TEXT, 15, 22, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' }, T0),
  createAnnotation(TEXT, 0, 22, { kind: 'boilerplate', category: 'sharing', status: 'accepted', source: 'user' }, T0),
  createAnnotation(TEXT, 0, 22, { kind: 'boilerplate', category: 'share', status: 'accepted', source: 'boilerplate' }, T0),
];

describe('label migration', () => {
  const schema = resolveLabelSchema(
    JSON.stringify({ labels: [{ name: 'GPE', renamedFrom: ['COUNTRY'] }, 'LOC'], boilerplate: [{ name: 'social', renamedFrom: ['sharing'] }] }),
    [],
  ).schema;

  it('reads the renames the schema declares', () => {
    assert.deepEqual(renamesFromSchema(schema), [
      { kind: 'entity', from: 'COUNTRY', to: 'GPE' },
      { kind: 'boilerplate', from: 'sharing', to: 'social' },
    ]);
  });

  it('renames labels and categories of every status, keeping id and creation time', () => {
    const r = applyRenames(annotations, renamesFromSchema(schema), T1);
    assert.equal(r.renamed, 3);
    assert.deepEqual(r.annotations.map((a) => a.label ?? a.category), ['GPE', 'GPE', 'LOC', 'social', 'share']);
    assert.deepEqual(r.annotations.map((a) => a.id), annotations.map((a) => a.id));
    assert.equal(r.annotations[0].created, T0.toISOString());
    assert.equal(r.annotations[0].modified, T1.toISOString());
    assert.equal(r.annotations[2], annotations[2], 'untouched annotations are the same objects');
    assert.equal(annotations[0].label, 'COUNTRY', 'the input is not modified');
  });

  it('lists names the schema does not declare (detector categories are known)', () => {
    const counts = [...undeclaredNames(annotations, schema).values()];
    assert.deepEqual(counts, [
      { kind: 'entity', name: 'COUNTRY', annotations: 2 },
      { kind: 'boilerplate', name: 'sharing', annotations: 1 },
    ]);
  });

  it('refuses inconsistent rename lists', () => {
    assert.deepEqual(renameProblems([{ kind: 'entity', from: 'A', to: 'B' }]), []);
    assert.match(renameProblems([{ kind: 'entity', from: 'A', to: 'A' }])[0], /itself/);
    assert.match(renameProblems([{ kind: 'entity', from: 'A', to: 'B' }, { kind: 'entity', from: 'A', to: 'C' }])[0], /both/);
    assert.match(renameProblems([{ kind: 'entity', from: 'A', to: 'B' }, { kind: 'entity', from: 'B', to: 'C' }])[0], /one step/);
    assert.deepEqual(renameProblems([{ kind: 'entity', from: 'A', to: 'B' }, { kind: 'boilerplate', from: 'B', to: 'C' }]), [], 'labels and categories are separate names');
  });
});
