#!/usr/bin/env node
// Runs the integration suites inside a real VS Code, one window (and one VS Code) each:
//
//   main       test/integration/suite/index.ts      the fixture corpus (test/fixtures/workspace, which
//                                                  holds the .news-annotator/ marker), workspace trust off
//   untrusted  test/integration/untrusted/index.ts  the same corpus in Restricted Mode (trust on, the
//                                                  folder not trusted), with a model and cue patterns
//                                                  planted in the workspace that must not be used
//   inactive   test/integration/inactive/index.ts   a folder of unrelated .txt files (LICENSE.txt,
//                                                  requirements.txt): the extension must stay off until
//                                                  Annotate This Folder
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
// test:integration does it). Bundles each suite into dist/test/integration/<suite>.js.
//
// Env:
//   VSCODE_EXECUTABLE          desktop VS Code executable (forces the test-electron path)
//   INTEGRATION_MODE           'electron' | 'server' to force a path
//   INTEGRATION_SUITES         comma-separated subset of main,untrusted,inactive (default: all)
//   INTEGRATION_TIMEOUT_MS     timeout of each suite (default 6 min)
//   SCREENSHOT                 path of the main screenshot (default test-results/screenshot.png, so a test run
//                              leaves the repo clean; `npm run screenshot` writes docs/screenshot.png; '0' = none);
//                              other screenshots the suite asks for (a token such as `review-queue`) go beside it
//                              as <token>.png
//   EXTENSION_DEVELOPMENT_PATH extension under test (default: this repo)
//   KEEP_TMP=1                 keep the temp folder (workspace copies, server data, logs)
//   NEWS_ANNOTATOR_VSCODE_CACHE  see install.sh
//
// Exit code: 0 when every test passed; prints "N passed, N failed" last (all suites together).
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
const KEYS_MARKER = 'NCA_IT_KEYS';

/** The suites, in the order they run; `prepare` fills the workspace folder each opens. */
const SUITES = [
  { name: 'main', entry: 'test/integration/suite/index.ts', trust: false, prepare: copyFixture },
  { name: 'untrusted', entry: 'test/integration/untrusted/index.ts', trust: true, prepare: prepareUntrusted },
  { name: 'inactive', entry: 'test/integration/inactive/index.ts', trust: false, prepare: prepareUnrelated },
];

async function main() {
  for (const f of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(extensionRoot, f))) throw new Error(`${f} missing: run \`npm run build\` first (npm run test:integration does)`);
  }
  const wanted = (process.env.INTEGRATION_SUITES || SUITES.map((x) => x.name).join(',')).split(',').map((x) => x.trim());
  const unknown = wanted.filter((w) => !SUITES.some((x) => x.name === w));
  if (unknown.length) throw new Error(`INTEGRATION_SUITES: unknown suite(s) ${unknown.join(', ')}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'news-annotator-it-'));
  const results = [];
  let code = 0;
  try {
    const desktop = findDesktopVSCode();
    say(desktop ? `desktop VS Code: ${desktop} → @vscode/test-electron` : 'no desktop VS Code → VS Code server (code-server) + chromium');
    const serverMain = desktop ? null : installServer();
    for (const suite of SUITES.filter((x) => wanted.includes(x.name))) {
      const dir = path.join(tmp, suite.name);
      const workspace = path.join(dir, 'workspace');
      fs.mkdirSync(workspace, { recursive: true });
      suite.prepare(workspace);
      const testsIndex = await bundleSuite(suite);
      const summaryFile = path.join(dir, 'summary.json');
      say(`suite ${suite.name}: workspace ${workspace}${suite.trust ? ' (workspace trust on, folder not trusted)' : ''}`);
      const result = desktop
        ? await runElectron(desktop, testsIndex, workspace, dir, summaryFile, suite)
        : await runServer(serverMain, testsIndex, workspace, dir, summaryFile, suite);
      if (result.exitCode !== 0) code = 1;
      results.push({ suite: suite.name, ...result });
    }
  } finally {
    if (process.env.KEEP_TMP === '1') say(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  return report(results) || code;
}

// ------------------------------------------------------------------------------------------
// The workspaces

function copyFixture(workspace) {
  fs.cpSync(path.join(repo, 'test/fixtures/workspace'), workspace, { recursive: true });
}

/**
 * The fixture corpus with what a hostile workspace could use to make the server load a file:
 * a tagger model that finds nothing (the shipped one with its weights removed) as the adapted
 * model and as entities.modelPath, and a cue pattern in the workspace settings.
 */
function prepareUntrusted(workspace) {
  copyFixture(workspace);
  const model = JSON.parse(fs.readFileSync(path.join(repo, 'data/model/ner-ar.json'), 'utf8'));
  const silent = JSON.stringify({ format: 'ner-perceptron/1', tags: model.tags, scale: model.scale, temperature: model.temperature, trans: model.trans.map(() => 0), weights: {}, freq: {}, meta: {} });
  fs.writeFileSync(path.join(workspace, '.news-annotator', 'adapted-model.json'), silent);
  fs.writeFileSync(path.join(workspace, 'silent-model.json'), silent);
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'newsAnnotator.entities.minConfidence': 0.55, // not restricted: read in Restricted Mode too
    'newsAnnotator.entities.modelPath': 'silent-model.json',
    'newsAnnotator.boilerplate.extraCues': { share: ['زوربلاكس'] },
  }, null, 2));
  fs.appendFileSync(path.join(workspace, '001_pakistan_iran_followup.txt'), '\nكلمة زوربلاكس الفريدة\n');
}

/** A project folder with .txt files that are not articles, and one that is (for Annotate This Folder). */
function prepareUnrelated(workspace) {
  fs.writeFileSync(path.join(workspace, 'LICENSE.txt'), fs.readFileSync(path.join(repo, 'LICENSE'), 'utf8'));
  fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'numpy==2.1.3\npandas>=2.2\nrequests\n');
  fs.writeFileSync(path.join(workspace, 'notes.txt'), 'Meeting notes: Tehran and Islamabad, follow up with Jalil Abbas Jilani next week.\n');
  fs.mkdirSync(path.join(workspace, 'articles'));
  fs.copyFileSync(path.join(repo, 'test/fixtures/workspace/001_pakistan_iran_followup.txt'), path.join(workspace, 'articles', 'article.txt'));
}

// ------------------------------------------------------------------------------------------
// The suite bundle

async function bundleSuite(suite) {
  const esbuild = await import('esbuild');
  const outfile = path.join(repo, `dist/test/integration/${suite.name}.js`);
  await esbuild.build({
    entryPoints: [path.join(repo, suite.entry)],
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

async function runElectron(vscodeExecutablePath, extensionTestsPath, workspace, tmp, summaryFile, suite) {
  const { runTests } = await import('@vscode/test-electron');
  const userData = path.join(tmp, 'user-data');
  writeUserSettings(userData, { trust: suite.trust, layout: 'desktop' });
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: extensionRoot,
      extensionTestsPath,
      extensionTestsEnv: { NCA_IT_SUMMARY_FILE: summaryFile },
      launchArgs: [workspace, ...(suite.trust ? [] : ['--disable-workspace-trust']), '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')],
    });
    return collect(0, summaryFile, []);
  } catch (err) {
    console.error(String(err));
    return collect(1, summaryFile, []);
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
export function startServer(serverMain, { port = 0, dataDir, extensionsDir, env = {}, extraArgs = [], trust = false, log = () => {} }) {
  const args = [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--disable-telemetry', ...(trust ? [] : ['--disable-workspace-trust']),
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

/**
 * Settings for a clean window; the web workbench reads user settings from the server's data dir
 * (data/User), the desktop one from its user data dir (User). trust: workspace trust on, and a
 * folder opens in Restricted Mode without asking (the suite checks what works there).
 */
export function writeUserSettings(dataDir, { trust = false, layout = 'server' } = {}) {
  const settings = {
    'security.workspace.trust.enabled': trust,
    ...(trust ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {}),
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
  for (const dir of layout === 'server' ? ['data/User', 'data/Machine'] : ['User']) {
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

async function runServer(serverMain, extensionTestsPath, workspace, tmp, summaryFile, suite) {
  const dataDir = path.join(tmp, 'server-data');
  const signalDir = path.join(tmp, 'signals');
  fs.mkdirSync(signalDir, { recursive: true });
  writeUserSettings(dataDir, { trust: suite.trust });
  const serverLog = fs.createWriteStream(path.join(tmp, 'server.log'));
  const { proc, port } = await startServer(serverMain, {
    dataDir,
    extensionsDir: path.join(tmp, 'extensions'),
    extraArgs: ['--enable-smoke-test-driver'],
    trust: suite.trust,
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
    const screenshotsTaken = new Set();
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
        // Written whole, then renamed into place: the suite polls for the file and reads it as soon as it
        // exists, and read mid-write it was empty ("Unexpected end of JSON input", once in a CI run).
        const answerFile = path.join(signalDir, `${token}.json`);
        fs.writeFileSync(`${answerFile}.tmp`, JSON.stringify(answer ?? { ok: true }));
        fs.renameSync(`${answerFile}.tmp`, answerFile);
        return;
      }
      const k = line.indexOf(KEYS_MARKER);
      if (k >= 0) {
        // The suite asks for real key presses (review with the keyboard only): `NCA_IT_KEYS <token> ["a","Control+Alt+m"]`.
        const rest = line.slice(k + KEYS_MARKER.length).trim();
        const token = rest.split(/\s+/)[0];
        try {
          for (const key of JSON.parse(rest.slice(token.length).trim())) {
            await page.keyboard.press(key);
            await new Promise((r) => setTimeout(r, 150));
          }
        } catch (e) { say(`key presses failed: ${e}`); }
        fs.writeFileSync(path.join(signalDir, token), 'done');
        return;
      }
      const m = line.indexOf(SCREENSHOT_MARKER);
      if (m >= 0) {
        // The suite has what it wants to show on screen (the sample with decorations and a hover, a view…).
        // Token `readme` is the README's main screenshot (SCREENSHOT); any other token `x` goes to x.png beside it.
        const token = line.slice(m + SCREENSHOT_MARKER.length).trim().split(/\s+/)[0] || 'readme';
        const target = screenshotPath(token);
        if (target && !screenshotsTaken.has(token)) {
          try {
            await new Promise((r) => setTimeout(r, 1500)); // let decorations and the hover paint
            fs.mkdirSync(path.dirname(target), { recursive: true });
            await page.screenshot({ path: target });
            screenshotsTaken.add(token);
            say(`screenshot → ${path.relative(repo, target)}`);
          } catch (e) { say(`screenshot failed: ${e}`); }
        }
        fs.writeFileSync(path.join(signalDir, token), 'done');
      }
    });
    page.on('pageerror', (e) => hostLog.push(`[page error] ${e}`));
    say('opening the workbench');
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), TIMEOUT_MS); });
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      say(`TIMEOUT after ${TIMEOUT_MS / 1000} s waiting for suite ${suite.name} to finish`);
      await saveFailureScreenshot(page, `${suite.name}-timeout`);
      exitCode = 1;
    } else {
      exitCode = result;
      say(`suite ${suite.name} finished with exit code ${exitCode}`);
      if (exitCode !== 0) await saveFailureScreenshot(page, `${suite.name}-failure`);
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
  return collect(exitCode, summaryFile, hostLog);
}

/** The README screenshot ('readme', or a suite without tokens) at SCREENSHOT; any other token beside it as <token>.png. */
function screenshotPath(token) {
  if (!SCREENSHOT) return null;
  if (token === 'readme' || token === 'screenshot') return SCREENSHOT;
  return path.join(path.dirname(SCREENSHOT), `${token.replace(/[^A-Za-z0-9_-]/g, '_')}.png`);
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

/** One suite's outcome: its summary (written by the suite, else parsed from its log). */
function collect(exitCode, summaryFile, hostLog) {
  let summary = null;
  try { summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')); } catch { /* fall back to the log */ }
  if (!summary) {
    const line = [...hostLog].reverse().find((l) => l.includes(SUMMARY_MARKER));
    if (line) { try { summary = JSON.parse(line.slice(line.indexOf(SUMMARY_MARKER) + SUMMARY_MARKER.length)); } catch { /* ignore */ } }
  }
  if (summary && (summary.failed > 0 || summary.passed === 0)) exitCode = exitCode || 1;
  return { exitCode, summary, hostLog };
}

/** Prints every test and the total; returns 1 when anything failed or a suite did not finish. */
function report(results) {
  console.log('');
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const { suite, summary, hostLog } of results) {
    if (summary) {
      for (const t of summary.tests || []) console.log(`${t.skipped ? 'SKIP' : t.ok ? 'PASS' : 'FAIL'} [${suite}] ${t.name}${t.skipped ? ` — ${t.skipped}` : t.ok ? '' : ` — ${t.error}`}`);
      passed += summary.passed;
      skipped += summary.skipped ?? 0;
      failed += summary.failed + (summary.passed === 0 && summary.failed === 0 ? 1 : 0);
    } else {
      // No summary (timeout, crash): count what the suite logged so far, plus one failure for the run.
      const lines = hostLog.filter((l) => l.startsWith('PASS ') || l.startsWith('FAIL '));
      for (const l of lines) console.log(`${l.slice(0, 5)}[${suite}] ${l.slice(5).split('\n')[0]}`);
      passed += lines.filter((l) => l.startsWith('PASS ')).length;
      failed += lines.filter((l) => l.startsWith('FAIL ')).length + 1;
      console.log(`FAIL [${suite}] the suite did not finish (timeout or crash; did ${EXTENSION_ID} load? see the log above)`);
    }
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""} (${elapsed()})`);
  return failed > 0 || results.some((r) => r.exitCode !== 0) ? 1 : 0;
}

// ------------------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (err) => {
    console.error(err?.stack || String(err));
    console.log(`0 passed, 1 failed (${elapsed()}) — harness error`);
    process.exit(1);
  });
}
