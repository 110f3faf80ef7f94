/**
 * Where the project's shared evaluation and training data lives: `../shared` next to
 * the repository (CI, the main checkout), or next to the folder that holds it (a git
 * worktree under `wt/`). Development scripts only: shipped code and tests never read it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

export function sharedDir(): string {
  const candidates = [path.resolve(root, '../shared'), path.resolve(root, '../../shared')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'eval'))) ?? candidates[0];
}

/** A path inside the shared folder, e.g. sharedPath('eval', 'ner-dev'). */
export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir(), ...parts);
}
