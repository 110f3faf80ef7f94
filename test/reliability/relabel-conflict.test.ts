/**
 * Issue 10.4 — two windows relabelling the same span. A relabel replaces the
 * annotation with a new one (new id), so a merge by id alone sees two
 * additions and keeps both labels. The merge must see the same span (and
 * kind) decided differently on both sides, keep the newer decision and report
 * the conflict: entity labels, boilerplate categories, accept vs reject.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnnotationFields } from '../../server/src/core/annotations/model';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { mergeSidecars } from '../../server/src/core/annotations/merge';
import { emptySidecar } from '../../server/src/core/annotations/sidecar';
import { readSidecar, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';

const TEXT = 'Amman hosts talks. Share this article on Facebook.';
const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-02-01T00:00:00.000Z');
const T2 = new Date('2026-03-01T00:00:00.000Z');

function at(word: string, fields: AnnotationFields, when: Date, id: string): SidecarAnnotation {
  const s = TEXT.indexOf(word);
  return createAnnotation(TEXT, s, s + word.length, fields, when, id);
}
const entity = (label: string, status: 'accepted' | 'rejected' = 'accepted'): AnnotationFields => ({ kind: 'entity', label, status, source: 'user' });
const boiler = (category: string, status: 'accepted' | 'rejected' = 'accepted'): AnnotationFields => ({ kind: 'boilerplate', category, status, source: 'user' });
const sc = (annotations: SidecarAnnotation[]): Sidecar => ({ ...emptySidecar('a.txt', TEXT), annotations });
const SHARE = 'Share this article on Facebook.';

/** What `put` does in the server: a new decision replaces the same-kind ones overlapping it. */
function relabel(s: Sidecar, a: SidecarAnnotation): Sidecar {
  return sc([...s.annotations.filter((x) => !(x.kind === a.kind && x.start < a.end && a.start < x.end)), a]);
}

test('entity relabelled PER here and ORG there (new ids) → one label kept (the newer), conflict reported', () => {
  const base = sc([at('Amman', entity('LOC'), T0, 'b0')]);
  const mine = relabel(base, at('Amman', entity('PER'), T1, 'm1'));
  const theirs = relabel(base, at('Amman', entity('ORG'), T2, 't1'));
  const r = mergeSidecars(base, mine, theirs);
  const on = r.merged.annotations.filter((a) => a.text === 'Amman');
  assert.deepEqual(on.map((a) => a.label), ['ORG']);
  const c = r.conflicts.find((x) => x.type === 'same-span');
  assert.ok(c, JSON.stringify(r.conflicts));
  assert.equal(c.kept, 'theirs');
  assert.equal(c.id, 't1');
  assert.equal(c.droppedId, 'm1');
  assert.match(c.message, /PER/);
  assert.match(c.message, /ORG/);
  // The same with the newer decision on my side, and with both at the same moment (mine wins the tie).
  const r2 = mergeSidecars(base, relabel(base, at('Amman', entity('PER'), T2, 'm1')), relabel(base, at('Amman', entity('ORG'), T1, 't1')));
  assert.deepEqual(r2.merged.annotations.map((a) => a.label), ['PER']);
  const r3 = mergeSidecars(base, relabel(base, at('Amman', entity('PER'), T1, 'm1')), relabel(base, at('Amman', entity('ORG'), T1, 't1')));
  assert.deepEqual(r3.merged.annotations.map((a) => a.label), ['PER']);
  assert.equal(r3.conflicts.filter((x) => x.type === 'same-span').length, 1);
});

test('without a base (both created the file) the same rule holds', () => {
  const r = mergeSidecars(null, sc([at('Amman', entity('PER'), T2, 'm1')]), sc([at('Amman', entity('LOC'), T1, 't1')]));
  assert.deepEqual(r.merged.annotations.map((a) => a.label), ['PER']);
  assert.equal(r.conflicts.filter((x) => x.type === 'same-span').length, 1);
});

test('boilerplate categories, and boilerplate vs "not boilerplate", on the same block', () => {
  const base = sc([]);
  let r = mergeSidecars(base, sc([at(SHARE, boiler('share'), T1, 'm1')]), sc([at(SHARE, boiler('footer'), T2, 't1')]));
  assert.deepEqual(r.merged.annotations.map((a) => a.category), ['footer']);
  assert.equal(r.conflicts.filter((x) => x.type === 'same-span').length, 1);
  r = mergeSidecars(base, sc([at(SHARE, boiler('share'), T2, 'm1')]), sc([at(SHARE, boiler('none'), T1, 't1')]));
  assert.deepEqual(r.merged.annotations.map((a) => a.category), ['share']);
  assert.match(r.conflicts[0].message, /not boilerplate/);
});

test('accepted here, rejected there (same label) → the newer decision, reported', () => {
  const base = sc([]);
  const r = mergeSidecars(base, sc([at('Amman', entity('LOC'), T1, 'm1')]), sc([at('Amman', entity('LOC', 'rejected'), T2, 't1')]));
  assert.deepEqual(r.merged.annotations.map((a) => `${a.status} ${a.label}`), ['rejected LOC']);
  assert.equal(r.conflicts.filter((x) => x.type === 'same-span').length, 1);
});

test('decisions that can both hold are kept without a conflict', () => {
  const base = sc([]);
  // Rejecting the PER suggestion here, accepting LOC there: "not PER, but LOC".
  let r = mergeSidecars(base, sc([at('Amman', entity('PER', 'rejected'), T1, 'm1')]), sc([at('Amman', entity('LOC'), T2, 't1')]));
  assert.equal(r.merged.annotations.length, 2);
  assert.deepEqual(r.conflicts, []);
  // The same decision on both sides is one annotation.
  r = mergeSidecars(base, sc([at('Amman', entity('LOC'), T1, 'm1')]), sc([at('Amman', entity('LOC'), T2, 't1')]));
  assert.equal(r.merged.annotations.length, 1);
  assert.deepEqual(r.conflicts, []);
  // An entity and a boilerplate decision on the same span are different kinds.
  r = mergeSidecars(base, sc([at('Amman', entity('LOC'), T1, 'm1')]), sc([at('Amman', boiler('share'), T2, 't1')]));
  assert.equal(r.merged.annotations.length, 2);
  assert.deepEqual(r.conflicts, []);
  // One side relabels, the other leaves the span alone: the relabel wins silently.
  const b = sc([at('Amman', entity('LOC'), T0, 'b0')]);
  r = mergeSidecars(b, relabel(b, at('Amman', entity('PER'), T1, 'm1')), b);
  assert.deepEqual(r.merged.annotations.map((a) => a.label), ['PER']);
  assert.deepEqual(r.conflicts, []);
});

test('relabelled in place (same id) here, replaced by a new annotation there → one label, one conflict', () => {
  const b0 = at('Amman', entity('LOC'), T0, 'b0');
  const base = sc([b0]);
  const mine = sc([{ ...b0, label: 'PER', modified: T1.toISOString() }]);
  const theirs = relabel(base, at('Amman', entity('ORG'), T2, 't1'));
  const r = mergeSidecars(base, mine, theirs);
  assert.deepEqual(r.merged.annotations.map((a) => a.label), ['ORG']);
  assert.deepEqual(r.conflicts.map((c) => c.type), ['same-span']);
});

test('the merge stays linear: 20,000 annotations on each side, 1,000 relabelled differently', () => {
  const words = [...TEXT.matchAll(/\S+/g)];
  const text = TEXT;
  const anns: SidecarAnnotation[] = [];
  for (let i = 0; i < 20_000; i++) {
    const w = words[i % words.length];
    anns.push(createAnnotation(text, w.index, w.index + w[0].length, entity(['PER', 'ORG', 'LOC', 'MISC'][i % 4]), T0, `b${i}`));
  }
  const base = sc(anns);
  const mine = sc(anns.map((a, i) => (i < 1000 ? { ...a, id: `m${i}`, label: 'X1', modified: T1.toISOString() } : a)));
  const theirs = sc(anns.map((a, i) => (i < 1000 ? { ...a, id: `t${i}`, label: 'X2', modified: T2.toISOString() } : a)));
  const r = mergeSidecars(base, mine, theirs);
  assert.equal(r.merged.annotations.length, 20_000);
  assert.equal(r.conflicts.filter((c) => c.type === 'same-span').length, 1000);
  assert.equal(r.merged.annotations.filter((a) => a.label === 'X1').length, 0);
});

// ---------------------------------------------------------------------------
// Two processes through writeSidecarAtomic (the writer is relabelWriter.ts)

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
test('two processes relabel the same span at once: one label in the file, the later writer told of the conflict', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-relabel-'));
  made.push(dir);
  const doc = path.join(dir, 'a.txt');
  fs.writeFileSync(doc, TEXT);
  writeSidecarAtomic(doc, sc([at('Amman', entity('LOC'), T0, 'b0')]), { fingerprint: null, sidecar: null });
  const run = (label: string, role: string) =>
    new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'relabelWriter.ts'), doc, label, role], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      c.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`writer ${label} exited ${code}`))));
    });
  const [per, org] = await Promise.all([run('PER', 'first'), run('ORG', 'second')]);
  const st = readSidecar(doc);
  assert.equal(st.status, 'ok');
  if (st.status !== 'ok') return;
  assert.deepEqual(st.sidecar.annotations.map((a) => a.label), ['ORG'], 'one label on the span: the newer decision');
  // The second writer merged and was told; the first wrote without a conflict.
  assert.deepEqual(JSON.parse(per), []);
  assert.deepEqual(JSON.parse(org), ['same-span']);
});
