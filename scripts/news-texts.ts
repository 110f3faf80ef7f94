/**
 * The real news texts the scale benchmarks copy from (bench-scale.ts, bench-parallel.ts):
 * ANERcorp documents and scraped pages when ../shared is there, else the test fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedDir } from './shared-dir';

/** The texts of 2 KB or more, each cut at 11 KB (3–11 KB documents). */
export function newsTexts(): string[] {
  const dirs = [sharedDir('eval', 'ner-dev'), sharedDir('eval', 'boilerplate-dev'), sharedDir('train', 'boilerplate-readability')];
  const texts: string[] = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).filter((n) => n.endsWith('.txt')).sort()) {
      const t = fs.readFileSync(path.join(d, f), 'utf8');
      if (t.length >= 2000) texts.push(t.length > 11000 ? t.slice(0, 11000) : t);
    }
  }
  if (!texts.length) {
    const fixtures = path.resolve(__dirname, '..', 'test', 'fixtures', 'workspace');
    for (const f of fs.readdirSync(fixtures).filter((n) => n.endsWith('.txt'))) texts.push(fs.readFileSync(path.join(fixtures, f), 'utf8'));
  }
  return texts;
}

/** Copy `i` of the texts, taken in turn, made distinct by changing its numbers. */
export function distinctCopy(texts: readonly string[], i: number): string {
  return texts[i % texts.length].replace(/\d+/g, (d) => String((Number(d) + i) % 10000));
}
