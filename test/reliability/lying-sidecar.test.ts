/**
 * Issue 10.5 — a sidecar that lies. Its sha256 matches the text, but an
 * annotation's `end` lies beyond the text, or its `text` is not what stands
 * at its offsets. Every annotation is checked against the text on load,
 * whatever the hash says: re-anchored by its text and context, or kept as an
 * orphan (shown as a diagnostic by the server) — never shown at the wrong
 * place, never written back unchanged, never dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { DiagnosticCode } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { placeOnText } from '../../server/src/core/annotations/placement';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { loadDocument } from '../../server/src/host/corpus';
import { sidecarPath } from '../../server/src/host/sidecarFiles';
import { codeOf, makeWorkspace, open, startServer } from '../protocol/lspClient';

const TEXT = 'Ann met Bob in Rome.\nLater Bob flew to Cairo with Ann. 😀 Rome again.';
const STAMP = new Date('2026-01-01T00:00:00.000Z');
const cp = (s: string, from = 0) => Array.from(TEXT.slice(0, TEXT.indexOf(s, from))).length;

function ann(word: string, id: string, label = 'PER', from = 0): SidecarAnnotation {
  const s = cp(word, from);
  return createAnnotation(TEXT, s, s + Array.from(word).length, { kind: 'entity', label, status: 'accepted', source: 'user' }, STAMP, id);
}

/** A sidecar whose hash matches TEXT, with one honest annotation and the given lies. */
function lyingSidecar(lies: SidecarAnnotation[]): Sidecar {
  return { ...emptySidecar('a.txt', TEXT), annotations: [ann('Ann', 'honest'), ...lies] };
}

const len = Array.from(TEXT).length;

test('end beyond the text, hash matching: re-anchored by its text when it can be found, else an orphan inside the text', () => {
  const cairo = ann('Cairo', 'cairo', 'LOC');
  const shifted = { ...cairo, start: cairo.start + 100, end: cairo.end + 100 };
  const nowhere = { ...ann('Rome', 'gone', 'LOC'), text: 'Atlantis', prefix: '', suffix: '', start: len + 5, end: len + 13 };
  const p = placeOnText(lyingSidecar([shifted, nowhere]), TEXT);
  assert.equal(p.textChanged, false);
  assert.equal(p.contradicted, 2);
  const placed = p.placed.find((a) => a.id === 'cairo');
  assert.ok(placed, 'Cairo found again by its text');
  assert.equal(Array.from(TEXT).slice(placed.start, placed.end).join(''), 'Cairo');
  const orphan = p.orphans.find((a) => a.id === 'gone');
  assert.ok(orphan?.orphaned, 'Atlantis kept as an orphan');
  assert.ok(orphan.end <= len && orphan.start <= orphan.end, 'orphan offsets kept inside the text');
  assert.equal(p.placed.length + p.orphans.length, 3, 'nothing dropped');
});

test('text not what stands at the offsets (hash matching): never shown there', () => {
  // Claims "Rome" at Bob's offsets; the second Rome (with its context) is elsewhere.
  const bob = ann('Bob', 'x');
  const lie = { ...ann('Rome', 'rome', 'LOC'), start: bob.start, end: bob.end };
  const p = placeOnText(lyingSidecar([lie]), TEXT);
  const r = [...p.placed, ...p.orphans].find((a) => a.id === 'rome')!;
  if (!r.orphaned) assert.equal(Array.from(TEXT).slice(r.start, r.end).join(''), 'Rome', 'placed only where its text stands');
  assert.ok(!(r.start === bob.start && !r.orphaned), 'not shown at the lying offsets');
  // A text that occurs nowhere becomes an orphan.
  const fake = { ...ann('Bob', 'fake'), text: 'Zoe', prefix: '', suffix: '' };
  const q = placeOnText(lyingSidecar([fake]), TEXT);
  assert.ok(q.orphans.some((a) => a.id === 'fake' && a.orphaned));
  // The honest annotation is untouched in both cases.
  assert.ok(q.placed.some((a) => a.id === 'honest' && a.start === 0 && a.end === 3));
});

test('a found-again lie does not duplicate a decision already held at that place', () => {
  const honest = ann('Ann', 'honest');
  const dup = { ...honest, id: 'dup', start: 40, end: 43 };
  const p = placeOnText({ ...emptySidecar('a.txt', TEXT), annotations: [honest, dup] }, TEXT);
  const onAnn = p.placed.filter((a) => a.start === 0 && a.end === 3);
  assert.equal(onAnn.length, 1, 'one PER on "Ann" at 0');
  assert.equal(p.placed.length + p.orphans.length, 2);
});

test('an honest sidecar costs one pass and changes nothing', () => {
  const s = lyingSidecar([ann('Rome', 'r', 'LOC', 20), ann('😀', 'e', 'MISC')]);
  const p = placeOnText(s, TEXT);
  assert.equal(p.contradicted, 0);
  assert.equal(p.moved, 0);
  assert.deepEqual(p.placed, s.annotations);
});

test('exports (host loadDocument) see only annotations whose text stands at their offsets', () => {
  const dir = makeWorkspace({ 'a.txt': TEXT });
  try {
    const file = path.join(dir, 'a.txt');
    const bob = ann('Bob', 'x');
    fs.writeFileSync(sidecarPath(file), serializeSidecar(lyingSidecar([{ ...ann('Cairo', 'c', 'LOC'), start: bob.start, end: bob.end }])));
    const loaded = loadDocument(file);
    assert.ok(loaded.ok);
    if (!loaded.ok) return;
    for (const a of loaded.doc.annotations) assert.equal(Array.from(TEXT).slice(a.start, a.end).join(''), a.text, a.id);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('through the server: the lie becomes an orphan diagnostic, is not decorated, and the sidecar is corrected on the next write', { timeout: 120_000 }, async () => {
  const folder = makeWorkspace({ 'a.txt': TEXT });
  const file = path.join(folder, 'a.txt');
  const lie = { ...ann('Rome', 'gone', 'LOC'), text: 'Atlantis', prefix: '', suffix: '', start: 1, end: len + 40 };
  fs.writeFileSync(sidecarPath(file), serializeSidecar(lyingSidecar([lie])));
  const s = await startServer(folder);
  try {
    const uri = await open(s, file);
    const diags = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.orphan), 60_000);
    const orphan = diags.find((x) => codeOf(x) === DiagnosticCode.orphan)!;
    assert.match(String(orphan.message), /Atlantis/);
    const shown = (await s.connection.sendRequest('newsAnnotator/documentAnnotations', { uri })) as { annotations: { id: string }[] };
    assert.deepEqual(shown.annotations.map((a) => a.id), ['honest'], 'only the honest annotation is shown');
    // Saving writes the correction: the orphan flag, offsets inside the text, nothing dropped.
    await s.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const deadline = Date.now() + 30_000;
    let onDisk: Sidecar | undefined;
    while (Date.now() < deadline) {
      onDisk = JSON.parse(fs.readFileSync(sidecarPath(file), 'utf8')) as Sidecar;
      if (onDisk.annotations.some((a) => a.orphaned)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const gone = onDisk!.annotations.find((a) => a.id === 'gone');
    assert.ok(gone?.orphaned, 'written back as an orphan');
    assert.ok(gone.end <= len);
    assert.equal(onDisk!.annotations.length, 2);
  } finally {
    await s.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
