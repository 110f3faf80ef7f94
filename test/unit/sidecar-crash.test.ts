/**
 * Crash safety: a child process rewrites a big sidecar in a loop and is killed
 * with SIGKILL at random moments. The file on disk must always parse and be
 * one complete version (old or new), never a torn mix.
 *
 * The same file is the child: run with SIDECAR_CRASH_CHILD=<text path>.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { emptySidecar, parseSidecar } from '../../server/src/core/annotations/sidecar';
import { readSidecar, sidecarPath, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';

const N = 4000;
const TEXT = 'Ünïcödé 😀 𝕏 مرحبا '.repeat(500);
const CHARS = Array.from(TEXT);

function generation(gen: number, doc: string): Sidecar {
  const s = emptySidecar(doc, TEXT);
  const annotations: SidecarAnnotation[] = [];
  for (let i = 0; i < N; i++) {
    annotations.push({
      id: `a${i}`,
      kind: 'entity',
      label: 'PER',
      start: i,
      end: i + 1,
      text: CHARS[i],
      prefix: '',
      suffix: '',
      status: 'accepted',
      source: 'user',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      note: `generation ${gen} 😀`,
    });
  }
  return { ...s, annotations };
}

if (process.env.SIDECAR_CRASH_CHILD) {
  const doc = process.env.SIDECAR_CRASH_CHILD;
  const start = Number(process.env.SIDECAR_CRASH_GEN ?? '1');
  for (let gen = start; ; gen++) {
    const st = readSidecar(doc);
    if (st.status !== 'ok') throw new Error(`child saw ${st.status}`);
    writeSidecarAtomic(doc, generation(gen, doc), { fingerprint: st.fingerprint, sidecar: st.sidecar });
    if (gen === start) process.stdout.write('started\n');
  }
} else {
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  test('kill -9 during repeated writes never leaves a torn sidecar', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-crash-'));
    made.push(dir);
    const doc = path.join(dir, 'big.txt');
    fs.writeFileSync(doc, TEXT);
    writeSidecarAtomic(doc, generation(0, doc), { fingerprint: null, sidecar: null });
    const size = fs.statSync(sidecarPath(doc)).size;
    assert.ok(size > 1_000_000, `sidecar should be big (${size} bytes)`);
    const seen = new Set<number>();
    let nextGen = 1;
    let killedMidWrite = 0;
    for (let round = 0; round < 16; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
        env: { ...process.env, SIDECAR_CRASH_CHILD: doc, SIDECAR_CRASH_GEN: String(nextGen) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Wait until the child has completed one write, then kill it at a random moment of a later one.
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      const exited = new Promise((r) => child.once('exit', r));
      if (round % 2 === 0) {
        await new Promise((r) => setTimeout(r, Math.random() * 150));
      } else {
        // Aim at the write itself: kill shortly after a temp file appears.
        await new Promise<void>((resolve) => {
          const w = fs.watch(dir, (_ev, name) => {
            if (!String(name).includes('.tmp-')) return;
            w.close();
            // Every other time at once (the temp file is surely being written), else a little later.
            if (round % 4 === 1) resolve();
            else setTimeout(resolve, Math.random() * 12);
          });
          setTimeout(() => (w.close(), resolve()), 2000);
        });
      }
      child.kill('SIGKILL');
      await exited;
      if (fs.readdirSync(dir).some((n) => n.includes('.tmp-'))) killedMidWrite++;
      const r = parseSidecar(fs.readFileSync(sidecarPath(doc), 'utf8'));
      assert.ok(r.ok, `round ${round}: sidecar does not parse: ${!r.ok ? r.message : ''}`);
      assert.equal(r.sidecar.annotations.length, N, 'complete version');
      const gens = new Set(r.sidecar.annotations.map((a) => a.note));
      assert.equal(gens.size, 1, 'one generation only');
      const gen = Number(/generation (\d+)/.exec(r.sidecar.annotations[0].note ?? '')?.[1]);
      seen.add(gen);
      nextGen = gen + 1000; // new content for the next child
    }
    // Most kills land while a temp file is being written (the slow part); at least one must have.
    assert.ok(killedMidWrite >= 1, 'no kill happened during a write');
    assert.ok(seen.size >= 8, `the file should have changed between rounds (${[...seen].join(',')})`);
    // A later writer takes over the killed writer's lock and cleans its temp files.
    const st = readSidecar(doc);
    assert.equal(st.status, 'ok');
    if (st.status === 'ok') writeSidecarAtomic(doc, generation(-1, doc), { fingerprint: st.fingerprint, sidecar: st.sidecar });
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.tmp-') || n.endsWith('.lock')), []);
  });
}
