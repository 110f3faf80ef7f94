/**
 * Protocol tests: the first diagnostics after the server starts. The tagger's data take about
 * half a second to load; an article opened at start gets its stored annotations and boilerplate
 * flags at once, announced as partial, and its entity suggestions in the next publication.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DiagnosticCode } from '../../server/src/protocol';
import { codeOf, makeWorkspace, open, SAMPLE, SAMPLE_NAME, startServer } from './lspClient';

const sampleText = fs.readFileSync(SAMPLE, 'utf8');
const codes = (d: Diagnostic[]) => new Set(d.map(codeOf));
const boilerplate = (d: Diagnostic[]) => d.filter((x) => codeOf(x) === DiagnosticCode.boilerplate).map((x) => JSON.stringify(x.range));

describe('first diagnostics after the server starts', () => {
  it('an article opened at start gets its boilerplate flags at once, then the same flags with its entity suggestions', async () => {
    // The article is outside the (empty) corpus folder: no scan loads the tagger before it is analysed.
    const corpus = makeWorkspace({});
    const file = path.join(makeWorkspace({ [SAMPLE_NAME]: sampleText }), SAMPLE_NAME);
    const s = await startServer(corpus);
    try {
      const uri = await open(s, file);
      const whole = await s.waitForDiagnostics(uri, () => true);
      const mine = s.publications.filter((p) => p.uri === uri);
      assert.ok(mine.length >= 2, `a partial publication, then the whole one (got ${mine.length})`);
      const [first] = mine;
      assert.equal(first.partial, true);
      assert.ok(!codes(first.diagnostics).has(DiagnosticCode.entity), 'the partial publication holds no entity suggestion');
      assert.ok(boilerplate(first.diagnostics).length >= 3, 'the sample’s scraper leftovers are flagged in the partial publication');
      assert.ok(codes(whole).has(DiagnosticCode.entity), 'the whole publication has entity suggestions');
      assert.deepEqual(boilerplate(whole), boilerplate(first.diagnostics), 'the same boilerplate flags in both');
      assert.ok(mine.indexOf(mine.find((p) => !p.partial)!) > 0, 'the whole publication comes after the partial one');

      // The tagger is loaded now: the next article is published whole at once.
      const second = path.join(path.dirname(file), 'second.txt');
      fs.writeFileSync(second, sampleText.replace(/باكستان/g, 'تركيا'));
      const uri2 = await open(s, second);
      await s.waitForDiagnostics(uri2, (d) => codes(d).has(DiagnosticCode.entity));
      assert.deepEqual(
        s.publications.filter((p) => p.uri === uri2).map((p) => p.partial),
        [false],
      );
    } finally {
      await s.close();
    }
  });

  it('with entity suggestions switched off there is nothing to wait for: one whole publication', async () => {
    const corpus = makeWorkspace({});
    const file = path.join(makeWorkspace({ [SAMPLE_NAME]: sampleText }), SAMPLE_NAME);
    const s = await startServer(corpus, { entities: { enabled: false } });
    try {
      const uri = await open(s, file);
      const d = await s.waitForDiagnostics(uri, (x) => boilerplate(x).length > 0);
      assert.ok(!codes(d).has(DiagnosticCode.entity));
      assert.ok(s.publications.filter((p) => p.uri === uri).every((p) => !p.partial));
    } finally {
      await s.close();
    }
  });
});
