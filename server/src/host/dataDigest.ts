/**
 * A digest of the data the detectors ship with (data/**: tagger models, word
 * clusters, gazetteers, lexicons): part of the analysis key, so that a new
 * shipped model in the same version is another analysis (cached summaries
 * and corpus statistics made with the old one are not reused). The bundler
 * writes it in (scripts/build.ts `define`); run from source it is computed
 * from the files, the same way.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const __DATA_DIGEST__: string | undefined;

/** sha256 over the JSON files under `dataDir` (sorted relative paths and contents), first 16 hex digits. */
export function digestDataFolder(dataDir: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) files.push(p);
    }
  };
  walk(dataDir);
  const h = createHash('sha256');
  for (const f of files.map((f) => path.relative(dataDir, f).split(path.sep).join('/')).sort()) {
    h.update(f + '\0');
    h.update(fs.readFileSync(path.join(dataDir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

let digest: string | undefined;

export function dataDigest(): string {
  if (typeof __DATA_DIGEST__ === 'string') return __DATA_DIGEST__;
  return (digest ??= digestDataFolder(path.join(__dirname, '..', '..', '..', 'data')));
}
