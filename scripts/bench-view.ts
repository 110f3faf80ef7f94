/**
 * The annotation view's drawing time: the bundled page (dist/webview/view.js
 * and view.css, as the webview loads them) in Debian's Chromium, fed the
 * layout the server computes for the sample article and for a ~50 KB article
 * (their real suggestions), timed by the page itself from the message's
 * arrival to its first screen laid out, and to all of it (a long article is
 * drawn in slices after the first screen) — the figures the extension logs.
 * Also the server's side: computing the layout and the size of the message.
 * Prints medians; asserts nothing. Needs `npm run build` first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentViewResult } from '../server/src/protocol';
import { suggest } from '../server/src/core/analyze';
import { schemaFromSettings } from '../server/src/core/labels/defaults';
import { TextIndex } from '../server/src/core/text/offsets';
import { layoutDocument } from '../server/src/core/view/documentView';
import { SAMPLE } from '../test/protocol/lspClient';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.RUNS ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function view(text: string): { data: DocumentViewResult; layoutMs: number; bytes: number } {
  const index = new TextIndex(text);
  const suggestions = suggest(text, [], { entities: {}, boilerplate: {} }, index);
  const times: number[] = [];
  let layout = layoutDocument(index, [], suggestions);
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    layout = layoutDocument(index, [], suggestions);
    times.push(performance.now() - t0);
  }
  const data: DocumentViewResult = { uri: 'file:///bench.txt', version: 1, ...layout, review: 'todo', tags: {} };
  return { data, layoutMs: median(times), bytes: Buffer.byteLength(JSON.stringify(data)) };
}

async function main(): Promise<void> {
  for (const f of ['dist/webview/view.js', 'dist/webview/view.css']) if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  const sample = fs.readFileSync(SAMPLE, 'utf8');
  const paragraphs = sample.split('\n').filter((l) => l.trim()).slice(0, 25);
  let long = '';
  for (let i = 0; Buffer.byteLength(long) < 50 * 1024; i++) long += `${paragraphs[i % paragraphs.length]} (${i + 1})\n\n`;

  // The page as the webview serves it, with the host's API replaced by a recorder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-bench-view-'));
  const html = path.join(dir, 'view.html');
  fs.writeFileSync(
    html,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="${pathToFileURL(path.join(ROOT, 'dist/webview/view.css'))}"></head>
<body class="vscode-dark" data-nca-view style="--vscode-font-family: system-ui, Ubuntu, 'Droid Sans', sans-serif; --vscode-editor-font-size: 14px; --vscode-font-size: 13px; --vscode-editor-font-family: 'Droid Sans Mono', monospace"><header id="head"></header><section id="orphans" hidden></section><main id="doc"></main><div id="menu" hidden></div>
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m) });</script>
<script src="${pathToFileURL(path.join(ROOT, 'dist/webview/view.js'))}"></script></body></html>`,
  );
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: Number(process.env.WIDTH ?? 700), height: 860 } });
    const schema = schemaFromSettings(['PER', 'ORG', 'LOC', 'MISC']);
    const colors = Object.fromEntries(schema.labels.map((l) => [l.name, { light: { fg: l.color.light, bg: l.color.light + '38' }, dark: { fg: l.color.dark, bg: l.color.dark + '55' } }]));
    console.log(`view drawing (Chromium ${browser.version()}), ${RUNS} runs each, medians:`);
    console.log('document'.padEnd(18) + 'words'.padStart(7) + 'paras'.padStart(7) + 'marks'.padStart(7) + '  layout (server)' + '  message' + '  first screen' + '  all of it' + '  redraw (first screen)');
    for (const [name, text] of [['sample article', sample], ['~50 KB article', long]] as const) {
      const v = view(text);
      const firsts: number[] = [];
      const alls: number[] = [];
      const redraws: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto(pathToFileURL(html).toString());
        // Runs in the page; a string, so the bundler's helpers (tsx names functions) do not leak into it.
        const ms = (await page.evaluate(`(async ({ data, schema, colors }) => {
          const drawn = (n) => new Promise((resolve) => {
            const poll = () => {
              const r = window.__posted.filter((m) => m.type === 'rendered');
              if (r.length >= n) resolve([r[n - 1].ms, r[n - 1].allMs]);
              else setTimeout(poll, 5);
            };
            poll();
          });
          window.postMessage({ type: 'init', strings: {}, schema, colors }, '*');
          window.postMessage({ type: 'document', data, fileName: 'bench.txt' }, '*');
          const first = await drawn(1);
          window.postMessage({ type: 'document', data, fileName: 'bench.txt' }, '*');
          return [first, await drawn(2)];
        })(${JSON.stringify({ data: v.data, schema, colors })})`)) as [number, number][];
        firsts.push(ms[0][0]);
        alls.push(ms[0][1]);
        redraws.push(ms[1][0]);
      }
      const words = text.split(/\s+/).filter(Boolean).length;
      console.log(
        name.padEnd(18) +
          String(words).padStart(7) +
          String(v.data.paragraphs.length).padStart(7) +
          String(v.data.marks.length).padStart(7) +
          `${v.layoutMs.toFixed(1)} ms`.padStart(18) +
          `${Math.round(v.bytes / 1024)} KB`.padStart(9) +
          `${median(firsts).toFixed(1)} ms`.padStart(15) +
          `${median(alls).toFixed(1)} ms`.padStart(11) +
          `${median(redraws).toFixed(1)} ms`.padStart(24),
      );
    }
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
