/** Streaming export of a generated corpus: one chunk per document, nothing accumulated. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExporter, SINGLE_FILE_PATHS, type ExportFile } from '../../server/src/core/export';
import { EXPORT_FORMATS } from '../../server/src/protocol';
import { importAnnotations } from '../../server/src/core/import';
import { ann } from './export-helpers';

const N = 2000;

function* corpus() {
  for (let i = 0; i < N; i++) {
    const text = `خبر رقم ${i}: زار محمد القاهرة 😀 يوم ${i}.\r\nشارك الخبر\r\n`;
    const cps = Array.from(text);
    const find = (w: string) => {
      const s = cps.join('').indexOf(w);
      return Array.from(text.slice(0, s)).length;
    };
    const m = find('محمد');
    const c = find('القاهرة');
    const b = find('شارك');
    yield {
      name: `d${Math.floor(i / 100)}/doc-${i}.txt`,
      text,
      annotations: [ann(text, m, m + 4, 'entity', 'PER'), ann(text, c, c + 7, 'entity', 'LOC'), ann(text, b, b + 10, 'boilerplate', 'share')],
    };
  }
}

for (const format of EXPORT_FORMATS) {
  test(`${format}: ${N} documents stream one document at a time`, () => {
    const exporter = createExporter(format);
    const single = SINGLE_FILE_PATHS[format];
    const files = new Map<string, string[]>();
    let maxChunk = 0;
    let i = 0;
    const take = (out: ExportFile[]) => {
      for (const f of out) {
        maxChunk = Math.max(maxChunk, f.content.length);
        const parts = files.get(f.path) ?? [];
        parts.push(f.content);
        files.set(f.path, parts);
      }
    };
    for (const doc of corpus()) {
      const out = exporter.add(doc);
      assert.ok(out.length > 0, 'every document yields output at once');
      if (single) {
        assert.ok(out.every((f) => f.path === single));
        const chunk = out.map((f) => f.content).join('');
        // The chunk is this document's and no earlier one's.
        assert.ok(chunk.includes(`doc-${i}.txt`), 'chunk holds this document');
        if (i > 0) assert.ok(!chunk.includes(`doc-${i - 1}.txt`), 'previous document not repeated');
      } else {
        for (const f of out) assert.ok(!files.has(f.path), `${f.path} written once`);
      }
      take(out);
      i++;
    }
    take(exporter.finish());
    // Chunks stay document-sized: nothing grows with the corpus.
    assert.ok(maxChunk < 2000, `largest chunk ${maxChunk}`);
    if (single) {
      assert.deepEqual([...files.keys()], [single]);
      const content = files.get(single)!.join('');
      if (format === 'jsonl' || format === 'spacy') assert.equal(content.trimEnd().split('\n').length, N);
      if (format === 'w3c') assert.equal(JSON.parse(content).total, 3 * N, 'two entities and one boilerplate span each');
      if (format === 'labelstudio') assert.equal(JSON.parse(content).length, N);
      if (format === 'conll' || format === 'jsonl' || format === 'labelstudio') {
        const imported = importAnnotations(format, [{ path: single, content }]);
        assert.deepEqual(imported.problems, []);
        assert.equal(imported.documents.length, N);
        assert.equal(imported.documents[N - 1].name, `d19/doc-${N - 1}.txt`);
        assert.equal(imported.documents[N - 1].annotations.filter((a) => a.kind === 'entity').length, 2);
      }
    } else {
      assert.equal(files.size, format === 'brat' ? 2 * N : N);
    }
  });
}
