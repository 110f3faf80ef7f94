import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PackedMap, StringTable } from '../../server/src/core/text/stringTable';

test('StringTable: ids in order of first appearance, repeated keys share the first id', () => {
  const { table, ids } = StringTable.from(['كتاب', 'قلم', 'كتاب', '', 'book', 'قلم']);
  assert.equal(table.size, 4);
  assert.deepEqual([...ids], [0, 1, 0, 2, 3, 1]);
  assert.equal(table.id('كتاب'), 0);
  assert.equal(table.id('قلم'), 1);
  assert.equal(table.id(''), 2, 'the empty string is a key like any other');
  assert.equal(table.id('book'), 3);
  assert.deepEqual([0, 1, 2, 3].map((id) => table.key(id)), ['كتاب', 'قلم', '', 'book']);
});

test('StringTable: absent keys, prefixes and extensions of held keys are not found', () => {
  const { table } = StringTable.from(['كتاب', 'book']);
  for (const absent of ['كتا', 'كتابة', 'الكتاب', 'boo', 'books', 'Book', ' book', '']) assert.equal(table.id(absent), -1, absent);
  assert.equal(table.has('book'), true);
  assert.equal(table.has('books'), false);
});

test('StringTable: every key of a large table is found, with its own id, and no other string is', () => {
  // Enough keys that many share a slot's hash bits and probe past each other.
  const keys: string[] = [];
  for (let i = 0; i < 50_000; i++) keys.push(i.toString(36) + (i % 3 === 0 ? 'ة' : '') + (i % 7 === 0 ? '😀' : ''));
  const { table, ids } = StringTable.from(keys);
  assert.equal(table.size, keys.length);
  keys.forEach((k, i) => {
    assert.equal(ids[i], i);
    assert.equal(table.id(k), i, k);
    assert.equal(table.key(i), k);
  });
  for (let i = 50_000; i < 60_000; i++) assert.equal(table.id(i.toString(36)), -1);
  // A lone surrogate half is a different string from the pair it belongs to.
  assert.equal(table.id('0😀'.slice(0, 2)), -1);
});

test('StringTable: an empty table answers -1', () => {
  const { table, ids } = StringTable.from([]);
  assert.equal(table.size, 0);
  assert.equal(ids.length, 0);
  assert.equal(table.id('x'), -1);
  assert.equal(table.id(''), -1);
});

test('PackedMap: each key its value, a repeated key its last value, equal values stored once', () => {
  const classes = new PackedMap<readonly string[]>(['paris', 'london', 'jordan', 'jordan', 'rome'], [['Y'], ['Y', 'w'], ['C'], ['G', 'C'], ['Y']], (v) => v.join(','));
  assert.equal(classes.size, 4);
  assert.deepEqual(classes.get('london'), ['Y', 'w']);
  assert.deepEqual(classes.get('jordan'), ['G', 'C'], 'the last value of a repeated key');
  assert.equal(classes.get('paris'), classes.get('rome'), 'one stored list for equal lists');
  assert.equal(classes.get('berlin'), undefined);
  assert.equal(classes.has('rome'), true);
  assert.equal(classes.has('Rome'), false);
  // More distinct values than a byte can index.
  const wide = new PackedMap(Array.from({ length: 70_000 }, (_, i) => `k${i}`), Array.from({ length: 70_000 }, (_, i) => i));
  assert.equal(wide.get('k69999'), 69_999);
  assert.equal(wide.get('k300'), 300);
  assert.throws(() => new PackedMap(['a', 'b'], [1]), /2 keys for 1 values/);
});

test('PackedMap.fromGroups: each word of a group maps to it; empty words between spaces are no keys', () => {
  const groups = PackedMap.fromGroups({ a3: 'جون  سميث', b1: 'محمد جون', c2: '' });
  assert.equal(groups.size, 3);
  assert.equal(groups.get('سميث'), 'a3');
  assert.equal(groups.get('جون'), 'b1', 'a word in two groups keeps the later one, as a Map would');
  assert.equal(groups.get('محمد'), 'b1');
  assert.equal(groups.has(''), false);
});
