/** The corpus as the unit of work, in the core: name mentions, the corpus memory, the queue order, undo of a batch. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SidecarAnnotation } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { CorpusMemory } from '../../server/src/core/corpus/memory';
import { estimateFromSummary, mentionsAny, orderQueue, QueueTop, statsFromSuggestions } from '../../server/src/core/corpus/queue';
import { afterDecision, reviewStatusOf } from '../../server/src/core/corpus/review';
import { entityCountList, entityCountsOf, foundList, summarizeDocument, toFoundNames, withDecisions } from '../../server/src/core/corpus/summary';
import { countMentions, findNameMentions } from '../../server/src/core/text/mentions';
import { applyChange, diffAnnotations } from '../../server/src/lsp/undo';

const cpOf = (text: string, s: string, from = 0) => [...text.slice(0, text.indexOf(s, from))].length;
const slices = (text: string, spans: { start: number; end: number }[]) => spans.map((m) => text.slice(m.start, m.end));

describe('findNameMentions', () => {
  it('matches Arabic spelling variants: hamza and alef forms, taa marbuta, alef maqsura, diacritics, tatweel', () => {
    const text = 'زار إيران وايران وإيـــران وإِيرَان. مكة ومكه. مصطفى ومصطفي.';
    assert.deepEqual(slices(text, findNameMentions(text, 'إيران')), ['إيران', 'ايران', 'إيـــران', 'إِيرَان']);
    assert.deepEqual(slices(text, findNameMentions(text, 'مكة')), ['مكة', 'مكه']);
    assert.deepEqual(slices(text, findNameMentions(text, 'مصطفى')), ['مصطفى', 'مصطفي']);
  });

  it('leaves proclitics and the article outside the span, alone or combined', () => {
    const text = 'وإيران بإيران لإيران فبإيران كإيران. العراق والعراق بالعراق وبالعراق للعراق. عراق.';
    assert.deepEqual(slices(text, findNameMentions(text, 'إيران')), ['إيران', 'إيران', 'إيران', 'إيران', 'إيران']);
    // The name with its article: للعراق (ل + العراق) keeps the article's lam.
    assert.deepEqual(slices(text, findNameMentions(text, 'العراق')), ['العراق', 'العراق', 'العراق', 'العراق', 'لعراق']);
    // The name without it: the article is left outside too.
    assert.deepEqual(slices(text, findNameMentions(text, 'عراق')), ['عراق', 'عراق', 'عراق', 'عراق', 'عراق', 'عراق']);
  });

  it('matches whole words only, multi-word names token by token', () => {
    const text = 'الإيرانيون في إيرانشهر. جيش العدل وجيش  العدل، جيش العدالة.';
    assert.deepEqual(findNameMentions(text, 'إيران'), []);
    assert.deepEqual(slices(text, findNameMentions(text, 'جيش العدل')), ['جيش العدل', 'جيش  العدل']);
  });

  it('matches Latin-script names exactly (case included), with astral characters before them', () => {
    const text = '😀 Apple sells apples; apple pie. APPLE.';
    const m = findNameMentions(text, 'Apple');
    assert.deepEqual(slices(text, m), ['Apple']);
    assert.equal(m[0].start, text.indexOf('Apple'), 'UTF-16 offsets');
  });

  it('countMentions counts exact whole words', () => {
    assert.equal(countMentions('إيران وإيران الإيراني', 'إيران'), 2);
    assert.equal(countMentions('abc', ''), 0);
  });
});

function accepted(text: string, name: string, label: string, at = 0): SidecarAnnotation {
  const s = cpOf(text, name, at);
  return createAnnotation(text, s, s + [...name].length, { kind: 'entity', label, status: 'accepted', source: 'user' });
}

describe('CorpusMemory', () => {
  const A = 'زار إيران وزير. إيران تطالب.';
  const B = 'إيران وباكستان.';
  const C = 'قالت إيران.';

  it('builds the same dictionary whatever the order documents arrive in', () => {
    const rejected = createAnnotation(B, cpOf(B, 'إيران'), cpOf(B, 'إيران') + 5, { kind: 'entity', label: 'LOC', status: 'rejected', source: 'user' });
    const make = (order: string[]) => {
      const m = new CorpusMemory();
      const docs: Record<string, [string, SidecarAnnotation[]]> = { a: [A, [accepted(A, 'إيران', 'LOC')]], b: [B, [rejected]] };
      for (const id of order) m.set(id, summarizeDocument(docs[id][0], docs[id][1], false));
      return m.dictionary();
    };
    for (const d of [make(['a', 'b']), make(['b', 'a'])]) {
      // One mention rejected where another was accepted with the same label: that mention
      // is not the name (its sidecar hides it there); the name stays a name elsewhere.
      assert.equal(d.isRejected('إيران', 'LOC'), false);
      assert.equal(d.labelOf('إيران'), 'LOC', 'accepted as LOC wins over one LOC rejection, in either order');
      assert.equal(d.isRejected('إيران', 'ORG'), false);
    }
    const onlyRejected = new CorpusMemory();
    onlyRejected.set('b', summarizeDocument(B, [rejected], false));
    assert.equal(onlyRejected.dictionary().isRejected('إيران', 'LOC'), true, 'a name only ever rejected as LOC is not suggested as LOC again');
  });

  it('keeps a rejection of a mention cut wrong to its document; a rejected label counts everywhere', () => {
    const D = 'وزار وادي النيل وفد. والنيل طويل.';
    const cut = createAnnotation(D, cpOf(D, 'النيل'), cpOf(D, 'النيل') + 5, { kind: 'entity', label: 'LOC', status: 'rejected', source: 'user' });
    const m = new CorpusMemory();
    m.set('d', summarizeDocument(D, [cut, accepted(D, 'وادي النيل', 'LOC')], false));
    // The user annotated the longer name over the rejected mention: النيل is still a place elsewhere.
    assert.equal(m.dictionary().isRejected('النيل', 'LOC'), false);
    assert.equal(m.dictionary().labelOf('وادي النيل'), 'LOC');
    // Another label on the very span the user rejected: that label is wrong for the name everywhere.
    const E = 'فاز فنسبري بارك أمس.';
    const asPerson = createAnnotation(E, cpOf(E, 'فنسبري بارك'), cpOf(E, 'فنسبري بارك') + 11, { kind: 'entity', label: 'PER', status: 'rejected', source: 'user' });
    m.set('e', summarizeDocument(E, [asPerson, accepted(E, 'فنسبري بارك', 'ORG')], false));
    assert.equal(m.dictionary().isRejected('فنسبري بارك', 'PER'), true);
    assert.equal(m.dictionary().labelOf('فنسبري بارك'), 'ORG');
  });

  it('finds names accepted with different labels and lists the minority mentions', () => {
    const m = new CorpusMemory();
    m.set('a', summarizeDocument(A, [accepted(A, 'إيران', 'LOC'), accepted(A, 'إيران', 'LOC', A.indexOf('إيران') + 1)], false));
    m.set('b', summarizeDocument(B, [accepted(B, 'إيران', 'LOC')], false));
    m.set('c', summarizeDocument(C, [accepted(C, 'إيران', 'ORG')], false));
    const [i] = m.inconsistencies();
    assert.equal(i.majority, 'LOC');
    assert.deepEqual(i.labels, { LOC: { mentions: 3, documents: 2 }, ORG: { mentions: 1, documents: 1 } });
    assert.deepEqual(i.minority.map((x) => [x.docId, x.label, x.text]), [['c', 'ORG', 'إيران']]);
    assert.deepEqual(m.labelCounts(i.normalized), i.labels);
    m.set('c', withDecisions(m.summary('c')!, [accepted(C, 'إيران', 'LOC')], 'in-progress'));
    assert.deepEqual(m.inconsistencies(), [], 'relabelled: consistent again');
  });

  it('counts review progress, and a missing or unknown review reads as todo', () => {
    const m = new CorpusMemory();
    m.set('a', summarizeDocument(A, [], false, 'done'));
    m.set('b', summarizeDocument(B, [], false, 'in-progress'));
    m.set('c', summarizeDocument(C, [], false));
    assert.deepEqual(m.progress(), { done: 1, inProgress: 1, todo: 1, total: 3 });
    assert.equal(reviewStatusOf({}), 'todo');
    assert.equal(reviewStatusOf({ review: { status: 'bogus' as never, modified: '' } }), 'todo');
    assert.equal(afterDecision(undefined).status, 'in-progress');
    const done = { status: 'done' as const, modified: '2026-01-01T00:00:00.000Z' };
    assert.equal(afterDecision(done), done, 'a decision on a done document leaves it done');
  });

  it('changes the decision version on a decision, not on a status change', () => {
    const m = new CorpusMemory();
    m.set('a', summarizeDocument(A, [], false));
    const v = m.decisionsVersion;
    m.set('a', withDecisions(m.summary('a')!, [], 'done'));
    assert.equal(m.decisionsVersion, v);
    m.set('a', withDecisions(m.summary('a')!, [accepted(A, 'إيران', 'LOC')], 'done'));
    assert.ok(m.decisionsVersion > v);
  });

  it('keeps the decision version when a document without decisions arrives, and moves it for one with decisions', () => {
    const m = new CorpusMemory();
    m.set('a', summarizeDocument(A, [accepted(A, 'إيران', 'LOC')], false));
    const d = m.dictionary();
    const v = m.decisionsVersion;
    m.set('b', summarizeDocument(B, [], false));
    assert.equal(m.decisionsVersion, v, 'a scan adding undecided documents leaves what was built from the decisions');
    assert.equal(m.dictionary(), d);
    m.set('c', summarizeDocument(C, [accepted(C, 'إيران', 'ORG')], false));
    assert.ok(m.decisionsVersion > v);
    assert.equal(m.dictionary().labelOf('إيران'), 'LOC');
    assert.equal(m.inconsistencies().length, 1, 'the decision of the new document is seen');
    const w = m.decisionsVersion;
    m.remove('b');
    assert.ok(m.decisionsVersion > w, 'a removal rebuilds');
  });
});

describe('document summaries', () => {
  it('keep found names in columns that give back every mention as it was found', () => {
    const list = [
      { label: 'PER', normalized: 'بوتين', text: 'بوتين', confidence: 0.996, source: 'tagger', start: 3, end: 8 },
      { label: 'ORG', normalized: 'الكي جي بي', text: 'الكي. جي. بي', confidence: 0.961, source: 'tagger', start: 20, end: 32 },
      { label: 'LOC', normalized: 'العراق', text: 'العراق', confidence: 1 / 3, source: 'tagger+gazetteer', start: 40, end: 46 },
      { label: 'PER', normalized: 'بوتين', text: 'لبوتين', confidence: 0.5, source: 'tagger', start: 2 ** 31, end: 2 ** 31 + 5 },
    ];
    const cols = toFoundNames(list);
    assert.deepEqual(foundList(cols), list);
    assert.deepEqual(cols.labels, ['PER', 'ORG', 'LOC']);
    assert.equal(cols.text[0], cols.normalized[0], 'a text equal to its normalised form is the same string');
    // Plain data: what a worker thread sends arrives whole.
    assert.deepEqual(foundList(structuredClone(cols)), list);
    assert.deepEqual(foundList(toFoundNames([])), []);
  });

  it('count each name by label, found or accepted, and the corpus sums them for hovers and the Entities view', () => {
    const T = 'زار بوتين العراق . قال بوتين إن العراق مهم .';
    const U = 'بوتين في موسكو .';
    const m = new CorpusMemory();
    const a = summarizeDocument(T, [], {});
    m.set('t', a);
    m.set('u', summarizeDocument(U, [accepted(U, 'موسكو', 'LOC')], {}));
    const counts = entityCountList(entityCountsOf(a));
    const putin = counts.find((c) => c.normalized === 'بوتين');
    assert.ok(putin && putin.count === 2 && putin.label === 'PER', JSON.stringify(counts));
    assert.deepEqual(m.mentions('PER', 'بوتين'), { documents: 2, total: 3 });
    assert.deepEqual(m.mentions('LOC', 'موسكو'), { documents: 1, total: 1 });
    const view = m.entities((id) => `file:///${id}`);
    const row = view.find((e) => e.normalized === 'بوتين')!;
    assert.equal(row.count, 3);
    assert.deepEqual(row.documents.map((d) => d.uri).sort(), ['file:///t', 'file:///u']);
    // The totals follow a document's new decisions and its removal, as a pass over every document would.
    const first = cpOf(T, 'بوتين');
    const no = createAnnotation(T, first, first + 5, { kind: 'entity', label: 'PER', status: 'rejected', source: 'user' });
    m.set('t', withDecisions(a, [no], 'todo'));
    assert.deepEqual(m.mentions('PER', 'بوتين'), { documents: 2, total: 2 });
    m.remove('u');
    assert.deepEqual(m.mentions('PER', 'بوتين'), { documents: 1, total: 1 });
    assert.deepEqual(m.mentions('LOC', 'موسكو'), { documents: 0, total: 0 });
    m.set('t', a);
    assert.deepEqual(m.mentions('PER', 'بوتين'), { documents: 1, total: 2 });
  });
});

describe('review queue', () => {
  it('puts the most uncertain, newest names first, then by name, done documents last', () => {
    const rows = orderQueue([
      { name: 'b.txt', status: 'todo' as const, priority: 2 },
      { name: 'a.txt', status: 'done' as const, priority: 9 },
      { name: 'c.txt', status: 'in-progress' as const, priority: 5 },
      { name: 'a2.txt', status: 'todo' as const, priority: 2 },
      { name: '0.txt', status: 'done' as const, priority: 0 },
    ]);
    assert.deepEqual(rows.map((r) => r.name), ['c.txt', 'a2.txt', 'b.txt', '0.txt', 'a.txt']);
  });

  it('picks the top of the queue in one pass exactly as the full order does', () => {
    // Deterministic pseudo-random rows with many ties on priority, and done documents.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const statuses = ['todo', 'in-progress', 'done'] as const;
    const rows = Array.from({ length: 500 }, (_, i) => ({ name: `d${Math.floor(rnd() * 400)}-${i}.txt`, status: statuses[Math.floor(rnd() * 3)], priority: Math.floor(rnd() * 6) / 2 }));
    const full = orderQueue([...rows]).map((r) => r.name);
    const topOf = (k: number) => {
      const top = new QueueTop<(typeof rows)[number]>(k);
      for (const r of rows) top.offer(r, () => r);
      return top.rows;
    };
    for (const k of [0, 1, 2, 10, 77, 499, 500, 600]) assert.deepEqual(topOf(k).map((r) => r.name), full.slice(0, k), `k = ${k}`);
  });

  it('weighs uncertain suggestions and names never accepted more than confident known ones', () => {
    const m = new CorpusMemory();
    const T = 'زار إيران.';
    m.set('x', summarizeDocument(T, [accepted(T, 'إيران', 'LOC')], false));
    const sure = { start: 0, end: 1, label: 'LOC', normalized: 'ايران', confidence: 0.95, source: 'tagger' };
    const unsure = { ...sure, normalized: 'جديد', confidence: 0.55 };
    const known = statsFromSuggestions({ entities: [sure], boilerplate: [] }, [], m);
    const fresh = statsFromSuggestions({ entities: [unsure], boilerplate: [] }, [], m);
    assert.equal(known.newNames, 0);
    assert.equal(fresh.newNames, 1);
    assert.equal(fresh.uncertain, 1);
    assert.ok(fresh.priority > known.priority);
  });

  it('estimates a document from its summary: found names minus its own decisions', () => {
    const m = new CorpusMemory();
    const T = 'قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .';
    const s = summarizeDocument(T, [], {});
    m.set('t', s);
    const before = estimateFromSummary(s, m);
    const found = foundList(s.found);
    assert.equal(before.openSuggestions, found.length);
    const first = found[0];
    const decided = createAnnotation(T, first.start, first.end, { kind: 'entity', label: first.label, status: 'rejected', source: 'user' });
    assert.equal(estimateFromSummary(withDecisions(s, [decided], 'in-progress'), m).openSuggestions, found.length - 1);
  });
});

describe('estimates across decisions', () => {
  const TEXTS = [
    'قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .',
    'التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني في بكين .',
    'أعلنت الأمم المتحدة في جنيف أن المساعدات وصلت إلى غزة .',
    'زار جو بايدن بكين والتقى الرئيس الصيني في العاصمة .',
    'قالت وزارة الخارجية في واشنطن إن لافروف سيزور جنيف .',
  ];

  it('an estimate made before decisions still holds when none of its names was decided since (the rest are made again)', () => {
    const m = new CorpusMemory();
    const docs = TEXTS.map((t, i): [string, string, ReturnType<typeof summarizeDocument>] => [`d${i}`, t, summarizeDocument(t, [], {})]);
    for (const [id, , s] of docs) m.set(id, s);
    m.set('extra', summarizeDocument(TEXTS[4], [], {}));
    const v0 = m.decisionsVersion;
    const before = new Map(docs.map(([id, , s]) => [id, estimateFromSummary(s, m)]));
    // A name found in several documents accepted in one, another rejected in another: each a decision anywhere.
    const [, t0, s0] = docs[0];
    const [, t1, s1] = docs[1];
    const f0 = foundList(s0.found);
    const f1 = foundList(s1.found);
    assert.ok(f0.length && f1.length, 'names found');
    const accept = createAnnotation(t0, f0[0].start, f0[0].end, { kind: 'entity', label: f0[0].label, status: 'accepted', source: 'user' });
    const reject = createAnnotation(t1, f1[0].start, f1[0].end, { kind: 'entity', label: f1[0].label, status: 'rejected', source: 'user' });
    m.set('d0', withDecisions(s0, [accept], 'in-progress'));
    m.set('d1', withDecisions(s1, [reject], 'in-progress'));
    // A status change alone is no decision; a document without decisions removed changes no name.
    m.set('d2', withDecisions(docs[2][2], [], 'done'));
    m.remove('extra');
    const changed = m.namesChangedSince(v0);
    assert.deepEqual(changed && [...changed].sort(), [f0[0].normalized, f1[0].normalized].sort());
    let held = 0;
    let remade = 0;
    for (const [id, , s] of docs.slice(2)) {
      const now = estimateFromSummary(m.summary(id)!, m);
      if (mentionsAny(s, changed!)) remade++;
      else {
        held++;
        assert.deepEqual(before.get(id), now, `${id}: the estimate made before the decisions is still right`);
      }
    }
    assert.ok(held > 0 && remade > 0, `some estimates hold (${held}), some names were decided (${remade})`);
    // The decisions undone: the same names changed again; removing a document with decisions changes its names.
    const v1 = m.decisionsVersion;
    m.set('d0', withDecisions(s0, [], 'in-progress'));
    assert.deepEqual([...m.namesChangedSince(v1)!], [f0[0].normalized]);
    const v2 = m.decisionsVersion;
    m.remove('d1');
    assert.deepEqual([...m.namesChangedSince(v2)!], [f1[0].normalized]);
    assert.equal(m.namesChangedSince(m.decisionsVersion)!.size, 0);
  });

  it('says it does not know what changed too long ago', () => {
    const m = new CorpusMemory();
    const T = TEXTS[0];
    const s = summarizeDocument(T, [], {});
    m.set('d', s);
    const v0 = m.decisionsVersion;
    const f = foundList(s.found)[0];
    for (let i = 0; i < 300; i++) m.set('d', withDecisions(s, i % 2 ? [] : [createAnnotation(T, f.start, f.end, { kind: 'entity', label: f.label, status: 'accepted', source: 'user' })], 'todo'));
    assert.equal(m.namesChangedSince(v0), null);
    assert.deepEqual([...m.namesChangedSince(m.decisionsVersion - 10)!], [f.normalized]);
  });
});

describe('undo of a batch', () => {
  const T = 'إيران وباكستان والهند';
  const a1 = accepted(T, 'إيران', 'LOC');
  const a2 = accepted(T, 'باكستان', 'LOC');
  it('reverts a relabel and a corpus batch, and re-applies it, leaving later unrelated decisions alone', () => {
    const before = [a1];
    const relabel = { ...accepted(T, 'إيران', 'ORG') };
    const after = [relabel, a2];
    const diff = diffAnnotations(before, after);
    assert.deepEqual(diff.removed, [a1]);
    assert.deepEqual(diff.added.map((a) => a.id).sort(), [relabel.id, a2.id].sort());
    const change = { file: 'x', layer: null, ...diff, reviewBefore: { status: 'todo' as const, modified: '' }, reviewAfter: { status: 'in-progress' as const, modified: '' } };
    const later = accepted(T, 'الهند', 'LOC');
    const undone = applyChange([...after, later], change, 'undo');
    assert.deepEqual(undone.map((a) => a.id).sort(), [a1.id, later.id].sort());
    const redone = applyChange(undone, change, 'redo');
    assert.deepEqual(redone.map((a) => a.id).sort(), [relabel.id, a2.id, later.id].sort());
    assert.deepEqual(applyChange(redone, change, 'redo').length, 3, 'applying twice changes nothing more');
  });
});
