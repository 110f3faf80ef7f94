import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AffixLexicon, arabicLexicon, type LexiconData } from '../../server/src/core/text/lexicon';

/*
 * Fixture: every 9th of the unique tokens of /work/shared/eval/ner-dev/*.txt made only of
 * Arabic letters and marks (byte order), and the ones hunspell accepts with the same
 * dictionary (proper names dropped):
 *   node --import tsx scripts/build-lexicon.ts --reference /tmp/lex/arx
 *   cat /work/shared/eval/ner-dev/*.txt | tr -s ' \t\r\n' '\n' | grep -xP '[\x{0621}-\x{0652}\x{0670}-\x{06D3}]+' \
 *     | LC_ALL=C sort -u | awk 'NR % 9 == 1' > test/fixtures/lexicon/words.txt
 *   hunspell -d /tmp/lex/arx -G < test/fixtures/lexicon/words.txt > test/fixtures/lexicon/accepted.txt
 */
const dir = path.join(__dirname, '../fixtures/lexicon');
const lines = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean);

test('agrees with hunspell on sampled news tokens', () => {
  const words = lines('words.txt');
  const accepted = new Set(lines('accepted.txt'));
  assert.ok(words.length > 3000 && accepted.size > 2000 && accepted.size < words.length - 200);
  const lex = arabicLexicon();
  const differ = words.filter((w) => lex.has(w) !== accepted.has(w));
  const rate = 1 - differ.length / words.length;
  assert.ok(rate >= 0.995, `${(100 * rate).toFixed(2)}% agreement; differ (hunspell's answer): ${differ.map((w) => `${w}=${accepted.has(w)}`).join(' ')}`);
});

test('common words (also with clitics, diacritics, tatweel, presentation forms) are known; names are not', () => {
  const lex = arabicLexicon();
  for (const w of ['الاقتصادي', 'المجلس', 'والمجلس', 'للمجلس', 'المجلسين', 'المَجْلِس', 'المجـلس', 'ٱلمجلس', 'ﻻ', 'المجلس.']) assert.ok(lex.has(w), w);
  // واشنطن and نيجيريا are in the full Ayaspell dictionary, in the proper-name sections left out.
  for (const w of ['كلينتون', 'يوكوس', 'شيراك', 'واشنطن', 'نيجيريا', 'إبراهيم', '', 'ـ', 'Paris']) assert.ok(!lex.has(w), w);
});

test('hunspell rules: strip/add/condition, cross product, two suffix levels, IGNORE, ICONV', () => {
  // A toy dictionary. S replaces a final b by cs when the letter before is not c, and lets T
  // follow (continuation class); Q and U do not allow the cross product; "hb" is listed twice,
  // once with P and once with S (homonyms), so P+S does not apply to it.
  const data: LexiconData = {
    ignore: '-',
    iconv: [['B', 'b']],
    prefixes: [
      ['Pp', 1, '', 'pre', '.', ''],
      ['Qq', 0, '', 'no', '.', ''],
    ],
    suffixes: [
      ['Ss', 1, 'b', 'cs', '[^c]b', 'Tt'],
      ['Tt', 1, '', 'er', '.', ''],
      ['Uu', 0, '', 'ing', '.', ''],
    ],
    flags: ['', 'PpSsUuQq', 'Tt', 'Pp', 'Ss'],
    stems: { '0': 'bare', '1': 'ab cb', '2': 'zz', '3,4': 'hb' },
  };
  const lex = AffixLexicon.fromData(data);
  const yes = ['bare', 'ab', 'preab', 'acs', 'acser', 'preacs', 'preacser', 'abing', 'noab', 'zzer', 'prehb', 'hcs', 'a-b', 'aB', 'ab.'];
  const no = ['prebare', 'aber', 'ccs', 'preabing', 'noacs', 'er', 'abcs', 'pre', 'zzcs', 'prehcs', 'a-c'];
  for (const w of yes) assert.ok(lex.has(w), w);
  for (const w of no) assert.ok(!lex.has(w), w);
});

test('a stem listed under two keys has both flag sets as homonyms, as under one key "3,4"', () => {
  const base: Omit<LexiconData, 'stems'> = {
    ignore: '',
    iconv: [],
    prefixes: [['Pp', 1, '', 'pre', '.', '']],
    suffixes: [['Ss', 1, 'b', 'cs', '[^c]b', '']],
    flags: ['', 'Pp', 'Ss'],
  };
  const joined = AffixLexicon.fromData({ ...base, stems: { '1,2': 'hb' } });
  const apart = AffixLexicon.fromData({ ...base, stems: { '1': 'hb kb', '2': 'hb' } });
  for (const w of ['hb', 'prehb', 'hcs', 'prehcs']) assert.equal(apart.has(w), joined.has(w), w);
  assert.ok(apart.has('prehb') && apart.has('hcs') && !apart.has('prehcs'), 'each homonym alone, never both');
  assert.ok(apart.has('prekb') && !apart.has('kcs'), 'a stem under one key keeps only its own flags');
});
