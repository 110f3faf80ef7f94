/**
 * Property-based tests of the annotation core: random texts with astral
 * characters, combining marks, CRLF and bidi controls; random annotations;
 * random LSP-style edit sequences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SidecarAnnotation } from '../../server/src/protocol';
import { applyEdits, applyTextEdits, reanchor, type TextEdit } from '../../server/src/core/annotations/anchoring';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { mergeSidecars } from '../../server/src/core/annotations/merge';
import { emptySidecar } from '../../server/src/core/annotations/sidecar';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const cps = (s: string): string[] => Array.from(s);
const cpLen = (s: string): number => cps(s).length;

/** Characters that stress code point handling. */
const CHARS = ['a', 'b', 'c', ' ', '\n', '\r\n', '\r', '😀', '𝕏', 'e\u0301', '\u202B', '\u202C', '\u2067', '\u2069', 'ع', 'م', '.'];
const textArb = (max: number) => fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((a) => a.join(''));

/** Raw edit numbers, resolved against the current text length when applied. */
const rawEditArb = fc.record({ a: fc.nat(), b: fc.nat(20), newText: textArb(6) });
function resolveEdits(text: string, raws: { a: number; b: number; newText: string }[]): TextEdit[] {
  let len = cpLen(text);
  return raws.map(({ a, b, newText }) => {
    const start = a % (len + 1);
    const end = Math.min(len, start + b);
    len += cpLen(newText) - (end - start);
    return { start, end, newText };
  });
}

function randomAnnotations(text: string, seeds: { s: number; l: number; kind: boolean }[]): SidecarAnnotation[] {
  const len = cpLen(text);
  if (len === 0) return [];
  return seeds.map(({ s, l, kind }, i) => {
    const start = s % len;
    const end = Math.min(len, start + 1 + (l % 12));
    return createAnnotation(
      text,
      start,
      end,
      kind ? { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' } : { kind: 'boilerplate', category: 'nav', status: 'rejected', source: 'rules' },
      NOW,
      `id${i}`,
    );
  });
}
const seedsArb = fc.array(fc.record({ s: fc.nat(), l: fc.nat(), kind: fc.boolean() }), { maxLength: 12 });

function checkInvariant(text: string, before: SidecarAnnotation[], after: SidecarAnnotation[]): void {
  assert.equal(after.length, before.length, 'no annotation is ever dropped');
  assert.deepEqual(after.map((a) => a.id), before.map((a) => a.id));
  const chars = cps(text);
  for (const a of after) {
    assert.ok(0 <= a.start && a.start <= a.end && a.end <= chars.length, `offsets in range: ${a.start},${a.end} of ${chars.length}`);
    if (!a.orphaned) {
      assert.equal(chars.slice(a.start, a.end).join(''), a.text, 'non-orphan covers exactly its text');
      assert.ok(a.end > a.start);
      assert.equal(a.prefix, chars.slice(Math.max(0, a.start - 32), a.start).join(''));
      assert.equal(a.suffix, chars.slice(a.end, a.end + 32).join(''));
    }
  }
}

test('property: after applyEdits every non-orphan annotation covers its exact text (all edits at once)', () => {
  fc.assert(
    fc.property(textArb(80), seedsArb, fc.array(rawEditArb, { maxLength: 8 }), (text, seeds, raws) => {
      const anns = randomAnnotations(text, seeds);
      const edits = resolveEdits(text, raws);
      const r = applyEdits(anns, text, edits, NOW);
      assert.equal(r.text, applyTextEdits(text, edits));
      checkInvariant(r.text, anns, r.annotations);
      for (const c of r.changed) assert.ok(r.annotations.includes(c));
    }),
    { numRuns: 1500 },
  );
});

test('property: applyEdits one change event at a time (as the LSP sends them) keeps the invariant', () => {
  fc.assert(
    fc.property(textArb(60), seedsArb, fc.array(rawEditArb, { maxLength: 12 }), (text, seeds, raws) => {
      const anns = randomAnnotations(text, seeds);
      let cur = text;
      let list = anns;
      for (const e of resolveEdits(text, raws)) {
        const r = applyEdits(list, cur, [e], NOW);
        cur = r.text;
        list = r.annotations;
        checkInvariant(cur, anns, list);
      }
    }),
    { numRuns: 800 },
  );
});

test('property: reanchor never mislabels — placed annotations cover their text, nothing is dropped', () => {
  fc.assert(
    fc.property(textArb(80), seedsArb, textArb(80), (text, seeds, other) => {
      const anns = randomAnnotations(text, seeds);
      for (const t of [text, other, text + other, other + text]) {
        const r = reanchor(t, anns, { now: NOW });
        const all = [...r.annotations, ...r.orphans];
        assert.equal(all.length, anns.length);
        assert.deepEqual(new Set(all.map((a) => a.id)), new Set(anns.map((a) => a.id)));
        assert.ok(r.orphans.every((a) => a.orphaned === true));
        assert.ok(r.annotations.every((a) => a.orphaned === undefined));
        const chars = cps(t);
        for (const a of r.annotations) assert.equal(chars.slice(a.start, a.end).join(''), a.text);
        for (const a of r.orphans) assert.ok(a.end <= chars.length && a.start <= a.end);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: reanchor on the unchanged text is the identity', () => {
  fc.assert(
    fc.property(textArb(80), seedsArb, (text, seeds) => {
      const anns = randomAnnotations(text, seeds);
      const r = reanchor(text, anns);
      assert.equal(r.moved, 0);
      assert.deepEqual(r.orphans, []);
      assert.deepEqual(r.annotations, anns);
    }),
    { numRuns: 300 },
  );
});

/** Text of random filler with unique tokens; the tokens use characters edits never insert (§, digits, t/o/k/n). */
const tokenDocArb = fc
  .array(fc.tuple(textArb(10), fc.constantFrom('', '😀', '𝕏', 'e\u0301', '\u202B')), { minLength: 1, maxLength: 10 })
  .map((parts) => {
    let text = '';
    const tokens: string[] = [];
    parts.forEach(([filler, deco], i) => {
      const tok = `§token${deco}${i}§`; // ≥ 8 code points: unique long texts are placed even without context
      text += filler + ' ' + tok + ' ';
      tokens.push(tok);
    });
    return { text, tokens };
  });

test('property: after random edits, reanchor (from the old offsets) recovers the positions applyEdits tracked', () => {
  let checked = 0;
  fc.assert(
    fc.property(tokenDocArb, fc.array(rawEditArb, { maxLength: 6 }), ({ text, tokens }, raws) => {
      const anns = tokens.map((tok, i) => {
        const s = cpLen(text.slice(0, text.indexOf(tok)));
        return createAnnotation(text, s, s + cpLen(tok), { kind: 'entity', label: 'MISC', status: 'accepted', source: 'user' }, NOW, `t${i}`);
      });
      const edits = resolveEdits(text, raws);
      const tracked = applyEdits(anns, text, edits, NOW);
      const r = reanchor(tracked.text, anns, { now: NOW });
      const placed = new Map(r.annotations.map((a) => [a.id, a]));
      const changedIds = new Set(tracked.changed.map((a) => a.id));
      for (const t of tracked.annotations) {
        if (t.orphaned || changedIds.has(t.id)) continue; // its text was edited: not recoverable exactly
        if (tracked.text.split(t.text).length !== 2) continue; // not unique any more
        const p = placed.get(t.id);
        assert.ok(p, `token ${t.text} should be re-anchored`);
        assert.deepEqual([p.start, p.end], [t.start, t.end], `token ${t.text}`);
        checked++;
      }
    }),
    { numRuns: 800 },
  );
  assert.ok(checked > 1000, `only ${checked} tokens checked`);
});

test('property: merging two sides that each added annotations keeps all of them', () => {
  fc.assert(
    fc.property(textArb(40).filter((t) => cpLen(t) > 0), seedsArb, seedsArb, seedsArb, (text, baseSeeds, mineSeeds, theirSeeds) => {
      const mk = (seeds: typeof baseSeeds, prefix: string) => randomAnnotations(text, seeds).map((a, i) => ({ ...a, id: `${prefix}${i}`, note: prefix }));
      const base = { ...emptySidecar('a.txt', text), annotations: mk(baseSeeds, 'b') };
      const mine = { ...base, annotations: [...base.annotations, ...mk(mineSeeds, 'm')] };
      const theirs = { ...base, annotations: [...base.annotations, ...mk(theirSeeds, 't')] };
      const r = mergeSidecars(base, mine, theirs);
      const ids = new Set(r.merged.annotations.map((a) => a.id));
      for (const a of [...mine.annotations, ...theirs.annotations]) assert.ok(ids.has(a.id), a.id);
      assert.deepEqual(r.conflicts, []);
      // Merging with oneself or with an unchanged side is trivial.
      assert.deepEqual(new Set(mergeSidecars(base, mine, mine).merged.annotations.map((a) => a.id)), new Set(mine.annotations.map((a) => a.id)));
      assert.deepEqual(new Set(mergeSidecars(base, base, theirs).merged.annotations.map((a) => a.id)), new Set(theirs.annotations.map((a) => a.id)));
    }),
    { numRuns: 300 },
  );
});

test('property: short repeated texts whose context survived are re-anchored exactly (even among many copies)', () => {
  let checked = 0;
  const docArb = fc.array(fc.tuple(textArb(40), fc.constantFrom('Bob', 'في', '😀x', 'e\u0301')), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(docArb, fc.array(rawEditArb, { maxLength: 5 }), (parts, raws) => {
      let text = '';
      const spans: [number, number][] = [];
      parts.forEach(([filler, word]) => {
        text += filler + ' ';
        const s = cpLen(text);
        text += word + ' ';
        spans.push([s, s + cpLen(word)]);
      });
      // Annotated on the whole text, as the editor does: the stored context is what surrounds each copy
      // (made while the text was still being built, the later copies' context was a shorter document's).
      const anns: SidecarAnnotation[] = spans.map(([s, e], i) => createAnnotation(text, s, e, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' }, NOW, `w${i}`));
      const edits = resolveEdits(text, raws);
      const tracked = applyEdits(anns, text, edits, NOW);
      const r = reanchor(tracked.text, anns, { now: NOW });
      const placed = new Map(r.annotations.map((a) => [a.id, a]));
      anns.forEach((old, i) => {
        const t = tracked.annotations[i];
        if (t.orphaned || t.text !== old.text || t.prefix !== old.prefix || t.suffix !== old.suffix) return; // context touched
        const p = placed.get(t.id);
        assert.ok(p, `${t.id} should be re-anchored`);
        assert.deepEqual([p.start, p.end], [t.start, t.end]);
        checked++;
      });
    }),
    { numRuns: 1500 },
  );
  assert.ok(checked > 200, `only ${checked} checked`);
});
