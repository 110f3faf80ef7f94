import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectEntities } from '../server/src/core/detect/entities/index';
import { detectBoilerplate } from '../server/src/core/detect/boilerplate/index';
import { detectEnglish } from '../server/src/core/detect/entities/english';
import { tokenize } from '../server/src/core/text/tokenize';
function article(dir: string) { let a = ''; for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) { const t = fs.readFileSync(path.join(dir, f), 'utf8'); if (Buffer.byteLength(a + t) > 10240) break; a += t + '\n\n'; } return a; }
const en = article('/work/shared/eval/ner-en-dev');
const ar = article('/work/shared/eval/ner-dev');
const tk = tokenize(en);
const fns: [string, () => unknown][] = [
  ['ar entities', () => detectEntities(ar)], ['ar boilerplate', () => detectBoilerplate(ar)],
  ['en entities', () => detectEntities(en)], ['en entities (no english)', () => detectEntities(en, { english: false })],
  ['en english only', () => detectEnglish(en, tk)], ['en boilerplate', () => detectBoilerplate(en)],
];
for (const [, f] of fns) for (let i = 0; i < 5; i++) f();
const t = fns.map(() => [] as number[]);
for (let b = 0; b < 15; b++) fns.forEach(([, f], k) => { const t0 = performance.now(); for (let i = 0; i < 4; i++) f(); t[k].push((performance.now() - t0) / 4); });
const med = (x: number[]) => x.sort((a, b) => a - b)[7];
const bytes = { ar: Buffer.byteLength(ar), en: Buffer.byteLength(en) };
fns.forEach(([n], k) => console.log(n.padEnd(28), med(t[k]).toFixed(2), 'ms', (med(t[k]) / (n.startsWith('ar') ? bytes.ar : bytes.en) * 10240).toFixed(2), 'ms/10KiB'));
