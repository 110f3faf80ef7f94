import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../server/src/core/detect/entities/index';
import { defaultGazetteer } from '../../server/src/core/detect/entities/gazetteer';
import { analyse, sentenceEmissions, tagSpans } from '../../server/src/core/detect/entities/pipeline';

const workspace = path.join(__dirname, '../fixtures/workspace');
const texts = fs
  .readdirSync(workspace)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => fs.readFileSync(path.join(workspace, f), 'utf8'));

/** Tagged with frequencies as a function: nothing is shared across documents. */
function alone(text: string) {
  const model = loadModel();
  return tagSpans(analyse(text, (w) => model.freq.get(w) ?? 0, defaultGazetteer()), model);
}

function shared(text: string) {
  const model = loadModel();
  return tagSpans(analyse(text, model.freq, defaultGazetteer()), model);
}

test('word scores kept across documents give exactly what each document tagged alone gives', () => {
  const first = texts.map(shared);
  // Again, now that every word of every document is in the shared caches, and in another order.
  const again = [...texts].reverse().map(shared).reverse();
  const single = texts.map(alone);
  assert.ok(first.some((spans) => spans.length > 5), 'the fixtures have names to find');
  assert.deepEqual(again, first);
  assert.deepEqual(single, first);
});

test('emission scores do not depend on which document filled the cache', () => {
  const model = loadModel();
  const text = texts[0];
  const sentence = (a: ReturnType<typeof analyse>) => a.sentences.find(([s, e]) => e - s > 8)!;
  const cold = analyse(text, (w) => model.freq.get(w) ?? 0, defaultGazetteer());
  for (const t of texts) shared(t);
  const warm = analyse(text, model.freq, defaultGazetteer());
  const a = sentenceEmissions(cold, sentence(cold), model);
  const b = sentenceEmissions(warm, sentence(warm), model);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `score ${i}: ${a[i]} vs ${b[i]}`);
});
