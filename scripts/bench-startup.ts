/**
 * npm run bench:startup: how long the language server takes to start (node dist/server.js
 * --stdio, as an editor starts it), from process start to
 * - its answer to `initialize`;
 * - the first diagnostics of an article opened right after `initialized` (the sample fixture);
 * - the first of them that holds an entity suggestion (the tagger has run);
 * for the production bundle of this tree and, with --against <git revision>, for the same bundle
 * built from that revision, measured alternately in one run so that both see the same machine
 * load. Prints figures and the ratios of the medians; asserts nothing.
 *
 *   npm run bench:startup -- [--runs 20] [--against <rev>]
 */
import { execFileSync, execSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { build, ROOT } from './build';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, against: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);

const ARTICLE = path.join(ROOT, 'test/fixtures/workspace/000_f74c9c0780b14a3d.txt');
const ARTICLE_URI = `file://${ARTICLE}`;

interface Timeline {
  initialize: number;
  diagnostics: number;
  entities: number;
}

/** Milliseconds from spawning `node <server> --stdio` to the `initialize` response, the article's first diagnostics and its first entity. */
function timeline(server: string): Promise<Timeline> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const send = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} } });
    const t: Partial<Timeline> = {};
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${server} did not publish an entity for the article within 60 s`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as {
          id?: number;
          result?: unknown;
          method?: string;
          params?: { uri?: string; diagnostics?: { code?: unknown }[] };
        };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1 && message.result) {
          t.initialize = since();
          send({ method: 'initialized', params: {} });
          send({ method: 'textDocument/didOpen', params: { textDocument: { uri: ARTICLE_URI, languageId: 'plaintext', version: 1, text: fs.readFileSync(ARTICLE, 'utf8') } } });
        } else if (message.method === 'textDocument/publishDiagnostics' && message.params?.uri === ARTICLE_URI) {
          t.diagnostics ??= since();
          if (message.params.diagnostics?.some((d) => d.code === 'entity')) {
            t.entities = since();
            clearTimeout(timer);
            child.kill('SIGKILL');
            child.once('exit', () => resolve(t as Timeline));
            return;
          }
        }
      }
    });
    child.once('error', reject);
  });
}

/** Node's own start-up, for scale: the part of every figure no bundle can change. */
function timeToExit(): Promise<number> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    spawn(process.execPath, ['-e', '0']).once('exit', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
  });
}

/** The production bundles of a git revision, built in a temporary copy (the tree's node_modules are linked). */
function buildRevision(rev: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  execSync(`git -C ${JSON.stringify(ROOT)} archive ${JSON.stringify(rev)} | tar -x -C ${JSON.stringify(dir)}`, { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync('npm', ['run', '--silent', 'build', '--', '--production'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(dir, 'dist', 'server.js');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-bench-startup-'));
  try {
    const problems = await build({ production: true, outdir: path.join(tmp, 'current') });
    if (problems.length) console.warn(`(notices: ${problems.length} problems; see npm run build)`);
    const servers: { name: string; file: string }[] = [{ name: 'this tree', file: path.join(tmp, 'current', 'server.js') }];
    if (values.against) servers.unshift({ name: values.against, file: buildRevision(values.against, path.join(tmp, 'base')) });

    const times = new Map<string, Timeline[]>(servers.map((s) => [s.name, []]));
    const node: number[] = [];
    for (const s of servers) await timeline(s.file); // warm the file cache
    for (let i = 0; i < runs; i++) {
      node.push(await timeToExit());
      for (const s of servers) times.get(s.name)!.push(await timeline(s.file));
    }
    console.log(`language server start-up, production bundle, ${runs} runs each, alternating (ms from process start):`);
    const stages: [keyof Timeline, string][] = [
      ['initialize', 'initialize answered'],
      ['diagnostics', 'first diagnostics of an article opened at start'],
      ['entities', 'its first entity suggestion'],
    ];
    for (const s of servers) {
      const size = fs.statSync(s.file).size;
      console.log(`  ${s.name}: server.js ${(size / 2 ** 20).toFixed(2)} MiB`);
      for (const [k, what] of stages) {
        const t = times.get(s.name)!.map((x) => x[k]);
        console.log(`    ${what.padEnd(48)} median ${median(t).toFixed(0).padStart(5)}  (min ${Math.min(...t).toFixed(0)}, p90 ${quantile(t, 0.9).toFixed(0)})`);
      }
    }
    console.log(`  node -e 0: median ${median(node).toFixed(0)} ms (Node's own start-up, in every figure above)`);
    if (servers.length === 2) {
      for (const [k, what] of stages) {
        const [base, current] = servers.map((s) => median(times.get(s.name)!.map((x) => x[k])));
        console.log(`  ratio this tree / ${values.against}, ${what}: ${(current / base).toFixed(2)}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
