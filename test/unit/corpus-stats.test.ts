/**
 * Mergeable corpus statistics: indexing a corpus in parts and merging gives
 * the statistics of the whole, in any order; and a document flagged with the
 * whole corpus' statistics gets exactly the suggestions of a process that
 * holds the whole corpus.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suggest } from '../../server/src/core/analyze';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { mergeStats, serializeStats, validateStats } from '../../server/src/core/corpus/stats';
import { Workspace } from '../../server/src/host/workspace';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'workspace');
const FOOTER = 'تابعونا على تلغرام للمزيد من الأخبار العاجلة';

/** The fixture articles plus short ones sharing a footer; a decision in one sidecar (accepted name, kept block). */
function corpus(): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-stats-'));
  for (const f of fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.txt'))) fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(FIXTURES, f), 'utf8') + `\n${FOOTER}\n`);
  const extra = ['قال متحدث باسم الخارجية في طهران إن إيران ترحب بالحوار مع باكستان.', 'التقى وزير خارجية إيران بنظيره جليل عباس جيلاني في إسلام آباد.', 'أعلنت إيران وباكستان عن دوريات مشتركة على الحدود مع زاهدان.'];
  extra.forEach((t, i) => fs.writeFileSync(path.join(dir, `01${i}.txt`), `${t}\n\n${FOOTER}\n`));
  const a = path.join(dir, '010.txt');
  const text = fs.readFileSync(a, 'utf8');
  const sc = emptySidecar(a, text);
  const at = [...text.slice(0, text.indexOf('طهران'))].length;
  sc.annotations.push(createAnnotation(text, at, at + 5, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' }));
  fs.writeFileSync(a + '.ann.json', serializeSidecar(sc));
  return { dir, files: fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort().map((n) => path.join(dir, n)) };
}

async function statsOf(dir: string, files: string[]) {
  const ws = new Workspace({ folders: [dir], inputs: files });
  await ws.scan();
  return ws.memory.toStats(ws.analysisKey());
}

describe('corpus statistics', () => {
  it('parts merged in any order and grouping equal the whole corpus, byte for byte', async () => {
    const { dir, files } = corpus();
    const whole = await statsOf(dir, files);
    assert.equal(whole.documents, files.length);
    const parts = await Promise.all([files.slice(0, 2), files.slice(2, 4), files.slice(4)].map((p) => statsOf(dir, p)));
    const left = mergeStats(mergeStats(parts[0], parts[1]), parts[2]);
    const right = mergeStats(parts[2], mergeStats(parts[1], parts[0]));
    assert.equal(serializeStats(left), serializeStats(whole));
    assert.equal(serializeStats(right), serializeStats(whole));
    assert.deepEqual(validateStats(JSON.parse(serializeStats(whole))), JSON.parse(serializeStats(whole)));
    assert.ok(Object.keys(whole.accepted).length === 1, 'the accepted name is in the statistics');
  });

  it('a document flagged with the whole corpus statistics gets the suggestions of a process holding the whole corpus', async () => {
    const { dir, files } = corpus();
    const whole = new Workspace({ folders: [dir], inputs: files });
    await whole.scan();
    const stats = whole.memory.toStats(whole.analysisKey());
    let repeated = 0;
    for (const file of files) {
      const partial = new Workspace({ folders: [dir], inputs: [file] });
      partial.loadStats(JSON.parse(serializeStats(stats)));
      partial.indexFile(file);
      const doc = partial.loadDocument(file);
      assert.ok(doc.ok);
      const alone = suggest(doc.doc.text, doc.doc.annotations, partial.analysisOptions(file));
      const together = suggest(doc.doc.text, doc.doc.annotations, whole.analysisOptions(file));
      assert.deepEqual(alone, together, path.basename(file));
      repeated += together.boilerplate.filter((b) => b.category === 'repeated').length;
    }
    assert.ok(repeated >= files.length, 'the shared footer is repeated boilerplate in every document');
  });

  it('refuses to merge or use statistics of another analysis', async () => {
    const { dir, files } = corpus();
    const a = await statsOf(dir, files.slice(0, 2));
    const b = { ...(await statsOf(dir, files.slice(2))), analysis: 'another' };
    assert.throws(() => mergeStats(a, b), /different analyses/);
    const ws = new Workspace({ folders: [dir] });
    ws.configure({ labels: ['LOC'] });
    assert.throws(() => ws.loadStats(a), /another analysis/);
    assert.throws(() => validateStats({ format: 'x' }), /not corpus statistics/);
  });
});
