/** Exporters: each format's grammar, on hand-made and on random documents. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exportDocuments, type ExportFile } from '../../server/src/core/export';
import type { ConllScheme } from '../../server/src/protocol';
import { ann, annotatedArb, cpSpan, docOf, slice } from './export-helpers';

const one = (files: ExportFile[], path?: string): string => {
  const f = path ? files.find((x) => x.path === path) : files[0];
  assert.ok(f, `no file ${path}`);
  return f.content;
};

// ---------------------------------------------------------------------------
// Grammar checkers

const CONLL_TOKEN_LINE = /^([^\s]+)\t(O|([BIES])-(\S+))$/u;

/** Checks the column grammar and the scheme's transitions; returns the token lines. */
function checkConll(content: string, scheme: ConllScheme): string[][] {
  const sentences: string[][] = [];
  let cur: string[] = [];
  const lines = content.split('\n');
  assert.equal(lines[lines.length - 1], '', 'ends with a newline');
  for (const line of lines.slice(0, -1)) {
    if (line === '') {
      if (cur.length) sentences.push(cur);
      cur = [];
      continue;
    }
    if (line === '-DOCSTART- -X- O O' || line.startsWith('# doc: ')) {
      assert.equal(cur.length, 0, 'document markers stand between sentences');
      continue;
    }
    assert.match(line, CONLL_TOKEN_LINE);
    cur.push(line.split('\t')[1]);
  }
  if (cur.length) sentences.push(cur);
  for (const tags of sentences) {
    for (let i = 0; i < tags.length; i++) {
      const [p, l] = tags[i] === 'O' ? ['O', ''] : [tags[i][0], tags[i].slice(2)];
      const [pp, pl] = i === 0 || tags[i - 1] === 'O' ? ['O', ''] : [tags[i - 1][0], tags[i - 1].slice(2)];
      const next = tags[i + 1];
      const [np, nl] = next === undefined || next === 'O' ? ['O', ''] : [next[0], next.slice(2)];
      if (scheme === 'iob2') {
        assert.ok(p === 'O' || p === 'B' || p === 'I', tags[i]);
        if (p === 'I') assert.ok(pp !== 'O' && pl === l, `I- after ${tags[i - 1]} in ${tags}`);
      } else if (scheme === 'iob1') {
        assert.ok(p === 'O' || p === 'B' || p === 'I', tags[i]);
        if (p === 'B') assert.ok(pp !== 'O' && pl === l, `IOB1 B- only after the same type: ${tags}`);
      } else {
        if (p === 'I' || p === 'E') assert.ok((pp === 'B' || pp === 'I') && pl === l, `${tags[i]} after ${tags[i - 1]}`);
        if (p === 'B' || p === 'I') assert.ok((np === 'I' || np === 'E') && nl === l, `${tags[i]} before ${next}`);
      }
    }
  }
  return sentences;
}

const BRAT_T = /^T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t([^\n\r]*)$/u;
const BRAT_A = /^A(\d+)\t(\S+) T(\d+) (\S+)$/u;

function checkBrat(text: string, annContent: string): { type: string; start: number; end: number }[] {
  const out: { type: string; start: number; end: number }[] = [];
  for (const line of annContent.split('\n').filter((l) => l !== '')) {
    const m = BRAT_T.exec(line);
    if (!m) {
      assert.match(line, BRAT_A);
      continue;
    }
    const frags = m[3].split(';').map((f) => f.split(' ').map(Number) as [number, number]);
    for (const [s, e] of frags) {
      assert.ok(s < e, 'non-empty fragment');
      assert.doesNotMatch(slice(text, s, e), /[\n\r]/u, 'fragment has no line break');
    }
    assert.equal(m[4], frags.map(([s, e]) => slice(text, s, e)).join(' '), 'text field = fragments joined by a space');
    out.push({ type: m[2], start: frags[0][0], end: frags[frags.length - 1][1] });
  }
  return out;
}

function checkW3c(content: string, texts: Map<string, string>): number {
  const coll = JSON.parse(content);
  assert.equal(coll['@context'], 'http://www.w3.org/ns/anno.jsonld');
  assert.equal(coll.type, 'AnnotationCollection');
  const items = coll.first.items as any[];
  assert.equal(coll.total, items.length);
  for (const a of items) {
    assert.equal(a.type, 'Annotation');
    const text = texts.get(decodeURIComponent(a.target.source));
    assert.ok(text !== undefined, a.target.source);
    const quote = a.target.selector.find((s: any) => s.type === 'TextQuoteSelector');
    const pos = a.target.selector.find((s: any) => s.type === 'TextPositionSelector');
    assert.equal(quote.exact, slice(text, pos.start, pos.end));
    const pl = Array.from(quote.prefix as string).length;
    assert.equal(quote.prefix, slice(text, pos.start - pl, pos.start));
    assert.equal(quote.suffix, slice(text, pos.end, pos.end + Array.from(quote.suffix as string).length));
    const bodies = Array.isArray(a.body) ? a.body : [a.body];
    assert.ok(bodies.every((b: any) => b.type === 'TextualBody' && typeof b.value === 'string'));
  }
  return items.length;
}

// ---------------------------------------------------------------------------
// Hand-made documents

const AR = 'قال مسؤول وباكستان أمس.\nشارك على فيسبوك\nالقاهرة 😀 𝕏 مدينة.';

function arabicDoc() {
  const text = AR;
  const [ps, pe] = cpSpan(text, 'باكستان');
  const [cs, ce] = cpSpan(text, 'القاهرة');
  const [bs, be] = cpSpan(text, 'شارك على فيسبوك\n');
  return {
    name: 'sub/ar.txt',
    text,
    annotations: [
      ann(text, ps, pe, 'entity', 'LOC'),
      ann(text, cs, ce, 'entity', 'LOC'),
      ann(text, bs, be, 'boilerplate', 'share'),
      ann(text, 0, 3, 'entity', 'PER', { status: 'rejected' }),
    ],
  };
}

test('CoNLL splits a proclitic off at the entity boundary and drops boilerplate', () => {
  const out = one(exportDocuments('conll', [arabicDoc()]));
  checkConll(out, 'iob2');
  assert.match(out, /^-DOCSTART- -X- O O\n# doc: sub\/ar.txt\n\n/u);
  assert.match(out, /\nو\tO\nباكستان\tB-LOC\n/u);
  assert.match(out, /\nالقاهرة\tB-LOC\n😀\tO\n𝕏\tO\n/u);
  assert.doesNotMatch(out, /فيسبوك/u, 'boilerplate excluded');
  assert.doesNotMatch(out, /قال\tB-PER/u, 'rejected annotation not exported');
  const kept = one(exportDocuments('conll', [arabicDoc()], { conllKeepBoilerplate: true, conllDocComments: false }));
  assert.match(kept, /فيسبوك\tO/u);
  assert.doesNotMatch(kept, /# doc:/u);
});

test('CoNLL schemes: IOB1 uses B- only between adjacent same-type entities; BIOES', () => {
  const text = 'Jean Paul Marie visited Paris';
  const spans = [
    { start: 0, end: 4, label: 'PER' },
    { start: 5, end: 15, label: 'PER' },
    { start: 24, end: 29, label: 'LOC' },
  ];
  const doc = docOf('d.txt', text, spans);
  const tags = (scheme: ConllScheme) => checkConll(one(exportDocuments('conll', [doc], { scheme })), scheme)[0];
  assert.deepEqual(tags('iob2'), ['B-PER', 'B-PER', 'I-PER', 'O', 'B-LOC']);
  assert.deepEqual(tags('iob1'), ['I-PER', 'B-PER', 'I-PER', 'O', 'I-LOC']);
  assert.deepEqual(tags('bioes'), ['S-PER', 'B-PER', 'E-PER', 'O', 'S-LOC']);
});

test('CoNLL never breaks a sentence inside an entity, breaks at lines and sentence ends', () => {
  const text = 'Dr. Who came.\nNext line 3.5 ok';
  const doc = docOf('d.txt', text, [{ start: 0, end: 7, label: 'PER' }]);
  const sentences = checkConll(one(exportDocuments('conll', [doc])), 'iob2');
  assert.deepEqual(sentences[0], ['B-PER', 'I-PER', 'I-PER', 'O', 'O']);
  assert.equal(sentences.length, 2, 'the line break ends a sentence; 3.5 does not');
});

test('brat: exact text, fragments around line breaks, boilerplate category attribute', () => {
  const text = 'Nord\r\nSud 😀 Est\nfin';
  const files = exportDocuments('brat', [
    {
      name: 'a/doc.txt',
      text,
      annotations: [ann(text, 0, 9, 'entity', 'LOC'), ann(text, 10, 11, 'entity', 'MISC'), ann(text, 16, 19, 'boilerplate', 'footer')],
    },
  ]);
  assert.deepEqual(files.map((f) => f.path).sort(), ['a/doc.ann', 'a/doc.txt']);
  assert.equal(one(files, 'a/doc.txt'), text);
  const a = one(files, 'a/doc.ann');
  assert.equal(a, 'T1\tLOC 0 4;6 9\tNord Sud\nT2\tMISC 10 11\t😀\nT3\tBoilerplate 16 19\tfin\nA1\tCategory T3 footer\n');
  checkBrat(text, a);
});

test('Label Studio offsets: code points by default (current Label Studio), UTF-16 on request', () => {
  const text = '😀 باريس 𝕏 Paris';
  const [s, e] = cpSpan(text, 'Paris');
  const doc = docOf('x.txt', text, [{ start: s, end: e, label: 'LOC' }]);
  const tasks = JSON.parse(one(exportDocuments('labelstudio', [doc])));
  const r = tasks[0].annotations[0].result[0];
  assert.deepEqual([r.value.start, r.value.end, r.value.text], [s, e, 'Paris']);
  assert.deepEqual([r.from_name, r.to_name, r.type, r.value.labels], ['label', 'text', 'labels', ['LOC']]);
  assert.equal(tasks[0].data.text, text);
  assert.equal(tasks[0].data.document, 'x.txt');
  const old = JSON.parse(one(exportDocuments('labelstudio', [doc], { labelStudioOffsets: 'utf16' })));
  const o = old[0].annotations[0].result[0];
  assert.equal(o.value.start, s + 2, 'two astral characters before');
  assert.equal(text.slice(o.value.start, o.value.end), 'Paris');
  assert.deepEqual(JSON.parse(one(exportDocuments('labelstudio', []))), []);
});

test('doccano JSONL and spaCy JSONL carry code point offsets', () => {
  const doc = arabicDoc();
  const line = JSON.parse(one(exportDocuments('jsonl', [doc])).trimEnd());
  assert.equal(line.text, doc.text);
  assert.equal(line.name, 'sub/ar.txt');
  assert.deepEqual(line.label.map((l: any) => slice(doc.text, l[0], l[1])), ['باكستان', 'القاهرة']);
  assert.deepEqual(line.boilerplate.map((l: any) => l[2]), ['share']);
  const sp = JSON.parse(one(exportDocuments('spacy', [doc])).trimEnd());
  assert.deepEqual(sp.spans.map((s: any) => [slice(doc.text, s.start, s.end), s.label]), [['باكستان', 'LOC'], ['القاهرة', 'LOC']]);
  assert.deepEqual(sp.entities, sp.spans.map((s: any) => [s.start, s.end, s.label]));
});

test('an explicit keep (category none) cuts boilerplate; cleaned text drops emptied lines', () => {
  const text = 'Menu | Home\r\n\r\n\r\nTitle here\r\nBody text.\r\nShare this\r\nKeep me\r\n';
  const [ms, me] = cpSpan(text, 'Menu | Home');
  const [ss, se] = cpSpan(text, 'Share this\r\nKeep me');
  const [ks, ke] = cpSpan(text, 'Keep me');
  const doc = {
    name: 'c.txt',
    text,
    annotations: [ann(text, ms, me, 'boilerplate', 'nav'), ann(text, ss, se, 'boilerplate', 'share'), ann(text, ks, ke, 'boilerplate', 'none')],
  };
  assert.equal(one(exportDocuments('text', [doc])), 'Title here\r\nBody text.\r\nKeep me\r\n');
  const line = JSON.parse(one(exportDocuments('jsonl', [doc])));
  assert.deepEqual(line.boilerplate.map((b: any) => slice(text, b[0], b[1])), ['Menu | Home', 'Share this\r\n']);
  const partial = 'Read more: the story goes on\n\n\n\nEnd';
  const [ps, pe] = cpSpan(partial, 'Read more:');
  assert.equal(one(exportDocuments('text', [{ name: 'p.txt', text: partial, annotations: [ann(partial, ps, pe, 'boilerplate', 'cta')] }])), 'the story goes on\n\nEnd');
});

test('stale, orphaned and out-of-range annotations are skipped and reported', () => {
  const text = 'Paris et Rome';
  const problems: string[] = [];
  const files = exportDocuments(
    'jsonl',
    [
      {
        name: 'p.txt',
        text,
        annotations: [
          ann(text, 0, 5, 'entity', 'LOC'),
          { ...ann(text, 9, 13, 'entity', 'LOC'), text: 'Roma' },
          ann(text, 9, 13, 'entity', 'LOC', { orphaned: true }),
          { ...ann(text, 9, 13, 'entity', 'LOC'), end: 99, text: '' },
        ],
      },
    ],
    { onProblem: (m) => problems.push(m) },
  );
  assert.deepEqual(JSON.parse(files[0].content).label, [[0, 5, 'LOC']]);
  assert.equal(problems.length, 3);
});

// ---------------------------------------------------------------------------
// Properties over random documents

const schemes: ConllScheme[] = ['iob2', 'iob1', 'bioes'];

test('every format parses in its own grammar on random documents', () => {
  fc.assert(
    fc.property(annotatedArb, annotatedArb, ({ text, spans }, b) => {
      // The second generated span set is reused as boilerplate; overlaps with entities are allowed.
      const doc = docOf('dir/ünï 😀.txt', text, spans, b.text === text ? [] : b.spans.filter((s) => s.end <= Array.from(text).length).map((s) => ({ ...s, label: 'nav' })));
      const docs = [doc, docOf('second.txt', b.text, b.spans)];
      for (const line of one(exportDocuments('jsonl', docs)).split('\n').filter(Boolean)) JSON.parse(line);
      for (const line of one(exportDocuments('spacy', docs)).split('\n').filter(Boolean)) JSON.parse(line);
      for (const scheme of schemes) checkConll(one(exportDocuments('conll', docs, { scheme })), scheme);
      const brat = exportDocuments('brat', docs);
      checkBrat(text, one(brat, 'dir/ünï 😀.ann'));
      checkBrat(b.text, one(brat, 'second.ann'));
      checkW3c(one(exportDocuments('w3c', docs)), new Map(docs.map((d) => [d.name, d.text])));
      const tasks = JSON.parse(one(exportDocuments('labelstudio', docs)));
      for (const t of tasks) for (const r of t.annotations[0].result) assert.equal(slice(t.data.text, r.value.start, r.value.end), r.value.text);
      const old = JSON.parse(one(exportDocuments('labelstudio', docs, { labelStudioOffsets: 'utf16' })));
      for (const t of old) for (const r of t.annotations[0].result) assert.equal(t.data.text.slice(r.value.start, r.value.end), r.value.text);
      for (const f of exportDocuments('text', docs)) assert.equal(typeof f.content, 'string');
    }),
    { numRuns: 150 },
  );
});

test('W3C collection is valid JSON even with no documents', () => {
  assert.equal(checkW3c(one(exportDocuments('w3c', [])), new Map()), 0);
});
