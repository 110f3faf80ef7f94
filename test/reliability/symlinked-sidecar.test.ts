/**
 * Issue 10.6 — a workspace is untrusted: a sidecar that is a symbolic link
 * (to a private key, say) must never be read through, backed up into the
 * workspace, written or renamed over. The same for the lock, temp and backup
 * paths, and for sidecars that are folders or FIFOs. A text file reached
 * through a linked folder is fine; its sidecar must still be a regular file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticCode } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { moveSidecar, readSidecar, SidecarFileError, sidecarPath, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';
import { loadDocument } from '../../server/src/host/corpus';
import { codeOf, open, startServer } from '../protocol/lspClient';

const TEXT = 'Ann met Bob in Rome.';
const SECRET = '-----BEGIN PRIVATE KEY-----\nnot json at all\n';

function setup(): { root: string; ws: string; doc: string; secret: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-link-'));
  const ws = path.join(root, 'workspace');
  fs.mkdirSync(ws);
  const secret = path.join(root, 'id_rsa');
  fs.writeFileSync(secret, SECRET);
  const doc = path.join(ws, 'a.txt');
  fs.writeFileSync(doc, TEXT);
  return { root, ws, doc, secret };
}

/** Every file under `dir` whose content contains the secret (a copy made through the link). */
function copiesOfSecret(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    if (e.isFile() && fs.readFileSync(p, 'utf8').includes('PRIVATE KEY')) out.push(p);
  }
  return out;
}

function refusal(fn: () => unknown): SidecarFileError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SidecarFileError, String(e));
    return e;
  }
  assert.fail('expected a SidecarFileError');
}

const sidecar = () => ({
  ...emptySidecar('a.txt', TEXT),
  annotations: [createAnnotation(TEXT, 0, 3, { kind: 'entity', label: 'PER', status: 'accepted', source: 'user' })],
});

test('a sidecar symlinked to a file outside: reported as symlink, never read, backed up, written or renamed over', () => {
  const { root, ws, doc, secret } = setup();
  try {
    fs.symlinkSync(secret, sidecarPath(doc));
    const st = readSidecar(doc);
    assert.equal(st.status, 'damaged');
    assert.ok(st.status === 'damaged' && st.reason === 'symlink' && st.backupPath === null);
    assert.ok(st.status === 'damaged' && /symbolic link/.test(st.message) && !st.message.includes('PRIVATE KEY'));
    assert.deepEqual(copiesOfSecret(ws), [], 'no copy of the target in the workspace');
    // Writes refuse, without touching link or target.
    const e = refusal(() => writeSidecarAtomic(doc, sidecar(), { fingerprint: null, sidecar: null }));
    assert.equal(e.code, 'symlink');
    assert.ok(fs.lstatSync(sidecarPath(doc)).isSymbolicLink(), 'the link is still there');
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET, 'the target is untouched');
    // A rename of the text file does not move (read) the link either.
    const e2 = refusal(() => moveSidecar(doc, path.join(ws, 'b.txt')));
    assert.equal(e2.code, 'symlink');
    assert.ok(!fs.existsSync(path.join(ws, 'b.txt.ann.json')));
    // Exports and the CLI see a refused sidecar (with its message), not the target.
    const loaded = loadDocument(doc);
    assert.ok(loaded.ok && loaded.doc.sidecar === 'damaged' && /symbolic link/.test(loaded.doc.sidecarMessage ?? ''));
    assert.deepEqual(copiesOfSecret(ws), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a dangling sidecar link, and a link to a valid sidecar elsewhere, are refused alike', () => {
  const { root, doc } = setup();
  try {
    const elsewhere = path.join(root, 'valid.ann.json');
    fs.writeFileSync(elsewhere, serializeSidecar(sidecar()));
    fs.symlinkSync(elsewhere, sidecarPath(doc));
    const st = readSidecar(doc);
    assert.ok(st.status === 'damaged' && st.reason === 'symlink');
    fs.unlinkSync(sidecarPath(doc));
    fs.symlinkSync(path.join(root, 'nothing-here'), sidecarPath(doc));
    assert.ok(readSidecar(doc).status === 'damaged');
    const e = refusal(() => writeSidecarAtomic(doc, sidecar(), { fingerprint: null, sidecar: null }));
    assert.equal(e.code, 'symlink');
    assert.ok(!fs.existsSync(path.join(root, 'nothing-here')), 'nothing created at the link target');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a symlinked lock file is never read through nor removed; backups named like ours that are links are not read', () => {
  const { root, ws, doc, secret } = setup();
  try {
    const lock = path.join(ws, '.a.txt.ann.json.lock');
    fs.symlinkSync(secret, lock);
    const e = refusal(() => writeSidecarAtomic(doc, sidecar(), { fingerprint: null, sidecar: null }));
    assert.equal(e.code, 'symlink');
    assert.match(e.message, /lock/);
    assert.ok(fs.lstatSync(lock).isSymbolicLink());
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
    fs.unlinkSync(lock);
    // A damaged sidecar next to a planted "backup" link: the backup made is a new regular file.
    fs.writeFileSync(sidecarPath(doc), '{ truncated');
    fs.symlinkSync(secret, path.join(ws, 'a.txt.ann.json.damaged-20260101T000000000Z.bak'));
    const st = readSidecar(doc);
    assert.ok(st.status === 'damaged' && st.backupPath);
    assert.ok(st.status === 'damaged' && st.backupPath && fs.lstatSync(st.backupPath).isFile());
    assert.deepEqual(copiesOfSecret(ws), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a sidecar that is a folder or a FIFO is reported at once (never blocks), never written', { timeout: 30_000 }, () => {
  const { root, doc } = setup();
  try {
    fs.mkdirSync(sidecarPath(doc));
    let st = readSidecar(doc);
    assert.ok(st.status === 'damaged' && st.reason === 'not-a-file' && /folder/.test(st.message));
    assert.equal(refusal(() => writeSidecarAtomic(doc, sidecar(), { fingerprint: null, sidecar: null })).code, 'not-a-file');
    fs.rmdirSync(sidecarPath(doc));
    execFileSync('mkfifo', [sidecarPath(doc)]);
    st = readSidecar(doc); // reading a FIFO with no writer would block forever
    assert.ok(st.status === 'damaged' && st.reason === 'not-a-file' && /FIFO/.test(st.message));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a text file reached through a symlinked folder: its regular sidecar is read and written in that folder', () => {
  const { root, doc } = setup();
  try {
    const link = path.join(root, 'via-link');
    fs.symlinkSync(path.dirname(doc), link, 'dir');
    const viaLink = path.join(link, 'a.txt');
    const w = writeSidecarAtomic(viaLink, sidecar(), { fingerprint: null, sidecar: null });
    assert.equal(w.sidecar.annotations.length, 1);
    assert.ok(fs.lstatSync(sidecarPath(doc)).isFile(), 'written as a regular file next to the real text');
    const st = readSidecar(viaLink);
    assert.equal(st.status, 'ok');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('through the server: a symlinked sidecar is an error diagnostic, read-only; accepting refuses; nothing copied', { timeout: 120_000 }, async () => {
  const { root, ws, doc, secret } = setup();
  fs.symlinkSync(secret, sidecarPath(doc));
  const s = await startServer(ws);
  try {
    const uri = await open(s, doc);
    const diags = await s.waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === DiagnosticCode.sidecarError), 60_000);
    const d = diags.find((x) => codeOf(x) === DiagnosticCode.sidecarError)!;
    assert.match(String(d.message), /symbolic link/);
    assert.ok(!String(d.message).includes('PRIVATE KEY'));
    await assert.rejects(
      s.connection.sendRequest('workspace/executeCommand', { command: 'newsAnnotator.accept', arguments: [{ uri, kind: 'entity', label: 'PER', start: 0, end: 3, text: 'Ann' }] }),
    );
    assert.ok(fs.lstatSync(sidecarPath(doc)).isSymbolicLink());
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
    assert.deepEqual(copiesOfSecret(ws), []);
  } finally {
    await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
