/**
 * Paragraphs repeated within a page (core/detect/boilerplate/duplicates.ts), on lines made by
 * splitLines: which later line is linked to which earlier one, and how. The 3-gram table is
 * checked where it could go wrong: a 3-gram repeated within a line counts once, a 3-gram held by
 * more lines than are remembered still links the later copies, and a page of more words than a
 * small table holds.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findDuplicates } from '../../server/src/core/detect/boilerplate/duplicates';
import { splitLines } from '../../server/src/core/detect/boilerplate/features';

const links = (text: string) => [...findDuplicates(splitLines(text))].map(([i, d]) => [i, d.other, d.kind, Number(d.similarity.toFixed(3))]);

test('exact, near and prefixed copies link to the earlier line; short lines never', () => {
  const lead = 'the minister said on monday that the new budget would raise spending on schools and hospitals';
  const text = [
    lead,
    'menu home news sport',
    'menu home news sport',
    lead,
    lead.replace('hospitals', 'clinics'),
    `Reuters: ${lead}`,
    'an unrelated paragraph about the weather in the north of the country this week and next',
  ].join('\n');
  assert.deepEqual(links(text), [
    [3, 0, 'exact', 1],
    // 14 3-grams each, 13 shared: Jaccard 13 / 15.
    [4, 0, 'near', 0.867],
    [5, 0, 'prefixed', 1],
  ]);
});

test('a 3-gram repeated within a line counts once (Jaccard over distinct 3-grams)', () => {
  // 16 3-grams, 9 distinct: "go team go" and "team go team" over and over, then 7 more.
  const a = 'go team go team go team go team go team and the crowd sang all night long';
  // 8 3-grams, 7 of them in the line above: Jaccard 7 / (9 + 8 − 7) = 0.7, at the threshold
  // (counted with their repeats it would be 7 / 17, and no link).
  const b = 'go team and the crowd sang all night long tonight';
  assert.deepEqual(links(`${a}\n${b}`), [[1, 0, 'near', 0.7]]);
});

test('rows of a long listing, each nearly the one before: every later row is linked, past the owners remembered', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `results of the regional football league for the spring season final table round ${i}`);
  const got = findDuplicates(splitLines(rows.join('\n')));
  assert.equal(got.size, 39);
  for (let i = 1; i < 40; i++) {
    const d = got.get(i)!;
    // 12 3-grams each, the last one different: Jaccard 11 / 13 with every earlier row; the first wins.
    assert.deepEqual(d, { other: 0, kind: 'near', similarity: 11 / 13 }, `row ${i}`);
  }
});

test('a page of many distinct words (a table far past its first size) keeps every 3-gram apart', () => {
  const word = (k: number) => `w${k.toString(36)}`;
  const lines: string[] = [];
  for (let p = 0; p < 3000; p++) lines.push(Array.from({ length: 12 }, (_, k) => word(p * 12 + k)).join(' '));
  // The copy of line 1234 with its last word changed: 9 of 10 3-grams shared, Jaccard 9 / 11.
  const copy = lines[1234]!.split(' ');
  copy[11] = 'changed';
  lines.push(copy.join(' '));
  assert.deepEqual(links(lines.join('\n')), [[3000, 1234, 'near', 0.818]]);
});
