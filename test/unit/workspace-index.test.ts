import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectEntities, normalizeEntity } from '../../server/src/core/detect/entities';
import { WorkspaceIndex } from '../../server/src/lsp/workspaceIndex';

const TEXT = 'قال الرئيس الأمريكي جو بايدن في واشنطن إن المحادثات مع الصين ستستمر .';

/** The names a file read from disk leaves in the corpus memory, by label. */
function observed(index: WorkspaceIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of detectEntities(TEXT)) {
    const hit = index.names.lookup(normalizeEntity(TEXT.slice(e.start, e.end)));
    if (hit) out.set(TEXT.slice(e.start, e.end), hit.label);
  }
  return out;
}

test('files read from disk are tagged with the server’s entity options, not always the defaults', () => {
  const all = new WorkspaceIndex();
  all.update('/ws/a.txt', TEXT, []);
  const labels = new Set(observed(all).values());
  assert.ok(labels.has('PER') && labels.has('LOC'), `the default options find both: ${[...observed(all)]}`);

  // Settings limited to places: the corpus remembers no person.
  const places = new WorkspaceIndex();
  places.entityOptions = () => ({ labels: ['LOC'] });
  places.update('/ws/a.txt', TEXT, []);
  assert.deepEqual(new Set(observed(places).values()), new Set(['LOC']));

  // Entity suggestions switched off: nothing is detected or remembered.
  const off = new WorkspaceIndex();
  let asked = 0;
  off.entityOptions = () => (asked++, false);
  off.update('/ws/a.txt', TEXT, []);
  assert.equal(asked, 1);
  assert.equal(observed(off).size, 0);
  assert.deepEqual(off.entities((f) => f), [], 'the Entities view counts nothing either');
});
