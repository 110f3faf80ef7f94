/**
 * Learn from Annotations with a label of the team's schema that the shipped
 * tagger does not know: with too few examples it is only suggested from the
 * accepted names (and the report says how many more it needs); with enough,
 * the tagger learns it and suggests it where the accepted names are not.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, DiagnosticCode, LABEL_SCHEMA_PATH, type EntityDiagnosticData, type LearnResult } from '../../server/src/protocol';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { codeOf, makeWorkspace, open, startServer } from './lspClient';

const SCHEMA = { labels: ['PER', 'ORG', 'LOC', 'MISC', { name: 'TEAM', description: 'A sports club.' }] };
const TEAMS = ['الزمالك', 'الوداد', 'الترجي', 'الهلال', 'الرجاء', 'الفيصلي'];
const REPORTS = [
  'فاز نادي الزمالك على نادي الوداد بهدفين في المباراة النهائية.',
  'وتعادل نادي الترجي مع نادي الهلال في مباراة مثيرة أمس.',
  'وقال مدرب نادي الرجاء إن فريقه سيعود أقوى في الموسم المقبل.',
  'وخسر نادي الفيصلي أمام نادي الزمالك في الدور الأول.',
  'ويستعد نادي الوداد لمواجهة نادي الترجي الأسبوع المقبل.',
  'وأعلن نادي الهلال تعاقده مع لاعب جديد قبل بداية الموسم.',
  'وتصدر نادي الرجاء الترتيب بعد فوزه على نادي الفيصلي.',
];

/** One document per report, each with its club names accepted as TEAM in the sidecar. */
function corpus(reports: string[]): string {
  const files: Record<string, string> = { [LABEL_SCHEMA_PATH]: JSON.stringify(SCHEMA) };
  reports.forEach((r, i) => (files[`r${i}.txt`] = r + '\n'));
  const folder = makeWorkspace(files);
  reports.forEach((r, i) => {
    const text = r + '\n';
    const sc = emptySidecar(`r${i}.txt`, text);
    for (const t of TEAMS) {
      const at = text.indexOf(t);
      if (at >= 0) sc.annotations.push(createAnnotation(text, [...text.slice(0, at)].length, [...text.slice(0, at)].length + [...t].length, { kind: 'entity', label: 'TEAM', status: 'accepted', source: 'user' }));
    }
    fs.writeFileSync(path.join(folder, `r${i}.txt.ann.json`), serializeSidecar(sc));
  });
  return folder;
}

describe('Learn from Annotations with a new label', () => {
  it('too few examples: not learned, the report says how many it has and needs', async () => {
    const s = await startServer(corpus(REPORTS.slice(0, 2)));
    try {
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] })) as LearnResult;
      assert.equal(r.learnedLabels, undefined);
      assert.deepEqual(r.notYetLearned, [{ label: 'TEAM', mentions: 4, needed: 10 }]);
    } finally {
      await s.close();
    }
  });

  it('enough examples: the tagger learns TEAM and suggests it in a new document', async () => {
    const folder = corpus(REPORTS);
    const s = await startServer(folder);
    try {
      const r = (await s.connection.sendRequest('workspace/executeCommand', { command: Command.learn, arguments: [] })) as LearnResult;
      assert.deepEqual(r.learnedLabels, ['TEAM']);
      assert.equal(r.notYetLearned, undefined);
      const model = JSON.parse(fs.readFileSync(path.join(folder, '.news-annotator', 'adapted-model.json'), 'utf8')) as { tags: string[] };
      assert.ok(['B-TEAM', 'I-TEAM', 'E-TEAM', 'S-TEAM'].every((t) => model.tags.includes(t)), 'the saved model has the TEAM tags');
      const held = 'وفاز نادي الهلال على نادي الزمالك في مباراة ودية.\n';
      fs.writeFileSync(path.join(folder, 'held.txt'), held);
      const uri = await open(s, path.join(folder, 'held.txt'), held);
      const d = await s.waitForDiagnostics(uri, (x) => x.filter((y) => codeOf(y) === DiagnosticCode.entity && (y.data as EntityDiagnosticData).label === 'TEAM').length === 2, 60_000);
      const teams = d.filter((y) => codeOf(y) === DiagnosticCode.entity).map((y) => y.data as EntityDiagnosticData).filter((e) => e.label === 'TEAM');
      assert.deepEqual(teams.map((t) => t.text), ['الهلال', 'الزمالك']);
      assert.ok(teams.every((t) => t.source.split('+').includes('tagger')), `found by the tagger (sources: ${teams.map((t) => t.source).join(', ')})`);
    } finally {
      await s.close();
    }
  });
});
