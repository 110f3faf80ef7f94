import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectEntities, normalizeEntity } from '../../server/src/core/detect/entities';
import { blockKey, indexedHashes } from '../../server/src/core/detect/boilerplate';
import { Workspace } from '../../server/src/host/workspace';

const TEXT = 'قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .';

/** The names a file read from disk leaves in the corpus memory, by label. */
function observed(ws: Workspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of detectEntities(TEXT)) {
    const hit = ws.memory.names.lookup(normalizeEntity(TEXT.slice(e.start, e.end)));
    if (hit) out.set(TEXT.slice(e.start, e.end), hit.label);
  }
  return out;
}

function corpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-ws-index-'));
  fs.writeFileSync(path.join(dir, 'a.txt'), TEXT);
  return dir;
}

test('files read from disk are tagged with the workspace’s entity options, not always the defaults', async () => {
  const dir = corpus();
  const all = new Workspace({ folders: [dir] });
  await all.scan();
  const labels = new Set(observed(all).values());
  assert.ok(labels.has('PER') && labels.has('LOC'), `the default options find both: ${[...observed(all)]}`);

  // Settings limited to places: the corpus remembers no person.
  const places = new Workspace({ folders: [dir] });
  places.configure({ labels: ['LOC'] });
  await places.scan();
  assert.deepEqual(new Set(observed(places).values()), new Set(['LOC']));

  // Entity suggestions switched off: nothing is detected or remembered.
  const off = new Workspace({ folders: [dir] });
  off.configure({ entities: { enabled: false } });
  assert.equal(off.entityOptions(), false);
  await off.scan();
  assert.equal(observed(off).size, 0);
  assert.deepEqual(off.memory.entities((f) => f), [], 'the Entities view counts nothing either');
});

test('the corpus memory tells which files may hold a block, only while each file is as it was read', async () => {
  const footer = 'جميع الحقوق محفوظة لموقع الأخبار 2026';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-ws-blocks-'));
  fs.writeFileSync(path.join(dir, 'lf.txt'), `${TEXT}\n\n${footer}\n`);
  fs.writeFileSync(path.join(dir, 'crlf.txt'), `${TEXT}\r\n\r\n${footer}\r\n`);
  fs.writeFileSync(path.join(dir, 'none.txt'), `${TEXT}\n`);
  const hashes = indexedHashes([blockKey(footer)]);
  // With a summary cache (as in the server) and without one (stamps of the texts alone).
  for (const cached of [true, false]) {
    const ws = new Workspace({ folders: [dir] });
    if (cached) ws.cacheFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-ws-blocks-cache-'));
    assert.equal(ws.mayHoldBlock(path.join(dir, 'lf.txt'), hashes), undefined, 'nothing is known before the scan');
    await ws.scan();
    assert.equal(ws.mayHoldBlock(path.join(dir, 'lf.txt'), hashes), true);
    assert.equal(ws.mayHoldBlock(path.join(dir, 'crlf.txt'), hashes), true, 'a carriage return ends no key');
    assert.equal(ws.mayHoldBlock(path.join(dir, 'none.txt'), hashes), false);
    // Another year in the footer: digits are folded, the key is the same.
    assert.equal(ws.mayHoldBlock(path.join(dir, 'lf.txt'), indexedHashes([blockKey(footer.replace('2026', '2027'))])), true);

    // Changed on disk, and nobody told the workspace: it cannot answer for the file any more.
    fs.writeFileSync(path.join(dir, 'none.txt'), `${TEXT}\n\n${footer}\n`);
    assert.equal(ws.mayHoldBlock(path.join(dir, 'none.txt'), hashes), undefined);
    ws.indexFile(path.join(dir, 'none.txt'));
    assert.equal(ws.mayHoldBlock(path.join(dir, 'none.txt'), hashes), true, 'read again, it answers again');

    // Indexed from an editor buffer: the memory's keys are the buffer's, not the file's.
    ws.indexText(path.join(dir, 'lf.txt'), TEXT, [], 'todo');
    assert.equal(ws.mayHoldBlock(path.join(dir, 'lf.txt'), hashes), undefined);
    ws.remove(path.join(dir, 'crlf.txt'));
    assert.equal(ws.mayHoldBlock(path.join(dir, 'crlf.txt'), hashes), undefined);
    fs.writeFileSync(path.join(dir, 'none.txt'), `${TEXT}\n`);
  }
});
