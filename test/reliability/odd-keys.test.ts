/**
 * Issue 10.3 — odd keys. A sidecar is untrusted JSON: keys named like
 * Object.prototype members (`__proto__`, `toString`, `valueOf`, …) must be
 * kept as data, byte for byte, through read → merge → write, at the top
 * level, in `document` and in annotations; they must never break a write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { mergeSidecars } from '../../server/src/core/annotations/merge';
import { emptySidecar, parseSidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { readSidecar, sidecarPath, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';

const TEXT = 'Ann met Bob in Rome.';
const STAMP = new Date('2026-01-01T00:00:00.000Z');
/** Every name Object.prototype has, plus the ones that reach prototypes in other ways. */
const ODD = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'constructor', 'prototype'])];
/** Values of every JSON type, so that a key is tested with objects (which `__proto__` assignment would swallow) too. */
const VALUES: unknown[] = [{ nested: { deep: [1, 'x'] } }, 'text', 0, false, null, [1, 2], { __proto__x: 1 }];

function ann(word: string, id: string, label = 'PER'): SidecarAnnotation {
  const s = TEXT.indexOf(word);
  return createAnnotation(TEXT, s, s + word.length, { kind: 'entity', label, status: 'accepted', source: 'user' }, STAMP, id);
}

/** The sidecar as raw JSON text with `key: value` added at the top level, in `document` and in every annotation. */
function withOddKey(key: string, value: unknown): string {
  const s = { ...emptySidecar('a.txt', TEXT), annotations: [ann('Ann', 'a1'), ann('Rome', 'a2', 'LOC')] };
  const json = JSON.parse(serializeSidecar(s)) as Record<string, unknown>;
  const v = JSON.stringify(value);
  // Built as text: assigning `__proto__` on an object literal would not create the key.
  const add = (obj: string): string => obj.replace(/^\{/, `{\n"${key}": ${v},`);
  const doc = add(JSON.stringify(json.document));
  const anns = (json.annotations as object[]).map((a) => add(JSON.stringify(a)));
  return add(`{"version":1,"document":${doc},"offsets":"codepoint","annotations":[${anns.join(',')}]}`);
}

/** The value of own property `key` of `o`, as JSON text (undefined when absent). */
function ownJson(o: unknown, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(o, key) ? JSON.stringify((o as Record<string, unknown>)[key]) : undefined;
}

function assertKeyEverywhere(s: unknown, key: string, value: unknown, where: string): void {
  const want = JSON.stringify(value);
  const sc = s as Sidecar;
  assert.equal(ownJson(sc, key), want, `${where}: top level ${key}`);
  assert.equal(ownJson(sc.document, key), want, `${where}: document.${key}`);
  for (const a of sc.annotations) assert.equal(ownJson(a, key), want, `${where}: annotation ${a.id}.${key}`);
}

test('every Object.prototype name, with values of every JSON type, survives parse → serialise byte for byte', () => {
  for (const key of ODD) {
    for (const value of VALUES) {
      const src = withOddKey(key, value);
      const r = parseSidecar(src);
      assert.ok(r.ok, `${key}: ${!r.ok ? r.message : ''}`);
      assertKeyEverywhere(r.sidecar, key, value, `parsed ${key}`);
      // Known fields are not disturbed by the odd key.
      assert.equal(r.sidecar.annotations.length, 2);
      assert.equal(r.sidecar.annotations[0].label, 'PER');
      const out = serializeSidecar(r.sidecar);
      assertKeyEverywhere(JSON.parse(out), key, value, `serialised ${key}`);
      // Serialising what was read gives the same bytes again (stable), and nothing else changed.
      const again = parseSidecar(out);
      assert.ok(again.ok);
      assert.equal(serializeSidecar(again.sidecar), out, key);
    }
  }
});

test('the odd keys survive a three-way merge (both sides changed, an annotation added on each side)', () => {
  for (const key of ODD) {
    const value = { keep: key };
    const base = parseSidecar(withOddKey(key, value));
    assert.ok(base.ok);
    const b = base.sidecar;
    const mine: Sidecar = { ...b, annotations: [...b.annotations.map((a) => (a.id === 'a1' ? { ...a, note: 'checked', modified: '2026-02-01T00:00:00.000Z' } : a)), ann('Bob', 'm1')] };
    const theirs: Sidecar = { ...b, annotations: [...b.annotations.map((a) => (a.id === 'a1' ? { ...a, label: 'ORG', modified: '2026-03-01T00:00:00.000Z' } : a)), ann('met', 't1', 'MISC')] };
    const r = mergeSidecars(b, mine, theirs);
    assert.deepEqual(r.conflicts, [], key);
    const a1 = r.merged.annotations.find((a) => a.id === 'a1')!;
    assert.equal(a1.note, 'checked');
    assert.equal(a1.label, 'ORG');
    const out = JSON.parse(serializeSidecar(r.merged));
    assert.equal(ownJson(out, key), JSON.stringify(value), `merged top level ${key}`);
    assert.equal(ownJson(out.document, key), JSON.stringify(value), `merged document.${key}`);
    for (const id of ['a1', 'a2']) assert.equal(ownJson(out.annotations.find((a: SidecarAnnotation) => a.id === id), key), JSON.stringify(value), `merged ${id}.${key}`);
  }
});

test('a sidecar with odd keys on disk: read, then written again and again (by two writers), keys intact', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-odd-'));
  try {
    for (const key of ODD) {
      const doc = path.join(dir, `${key.replace(/\W/g, '_')}.txt`);
      fs.writeFileSync(doc, TEXT);
      fs.writeFileSync(sidecarPath(doc), withOddKey(key, { k: [key] }));
      const st = readSidecar(doc);
      assert.equal(st.status, 'ok', key);
      if (st.status !== 'ok') continue;
      // Writer 1 adds an annotation.
      const w1 = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, ann('Bob', 'w1')] }, st);
      // Writer 2 still works from the first read: its write merges.
      const w2 = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, ann('met', 'w2', 'MISC')] }, st, { text: TEXT });
      assert.deepEqual(w2.conflicts, []);
      // Writer 1 writes once more from its own result.
      writeSidecarAtomic(doc, { ...w1.sidecar, annotations: w1.sidecar.annotations.filter((a) => a.id !== 'a2') }, w1);
      const onDisk = JSON.parse(fs.readFileSync(sidecarPath(doc), 'utf8'));
      assert.equal(ownJson(onDisk, key), JSON.stringify({ k: [key] }), `${key} at the top level`);
      assert.equal(ownJson(onDisk.document, key), JSON.stringify({ k: [key] }), `${key} in document`);
      assert.deepEqual(onDisk.annotations.map((a: SidecarAnnotation) => a.id).sort(), ['a1', 'w1', 'w2']);
      assert.equal(ownJson(onDisk.annotations.find((a: SidecarAnnotation) => a.id === 'a1'), key), JSON.stringify({ k: [key] }), `${key} in a1`);
      // Nothing leaked into the prototype of ordinary objects.
      assert.equal(({} as Record<string, unknown>).k, undefined);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an odd annotation id (__proto__, constructor) is an id like any other', () => {
  const mine: Sidecar = { ...emptySidecar('a.txt', TEXT), annotations: [ann('Ann', '__proto__'), ann('Bob', 'constructor')] };
  const theirs: Sidecar = { ...emptySidecar('a.txt', TEXT), annotations: [ann('Rome', 'toString', 'LOC')] };
  const r = mergeSidecars(null, mine, theirs);
  assert.deepEqual(r.merged.annotations.map((a) => a.id).sort(), ['__proto__', 'constructor', 'toString']);
  const p = parseSidecar(serializeSidecar(r.merged));
  assert.ok(p.ok);
  assert.equal(p.sidecar.annotations.length, 3);
});
