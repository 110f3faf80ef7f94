/**
 * Adjudication's core: grouping the annotators' spans into agreements and
 * disagreements (missing in one, another label, other boundaries, overlapping
 * spans as one group), what is still open once the adjudicated layer decides,
 * the annotations each resolution writes; and the choice of the layer a
 * command reads (the adjudicated one, or the only layer there is).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SidecarAnnotation } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import {
  agreementAnnotations,
  combinableReadings,
  compareLayers,
  describeReading,
  openDisagreements,
  pendingAgreements,
  readingLabel,
  resolutionAnnotations,
  type LayerReading,
} from '../../server/src/core/adjudication/disagreements';
import { chooseLayer } from '../../server/src/core/annotations/layers';

const TEXT = 'Ali Khan met Sara Lee in New York on Monday. Share this story.';
const T0 = new Date('2026-05-01T00:00:00.000Z');

/** An annotation over the first occurrence of `word` (after `from`). */
function ann(word: string, label: string, opts: { status?: 'accepted' | 'rejected'; kind?: 'entity' | 'boilerplate'; from?: number } = {}): SidecarAnnotation {
  const at = TEXT.indexOf(word, opts.from ?? 0);
  assert.ok(at >= 0, word);
  const kind = opts.kind ?? 'entity';
  return createAnnotation(TEXT, at, at + word.length, { kind, ...(kind === 'entity' ? { label } : { category: label }), status: opts.status ?? 'accepted', source: 'user' }, T0);
}
const layer = (annotator: string, ...annotations: SidecarAnnotation[]): LayerReading => ({ annotator, annotations });
const spans = (xs: { start: number; end: number; label: string }[]) => xs.map((x) => `${x.start}-${x.end}:${x.label}`);
const at = (word: string, label: string) => `${TEXT.indexOf(word)}-${TEXT.indexOf(word) + word.length}:${label}`;

describe('compareLayers', () => {
  it('agrees where every annotator marked the same span with the same label, and nowhere else', () => {
    const c = compareLayers([layer('bob', ann('Sara Lee', 'PER'), ann('New York', 'LOC')), layer('alice', ann('New York', 'LOC'), ann('Sara Lee', 'PER'))]);
    assert.deepEqual(c.annotators, ['alice', 'bob'], 'annotators sorted by name');
    assert.deepEqual(spans(c.agreed), [at('Sara Lee', 'PER'), at('New York', 'LOC')]);
    assert.deepEqual(c.disagreements, []);
  });

  it('finds a span missing in one layer, a different label, and different boundaries', () => {
    const c = compareLayers([
      layer('alice', ann('Ali Khan', 'PER'), ann('Sara Lee', 'PER'), ann('Monday', 'MISC')),
      layer('bob', ann('Ali Khan', 'PER'), ann('Sara Lee', 'ORG'), ann('New York', 'LOC'), ann('York', 'LOC', { from: 26 })),
    ]);
    assert.deepEqual(spans(c.agreed), [at('Ali Khan', 'PER')]);
    const byText = new Map(c.disagreements.map((d) => [TEXT.slice(d.start, d.end), d]));
    assert.deepEqual([...byText.keys()], ['Sara Lee', 'New York', 'Monday']);
    const label = byText.get('Sara Lee')!;
    assert.deepEqual(label.readings.map((r) => [r.annotator, spans(r.spans)]), [['alice', [at('Sara Lee', 'PER')]], ['bob', [at('Sara Lee', 'ORG')]]]);
    const missing = byText.get('Monday')!;
    assert.deepEqual(missing.readings.map((r) => r.spans.length), [1, 0], 'bob marked nothing there');
    // "New York" and "York" overlap: one disagreement, bob's reading has both spans, alice's none.
    const nested = byText.get('New York')!;
    assert.deepEqual(nested.readings.map((r) => r.spans.length), [0, 2]);
  });

  it('groups overlapping spans of any annotators into one disagreement (a chain of overlaps included)', () => {
    // alice: "Ali Khan"; bob: "Ali" + "Khan"; carol: "Khan met" — all connected through overlaps.
    const c = compareLayers([
      layer('alice', ann('Ali Khan', 'PER')),
      layer('bob', ann('Ali', 'PER'), ann('Khan', 'PER')),
      layer('carol', ann('Khan met', 'ORG')),
    ]);
    assert.equal(c.disagreements.length, 1);
    const d = c.disagreements[0];
    assert.equal(TEXT.slice(d.start, d.end), 'Ali Khan met');
    assert.deepEqual(d.readings.map((r) => r.spans.length), [1, 2, 1]);
    assert.deepEqual(c.agreed, []);
  });

  it('touching spans are separate groups; a span given twice by one annotator counts once', () => {
    const c = compareLayers([
      layer('a', ann('Ali', 'PER'), ann('Ali', 'PER'), ann(' Khan', 'PER')),
      layer('b', ann('Ali', 'PER'), ann(' Khan', 'PER')),
    ]);
    assert.equal(c.disagreements.length, 0);
    assert.deepEqual(spans(c.agreed), [at('Ali', 'PER'), at(' Khan', 'PER')]);
  });

  it('rejected, orphaned and "not boilerplate" annotations mark nothing; entities and boilerplate are compared apart', () => {
    const orphan = { ...ann('Monday', 'MISC'), orphaned: true };
    const c = compareLayers([
      layer('a', ann('Sara Lee', 'PER', { status: 'rejected' }), orphan, ann('Share this story.', 'share', { kind: 'boilerplate' })),
      layer('b', ann('Share this story.', 'none', { kind: 'boilerplate' }), ann('Share this story.', 'PER')),
    ]);
    assert.equal(readingLabel(orphan), null);
    assert.equal(c.disagreements.length, 2, 'boilerplate "share" vs article text, and the entity only b marked');
    assert.deepEqual(c.disagreements.map((d) => d.kind).sort(), ['boilerplate', 'entity']);
    assert.deepEqual(c.agreed, []);
  });

  it('compares nothing with fewer than two layers, and refuses an annotator given twice', () => {
    assert.deepEqual(compareLayers([layer('a', ann('Ali', 'PER'))]), { annotators: ['a'], agreed: [], disagreements: [] });
    assert.throws(() => compareLayers([layer('a'), layer('a')]), /given twice/);
  });
});

describe('what the adjudicated layer still has to decide', () => {
  const c = compareLayers([
    layer('alice', ann('Ali Khan', 'PER'), ann('Sara Lee', 'PER'), ann('New York', 'LOC')),
    layer('bob', ann('Ali Khan', 'PER'), ann('Sara Lee', 'ORG'), ann('New York', 'LOC')),
  ]);

  it('a decision of the same kind anywhere in a group settles it; agreed spans with a decision are not written again', () => {
    assert.equal(openDisagreements(c, []).length, 1);
    assert.equal(pendingAgreements(c, []).length, 2);
    const gold = [ann('Lee', 'PER', { status: 'rejected' }), ann('New York', 'ORG')];
    assert.equal(openDisagreements(c, gold).length, 0, 'a rejection inside "Sara Lee" decides it');
    assert.deepEqual(spans(pendingAgreements(c, gold)), [at('Ali Khan', 'PER')], '"New York" is decided (another label): kept, not overwritten');
    assert.equal(openDisagreements(c, [ann('Sara Lee', 'x', { kind: 'boilerplate' })]).length, 1, 'a boilerplate decision does not settle an entity disagreement');
  });

  it('agreed spans become accepted annotations with source "agreement"', () => {
    const written = agreementAnnotations(TEXT, pendingAgreements(c, []), T0);
    assert.deepEqual(written.map((a) => [a.text, a.label, a.status, a.source]), [['Ali Khan', 'PER', 'accepted', 'agreement'], ['New York', 'LOC', 'accepted', 'agreement']]);
  });
});

describe('resolutions', () => {
  const c = compareLayers([
    layer('alice', ann('Ali Khan', 'PER'), ann('Monday', 'MISC')),
    layer('bob', ann('Ali', 'PER'), ann('Khan', 'ORG')),
  ]);
  const names = c.disagreements.find((d) => TEXT.slice(d.start, d.end) === 'Ali Khan')!;
  const monday = c.disagreements.find((d) => TEXT.slice(d.start, d.end) === 'Monday')!;

  it("take one annotator's reading: their spans, accepted, the source naming them", () => {
    const r = resolutionAnnotations(TEXT, names, { action: 'take', annotators: ['bob'] }, T0);
    assert.deepEqual(r.map((a) => [a.text, a.label, a.status, a.source]), [['Ali', 'PER', 'accepted', 'adjudication:bob'], ['Khan', 'ORG', 'accepted', 'adjudication:bob']]);
    assert.equal(openDisagreements(c, r).length, 1, 'only "Monday" is left');
  });

  it('reject all, and taking a reading that marked nothing, reject every span any annotator marked', () => {
    const all = resolutionAnnotations(TEXT, names, { action: 'reject-all' }, T0);
    assert.deepEqual(all.map((a) => [a.text, a.label, a.status]), [['Ali', 'PER', 'rejected'], ['Ali Khan', 'PER', 'rejected'], ['Khan', 'ORG', 'rejected']]);
    const none = resolutionAnnotations(TEXT, monday, { action: 'take', annotators: ['bob'] }, T0);
    assert.deepEqual(none.map((a) => [a.text, a.status]), [['Monday', 'rejected']]);
  });

  it('boilerplate: reject all keeps the text as article text', () => {
    const b = compareLayers([layer('a', ann('Share this story.', 'share', { kind: 'boilerplate' })), layer('b')]).disagreements[0];
    const r = resolutionAnnotations(TEXT, b, { action: 'reject-all' }, T0);
    assert.deepEqual(r.map((a) => [a.kind, a.category, a.status]), [['boilerplate', 'none', 'accepted']]);
  });

  it('take both only where the readings do not overlap; refuses overlapping ones and strangers', () => {
    assert.deepEqual(combinableReadings(names), [], '"Ali Khan" overlaps "Ali" and "Khan"');
    const three = compareLayers([layer('alice', ann('Ali Khan', 'PER')), layer('bob', ann('Ali', 'PER')), layer('carol', ann('Khan', 'PER'))]).disagreements[0];
    assert.deepEqual(combinableReadings(three), [['bob', 'carol']]);
    const both = resolutionAnnotations(TEXT, three, { action: 'take', annotators: ['bob', 'carol'] }, T0);
    assert.deepEqual(both.map((a) => [a.text, a.source]), [['Ali', 'adjudication:bob+carol'], ['Khan', 'adjudication:bob+carol']]);
    assert.throws(() => resolutionAnnotations(TEXT, three, { action: 'take', annotators: ['alice', 'bob'] }, T0), /overlap/);
    assert.throws(() => resolutionAnnotations(TEXT, three, { action: 'take', annotators: ['dave'] }, T0), /not one of the readings/);
    // A reading that marked nothing, or one equal to the other, adds nothing to "both".
    assert.deepEqual(combinableReadings(monday), []);
  });

  it('describes readings briefly', () => {
    assert.equal(describeReading(names.readings[1]), 'PER "Ali", ORG "Khan"');
    assert.equal(describeReading(monday.readings[1]), 'nothing');
  });
});

describe('chooseLayer: the adjudicated layer, or the only layer there is', () => {
  it('a named layer wins, even one nobody has', () => {
    assert.deepEqual(chooseLayer({ adjudicated: true, annotators: ['bob'] }, 'alice'), { annotator: 'alice', reason: 'requested', annotators: ['bob'] });
    assert.deepEqual(chooseLayer({ adjudicated: false, annotators: ['bob'] }, null), { annotator: null, reason: 'requested', annotators: ['bob'] });
  });
  it('the adjudicated layer when any document has an adjudicated sidecar', () => {
    assert.equal(chooseLayer({ adjudicated: true, annotators: ['alice', 'bob'] }).reason, 'adjudicated');
    assert.equal(chooseLayer({ adjudicated: true, annotators: ['alice'] }).annotator, null);
  });
  it('without an adjudicated sidecar: the only annotator with layers, else the (empty) adjudicated layer', () => {
    assert.deepEqual(chooseLayer({ adjudicated: false, annotators: ['alice', 'alice'] }), { annotator: 'alice', reason: 'only-layer', annotators: ['alice'] });
    assert.deepEqual(chooseLayer({ adjudicated: false, annotators: ['bob', 'alice'] }), { annotator: null, reason: 'ambiguous', annotators: ['alice', 'bob'] });
    assert.deepEqual(chooseLayer({ adjudicated: false, annotators: [] }), { annotator: null, reason: 'none', annotators: [] });
  });
});
