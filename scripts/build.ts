/**
 * Bundles the extension into dist/: the VS Code client, the language server (self-contained,
 * runnable by any LSP editor with `node dist/server.js --stdio`), the CLI and the annotation
 * view's page (dist/webview/: a browser script and its style sheet; the webview loads nothing
 * else, no network), then writes
 * dist/THIRD_PARTY_NOTICES.md from what the bundles really contain (scripts/notices.ts).
 *
 *   node --import tsx scripts/build.ts [--production] [--watch]
 *
 * --production: minified, no source maps, and a missing notice is an error (npm run package).
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseBundles, renderNotices } from './notices';
import { digestCodeFolder, digestDataFolder } from '../server/src/host/dataDigest';

export const ROOT = path.resolve(__dirname, '..');

interface PackageJson {
  name: string;
  displayName?: string;
  version: string;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** The English display name (package.json holds a `%displayName%` key of package.nls.json). */
function displayName(pkg: PackageJson): string {
  const key = /^%(.+)%$/.exec(pkg.displayName ?? '')?.[1];
  if (!key) return pkg.displayName ?? pkg.name;
  const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return nls[key] ?? pkg.name;
}

/**
 * A data module's exports, computed anew by each `require`: a module's exports are cached for
 * the life of the process, and the parsed JSON of the tagger's data (6 MB of heap, measured
 * with the lexicon, clusters and models loaded) would stay in every scan thread next to the
 * structures built from it. The loaders (`shipped ??= …` in the core) require their file
 * once and keep only what they build; an `import` of a data file binds the object once, as
 * before.
 */
function exportParsedOnEachRequire(expression: string): string {
  return `Object.defineProperty(module, 'exports', { enumerable: true, get: () => ${expression} });`;
}

/**
 * Large JSON data (the tagger model, the lexicon, the gazetteer, the cue lists) goes into the
 * bundle as `JSON.parse('…')` instead of an object literal: V8 scans one string literal much
 * faster than it parses the same data as JavaScript, and parsing the bundle is most of the
 * server's start-up (npm run bench:startup). Small JSON files keep esbuild's json loader.
 */
const LARGE_JSON_BYTES = 16 * 1024;
const jsonAsParsedString: esbuild.Plugin = {
  name: 'json-as-parsed-string',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (Buffer.byteLength(text) < LARGE_JSON_BYTES) return undefined;
      // Re-serialised compactly: the file's own indentation would only be bytes to scan.
      return { contents: exportParsedOnEachRequire(`JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))})`), loader: 'js' };
    });
  },
};

/**
 * The language server's large JSON data goes next to it, in `dist/data/` (`data/model/ner-ar.json`
 * as `dist/data/model/ner-ar.json`, a package's `node_modules/x/y.json` as `dist/data/npm/x/y.json`),
 * read from there on first use. An editor starts the server on
 * every window, and the data inlined was most of its start: V8 reads and scans the whole
 * 11 MB bundle before the first line runs, then scans each data string again when it is first
 * needed, where a side file is read and parsed once, when needed. The CLI keeps the data
 * inlined: one file to copy to every worker of a cluster.
 */
function jsonAsSideFile(outdir: string): esbuild.Plugin {
  return {
    name: 'json-as-side-file',
    setup(b) {
      b.onLoad({ filter: /\.json$/ }, async (args) => {
        const text = await fs.promises.readFile(args.path, 'utf8');
        if (Buffer.byteLength(text) < LARGE_JSON_BYTES) return undefined;
        const rel = sideFileName(args.path);
        const target = path.join(outdir, 'data', ...rel.split('/'));
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, JSON.stringify(JSON.parse(text)));
        return {
          // A copy of server.js without its data folder says what is missing instead of a bare ENOENT.
          contents: [
            `const file = require('path').join(__dirname, 'data', ...${JSON.stringify(rel.split('/'))});`,
            `function read() {`,
            `  let text;`,
            `  try { text = require('fs').readFileSync(file, 'utf8'); } catch (err) { throw new Error('the language server cannot read its data file ' + file + ' (' + err.code + '): server.js needs the data folder installed beside it'); }`,
            `  return JSON.parse(text);`,
            `}`,
            exportParsedOnEachRequire('read()'),
          ].join('\n'),
          loader: 'js',
          watchFiles: [args.path],
        };
      });
    },
  };
}

/** Where a JSON file of the repository goes under `dist/data/`. */
export function sideFileName(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  return rel.startsWith('data/') ? rel.slice('data/'.length) : rel.replace(/^(.*\/)?node_modules\//, 'npm/');
}

/** Bundle name (as written in the notices) → esbuild options. */
export function bundleOptions({ production = false, outdir = path.join(ROOT, 'dist') } = {}): Record<string, esbuild.BuildOptions> {
  const common: esbuild.BuildOptions = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    // VS Code ≥ 1.91 runs extensions on Node 20; the CLI and server need Node ≥ 20 (package.json engines).
    target: 'node20',
    format: 'cjs',
    // esbuild's default 'ascii' writes every Arabic letter of the inlined data as \uXXXX (6 bytes
    // instead of 2): utf8 halves the server bundle and the time to parse it.
    charset: 'utf8',
    sourcemap: !production,
    minify: production,
    metafile: true,
    logLevel: 'warning',
    // One version, package.json's, in the server's serverInfo and the CLI's --version (server/src/version.ts).
    // The digests of the shipped data and of the core's code are part of the analysis key (server/src/host/dataDigest.ts).
    define: {
      __PACKAGE_VERSION__: JSON.stringify(readPackageJson().version),
      __DATA_DIGEST__: JSON.stringify(digestDataFolder(path.join(ROOT, 'data'))),
      __CODE_DIGEST__: JSON.stringify(digestCodeFolder(path.join(ROOT, 'server', 'src', 'core'))),
    },
    // JSON data (gazetteers, model, cue lists) is inlined so that each bundle is one file.
    loader: { '.json': 'json' },
    plugins: [jsonAsParsedString],
    // jsonc-parser's main entry is a UMD module whose requires esbuild cannot follow; its ES module build bundles.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  };
  return {
    'dist/client.js': { ...common, entryPoints: ['client/src/extension.ts'], outfile: path.join(outdir, 'client.js'), external: ['vscode'] },
    // Both are executables of the npm package (package.json "bin"): news-annotator-lsp, news-annotator.
    'dist/server.js': { ...common, entryPoints: ['server/src/entry.ts'], outfile: path.join(outdir, 'server.js'), banner: { js: '#!/usr/bin/env node' }, plugins: [jsonAsSideFile(outdir)] },
    'dist/cli.js': { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: path.join(outdir, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
    // The annotation view's page runs in the webview (a browser), not in Node.
    'dist/webview/view.js': { ...common, entryPoints: ['client/webview/main.ts'], outfile: path.join(outdir, 'webview', 'view.js'), platform: 'browser', format: 'iife', target: 'es2022' },
    'dist/webview/view.css': { ...common, entryPoints: ['client/webview/view.css'], outfile: path.join(outdir, 'webview', 'view.css'), platform: 'browser', loader: {}, plugins: [] },
  };
}

/** Builds every bundle, writes the notices; returns the problems the notices found. */
export async function build({ production = false, outdir = path.join(ROOT, 'dist') } = {}): Promise<string[]> {
  const options = bundleOptions({ production, outdir });
  const results = await Promise.all(Object.values(options).map((o) => esbuild.build(o)));
  for (const bin of ['cli.js', 'server.js']) fs.chmodSync(path.join(outdir, bin), 0o755);
  const metafiles = Object.fromEntries(Object.keys(options).map((name, i) => [name, results[i].metafile!]));
  const report = analyseBundles(ROOT, metafiles);
  const pkg = readPackageJson();
  fs.writeFileSync(path.join(outdir, 'THIRD_PARTY_NOTICES.md'), renderNotices(report, displayName(pkg), pkg.version));
  return report.problems;
}

async function main(): Promise<void> {
  const production = process.argv.includes('--production');
  const problems = await build({ production });
  for (const p of problems) console.error(`notices: ${p}`);
  if (problems.length && production) {
    console.error('build: refusing a production build with incomplete third-party notices (see above)');
    process.exitCode = 1;
    return;
  }
  if (process.argv.includes('--watch')) {
    for (const o of Object.values(bundleOptions({ production }))) await (await esbuild.context(o)).watch();
    console.log('watching for changes (the notices are written once, at start)');
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
