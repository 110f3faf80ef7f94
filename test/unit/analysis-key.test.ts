/**
 * The analysis key names the code that found the names: a detector changed in the same
 * version is another analysis, so a warm restart does not keep what the old code found
 * (the summary cache is kept per key) and statistics of the two are not merged.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeDigest, digestCodeFolder } from '../../server/src/host/dataDigest';
import { Workspace } from '../../server/src/host/workspace';
import { VERSION } from '../../server/src/version';

test('the code digest follows every TypeScript file of the folder, and nothing else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-digest-'));
  try {
    fs.mkdirSync(path.join(dir, 'detect'));
    fs.writeFileSync(path.join(dir, 'detect', 'a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(dir, 'b.ts'), 'export const b = 2;\n');
    const first = digestCodeFolder(dir);
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.equal(digestCodeFolder(dir), first, 'the same files, the same digest');
    fs.writeFileSync(path.join(dir, 'notes.md'), 'not code\n');
    assert.equal(digestCodeFolder(dir), first, 'a file that is not TypeScript changes nothing');
    fs.writeFileSync(path.join(dir, 'detect', 'a.ts'), 'export const a = 3;\n');
    const changed = digestCodeFolder(dir);
    assert.notEqual(changed, first, 'a changed detector is another analysis');
    fs.renameSync(path.join(dir, 'b.ts'), path.join(dir, 'c.ts'));
    assert.notEqual(digestCodeFolder(dir), changed, 'a renamed file too');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the analysis key carries the version and the digest of the core's code", () => {
  assert.equal(codeDigest(), digestCodeFolder(path.resolve(__dirname, '..', '..', 'server', 'src', 'core')));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-key-'));
  try {
    const ws = new Workspace({ folders: [dir] });
    assert.ok(ws.analysisKey().startsWith(`${VERSION}+${codeDigest()}|shipped:`), ws.analysisKey());
    ws.configure({ entities: { enabled: false } });
    assert.equal(ws.analysisKey(), `${VERSION}+${codeDigest()}|entities-off`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
