/**
 * Concurrency: several processes add annotations to the same sidecar at the
 * same time (editor + CLI + another window). Every annotation must survive;
 * conflicting edits of one annotation must be reported.
 *
 * The same file is the child: run with SIDECAR_CONC_CHILD=<name>.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar } from '../../server/src/core/annotations/sidecar';
import { readSidecar, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';

const TEXT = 'Ann 😀 met Bob in Rome; 𝕏 Cairo and Lima. '.repeat(20);
const K = 25;
const CP_LEN = Array.from(TEXT).length;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function child(doc: string, name: string, mode: string): Promise<void> {
  for (let k = 0; k < K; k++) {
    const st = readSidecar(doc);
    if (st.status !== 'ok' && st.status !== 'absent') throw new Error(`child saw ${st.status}`);
    const base = st.status === 'ok' ? st : null;
    const current = base ? base.sidecar : emptySidecar(doc, TEXT);
    const start = (k * 7 + name.length) % (CP_LEN - 3);
    const a = createAnnotation(TEXT, start, start + 3, { kind: 'entity', label: 'PER', status: 'accepted', source: name }, new Date(), `${name}-${k}`);
    // Read-modify-write with a deliberately stale moment in between, to force merges.
    if (mode === 'slow') await sleep(Math.random() * 4);
    const r = writeSidecarAtomic(doc, { ...current, annotations: [...current.annotations, a] }, { fingerprint: base?.fingerprint ?? null, sidecar: base?.sidecar ?? null });
    if (r.conflicts.some((c) => c.type !== 'document')) throw new Error(`unexpected conflict ${JSON.stringify(r.conflicts)}`);
  }
}

if (process.env.SIDECAR_CONC_CHILD) {
  child(process.env.SIDECAR_CONC_DOC ?? '', process.env.SIDECAR_CONC_CHILD, process.env.SIDECAR_CONC_MODE ?? '').catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  test('three processes adding annotations concurrently: none is lost', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-conc-'));
    made.push(dir);
    const doc = path.join(dir, 'shared.txt');
    fs.writeFileSync(doc, TEXT);
    const names = ['editor', 'cli', 'window2'];
    const runs = names.map(
      (name, i) =>
        new Promise<number>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', __filename], {
            env: { ...process.env, SIDECAR_CONC_CHILD: name, SIDECAR_CONC_DOC: doc, SIDECAR_CONC_MODE: i === 1 ? 'fast' : 'slow' },
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          c.once('exit', (code) => resolve(code ?? -1));
        }),
    );
    assert.deepEqual(await Promise.all(runs), [0, 0, 0]);
    const st = readSidecar(doc);
    assert.equal(st.status, 'ok');
    if (st.status !== 'ok') return;
    const ids = new Set(st.sidecar.annotations.map((a) => a.id));
    for (const n of names) for (let k = 0; k < K; k++) assert.ok(ids.has(`${n}-${k}`), `${n}-${k} lost`);
    assert.equal(ids.size, names.length * K);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.startsWith('.')), [], 'no lock or temp files left');
  });

  test('two independent in-process states: same annotation edited differently → conflict reported, nothing lost', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-conc-'));
    made.push(dir);
    const doc = path.join(dir, 'a.txt');
    fs.writeFileSync(doc, TEXT);
    const a = createAnnotation(TEXT, 0, 3, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' }, new Date('2026-01-01T00:00:00Z'), 'shared');
    const w0 = writeSidecarAtomic(doc, { ...emptySidecar(doc, TEXT), annotations: [a] }, { fingerprint: null, sidecar: null });
    const base = { fingerprint: w0.fingerprint, sidecar: w0.sidecar };
    // Writer 1 relabels and adds; writer 2 (stale) rejects and adds another.
    const b = createAnnotation(TEXT, 11, 14, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' }, new Date(), 'w1-bob');
    const c = createAnnotation(TEXT, 18, 22, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' }, new Date(), 'w2-rome');
    const r1 = writeSidecarAtomic(doc, { ...w0.sidecar, annotations: [{ ...a, label: 'ORG', modified: '2026-03-01T00:00:00.000Z' }, b] }, base);
    assert.deepEqual(r1.conflicts, []);
    const r2 = writeSidecarAtomic(doc, { ...w0.sidecar, annotations: [{ ...a, status: 'rejected', label: 'LOC', note: 'unsure', modified: '2026-02-01T00:00:00.000Z' }, c] }, base);
    assert.equal(r2.conflicts.length, 1);
    assert.equal(r2.conflicts[0].id, 'shared');
    // label and status form one decision: the newer decision wins as a whole.
    assert.deepEqual(r2.conflicts[0].fields, ['label', 'status']);
    const st = readSidecar(doc);
    assert.equal(st.status, 'ok');
    if (st.status !== 'ok') return;
    const shared = st.sidecar.annotations.find((x) => x.id === 'shared');
    assert.equal(shared?.label, 'ORG', 'newer decision wins');
    assert.equal(shared?.status, 'accepted');
    assert.equal(shared?.note, 'unsure', 'a non-conflicting change from the other writer is kept');
    assert.deepEqual(st.sidecar.annotations.map((x) => x.id).sort(), ['shared', 'w1-bob', 'w2-rome']);
  });
}
