#!/usr/bin/env node
// Runs the integration suite (test/integration/suite/index.ts) inside a real VS Code.
//
// - With a desktop VS Code (env VSCODE_EXECUTABLE, or a desktop `code` on PATH):
//   @vscode/test-electron's runTests.
// - Otherwise (these machines and CI: no Microsoft downloads): the VS Code server from
//   code-server 4.100.3 (installed by install.sh into a cache folder outside the repo),
//   driven by Playwright + Debian's chromium with --enable-smoke-test-driver; the test
//   module is passed as extensionTestsPath in the workbench URL payload.
//   Recipe: shared/notes/vscode-integration-tests.md.
//
// Expects `npm run build` to have produced dist/client.js + dist/server.js (npm run
// test:integration does it). Bundles the suite itself into dist/test/integration/index.js.
//
// Env:
//   VSCODE_EXECUTABLE          desktop VS Code executable (forces the test-electron path)
//   INTEGRATION_MODE           'electron' | 'server' to force a path
//   INTEGRATION_TIMEOUT_MS     whole-suite timeout (default 6 min)
//   SCREENSHOT                 path of the screenshot (default test-results/screenshot.png, so a test run
//                              leaves the repo clean; `npm run screenshot` writes docs/screenshot.png; '0' = none)
//   EXTENSION_DEVELOPMENT_PATH extension under test (default: this repo)
//   KEEP_TMP=1                 keep the temp folder (workspace copy, server data, logs)
//   NEWS_ANNOTATOR_VSCODE_CACHE  see install.sh
//
// Exit code: 0 when every test passed; prints "N passed, N failed" last.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The extension under test (override only to debug the harness itself). */
const extensionRoot = path.resolve(process.env.EXTENSION_DEVELOPMENT_PATH || repo);
const EXTENSION_ID = 'news-corpus-annotator.news-corpus-annotator';
const TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS || 6 * 60_000);
const SCREENSHOT = process.env.SCREENSHOT === '0' ? null : path.resolve(repo, process.env.SCREENSHOT || 'test-results/screenshot.png');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[integration ${elapsed()}] ${msg}`);

/** Protocol between this runner and the suite (see test/integration/suite/harness.ts). */
const SUMMARY_MARKER = 'NCA_IT_SUMMARY ';
const SCREENSHOT_MARKER = 'NCA_IT_SCREENSHOT_READY';
const WEBVIEW_MARKER = 'NCA_IT_WEBVIEW';

async function main() {
  for (const f of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(extensionRoot, f))) throw new Error(`${f} missing: run \`npm run build\` first (npm run test:integration does)`);
  }
  const testsIndex = await bundleSuite();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'news-annotator-it-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(repo, 'test/fixtures/workspace'), workspace, { recursive: true });
  const summaryFile = path.join(tmp, 'summary.json');
  const signalDir = path.join(tmp, 'signals');
  fs.mkdirSync(signalDir);
  say(`workspace copy: ${workspace}`);

  let code;
  try {
    const desktop = findDesktopVSCode();
    if (desktop) {
      say(`desktop VS Code: ${desktop} → @vscode/test-electron`);
      code = await runElectron(desktop, testsIndex, workspace, tmp, summaryFile);
    } else {
      say('no desktop VS Code → VS Code server (code-server) + chromium');
      code = await runServer(testsIndex, workspace, tmp, summaryFile, signalDir);
    }
  } finally {
    if (process.env.KEEP_TMP === '1') say(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  return code;
}

// ------------------------------------------------------------------------------------------
// The suite bundle

async function bundleSuite() {
  const esbuild = await import('esbuild');
  const outfile = path.join(repo, 'dist/test/integration/index.js');
  await esbuild.build({
    entryPoints: [path.join(repo, 'test/integration/suite/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}

// ------------------------------------------------------------------------------------------
// Desktop VS Code via @vscode/test-electron

function findDesktopVSCode() {
  if (process.env.INTEGRATION_MODE === 'server') return null;
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  if (process.env.INTEGRATION_MODE === 'electron') throw new Error('INTEGRATION_MODE=electron needs VSCODE_EXECUTABLE');
  const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const cli = which.stdout.trim();
  if (which.status !== 0 || !cli) return null;
  // A desktop install's CLI is <root>/bin/code next to <root>/resources/app (Linux: /usr/share/code).
  // code-server's `code` shim and the remote CLI of a VS Code server are not desktop builds.
  let real;
  try { real = fs.realpathSync(cli); } catch { return null; }
  const root = path.dirname(path.dirname(real));
  const electron = ['code', 'code-insiders', 'Code'].map((n) => path.join(root, n)).find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
  if (!electron || !fs.existsSync(path.join(root, 'resources', 'app', 'package.json'))) return null;
  return electron;
}

async function runElectron(vscodeExecutablePath, extensionTestsPath, workspace, tmp, summaryFile) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: extensionRoot,
      extensionTestsPath,
      extensionTestsEnv: { NCA_IT_SUMMARY_FILE: summaryFile },
      launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')],
    });
    return finish(0, summaryFile, []);
  } catch (err) {
    console.error(String(err));
    return finish(1, summaryFile, []);
  }
}

// ------------------------------------------------------------------------------------------
// VS Code server + chromium

function installServer() {
  say('install.sh (skips what is installed) …');
  const out = execFileSync('bash', [path.join(repo, 'scripts/integration/install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const serverMain = out.trim().split('\n').pop();
  if (!serverMain || !fs.existsSync(serverMain)) throw new Error(`install.sh did not report server-main.js (got ${JSON.stringify(out)})`);
  return serverMain;
}

/** Starts VS Code's server-main.js on 127.0.0.1 and resolves with { proc, port, logs }. */
export function startServer(serverMain, { port = 0, dataDir, extensionsDir, env = {}, extraArgs = [], log = () => {} }) {
  const args = [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--disable-telemetry', '--disable-workspace-trust',
    '--server-data-dir', dataDir, '--extensions-dir', extensionsDir, ...extraArgs];
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const logs = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not report its port in 90 s:\n${logs.join('')}`)), 90_000);
    const onData = (chunk) => {
      const text = chunk.toString();
      logs.push(text);
      log(text);
      const m = /Web UI available at https?:\/\/[^:\s]+:(\d+)/.exec(logs.join('')) || /Extension host agent listening on (\d+)/.exec(logs.join(''));
      if (m) { clearTimeout(timer); resolve({ proc, port: Number(m[1]), logs }); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (c) => { clearTimeout(timer); reject(new Error(`VS Code server exited (${c}) before listening:\n${logs.join('')}`)); });
  });
}

export function stopServer(proc) {
  if (proc.exitCode !== null) return;
  try { process.kill(-proc.pid, 'SIGTERM'); } catch { try { proc.kill('SIGTERM'); } catch { /* gone */ } }
}

/** Settings for a clean window; the web workbench reads user settings from the server's data dir. */
export function writeUserSettings(dataDir) {
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
  };
  for (const dir of ['data/User', 'data/Machine']) {
    fs.mkdirSync(path.join(dataDir, dir), { recursive: true });
    fs.writeFileSync(path.join(dataDir, dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

async function runServer(extensionTestsPath, workspace, tmp, summaryFile, signalDir) {
  const serverMain = installServer();
  const dataDir = path.join(tmp, 'server-data');
  writeUserSettings(dataDir);
  const serverLog = fs.createWriteStream(path.join(tmp, 'server.log'));
  const { proc, port } = await startServer(serverMain, {
    dataDir,
    extensionsDir: path.join(tmp, 'extensions'),
    extraArgs: ['--enable-smoke-test-driver'],
    // The extension host inherits the server's environment: tell the suite where to report.
    env: { NCA_IT_SUMMARY_FILE: summaryFile, NCA_IT_SIGNAL_DIR: signalDir },
    log: (t) => serverLog.write(t),
  });
  say(`VS Code server on 127.0.0.1:${port} (${serverMain})`);
  const authority = `127.0.0.1:${port}`;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionRoot)],
    ['extensionTestsPath', remote(extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const hostLog = [];
  let browser;
  let exitCode = 1;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    let screenshotTaken = false;
    await page.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code)); });
    await page.exposeFunction('codeAutomationLog', async (type, args) => {
      const line = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      hostLog.push(line);
      console.log(`  [ext host ${type}] ${line}`);
      const w = line.indexOf(WEBVIEW_MARKER);
      if (w >= 0) {
        // The suite acts in a webview (the annotation view): `NCA_IT_WEBVIEW <token> {"op": …}`.
        const rest = line.slice(w + WEBVIEW_MARKER.length).trim();
        const token = rest.split(/\s+/)[0];
        let answer;
        try {
          answer = { ok: true, value: await webviewOp(page, JSON.parse(rest.slice(token.length).trim())) };
        } catch (e) {
          answer = { ok: false, error: String(e?.message ?? e) };
        }
        fs.writeFileSync(path.join(signalDir, `${token}.json`), JSON.stringify(answer ?? { ok: true }));
        return;
      }
      const m = line.indexOf(SCREENSHOT_MARKER);
      if (m >= 0) {
        // The suite has the sample open with diagnostics/decorations (and a hover) on screen.
        const token = line.slice(m + SCREENSHOT_MARKER.length).trim().split(/\s+/)[0] || 'screenshot';
        if (SCREENSHOT && !screenshotTaken) {
          try {
            await new Promise((r) => setTimeout(r, 1500)); // let decorations and the hover paint
            fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
            await page.screenshot({ path: SCREENSHOT });
            screenshotTaken = true;
            say(`screenshot → ${path.relative(repo, SCREENSHOT)}`);
          } catch (e) { say(`screenshot failed: ${e}`); }
        }
        fs.writeFileSync(path.join(signalDir, token), 'done');
      }
    });
    page.on('pageerror', (e) => hostLog.push(`[page error] ${e}`));
    say('opening the workbench');
    await page.goto(url);
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS));
    const result = await Promise.race([exited, timeout]);
    if (result === 'timeout') {
      say(`TIMEOUT after ${TIMEOUT_MS / 1000} s waiting for the suite to finish`);
      await saveFailureScreenshot(page, 'timeout');
      exitCode = 1;
    } else {
      exitCode = result;
      say(`suite finished with exit code ${exitCode}`);
      if (exitCode !== 0) await saveFailureScreenshot(page, 'failure');
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    stopServer(proc);
    serverLog.end();
    const errs = fs.existsSync(path.join(tmp, 'server.log')) ? fs.readFileSync(path.join(tmp, 'server.log'), 'utf8') : '';
    if (exitCode !== 0 && errs.trim()) {
      console.log('---- VS Code server log (tail) ----');
      console.log(errs.split('\n').slice(-40).join('\n'));
    }
  }
  return finish(exitCode, summaryFile, hostLog);
}

/** The frame of the webview whose page has `[data-nca-view]` (webviews are nested iframes of the workbench). */
async function viewFrame(page) {
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const f of page.frames()) {
      const found = await f.evaluate(() => !!document.querySelector('[data-nca-view]')).catch(() => false);
      if (found) return f;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no webview with [data-nca-view] in the page');
}

/** One action of the suite in the annotation view, as a user would do it (real mouse and keys). */
async function webviewOp(page, req) {
  if (req.op === 'press') {
    for (const key of req.keys) {
      await page.keyboard.press(key);
      await new Promise((r) => setTimeout(r, 150));
    }
    return null;
  }
  if (req.op === 'screenshot') {
    if (!SCREENSHOT) return null;
    const target = path.join(path.dirname(SCREENSHOT), `${req.token}.png`);
    await new Promise((r) => setTimeout(r, 800));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target });
    say(`screenshot → ${path.relative(repo, target)}`);
    return path.relative(repo, target);
  }
  const frame = await viewFrame(page);
  if (req.op === 'evaluate') return frame.evaluate(req.expression);
  if (req.op === 'click') {
    const loc = req.text ? frame.locator(req.selector, { hasText: req.text }) : frame.locator(req.selector);
    await loc.first().click();
    return null;
  }
  if (req.op === 'clickText') {
    // Where the text is drawn, in the frame's coordinates; the frame's place in the page; then a real click there.
    const rect = await frame.evaluate(({ selector, text }) => {
      for (const el of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const at = n.textContent.indexOf(text);
          if (at < 0) continue;
          n.parentElement.scrollIntoView({ block: 'center' });
          const r = document.createRange();
          r.setStart(n, at);
          r.setEnd(n, at + text.length);
          const b = r.getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        }
      }
      return null;
    }, { selector: req.selector, text: req.text });
    if (!rect) throw new Error(`no "${req.text}" in ${req.selector}`);
    const box = await (await frame.frameElement()).boundingBox();
    await page.mouse.click(box.x + rect.x, box.y + rect.y);
    return null;
  }
  throw new Error(`unknown webview op ${req.op}`);
}

async function saveFailureScreenshot(page, name) {
  try {
    const p = path.join(repo, 'test-results', `integration-${name}.png`);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    await page.screenshot({ path: p });
    say(`${name} screenshot → ${path.relative(repo, p)}`);
  } catch { /* page gone */ }
}

// ------------------------------------------------------------------------------------------
// Summary

function finish(exitCode, summaryFile, hostLog) {
  let summary = null;
  try { summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')); } catch { /* fall back to the log */ }
  if (!summary) {
    const line = [...hostLog].reverse().find((l) => l.includes(SUMMARY_MARKER));
    if (line) { try { summary = JSON.parse(line.slice(line.indexOf(SUMMARY_MARKER) + SUMMARY_MARKER.length)); } catch { /* ignore */ } }
  }
  console.log('');
  if (summary) {
    for (const t of summary.tests || []) console.log(`${t.skipped ? 'SKIP' : t.ok ? 'PASS' : 'FAIL'} ${t.name}${t.skipped ? ` — ${t.skipped}` : t.ok ? '' : ` — ${t.error}`}`);
    console.log(`${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''} (${elapsed()})`);
    if (summary.failed > 0 || summary.passed === 0) exitCode = exitCode || 1;
  } else {
    // No summary (timeout, crash): count what the suite logged so far, plus one failure for the run.
    const passed = hostLog.filter((l) => l.startsWith('PASS ')).length;
    const failed = hostLog.filter((l) => l.startsWith('FAIL ')).length + 1;
    for (const l of hostLog) if (l.startsWith('PASS ') || l.startsWith('FAIL ')) console.log(l.split('\n')[0]);
    console.log(`${passed} passed, ${failed} failed (${elapsed()}) — the suite did not finish (timeout or crash; did ${EXTENSION_ID} load? see the log above)`);
    exitCode = exitCode || 1;
  }
  return exitCode;
}

// ------------------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (err) => {
    console.error(err?.stack || String(err));
    console.log(`0 passed, 1 failed (${elapsed()}) — harness error`);
    process.exit(1);
  });
}
