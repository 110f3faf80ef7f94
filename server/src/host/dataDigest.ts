/**
 * Digests of what an analysis is made with, both part of the analysis key
 * (Workspace.analysisKey), so that cached summaries and corpus statistics made
 * by another analysis are not reused:
 * - the data the detectors ship with (data/**: tagger models, word clusters,
 *   gazetteers, lexicons): a new shipped model in the same version is another analysis;
 * - the core's code (server/src/core/**): a detector changed in the same version (a
 *   development build, a fix) finds other names, and a warm restart must not keep
 *   what the old code found.
 * The bundler writes both in (scripts/build.ts `define`); run from source they are
 * computed from the files, the same way.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const __DATA_DIGEST__: string | undefined;
declare const __CODE_DIGEST__: string | undefined;

/** sha256 over the files under `dir` whose names end with `ext` (sorted relative paths and contents), first 16 hex digits. */
export function digestFolder(dir: string, ext: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) files.push(p);
    }
  };
  walk(dir);
  const h = createHash('sha256');
  for (const f of files.map((f) => path.relative(dir, f).split(path.sep).join('/')).sort()) {
    h.update(f + '\0');
    h.update(fs.readFileSync(path.join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** The digest of the shipped data (the JSON files under `dataDir`). */
export const digestDataFolder = (dataDir: string): string => digestFolder(dataDir, '.json');

/** The digest of the core's code (the TypeScript files under `coreDir`). */
export const digestCodeFolder = (coreDir: string): string => digestFolder(coreDir, '.ts');

let digest: string | undefined;
let code: string | undefined;

export function dataDigest(): string {
  if (typeof __DATA_DIGEST__ === 'string') return __DATA_DIGEST__;
  return (digest ??= digestDataFolder(path.join(__dirname, '..', '..', '..', 'data')));
}

export function codeDigest(): string {
  if (typeof __CODE_DIGEST__ === 'string') return __CODE_DIGEST__;
  return (code ??= digestCodeFolder(path.join(__dirname, '..', 'core')));
}
