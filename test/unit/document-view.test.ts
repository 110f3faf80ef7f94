/** The annotation view's layout: paragraphs with their direction, segments under entities, parts under boilerplate. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SidecarAnnotation, ViewParagraph } from '../../server/src/protocol';
import type { Suggestions } from '../../server/src/core/analyze';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { TextIndex } from '../../server/src/core/text/offsets';
import { layoutDocument } from '../../server/src/core/view/documentView';

const NONE: Suggestions = { entities: [], boilerplate: [] };

/** The paragraph's text as the view shows it, with [entity] and {boilerplate} brackets. */
function render(p: ViewParagraph, marks: ReturnType<typeof layoutDocument>['marks']): string {
  return p.segments
    .map((s) => {
      const inner = s.parts.map((x) => (x.boilerplate !== undefined ? `{${x.text}}` : x.text)).join('');
      return s.entity !== undefined ? `[${inner}|${marks[s.entity].label}${marks[s.entity].status === 'suggested' ? '?' : ''}]` : inner;
    })
    .join('');
}

function ann(text: string, sub: string, fields: Partial<SidecarAnnotation> & { kind: 'entity' | 'boilerplate' }, from = 0): SidecarAnnotation {
  const i16 = text.indexOf(sub, from);
  const ix = new TextIndex(text);
  return createAnnotation(text, ix.toCodePoint(i16), ix.toCodePoint(i16 + sub.length), { status: 'accepted', source: 'user', ...fields } as never);
}

describe('layoutDocument', () => {
  it('one paragraph per non-blank line, with its direction', () => {
    const text = 'إيران تطالب باكستان\r\n\r\nIran asks Pakistan\n2026\n   \nوقالت CNN إن';
    const l = layoutDocument(new TextIndex(text), [], NONE);
    assert.equal(l.dir, 'rtl');
    assert.equal(l.lineCount, 6);
    assert.deepEqual(l.paragraphs.map((p) => [p.line, p.dir, !!p.inherited]), [[0, 'rtl', false], [2, 'ltr', false], [3, 'rtl', true], [5, 'rtl', false]]);
    assert.deepEqual(l.paragraphs.map((p) => p.segments.map((s) => s.parts.map((x) => x.text).join('')).join('')), ['إيران تطالب باكستان', 'Iran asks Pakistan', '2026', 'وقالت CNN إن']);
    assert.equal(l.paragraphs[1].start16, text.indexOf('Iran'));
  });

  it('entities and suggestions are segments; boilerplate cuts parts, inside and across entities', () => {
    const text = 'Share: إيران وباكستان 😀 CNN\nسطر ثان';
    const annotations = [ann(text, 'إيران', { kind: 'entity', label: 'LOC' }), ann(text, 'Share: إيران', { kind: 'boilerplate', category: 'share' })];
    const suggestions: Suggestions = {
      entities: [{ start: text.indexOf('CNN'), end: text.indexOf('CNN') + 3, label: 'ORG', normalized: 'cnn', confidence: 0.8, source: 'english' }],
      boilerplate: [],
    };
    const l = layoutDocument(new TextIndex(text), annotations, suggestions);
    assert.equal(render(l.paragraphs[0], l.marks), '{Share: }[{إيران}|LOC] وباكستان 😀 [CNN|ORG?]');
    const cnn = l.marks.find((m) => m.text === 'CNN')!;
    assert.equal(cnn.status, 'suggested');
    assert.equal(cnn.start, [...text].indexOf('C'), 'code point offsets (the emoji counts 1)');
    assert.equal(cnn.start16, text.indexOf('CNN'), 'UTF-16 offsets (the emoji counts 2)');
    assert.equal(cnn.confidence, 0.8);
  });

  it('a boilerplate block over several lines marks each of them', () => {
    const text = 'article\nfooter one\nfooter two\narticle';
    const l = layoutDocument(new TextIndex(text), [ann(text, 'footer one\nfooter two', { kind: 'boilerplate', category: 'repeated' })], NONE);
    assert.deepEqual(l.paragraphs.map((p) => render(p, l.marks)), ['article', '{footer one}', '{footer two}', 'article']);
  });

  it('rejected annotations and "not boilerplate" are not shown; orphans are listed', () => {
    const text = 'إيران وباكستان';
    const rejected = ann(text, 'إيران', { kind: 'entity', label: 'LOC', status: 'rejected' });
    const keep = ann(text, 'باكستان', { kind: 'boilerplate', category: 'none' });
    const orphan: SidecarAnnotation = { ...ann(text, 'وباكستان', { kind: 'entity', label: 'PER' }), orphaned: true, text: 'غائب' };
    const l = layoutDocument(new TextIndex(text), [rejected, keep, orphan], NONE);
    assert.equal(l.marks.length, 0);
    assert.equal(render(l.paragraphs[0], l.marks), text);
    assert.deepEqual(l.orphans, [{ id: orphan.id, kind: 'entity', label: 'PER', text: 'غائب' }]);
  });

  it('a decision hides the suggestion on the same span', () => {
    const text = 'إيران';
    const s: Suggestions = { entities: [{ start: 0, end: 5, label: 'ORG', normalized: 'x', confidence: 0.6, source: 'tagger' }], boilerplate: [] };
    const l = layoutDocument(new TextIndex(text), [ann(text, 'إيران', { kind: 'entity', label: 'LOC' })], s);
    assert.equal(render(l.paragraphs[0], l.marks), '[إيران|LOC]');
  });

  it('lays out the sample article: Arabic paragraphs RTL, every character once', () => {
    const text = fs.readFileSync(path.join(__dirname, '../fixtures/samples/000_f74c9c0780b14a3d.txt'), 'utf8');
    const index = new TextIndex(text);
    const l = layoutDocument(index, [], NONE);
    assert.ok(l.paragraphs.length > 20);
    assert.equal(l.dir, 'rtl');
    const rtl = l.paragraphs.filter((p) => p.dir === 'rtl').length;
    assert.ok(rtl / l.paragraphs.length > 0.9, `${rtl} of ${l.paragraphs.length} paragraphs RTL`);
    for (const p of l.paragraphs) {
      const joined = p.segments.flatMap((s) => s.parts.map((x) => x.text)).join('');
      assert.equal(joined, text.slice(p.start16, p.end16));
    }
  });
});
