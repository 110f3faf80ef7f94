/**
 * Document tags as other tools write them, read by the importers: Label Studio's
 * document classification (`choices` results), doccano's `meta`, spaCy's `cats`,
 * and malformed tags reported (never thrown, never half-imported).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAnnotations } from '../../server/src/core/import';

const text = 'زار وزير الخارجية باكستان.';

test('Label Studio: choices results become tags (one choice a value, several a list), beside data.tags', () => {
  const task = {
    id: 3,
    data: { text, document: 'a.txt', tags: { genre: 'news' } },
    annotations: [
      {
        result: [
          { type: 'choices', from_name: 'topic', to_name: 'text', value: { choices: ['politics', 'security'] } },
          { type: 'choices', from_name: 'tone', to_name: 'text', value: { choices: ['neutral'] } },
          { type: 'choices', from_name: 'empty', to_name: 'text', value: { choices: [] } },
          { type: 'labels', from_name: 'label', to_name: 'text', value: { start: 18, end: 25, text: 'باكستان', labels: ['LOC'] } },
        ],
      },
    ],
  };
  const { documents, problems } = importAnnotations('labelstudio', [{ path: 'ls.json', content: JSON.stringify([task]) }]);
  assert.deepEqual(problems, []);
  assert.equal(documents.length, 1);
  assert.deepEqual(documents[0].problems, []);
  assert.deepEqual(documents[0].tags, { genre: 'news', topic: ['politics', 'security'], tone: 'neutral' });
  assert.deepEqual(documents[0].annotations, [{ start: 18, end: 25, kind: 'entity', label: 'LOC' }]);
});

test('doccano JSONL: tags at the top level win over meta.tags; meta.tags alone is read; spaCy cats at 0.5 or more', () => {
  const content = [
    JSON.stringify({ name: 'a.txt', text, label: [], tags: { genre: 'news' }, meta: { tags: { genre: 'opinion' } } }),
    JSON.stringify({ name: 'b.txt', text, label: [], meta: { tags: { topic: ['economy'], exclude: true } } }),
    JSON.stringify({ name: 'c.txt', text, ents: [], cats: { 'topic=politics': 1, 'topic=economy': 0.6, 'topic=security': 0.2, 'genre=news': 0.9, exclude: 0, urgent: 1 } }),
  ].join('\n');
  const { documents, problems } = importAnnotations('jsonl', [{ path: 'in.jsonl', content }]);
  assert.deepEqual(problems, []);
  assert.deepEqual(documents.map((d) => d.tags), [
    { genre: 'news' },
    { topic: ['economy'], exclude: true },
    { topic: ['politics', 'economy'], genre: 'news', urgent: true },
  ]);
});

test('malformed tags are reported with where they are, and none of them is imported', () => {
  const content = [
    JSON.stringify({ name: 'a.txt', text, label: [], tags: { topic: [1, 2] } }),
    JSON.stringify({ name: 'b.txt', text, label: [], tags: ['politics'] }),
  ].join('\n');
  const { documents } = importAnnotations('jsonl', [{ path: 'in.jsonl', content }]);
  assert.equal(documents.length, 2);
  for (const d of documents) {
    assert.equal(d.tags, undefined, `${d.name}: ${JSON.stringify(d.tags)}`);
    assert.ok(d.problems.some((p) => /^in\.jsonl:\d+: tags not imported \(/.test(p)), `${d.name}: ${d.problems.join(' | ')}`);
  }
});
