/** Reads a doccano-style gold.jsonl (code point offsets) into UTF-16 documents. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextIndex } from '../server/src/core/text/offsets';
import type { AnnotatedDoc } from '../server/src/core/detect/entities/train';

export function readGold(dir: string): AnnotatedDoc[] {
  const lines = fs.readFileSync(path.join(dir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.map((l) => {
    const r = JSON.parse(l) as { id: string; text: string; label: [number, number, string][] };
    const idx = new TextIndex(r.text);
    return { id: r.id, text: r.text, spans: r.label.map(([s, e, label]) => ({ start: idx.toUtf16(s), end: idx.toUtf16(e), label })) };
  });
}

export function printEvaluation(title: string, e: { perLabel: Map<string, { tp: number; fp: number; fn: number }>; micro: { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number } }, scoresOf: (c: { tp: number; fp: number; fn: number }) => { precision: number; recall: number; f1: number }): void {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
  console.log(`\n${title}`);
  console.log('label      P      R     F1     tp    fp    fn');
  for (const l of [...e.perLabel.keys()].sort()) {
    const c = e.perLabel.get(l)!;
    const s = scoresOf(c);
    console.log(`${l.padEnd(6)} ${pct(s.precision)}  ${pct(s.recall)}  ${pct(s.f1)}  ${String(c.tp).padStart(5)} ${String(c.fp).padStart(5)} ${String(c.fn).padStart(5)}`);
  }
  const m = e.micro;
  console.log(`micro  ${pct(m.precision)}  ${pct(m.recall)}  ${pct(m.f1)}  ${String(m.tp).padStart(5)} ${String(m.fp).padStart(5)} ${String(m.fn).padStart(5)}`);
}
