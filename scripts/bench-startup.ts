/**
 * npm run bench:startup: how long the language server takes to start, from process start to its
 * answer to `initialize` (node dist/server.js --stdio, as an editor starts it), for the
 * production bundle of this tree and, with --against <git revision>, for the same bundle built
 * from that revision, measured alternately in one run so that both see the same machine load.
 * Prints figures and the ratio of the medians; asserts nothing.
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

/** Milliseconds from spawning `node <server> --stdio` to the `initialize` response. */
function timeToInitialize(server: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} },
    });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${server} did not answer initialize within 60 s`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as { id?: number; result?: unknown };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1 && message.result) {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          clearTimeout(timer);
          child.kill('SIGKILL');
          child.once('exit', () => resolve(ms));
          return;
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

    const times = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const node: number[] = [];
    for (const s of servers) await timeToInitialize(s.file); // warm the file cache
    for (let i = 0; i < runs; i++) {
      node.push(await timeToExit());
      for (const s of servers) times.get(s.name)!.push(await timeToInitialize(s.file));
    }
    console.log(`language server start-up (process start → initialize answered), production bundle, ${runs} runs each, alternating:`);
    for (const s of servers) {
      const t = times.get(s.name)!;
      const size = fs.statSync(s.file).size;
      console.log(
        `  ${s.name.padEnd(12)} median ${median(t).toFixed(0)} ms  (min ${Math.min(...t).toFixed(0)}, p90 ${quantile(t, 0.9).toFixed(0)})  server.js ${(size / 2 ** 20).toFixed(2)} MiB`,
      );
    }
    console.log(`  node -e 0     median ${median(node).toFixed(0)} ms (Node's own start-up, in every figure above)`);
    if (servers.length === 2) {
      const [base, current] = servers.map((s) => median(times.get(s.name)!));
      console.log(`  ratio this tree / ${values.against}: ${(current / base).toFixed(2)}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
