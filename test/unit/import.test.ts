/** Importers on hand-made files: problems are reported, never thrown; placement onto corpus text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportDocuments } from '../../server/src/core/export';
import { importAnnotations, placeImported } from '../../server/src/core/import';
import { ann, cpSpan, slice } from './export-helpers';

test('JSONL: doccano label/labels/entities shapes, boilerplate, problems with line numbers', () => {
  const text = '😀 Paris';
  const content = [
    JSON.stringify({ id: 7, text, label: [[2, 7, 'LOC']], boilerplate: [[0, 1, 'emoji']] }),
    '',
    '{not json',
    JSON.stringify({ text, entities: [{ id: 1, start_offset: 2, end_offset: 7, label: 'LOC' }] }),
    JSON.stringify({ name: 'n.txt', text, labels: [[2, 99, 'LOC'], [3, 2, 'X'], [2, 7], 'junk'] }),
    JSON.stringify({ text, spans: [{ start: 2, end: 7, label: 'LOC', text: 'Pari' }] }),
    JSON.stringify({ title: 'no text' }),
  ].join('\n');
  const { documents, problems } = importAnnotations('jsonl', [{ path: 'in.jsonl', content }]);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^in\.jsonl:3: not valid JSON/u);
  assert.match(problems[1], /^in\.jsonl:7: /u);
  assert.equal(documents.length, 4);
  assert.equal(documents[0].name, '7');
  assert.deepEqual(documents[0].annotations, [
    { start: 2, end: 7, kind: 'entity', label: 'LOC' },
    { start: 0, end: 1, kind: 'boilerplate', category: 'emoji' },
  ]);
  assert.deepEqual(documents[1].annotations, [{ start: 2, end: 7, kind: 'entity', label: 'LOC' }]);
  assert.equal(documents[2].name, 'n.txt');
  assert.equal(documents[2].annotations.length, 0);
  assert.equal(documents[2].problems.length, 4);
  assert.match(documents[2].problems[0], /out of range/u);
  assert.match(documents[3].problems[0], /does not match/u);
});

test('brat: pairs by base name, checks text, reports unsupported lines and unpaired files', () => {
  const files = [
    { path: 'a.txt', content: 'Nord\nSud Est' },
    { path: 'a.ann', content: 'T1\tLOC 0 4;5 8\tNord Sud\nT2\tLOC 9 12\tWest\nR1\tRel Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tnote\nT3\tBoilerplate 9 12\tEst\nA1\tCategory T3 footer\nT4 broken\nT5\tLOC 0 40\tx\n' },
    { path: 'b.ann', content: '' },
    { path: 'c.txt', content: 'no annotations' },
    { path: 'd.json', content: '{}' },
  ];
  const { documents, problems } = importAnnotations('brat', files);
  assert.equal(problems.length, 2);
  const a = documents.find((d) => d.name === 'a.txt')!;
  assert.deepEqual(a.annotations, [
    { start: 0, end: 8, kind: 'entity', label: 'LOC' },
    { start: 9, end: 12, kind: 'boilerplate', category: 'footer' },
  ]);
  assert.equal(a.problems.length, 4);
  assert.ok(a.problems.some((p) => p.startsWith('a.ann:2: text')));
  assert.ok(a.problems.some((p) => p.startsWith('a.ann:3: R')));
  assert.ok(a.problems.some((p) => p.startsWith('a.ann:7: malformed')));
  assert.ok(a.problems.some((p) => p.startsWith('a.ann:8: span 0-40 is out of range')));
  assert.deepEqual(documents.find((d) => d.name === 'c.txt')!.annotations, []);
});

test('Label Studio: code points or UTF-16 told apart by value.text; bad results reported', () => {
  const text = '😀😀 Paris 𝕏';
  const result = (start: number, end: number, t?: string) => ({ from_name: 'label', to_name: 'text', type: 'labels', value: { start, end, text: t, labels: ['LOC'] } });
  const content = JSON.stringify([
    { id: 1, data: { text }, annotations: [{ result: [result(3, 8, 'Paris'), { type: 'choices', value: { choices: ['x'] } }, result(1, 3, 'nope'), result(0, 99)] }] },
    { id: 2, data: { text, document: 'x.txt' }, annotations: [{ was_cancelled: true, result: [] }, { result: [result(5, 10, 'Paris')] }] },
    { id: 3, data: {} },
  ]);
  const files = [{ path: 'ls.json', content }, { path: 'bad.json', content: '[' }];
  const auto = importAnnotations('labelstudio', files);
  assert.equal(auto.problems.length, 2, 'task without text, unparsable file');
  assert.equal(auto.documents.length, 2);
  assert.equal(auto.documents[0].name, 'ls.json#1');
  assert.deepEqual(auto.documents[0].annotations, [{ start: 3, end: 8, kind: 'entity', label: 'LOC' }]);
  assert.equal(auto.documents[0].problems.length, 3);
  assert.equal(auto.documents[1].name, 'x.txt');
  assert.deepEqual(auto.documents[1].annotations, [{ start: 3, end: 8, kind: 'entity', label: 'LOC' }], 'UTF-16 offsets recognised');
  assert.deepEqual(auto.documents[1].problems, []);
  const strict = importAnnotations('labelstudio', files, { labelStudioOffsets: 'codepoint' });
  assert.deepEqual(strict.documents[1].annotations, [{ start: 3, end: 8, kind: 'entity', label: 'LOC' }]);
  assert.match(strict.documents[1].problems[0], /offsets are UTF-16 units, not code points/u);
  const split = importAnnotations('labelstudio', [{ path: 's.json', content: JSON.stringify({ data: { text }, annotations: [{ result: [result(1, 3)] }] }) }], { labelStudioOffsets: 'utf16' });
  assert.match(split.documents[0].problems[0], /splits a surrogate pair/u);
});

test('CoNLL: malformed lines, strict scheme violations, space-separated columns, files without DOCSTART', () => {
  const content = ['EU NNP B-ORG', 'rejects VBZ O', 'German JJ B-MISC', 'call NN I-LOC', 'oops', 'x\tQ-TAG', '', 'Peter NNP I-PER'].join('\n');
  const r = importAnnotations('conll', [{ path: 'c.conll', content }], { scheme: 'iob2' });
  assert.equal(r.documents.length, 1);
  assert.equal(r.documents[0].name, 'c.conll');
  assert.equal(r.documents[0].text, 'EU rejects German call x\n\nPeter');
  assert.deepEqual(r.problems, ['c.conll:5: malformed line (expected "token<TAB>TAG")', 'c.conll:6: unknown tag "Q-TAG"; read as O']);
  assert.deepEqual(r.documents[0].problems, ['c.conll:4: I-LOC does not continue an entity of type LOC', 'c.conll:8: I-PER does not continue an entity of type PER']);
  assert.deepEqual(
    r.documents[0].annotations.map((a) => [slice(r.documents[0].text, a.start, a.end), a.label]),
    [['EU', 'ORG'], ['German', 'MISC'], ['call', 'LOC'], ['Peter', 'PER']],
  );
  const bioes = importAnnotations('conll', [{ path: 'b.conll', content: 'a\tB-X\nb\tO\nc\tE-X\nd\tS-Y\n' }]);
  assert.equal(bioes.documents[0].problems.length, 2, 'auto-detected BIOES is checked');
  assert.deepEqual(bioes.documents[0].annotations.map((a) => a.label), ['X', 'X', 'Y']);
});

test('placeImported puts CoNLL spans back on a corpus text whose boilerplate was dropped', () => {
  const text = 'شارك على فيسبوك | القاهرة\n\nالقاهرة  —  أعلنت وباكستان اليوم أن الأمم المتحدة…\nتابعونا على تويتر';
  const [bs, be] = cpSpan(text, 'شارك على فيسبوك | القاهرة\n');
  const [fs, fe] = cpSpan(text, 'تابعونا على تويتر');
  const [cs, ce] = cpSpan(text, 'القاهرة', be);
  const [ps, pe] = cpSpan(text, 'باكستان');
  const [us, ue] = cpSpan(text, 'الأمم المتحدة');
  const doc = {
    name: 'a.txt',
    text,
    annotations: [
      ann(text, bs, be, 'boilerplate', 'share'),
      ann(text, fs, fe, 'boilerplate', 'share'),
      ann(text, cs, ce, 'entity', 'LOC'),
      ann(text, ps, pe, 'entity', 'LOC'),
      ann(text, us, ue, 'entity', 'ORG'),
    ],
  };
  const files = exportDocuments('conll', [doc]);
  const [imported] = importAnnotations('conll', files).documents;
  assert.notEqual(imported.text, text);
  assert.doesNotMatch(imported.text, /فيسبوك/u);
  const placed = placeImported(text, imported);
  assert.deepEqual(placed.unplaced, []);
  assert.deepEqual(
    placed.annotations.map((a) => [a.start, a.end, a.label]),
    [
      [cs, ce, 'LOC'],
      [ps, pe, 'LOC'],
      [us, ue, 'ORG'],
    ],
  );
  const missing = placeImported('نص آخر تماما', imported);
  assert.equal(missing.unplaced.length, 3);
  assert.equal(missing.annotations.length, 0);
  const same = placeImported(imported.text, imported);
  assert.deepEqual(same.annotations, imported.annotations);
});

test('placeImported on a long repetitive article with boilerplate every few paragraphs', () => {
  const para = 'قال وزير الخارجية إن وباكستان والهند 😀 تتفاوضان في القاهرة اليوم.\n';
  const share = 'شارك على فيسبوك\n';
  let text = '';
  const annotations = [];
  const expected: [number, number][] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 10 === 0) {
      const s = Array.from(text).length;
      text += share;
      annotations.push(ann(text, s, s + Array.from(share).length, 'boilerplate', 'share'));
    }
    const p = Array.from(text).length;
    text += para;
    // "وزير الخارجية" (PER) in every paragraph.
    annotations.push(ann(text, p + 4, p + 17, 'entity', 'PER'));
    expected.push([p + 4, p + 17]);
  }
  const [imported] = importAnnotations('conll', exportDocuments('conll', [{ name: 'big.txt', text, annotations }])).documents;
  const placed = placeImported(text, imported);
  assert.deepEqual(placed.unplaced, []);
  assert.deepEqual(placed.annotations.map((a) => [a.start, a.end]), expected);
});

test('placeImported maps through whitespace-only differences', () => {
  const corpus = 'Le  président\u200F Macron\r\n\r\na visité   Alger.';
  const imported = { name: 'x', text: 'Le président Macron a visité Alger.', annotations: [{ start: 13, end: 19, kind: 'entity' as const, label: 'PER' }, { start: 29, end: 34, kind: 'entity' as const, label: 'LOC' }, { start: 2, end: 3, kind: 'entity' as const, label: 'X' }], problems: [] };
  const placed = placeImported(corpus, imported);
  assert.deepEqual(placed.annotations.map((a) => slice(corpus, a.start, a.end)), ['Macron', 'Alger']);
  assert.equal(placed.unplaced.length, 1, 'a whitespace-only span cannot be placed');
});
