/**
 * Where the shared evaluation and training data live: `../shared` next to the checkout (CI),
 * or the nearest `shared/` folder above it (a git worktree sits one level deeper), or
 * $NEWS_ANNOTATOR_SHARED. Scripts only: shipped code never reads it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function sharedDir(...sub: string[]): string {
  const env = process.env.NEWS_ANNOTATOR_SHARED;
  if (env) return path.join(env, ...sub);
  let dir = path.resolve(__dirname, '..');
  for (;;) {
    const parent = path.dirname(dir);
    const candidate = path.join(parent, 'shared');
    if (fs.existsSync(path.join(candidate, 'eval'))) return path.join(candidate, ...sub);
    if (parent === dir) return path.join(path.resolve(__dirname, '../..'), 'shared', ...sub);
    dir = parent;
  }
}
