/**
 * The .vsix: stages exactly the files the extension runs on into dist/vsix/ and packs them with
 * vsce into dist/news-corpus-annotator.vsix (npm run package, after the production build).
 *
 * What goes in is the allow-list in `.vscodeignore`. Staged because package.json's "files" list
 * describes the npm package (the CLI and the language server for other editors), and vsce would
 * take that list for the .vsix too (it refuses a .vscodeignore next to it): the extension needs
 * dist/client.js, the manifest's media and translations, and never runs dist/cli.js.
 *
 * vsce runs with stdin closed, so it can never stop at a prompt.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob, type Glob } from '../server/src/core/text/glob';

const ROOT = path.resolve(__dirname, '..');
export const VSIX_PATH = path.join(ROOT, 'dist', 'news-corpus-annotator.vsix');
const STAGE = path.join(ROOT, 'dist', 'vsix');

/** Folders never looked into for .vsix files (vsce leaves them out too). */
const NEVER = new Set(['node_modules', '.git', 'vsix']);

/** The rules of `.vscodeignore`, in order: a glob, and whether it lets files back in (`!`). */
export function vscodeignoreRules(root = ROOT): { glob: Glob; include: boolean }[] {
  return fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => (l.startsWith('!') ? { glob: compileGlob(l.slice(1)), include: true } : { glob: compileGlob(l), include: false }));
}

/**
 * Files of the .vsix, relative to the project root: what `.vscodeignore`
 * lets in (the last rule that matches a file decides), among the files on
 * disk and those it names outright (the bundles, before they are built).
 */
export function vsixFiles(root = ROOT): string[] {
  const rules = vscodeignoreRules(root);
  const candidates = new Set(walk(root, ''));
  for (const r of rules) if (r.include && !/[*?[{]/.test(r.glob.pattern)) candidates.add(r.glob.pattern);
  const kept = [...candidates].filter((f) => {
    let included = true;
    for (const r of rules) if (r.glob.matches(f)) included = r.include;
    return included;
  });
  return kept.sort();
}

function walk(root: string, dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory() && NEVER.has(e.name)) return [];
    const rel = dir ? `${dir}/${e.name}` : e.name;
    return e.isDirectory() ? walk(root, rel) : e.isFile() ? [rel] : [];
  });
}

/** The manifest as installed: without the npm package's "files" and "bin" (the CLI is not inside). */
export function vsixManifest(pkg: Record<string, unknown>): Record<string, unknown> {
  const { files: _files, bin: _bin, ...rest } = pkg;
  return rest;
}

function main(): void {
  const files = vsixFiles();
  const missing = files.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run the production build first (npm run package does)`);
  fs.rmSync(STAGE, { recursive: true, force: true });
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(STAGE, f)), { recursive: true });
    if (f === 'package.json') {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(path.join(STAGE, f), JSON.stringify(vsixManifest(pkg), null, 2) + '\n');
    } else {
      fs.copyFileSync(path.join(ROOT, f), path.join(STAGE, f));
    }
  }
  // The stage holds the allow-listed files only, and the same .vscodeignore: vsce lets in what it lets in.
  fs.copyFileSync(path.join(ROOT, '.vscodeignore'), path.join(STAGE, '.vscodeignore'));
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', VSIX_PATH], {
    cwd: STAGE,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    process.exitCode = r.status ?? 1;
    return;
  }
  const size = fs.statSync(VSIX_PATH).size;
  console.log(`${path.relative(ROOT, VSIX_PATH)}: ${files.length} files, ${size.toLocaleString('en')} bytes (${(size / 2 ** 20).toFixed(2)} MiB)`);
}

if (require.main === module) main();
