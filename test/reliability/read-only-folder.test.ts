/**
 * Issue 10.11 — a read-only folder. Creating the lock or the temporary file
 * fails with EACCES/EPERM/EROFS: the write must fail at once with code
 * `not-writable` and say the folder is not writable, instead of waiting for
 * the lock for 10 s and blaming "another process". Real contention (a lock
 * held by a live process) still waits and times out as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { sidecarPath } from '../../server/src/host/sidecarFiles';

const TEXT = 'Ann met Bob in Rome.';
/** `nobody`: root ignores folder modes, so the writer runs unprivileged when we are root. */
const NOBODY = 65534;

let bundled: string | undefined;
/**
 * The writer as one plain script in the temporary folder: the unprivileged
 * user may not be able to read the checkout (e.g. under /root), only /tmp.
 */
function writerScript(): string {
  if (!bundled) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-ro-writer-'));
    fs.chmodSync(dir, 0o755);
    bundled = path.join(dir, 'readOnlyWriter.cjs');
    buildSync({ entryPoints: [path.join(__dirname, 'readOnlyWriter.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundled, logLevel: 'silent' });
    fs.chmodSync(bundled, 0o644);
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return bundled;
}

function write(doc: string): { ok?: boolean; code?: string; message?: string } {
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [writerScript(), doc], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: os.tmpdir(),
    ...(asRoot ? { uid: NOBODY, gid: NOBODY, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() } } : {}),
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function folder(): { dir: string; doc: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-ro-'));
  fs.chmodSync(root, 0o755);
  const dir = path.join(root, 'corpus');
  fs.mkdirSync(dir);
  const doc = path.join(dir, 'a.txt');
  fs.writeFileSync(doc, TEXT);
  fs.chmodSync(doc, 0o644);
  return { dir, doc };
}

test('read-only folder, no sidecar yet: not-writable at once, nothing left behind', { timeout: 120_000 }, () => {
  const { dir, doc } = folder();
  try {
    fs.chmodSync(dir, 0o555);
    const r = write(doc);
    assert.equal(r.code, 'not-writable', JSON.stringify(r));
    assert.match(r.message ?? '', /not writable/);
    assert.doesNotMatch(r.message ?? '', /locked by another process/);
    assert.deepEqual(fs.readdirSync(dir), ['a.txt']);
  } finally {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('read-only folder with an existing sidecar: not-writable, the sidecar unchanged', { timeout: 120_000 }, () => {
  const { dir, doc } = folder();
  try {
    const existing = serializeSidecar({
      ...emptySidecar('a.txt', TEXT),
      annotations: [createAnnotation(TEXT, 8, 11, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' })],
    });
    fs.writeFileSync(sidecarPath(doc), existing);
    fs.chmodSync(sidecarPath(doc), 0o644);
    fs.chmodSync(dir, 0o555);
    const r = write(doc);
    assert.equal(r.code, 'not-writable', JSON.stringify(r));
    assert.equal(fs.readFileSync(sidecarPath(doc), 'utf8'), existing);
  } finally {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a writable folder works for the same writer (the refusal is about the folder)', { timeout: 120_000 }, () => {
  const { dir, doc } = folder();
  try {
    fs.chmodSync(dir, 0o777);
    const r = write(doc);
    assert.deepEqual(r, { ok: true });
    assert.ok(fs.existsSync(sidecarPath(doc)));
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
