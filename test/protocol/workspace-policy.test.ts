/**
 * What the client says at initialize (protocol.ts InitializationOptions), through the bundled
 * server: an untrusted workspace loads no tagger model from the workspace and compiles no cue
 * patterns from the settings; only the corpus folders are indexed.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { CORPUS_MARKER_DIR, Request, type InitializationOptions, type WorkspaceEntitiesResult } from '../../server/src/protocol';
import { codeOf, makeWorkspace, open, ROOT, startServer, uriOf } from './lspClient';

const ARTICLE = fs.readFileSync(path.join(ROOT, 'test/fixtures/workspace/001_pakistan_iran_followup.txt'), 'utf8');
/** A short line with a made-up word: only a user cue pattern names it in its reason. */
const CUE_LINE = 'كلمة زوربلاكس الفريدة';
const CUES = { share: ['زوربلاكس'] };

/** The shipped model with every weight removed: a tagger that finds nothing, easy to tell from the shipped one. */
function silentModel(): string {
  const m = JSON.parse(fs.readFileSync(path.join(ROOT, 'data/model/ner-ar.json'), 'utf8')) as { tags: string[]; scale: number; temperature: number; trans: number[] };
  return JSON.stringify({ format: 'ner-perceptron/1', tags: m.tags, scale: m.scale, temperature: m.temperature, trans: m.trans.map(() => 0), weights: {}, freq: {}, meta: {} });
}

/** A folder whose workspace would have the server load a model file (adapted and configured). */
function workspaceWithModels(): string {
  return makeWorkspace({
    'article.txt': `${ARTICLE}\n${CUE_LINE}\n`,
    [`${CORPUS_MARKER_DIR}/adapted-model.json`]: silentModel(),
    'models/silent.json': silentModel(),
  });
}

const entities = (d: Diagnostic[]) => d.filter((x) => codeOf(x) === 'entity');
/** Flagged because of the user cue (the line may be flagged for other reasons too: it ends the page). */
const cueFlagged = (d: Diagnostic[]) => d.some((x) => codeOf(x) === 'boilerplate' && (x.data as { reason: string }).reason.includes('زوربلاكس'));
const boilerplate = (d: Diagnostic[]) => d.some((x) => codeOf(x) === 'boilerplate');

async function diagnosticsOf(folder: string, settings: Record<string, unknown>, init: InitializationOptions | undefined, until: (d: Diagnostic[]) => boolean) {
  const s = await startServer(folder, settings, { initializationOptions: init });
  try {
    const uri = await open(s, path.join(folder, 'article.txt'));
    return { diagnostics: await s.waitForDiagnostics(uri, until), messages: s.messages };
  } finally {
    await s.close();
  }
}

describe('trust (initializationOptions.trusted)', () => {
  it('trusted (the default): the adapted model of the workspace is loaded', async () => {
    const folder = workspaceWithModels();
    const { diagnostics } = await diagnosticsOf(folder, {}, undefined, boilerplate);
    assert.deepEqual(entities(diagnostics).map((d) => d.message), [], 'the silent adapted model finds nothing');
  });

  it('trusted: entities.modelPath and user cue patterns are used', async () => {
    const folder = workspaceWithModels();
    fs.rmSync(path.join(folder, CORPUS_MARKER_DIR), { recursive: true });
    const settings = { entities: { modelPath: 'models/silent.json' }, boilerplate: { extraCues: CUES } };
    const { diagnostics } = await diagnosticsOf(folder, settings, { trusted: true }, cueFlagged);
    assert.deepEqual(entities(diagnostics).map((d) => d.message), [], 'the silent configured model finds nothing');
  });

  it('untrusted: neither the adapted model nor entities.modelPath is loaded, and no cue pattern is compiled', async () => {
    const folder = workspaceWithModels();
    const settings = { entities: { modelPath: 'models/silent.json' }, boilerplate: { extraCues: CUES } };
    const { diagnostics, messages } = await diagnosticsOf(folder, settings, { trusted: false }, (d) => entities(d).length > 0 && boilerplate(d));
    const tagged = entities(diagnostics).filter((d) => /tagger/.test((d.data as { source: string }).source));
    assert.ok(tagged.length > 0, `the shipped tagger finds names: ${JSON.stringify(entities(diagnostics).map((d) => d.message))}`);
    assert.ok(!cueFlagged(diagnostics), 'the workspace cue pattern was used');
    assert.deepEqual(messages.filter((m) => /cannot load/.test(m.message)), []);
  });
});

describe('corpus folders (initializationOptions.corpusFolders)', () => {
  it('only the corpus folders of the workspace are indexed', async () => {
    const corpus = makeWorkspace({ 'a.txt': ARTICLE });
    const other = makeWorkspace({ 'LICENSE.txt': 'أعلن وزير الخارجية الإيراني حسين أمير عبد اللهيان في طهران أن بلاده مستعدة.\n' });
    const s = await startServer(corpus, {}, { folders: [corpus, other], initializationOptions: { corpusFolders: [uriOf(corpus)] } });
    try {
      const listed = (await s.connection.sendRequest(Request.workspaceEntities.method, {})) as WorkspaceEntitiesResult;
      const uris = listed.entities.flatMap((e) => e.documents.map((d) => d.uri));
      assert.ok(uris.length > 0, 'the corpus folder was indexed');
      assert.deepEqual([...new Set(uris)], [uriOf(path.join(corpus, 'a.txt'))]);
    } finally {
      await s.close();
    }
    // Without the option (other editors), every workspace folder is indexed, as before.
    const all = await startServer(corpus, {}, { folders: [corpus, other] });
    try {
      const listed = (await all.connection.sendRequest(Request.workspaceEntities.method, {})) as WorkspaceEntitiesResult;
      const uris = new Set(listed.entities.flatMap((e) => e.documents.map((d) => d.uri)));
      assert.ok(uris.has(uriOf(path.join(other, 'LICENSE.txt'))), [...uris].join(', '));
    } finally {
      await all.close();
    }
  });
});
