// Bundles the extension: the VS Code client, the language server (self-contained,
// runnable by any LSP editor with `node dist/server.js --stdio`), the CLI, and the
// annotation view's page (dist/webview/: a browser script and its style sheet, no
// network: the webview loads nothing else).
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // JSON data (gazetteers, model, cue lists) is inlined so the server is one file.
  loader: { '.json': 'json' },
  // The version is written once, in package.json; the server and the CLI report it from there.
  define: { __VERSION__: JSON.stringify(version) },
  // jsonc-parser's main entry is a UMD module whose requires esbuild cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['client/webview/main.ts'], outfile: 'dist/webview/view.js', platform: 'browser', format: 'iife', target: 'es2022', define: {} },
  { bundle: true, minify: production, logLevel: 'warning', entryPoints: ['client/webview/view.css'], outfile: 'dist/webview/view.css' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
