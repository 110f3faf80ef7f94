import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectEntities, normalizeEntity } from '../../server/src/core/detect/entities';
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
