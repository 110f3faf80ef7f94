/**
 * What the before/after benchmarks share (bench-compare.ts in one process, bench-fresh.ts in
 * fresh processes): another revision's detectors next to this checkout, the articles they are
 * timed on, and the median.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

/**
 * The server sources and data of `rev`, extracted with `git archive` into a temporary folder
 * that uses this checkout's node_modules and tsconfig.json. The caller removes it.
 */
export function checkoutOf(rev: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-before-'));
  const tar = execFileSync('git', ['-C', root, 'archive', rev, 'server', 'data'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  fs.copyFileSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  return dir;
}

/**
 * Up to `count` articles of consecutive documents of `dir`, each joined up to `bytes`: distinct
 * texts, since the entity detector keeps the last text's analysis (index.ts baseOf).
 */
export function articles(dir: string, count: number, bytes = 10_240): string[] {
  const out: string[] = [];
  let a = '';
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.txt')).sort()) {
    const t = fs.readFileSync(path.join(dir, f), 'utf8');
    if (a && Buffer.byteLength(a + t) > bytes) {
      out.push(a);
      if (out.length === count) return out;
      a = '';
    }
    a += t + '\n\n';
  }
  if (a && out.length < count) out.push(a);
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}
