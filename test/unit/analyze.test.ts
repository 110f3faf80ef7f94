import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { detectAll, filterDecided, type Suggestions } from '../../server/src/core/analyze';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { TextIndex } from '../../server/src/core/text/offsets';

describe('filterDecided', () => {
  // The emoji makes UTF-16 and code point offsets differ, as in real scraped text.
  const text = '😀 زار ماكرون باكستان.\nشارك المقال';
  const index = new TextIndex(text);
  const u = (s: string) => text.indexOf(s);
  const cp = (s: string) => index.toCodePoint(u(s));
  const suggestions: Suggestions = {
    entities: [
      { start: u('ماكرون'), end: u('ماكرون') + 6, label: 'PER', normalized: 'ماكرون', confidence: 0.9, source: 'tagger' },
      { start: u('باكستان'), end: u('باكستان') + 7, label: 'LOC', normalized: 'باكستان', confidence: 0.9, source: 'gazetteer' },
    ],
    boilerplate: [{ start: u('شارك'), end: text.length, category: 'share', reason: 'cue', confidence: 0.9 }],
  };

  it('keeps everything when nothing is decided', () => {
    assert.deepEqual(filterDecided(suggestions, index, []), suggestions);
  });

  it('hides a suggestion overlapping an accepted entity, and one exactly on a rejected span', () => {
    const accepted = createAnnotation(text, cp('ماكرون'), cp('ماكرون') + 6, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' });
    const rejected = createAnnotation(text, cp('باكستان'), cp('باكستان') + 7, { kind: 'entity', label: 'LOC', status: 'rejected', source: 'user' });
    const r = filterDecided(suggestions, index, [accepted, rejected]);
    assert.deepEqual(r.entities, []);
    assert.equal(r.boilerplate.length, 1);
  });

  it('a rejection of a shorter span does not hide a different candidate', () => {
    const rejected = createAnnotation(text, cp('باكستان'), cp('باكستان') + 3, { kind: 'entity', label: 'LOC', status: 'rejected', source: 'user' });
    assert.equal(filterDecided(suggestions, index, [rejected]).entities.length, 2);
  });

  it('hides boilerplate the user marked either way; orphans decide nothing', () => {
    const keep = createAnnotation(text, cp('شارك'), cp('شارك') + 4, { kind: 'boilerplate', category: 'none', status: 'accepted', source: 'user' });
    assert.deepEqual(filterDecided(suggestions, index, [keep]).boilerplate, []);
    const orphan = { ...keep, orphaned: true };
    assert.equal(filterDecided(suggestions, index, [orphan]).boilerplate.length, 1);
  });
});

describe('detectAll', () => {
  const text = 'زار الرئيس الفرنسي إيمانويل ماكرون باكستان.\n\nشارك المقال\nتابعونا على تلغرام';
  it('runs both detectors by default, and a switched-off detector not at all', () => {
    const both = detectAll(text);
    assert.ok(both.entities.length > 0 && both.boilerplate.length > 0, JSON.stringify(both));
    const noEntities = detectAll(text, { entities: false });
    assert.deepEqual(noEntities.entities, []);
    assert.deepEqual(noEntities.boilerplate, both.boilerplate);
    const noBoilerplate = detectAll(text, { boilerplate: false });
    assert.deepEqual(noBoilerplate.boilerplate, []);
    assert.deepEqual(noBoilerplate.entities, both.entities);
  });
});
