/**
 * How closely scripts/ner-en-sources.ts's GUM conversion (used on the training genres)
 * follows the one that made ../shared/eval/ner-en-dev: both are applied to the GUM
 * documents of the evaluation sets and compared, span by span, with the metric of the
 * evaluation (exact span and label). Nothing is trained here.
 *   node --import tsx scripts/check-gum-conversion.ts [--gum DIR] [-v]
 */
import * as path from 'node:path';
import { addCounts, countDocument, micro, scores, type Counts } from '../server/src/core/detect/entities/metric';
import { gumDocument, Source } from './ner-en-sources';
import { readGold } from './ner-data';
import { sharedDir } from './shared-dir';

const args = process.argv.slice(2);
const gi = args.indexOf('--gum');
const src = new Source(gi >= 0 ? args[gi + 1]! : path.join(process.env.NER_EN_SOURCES ?? '/work/.mirror', 'amir-zeldes+gum/repo'));
const verbose = args.includes('-v');
for (const set of [sharedDir('eval', 'ner-en-dev'), sharedDir('eval', 'ner-en-dev', 'interviews')]) {
  const per = new Map<string, Counts>();
  let mismatched = 0;
  for (const g of readGold(set)) {
    const d = gumDocument(src.read(`dep/${g.id}.conllu`));
    if (d.text !== g.text) {
      mismatched++;
      continue;
    }
    addCounts(per, countDocument(g.text, g.spans, d.spans));
    if (!verbose) continue;
    const key = (s: { start: number; end: number; label: string }) => `${s.start}:${s.end}:${s.label}`;
    const gk = new Set(g.spans.map(key));
    const dk = new Set(d.spans.map(key));
    for (const s of g.spans) if (!dk.has(key(s))) console.log(`  eval only  ${s.label} ${g.text.slice(s.start, s.end)}`);
    for (const s of d.spans) if (!gk.has(key(s))) console.log(`  ours only  ${s.label} ${g.text.slice(s.start, s.end)}`);
  }
  const m = micro(per);
  console.log(`${path.relative(sharedDir(), set)}: agreement P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)}${mismatched ? ` (${mismatched} documents whose text differs, skipped)` : ''}`);
  for (const [l, c] of [...per].sort()) console.log(`  ${l.padEnd(5)} F1 ${scores(c).f1.toFixed(3)}`);
}
