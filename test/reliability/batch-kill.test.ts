/**
 * Issue 11, "nothing is lost": a corpus-wide batch (Annotate All Mentions)
 * interrupted half-way by kill -9 of the server leaves every sidecar either
 * as it was before the batch or as it is after it, never torn; earlier
 * decisions survive; a server started again reads every sidecar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateSidecar } from '../../server/src/core/annotations/validate';
import { Command, Request, type FindMentionsResult, type Sidecar } from '../../server/src/protocol';
import { command, indexed, makeWorkspace, open, startServer } from '../protocol/lspClient';

const FILES = 300;
const name = (i: number) => `doc_${String(i).padStart(3, '0')}.txt`;
const textOf = (i: number) => `قال مسؤول في طهران إن إيران مستعدة للحوار، في تصريح رقم ${i}.\nوأضاف أن إيران لن تقبل الضغوط.\n`;

const sidecarFile = (folder: string, i: number) => path.join(folder, `${name(i)}.ann.json`);
const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null);

for (const killAfter of [1, 40, 150]) {
  test(`a batch of ${FILES * 2} mentions killed after ${killAfter} sidecar(s) were written leaves every sidecar before or after, never torn`, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[name(i)] = textOf(i);
    const folder = makeWorkspace(files);
    // Every tenth document has an earlier decision (طهران LOC), which must survive whatever happens.
    let s = await startServer(folder);
    for (let i = 0; i < FILES; i += 10) {
      const uri = await open(s, path.join(folder, name(i)));
      // The text has no astral characters: code points and UTF-16 offsets agree.
      const start = textOf(i).indexOf('طهران');
      await command(s, Command.accept, { uri, start, end: start + 'طهران'.length, text: 'طهران', kind: 'entity', label: 'LOC' });
    }
    const before = new Map<number, string | null>();
    for (let i = 0; i < FILES; i++) before.set(i, read(sidecarFile(folder, i)));
    assert.ok([...before.values()].filter(Boolean).length >= FILES / 10, 'the earlier decisions were written');

    await indexed(s, 1200);
    const found = (await s.connection.sendRequest(Request.findMentions.method, { text: 'إيران', label: 'LOC' })) as FindMentionsResult;
    const mentions = found.files.flatMap((f) => f.mentions.filter((m) => !m.existing).map((m) => ({ uri: f.uri, start: m.start, end: m.end, text: m.text })));
    assert.equal(mentions.length, FILES * 2);

    const changed = () => {
      let n = 0;
      for (let i = 0; i < FILES; i++) if (read(sidecarFile(folder, i)) !== before.get(i)) n++;
      return n;
    };
    void command(s, Command.applyMentions, { action: 'accept', label: 'LOC', mentions }).catch(() => undefined);
    const t0 = Date.now();
    let n = 0;
    while ((n = changed()) < killAfter && Date.now() - t0 < 60_000) await new Promise((r) => setImmediate(r));
    s.process.kill('SIGKILL');
    await new Promise((r) => s.process.once('exit', r));
    s.connection.dispose();
    assert.ok(n >= killAfter, `the batch wrote ${n} sidecars before the kill`);

    let after = 0;
    let untouched = 0;
    for (let i = 0; i < FILES; i++) {
      const now = read(sidecarFile(folder, i));
      if (now === before.get(i)) {
        untouched++;
        continue;
      }
      assert.ok(now !== null, `${name(i)}: its sidecar disappeared`);
      const parsed = JSON.parse(now) as Sidecar;
      assert.ok(validateSidecar(parsed).ok, `${name(i)}: the sidecar is valid`);
      const iran = parsed.annotations.filter((a) => a.text === 'إيران' && a.label === 'LOC' && a.status === 'accepted');
      assert.equal(iran.length, 2, `${name(i)}: both mentions of the batch, not one (a torn batch within a file)`);
      if (before.get(i)) assert.ok(parsed.annotations.some((a) => a.text === 'طهران' && a.label === 'LOC'), `${name(i)}: the earlier decision survived`);
      after++;
    }
    assert.equal(after + untouched, FILES);
    console.log(`killed after ${n} sidecars: ${after} written by the batch, ${untouched} as before`);
    assert.ok(after >= killAfter);

    // A server started again reads every sidecar (no leftovers taken for sidecars, nothing refused as damaged).
    s = await startServer(folder);
    try {
      for (const i of [0, 1, FILES - 1]) {
        const uri = await open(s, path.join(folder, name(i)));
        await s.waitForDiagnostics(uri, () => true, 60_000);
      }
      const damaged = s.messages.filter((m) => /damaged|could not be read/i.test(m.message));
      assert.deepEqual(damaged, []);
    } finally {
      await s.close();
    }
  });
}
