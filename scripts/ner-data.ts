/** Reads the annotated entity corpora (doccano-style gold.jsonl, code point offsets) into UTF-16 documents. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextIndex } from '../server/src/core/text/offsets';
import type { AnnotatedDoc } from '../server/src/core/detect/entities/train';
import { sharedDir } from './shared-dir';

export function readGold(dir: string, file = 'gold.jsonl'): AnnotatedDoc[] {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean);
  return lines.map((l) => {
    const r = JSON.parse(l) as { id: string; text: string; label: [number, number, string][] };
    const idx = new TextIndex(r.text);
    return { id: r.id, text: r.text, spans: r.label.map(([s, e, label]) => ({ start: idx.toUtf16(s), end: idx.toUtf16(e), label })) };
  });
}

/** ANERcorp dev (../shared/eval/ner-dev), the only corpus entities are scored on. */
export const NER_DEV = () => sharedDir('eval', 'ner-dev');

/**
 * How AQMAR's MISC is used: its MISC is chosen per article (particles in `atom`,
 * software in `linux`) and much broader than ANERcorp's, so as training data for
 * ANERcorp-style suggestions it is `uncertain` (neither outside nor MISC), `drop`ped
 * (taught as outside, as gold-no-misc.jsonl does) or `keep`t as MISC.
 */
export type AqmarMisc = 'uncertain' | 'drop' | 'keep';
export const AQMAR_MISC: readonly AqmarMisc[] = ['uncertain', 'drop', 'keep'];

/**
 * AQMAR (../shared/train/aqmar, CC BY-SA 3.0): Arabic Wikipedia, 28 articles cut into
 * 237 documents `aqmar-<article>-<nn>`; the documents of one article form a group.
 */
export function readAqmar(opts: { misc: AqmarMisc; weight?: number }): AnnotatedDoc[] {
  return readGold(sharedDir('train', 'aqmar')).map((d) => {
    const doc: AnnotatedDoc = { ...d, group: aqmarArticle(d.id), domain: 'wiki' };
    if (opts.misc !== 'keep') doc.spans = d.spans.filter((s) => s.label !== 'MISC');
    if (opts.misc === 'uncertain') doc.uncertain = d.spans.filter((s) => s.label === 'MISC');
    if (opts.weight !== undefined) doc.weight = opts.weight;
    return doc;
  });
}

/** The article an AQMAR document was cut from (`aqmar-damascus-03` → `damascus`). */
export function aqmarArticle(id: string): string {
  return id.replace(/^aqmar-/, '').replace(/-\d+$/, '');
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

/** A number option: refused unless it is a number within [min, max]. */
export function numberOption(name: string, value: string | undefined, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number${min > -Infinity ? ` from ${min}` : ''}${max < Infinity ? ` to ${max}` : ''} (got ${JSON.stringify(value)})`);
  return n;
}

/** An on/off option. */
export function onOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`--${name} must be on or off (got ${JSON.stringify(value)})`);
}

export class UsageError extends Error {}

/** Runs a script's main, printing usage errors (and parseArgs' own) as one line with exit code 2. */
export function runScript(usage: string, main: () => void | Promise<void>): void {
  const fail = (err: unknown) => {
    const code = (err as { code?: string }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${(err as Error).message}\nusage: ${usage}`);
      process.exit(2);
    }
    throw err;
  };
  try {
    const r = main();
    if (r instanceof Promise) r.catch(fail);
  } catch (err) {
    fail(err);
  }
}
