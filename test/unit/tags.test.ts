/** Document tags: shape, updates checked against the schema, key-by-key merge, filters; in sidecars and their merge. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Sidecar, TagDefinition } from '../../server/src/protocol';
import { mergeSidecars } from '../../server/src/core/annotations/merge';
import { emptySidecar, parseSidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { describeTags, isExcluded, matchesTagFilter, mergeTags, parseTagFilter, tagsShapeErrors, TagError, updateTags } from '../../server/src/core/annotations/tags';

const DEFS: TagDefinition[] = [
  { name: 'topic', type: 'multiple', values: [{ name: 'politics' }, { name: 'economy' }, { name: 'sport' }] },
  { name: 'genre', type: 'single', values: [{ name: 'news' }, { name: 'opinion' }] },
  { name: 'note', type: 'text', values: [] },
  { name: 'exclude', type: 'boolean', values: [] },
];

describe('updateTags', () => {
  it('sets values of every type, in schema order', () => {
    const t = updateTags({}, { exclude: false, note: '  checked by R.  ', genre: 'news', topic: ['sport', 'politics'] }, DEFS);
    assert.deepEqual(t, { topic: ['politics', 'sport'], genre: 'news', note: 'checked by R.', exclude: false });
    assert.deepEqual(Object.keys(t), ['topic', 'genre', 'note', 'exclude']);
  });

  it('keeps the other tags, removes with null, drops empty values', () => {
    const t = updateTags({ genre: 'news', topic: ['politics'], legacy: 'x' }, { topic: [], note: '   ', legacy: null }, DEFS);
    assert.deepEqual(t, { genre: 'news' });
  });

  it('a single string for a multiple tag is one value', () => {
    assert.deepEqual(updateTags({}, { topic: 'economy' }, DEFS), { topic: ['economy'] });
  });

  it('refuses undeclared tags and values, wrong types, naming them', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ colour: 'red' }, /"colour" is not a declared tag/],
      [{ genre: 'satire' }, /"satire" is not a value of genre/],
      [{ genre: ['news'] }, /genre takes one value/],
      [{ topic: ['politics', 'cooking'] }, /"cooking" is not a value of topic/],
      [{ exclude: 'yes' }, /exclude is true or false/],
      [{ note: true }, /note is a text/],
    ];
    for (const [update, message] of bad) assert.throws(() => updateTags({}, update as never, DEFS), (e: unknown) => e instanceof TagError && message.test((e as Error).message), JSON.stringify(update));
  });
});

describe('mergeTags', () => {
  it('takes a change made on one side only, key by key', () => {
    const base = { genre: 'news', topic: ['politics'] };
    const r = mergeTags(base, { genre: 'opinion', topic: ['politics'] }, { genre: 'news', topic: ['politics'], exclude: true });
    assert.deepEqual(r.tags, { exclude: true, genre: 'opinion', topic: ['politics'] });
    assert.deepEqual(r.conflicts, []);
  });

  it('lists changed on both sides keep additions and drop removals', () => {
    const r = mergeTags({ topic: ['politics', 'economy'] }, { topic: ['politics', 'sport'] }, { topic: ['economy', 'politics', 'culture'] });
    assert.deepEqual(r.tags, { topic: ['politics', 'sport', 'culture'] });
    assert.deepEqual(r.conflicts, []);
  });

  it('a value set differently on both sides keeps the local one and is reported', () => {
    const r = mergeTags({}, { genre: 'news' }, { genre: 'opinion' });
    assert.deepEqual(r.tags, { genre: 'news' });
    assert.equal(r.conflicts.length, 1);
    assert.match(r.conflicts[0], /genre/);
  });

  it('a tag removed on one side and untouched on the other is removed', () => {
    assert.deepEqual(mergeTags({ genre: 'news', exclude: true }, { genre: 'news' }, { genre: 'news', exclude: true }).tags, { genre: 'news' });
    assert.equal(mergeTags(undefined, undefined, undefined).tags, undefined);
  });
});

describe('tags in sidecars', () => {
  const withTags = (tags: Sidecar['tags']): Sidecar => ({ ...emptySidecar('a.txt', 'x'), ...(tags ? { tags } : {}) });

  it('round-trip through the serialiser with sorted names, before the annotations', () => {
    const json = serializeSidecar(withTags({ topic: ['politics'], genre: 'news', exclude: false }));
    assert.ok(json.indexOf('"tags"') < json.indexOf('"annotations"'));
    assert.ok(json.indexOf('"exclude"') < json.indexOf('"genre"'));
    const r = parseSidecar(json);
    assert.ok(r.ok);
    assert.deepEqual(r.sidecar.tags, { exclude: false, genre: 'news', topic: ['politics'] });
  });

  it('the validator refuses malformed tags with the path', () => {
    for (const [tags, message] of [
      [[1], /tags: expected an object/],
      [{ 'a b': 'x' }, /not a tag name/],
      [{ topic: [1] }, /tags.topic: values must be non-empty strings/],
      [{ topic: ['a', 'a'] }, /listed twice/],
      [{ genre: null }, /tags.genre: expected a string/],
      [{ genre: 3 }, /tags.genre/],
    ] as const) {
      const r = parseSidecar(JSON.stringify({ ...emptySidecar('a.txt', 'x'), tags }));
      assert.ok(!r.ok && message.test(r.message), `${JSON.stringify(tags)} → ${r.ok ? 'accepted' : r.message}`);
    }
  });

  it('two writers tagging the same document merge key by key', () => {
    const base = withTags({ genre: 'news' });
    const mine = withTags({ genre: 'news', topic: ['politics'] });
    const theirs = withTags({ genre: 'opinion' });
    const r = mergeSidecars(base, mine, theirs);
    assert.deepEqual(r.merged.tags, { genre: 'opinion', topic: ['politics'] });
    assert.equal(r.conflicts.length, 0);
    const clash = mergeSidecars(base, withTags({ genre: 'news', exclude: true }), withTags({ genre: 'news', exclude: false }));
    assert.equal(clash.merged.tags?.exclude, true);
    assert.deepEqual(clash.conflicts.map((c) => c.type), ['tag']);
  });
});

describe('filters and display', () => {
  const tags = { topic: ['politics', 'economy'], genre: 'news', exclude: true };

  it('matchesTagFilter: every entry must match; a missing boolean is false', () => {
    assert.ok(matchesTagFilter(tags, { topic: 'economy', genre: 'news' }));
    assert.ok(!matchesTagFilter(tags, { topic: 'sport' }));
    assert.ok(matchesTagFilter(tags, { exclude: true }));
    assert.ok(matchesTagFilter({}, { exclude: false }));
    assert.ok(!matchesTagFilter(undefined, { genre: 'news' }));
    assert.ok(matchesTagFilter(undefined, undefined));
  });

  it('parseTagFilter reads tag=value, tag and !tag', () => {
    assert.deepEqual(parseTagFilter('genre=news, topic = politics, !exclude', DEFS), { genre: 'news', topic: 'politics', exclude: false });
    assert.deepEqual(parseTagFilter('exclude', DEFS), { exclude: true });
    assert.match(parseTagFilter('colour=red', DEFS) as string, /not a declared tag/);
    assert.match(parseTagFilter('genre', DEFS) as string, /needs a value/);
  });

  it('describeTags and isExcluded', () => {
    // The schema's order first, then by name, whatever order the object has.
    assert.equal(describeTags(tags, DEFS.map((d) => d.name)), 'topic: politics, economy · genre: news · exclude');
    assert.equal(describeTags({ genre: 'news', topic: ['politics'] }, ['topic']), 'topic: politics · genre: news');
    assert.equal(describeTags(tags), 'exclude · genre: news · topic: politics, economy');
    assert.equal(describeTags({ exclude: false }), '');
    assert.ok(isExcluded(tags));
    assert.ok(!isExcluded({ exclude: false }));
  });

  it('tagsShapeErrors accepts good tags', () => {
    assert.deepEqual(tagsShapeErrors(tags), []);
  });
});
