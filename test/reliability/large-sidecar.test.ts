/**
 * Issue 10.12 — many annotations. A generated 200,000-annotation sidecar
 * (~90 MB) on a ~1.2 MB document must load, validate, anchor, merge and
 * write correctly; the time it takes is measured by `npm run bench`
 * (scripts/bench-sidecar.ts), not here. Timeouts are generous: they only turn
 * a hang (the quadratic paths this guards against) into a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sidecar } from '../../server/src/protocol';
import { Command } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { placeOnText } from '../../server/src/core/annotations/placement';
import { reanchor } from '../../server/src/core/annotations/anchoring';
import { filterDecided } from '../../server/src/core/analyze';
import { TextIndex } from '../../server/src/core/text/offsets';
import { journalPathOf, readSidecar, sidecarPath, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';
import { bigDocument, writeBigFixture } from './bigSidecar';
import { open, startServer } from '../protocol/lspClient';

const COUNT = 200_000;
const text = bigDocument();
const cps = Array.from(text);

let made: string | undefined;
/** A fresh folder with the document and its sidecar (generated once, copied for each test). */
function fixture(): { dir: string; doc: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-big-'));
  if (!made) {
    made = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-big-src-'));
    writeBigFixture(made, 'big.txt', text, COUNT);
    process.on('exit', () => fs.rmSync(made!, { recursive: true, force: true }));
  }
  for (const f of ['big.txt', 'big.txt.ann.json']) fs.copyFileSync(path.join(made, f), path.join(dir, f));
  return { dir, doc: path.join(dir, 'big.txt') };
}

test('200,000 annotations: read, validated, every one placed where it is; accepted, merged with another writer, written', { timeout: 600_000 }, () => {
  const { dir, doc } = fixture();
  try {
    assert.ok(fs.statSync(sidecarPath(doc)).size > 50 * 1024 * 1024, 'a sidecar of tens of megabytes');
    const st = readSidecar(doc);
    assert.equal(st.status, 'ok');
    if (st.status !== 'ok') return;
    assert.equal(st.sidecar.annotations.length, COUNT);
    const p = placeOnText(st.sidecar, text);
    assert.equal(p.placed.length, COUNT);
    assert.equal(p.contradicted, 0);
    for (let i = 0; i < COUNT; i += 997) {
      const a = p.placed[i];
      assert.equal(cps.slice(a.start, a.end).join(''), a.text);
    }
    // Two writers from the same base: each adds one annotation; the second merges.
    const mk = (at: number, label: string, id: string) => {
      let s = at;
      while (/\s/u.test(cps[s])) s++;
      let e = s;
      while (e < cps.length && !/\s/u.test(cps[e])) e++;
      return createAnnotation(text, s, e, { kind: 'entity', label, status: 'accepted', source: 'user' }, new Date(), id);
    };
    const one = mk(1000, 'PER', 'writer-one');
    const two = mk(Math.floor(cps.length / 2), 'ORG', 'writer-two');
    const w1 = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, one] }, st, { text });
    assert.equal(w1.merged, false);
    const w2 = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...st.sidecar.annotations, two] }, st, { text });
    assert.equal(w2.merged, true);
    const after = readSidecar(doc);
    assert.equal(after.status, 'ok');
    if (after.status !== 'ok') return;
    assert.equal(after.fingerprint, w2.fingerprint);
    assert.equal(after.sidecar.annotations.length, COUNT + 2);
    const ids = new Set(after.sidecar.annotations.map((a) => a.id));
    assert.ok(ids.has('writer-one') && ids.has('writer-two'));
    // Sorted on disk by offset.
    const starts = after.sidecar.annotations.map((a) => a.start);
    assert.ok(starts.every((s, i) => i === 0 || starts[i - 1] <= s));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('200,000 annotations on a text changed outside the editor: every one re-anchored (shifted), none lost', { timeout: 600_000 }, () => {
  const { dir, doc } = fixture();
  try {
    const st = readSidecar(doc);
    assert.equal(st.status, 'ok');
    if (st.status !== 'ok') return;
    const changed = 'سطر جديد في أول الملف.\n' + text;
    const shift = Array.from('سطر جديد في أول الملف.\n').length;
    const r = reanchor(changed, st.sidecar.annotations);
    assert.equal(r.annotations.length + r.orphans.length, COUNT);
    assert.ok(r.orphans.length < COUNT / 100, `${r.orphans.length} orphans`);
    const changedCps = Array.from(changed);
    for (let i = 0; i < r.annotations.length; i += 1009) {
      const a = r.annotations[i];
      assert.equal(changedCps.slice(a.start, a.end).join(''), a.text);
    }
    const moved = r.annotations.filter((a, i) => a.start === st.sidecar.annotations[i].start + shift).length;
    assert.ok(moved > COUNT * 0.99);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('200,000 annotations that lie (hash matching, texts found nowhere): bounded work, every one kept as an orphan', { timeout: 600_000 }, () => {
  const { dir, doc } = fixture();
  try {
    const st = readSidecar(doc);
    assert.equal(st.status, 'ok');
    if (st.status !== 'ok') return;
    const lies = st.sidecar.annotations.map((a, i) => ({ ...a, text: `zq${i.toString(36)}xj`, prefix: `pp${i}`, suffix: `ss${i}` }));
    const p = placeOnText({ ...st.sidecar, annotations: lies }, text);
    assert.equal(p.contradicted, COUNT);
    assert.equal(p.placed.length, 0);
    assert.equal(p.orphans.length, COUNT, 'none dropped');
    assert.ok(p.orphans.every((a) => a.orphaned && a.end <= cps.length));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('suggestions minus 200,000 decisions: the same as the definition, computed linearly', () => {
  const index = new TextIndex(text);
  const words = [...text.matchAll(/\S+/gu)].slice(0, 50_000);
  const suggestions = {
    entities: words.map((m) => ({ start: m.index, end: m.index + m[0].length, label: 'PER', confidence: 0.9, source: 'tagger', normalized: m[0] })),
    boilerplate: [],
  };
  const decided = words.filter((_, i) => i % 3 === 0).map((m, i) =>
    createAnnotation(text, index.toCodePoint(m.index), index.toCodePoint(m.index + m[0].length), { kind: 'entity', label: 'PER', status: i % 2 ? 'rejected' : 'accepted', source: 'user' }),
  );
  const out = filterDecided(suggestions as never, index, decided);
  const accepted = new Set(decided.filter((a) => a.status === 'accepted').map((a) => index.toUtf16(a.start)));
  const rejected = new Set(decided.filter((a) => a.status === 'rejected').map((a) => index.toUtf16(a.start)));
  const expected = suggestions.entities.filter((c) => !accepted.has(c.start) && !rejected.has(c.start));
  assert.equal(out.entities.length, expected.length);
});

test('through the server: the 200,000-annotation sidecar opens, is shown, and an accept is written', { timeout: 600_000 }, async () => {
  const { dir, doc } = fixture();
  // Entity detection off: this test is about the sidecar, not the tagger's speed on 1.2 MB.
  const s = await startServer(dir, { entities: { enabled: false } });
  try {
    const uri = await open(s, doc, text);
    await s.waitForDiagnostics(uri, () => true, 550_000);
    const shown = (await s.connection.sendRequest('newsAnnotator/documentAnnotations', { uri })) as { annotations: unknown[] };
    assert.equal(shown.annotations.length, COUNT);
    let start = Math.floor(cps.length / 3);
    while (/\s/u.test(cps[start])) start++;
    while (start > 0 && !/\s/u.test(cps[start - 1])) start--;
    let end = start;
    while (!/\s/u.test(cps[end])) end++;
    const word = cps.slice(start, end).join('');
    await s.connection.sendRequest('workspace/executeCommand', { command: Command.accept, arguments: [{ uri, kind: 'entity', label: 'LOC', start, end, text: word }] });
    // Answered: the decision is durable (in the sidecar's journal, or the file), whatever happens next.
    s.process.kill('SIGKILL');
    const isLoc = (a: { start: number; end: number; label?: string; status: string }) => a.start === start && a.end === end && a.label === 'LOC' && a.status === 'accepted';
    const read = readSidecar(doc);
    assert.equal(read.status, 'ok');
    if (read.status !== 'ok') return;
    // The accept replaced the decisions overlapping the word (a relabel) and added one LOC.
    assert.equal(read.sidecar.annotations.filter(isLoc).length, 1);
    assert.ok(read.sidecar.annotations.length > COUNT - 50 && read.sidecar.annotations.length < COUNT);
    // A new server shows it; when it stops, the sidecar file is self-contained again (the journal folded in).
    const s2 = await startServer(dir, { entities: { enabled: false } });
    try {
      const uri2 = await open(s2, doc, text);
      await s2.waitForDiagnostics(uri2, () => true, 550_000);
      const shown2 = (await s2.connection.sendRequest('newsAnnotator/documentAnnotations', { uri: uri2 })) as { annotations: { label?: string; status: string; range: unknown }[] };
      assert.equal(shown2.annotations.length, read.sidecar.annotations.length);
    } finally {
      await s2.close();
    }
    assert.ok(!fs.existsSync(journalPathOf(sidecarPath(doc))), 'no journal left after a clean stop');
    const onDisk = JSON.parse(fs.readFileSync(sidecarPath(doc), 'utf8')) as Sidecar;
    assert.equal(onDisk.annotations.filter(isLoc).length, 1);
    assert.equal(onDisk.annotations.length, read.sidecar.annotations.length);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
