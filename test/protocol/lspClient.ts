/**
 * A plain LSP client for protocol tests: spawns the bundled server
 * (`node dist/server.js --stdio`) exactly as another editor would, and
 * collects what it publishes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { Request, type ReviewQueueResult, type Sidecar } from '../../server/src/protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const SAMPLE_NAME = '000_f74c9c0780b14a3d.txt';
export const SAMPLE = path.join(ROOT, 'test', 'fixtures', 'samples', SAMPLE_NAME);

export interface Session {
  connection: ProtocolConnection;
  process: ChildProcess;
  folder: string;
  /** The last whole publication per uri (partial ones, announced by newsAnnotator/suggestionsPending, are in `publications`). */
  diagnostics: Map<string, PublishDiagnosticsParams>;
  /** Every publication, partial or whole, with the time it arrived (performance.now()). */
  publications: { uri: string; partial: boolean; at: number; diagnostics: Diagnostic[] }[];
  /** Resolves with the next whole diagnostics published for a uri that satisfy `until`. */
  waitForDiagnostics(uri: string, until?: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  messages: { type: number; message: string }[];
  /** window/logMessage lines of the server (its log). */
  logs: string[];
  stderr: string[];
  /** The watched-file globs the server has registered and not unregistered (with StartOptions.watchFiles), by registration id. */
  watchers: Map<string, string[]>;
  close(): Promise<void>;
}

/** A fresh temporary workspace folder holding the given files (name → content). */
export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nca-ws-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(folder, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return folder;
}

/**
 * `n` distinct articles of ~3 KB made from the sample's paragraphs, rotated and renumbered
 * (every number becomes the article's), named `doc<i>.txt` with `digits` digits; `extra(i)`
 * is put before each article's body (a name, a footer), `after(i)` after it.
 */
export function sampleArticles(n: number, digits: number, extra?: (i: number) => string, after?: (i: number) => string): Record<string, string> {
  const paragraphs = fs.readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l.trim().length > 40);
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const k = i % paragraphs.length;
    const body = [...paragraphs.slice(k), ...paragraphs.slice(0, k)].slice(0, 6).join('\n\n').replace(/\d+/g, String(i));
    files[`doc${String(i).padStart(digits, '0')}.txt`] = (extra ? extra(i) + '\n\n' : '') + body + (after ? '\n\n' + after(i) : '') + '\n';
  }
  return files;
}

export function uriOf(p: string): string {
  return pathToFileURL(p).toString();
}

export interface StartOptions {
  /** Sent as `initialize`'s initializationOptions (protocol.ts InitializationOptions). */
  initializationOptions?: unknown;
  /** The workspace folders (default: `folder` alone). */
  folders?: string[];
  /** Extra options for the server's node process (e.g. `--cpu-prof` to profile it); NCA_SERVER_NODE_ARGS adds more. */
  nodeArgs?: string[];
  /** Another build of the server (benchmarks compare against a baseline). */
  server?: string;
  /** The editor's `files.exclude` (pattern → true), answered when the server asks for it. */
  filesExclude?: Record<string, unknown>;
  /** Advertise watched files with dynamic registration, as VS Code does (the server then registers its watchers: Session.watchers). */
  watchFiles?: boolean;
}

export async function startServer(folder: string, settings: Record<string, unknown> = {}, options: StartOptions = {}): Promise<Session> {
  const server = options.server ?? SERVER;
  if (!fs.existsSync(server)) throw new Error(`${server} is missing: run npm run build first`);
  const nodeArgs = [...(options.nodeArgs ?? []), ...(process.env.NCA_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; until: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const messages: { type: number; message: string }[] = [];
  const logs: string[] = [];
  // The server announces a partial publication (stored annotations and boilerplate before the tagger's data are
  // loaded): tests wait for whole ones; the partial ones are kept in `publications` (benchmarks time them).
  const pending = new Set<string>();
  const publications: Session['publications'] = [];
  connection.onNotification('newsAnnotator/suggestionsPending', (p: { uri: string }) => void pending.add(p.uri));
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const partial = pending.delete(p.uri);
    publications.push({ uri: p.uri, partial, at: performance.now(), diagnostics: p.diagnostics });
    if (partial) return;
    diagnostics.set(p.uri, p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.until(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.onNotification('window/showMessage', (m: { type: number; message: string }) => {
    messages.push(m);
  });
  connection.onNotification('window/logMessage', (m: { type: number; message: string }) => {
    logs.push(m.message);
  });
  connection.onNotification('$/progress', () => undefined);
  connection.onNotification('newsAnnotator/annotationsChanged', () => undefined);
  connection.onRequest('window/workDoneProgress/create', () => null);
  const watchers = new Map<string, string[]>();
  type Registration = { id: string; method: string; registerOptions?: { watchers?: { globPattern: string }[] } };
  connection.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
    for (const r of p.registrations) if (r.method === 'workspace/didChangeWatchedFiles') watchers.set(r.id, (r.registerOptions?.watchers ?? []).map((w) => w.globPattern));
    return null;
  });
  connection.onRequest('client/unregisterCapability', (p: { unregisterations: { id: string }[] }) => {
    for (const r of p.unregisterations) watchers.delete(r.id);
    return null;
  });
  connection.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
    messages.push(m);
    return null;
  });
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
    p.items.map((i) => (i.section === 'files.exclude' ? (options.filesExclude ?? {}) : settings)),
  );
  connection.listen();

  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uriOf(folder),
    workspaceFolders: (options.folders ?? [folder]).map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
    initializationOptions: options.initializationOptions,
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, ...(options.watchFiles ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}) },
      window: { workDoneProgress: true },
      textDocument: { publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } } },
    },
  });
  await connection.sendNotification('initialized', {});

  return {
    connection,
    process: child,
    folder,
    diagnostics,
    publications,
    messages,
    logs,
    stderr,
    watchers,
    waitForDiagnostics(uri, until = () => true, timeoutMs = 20000) {
      const current = diagnostics.get(uri);
      if (current && until(current.diagnostics)) return Promise.resolve(current.diagnostics);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(diagnostics.get(uri)?.diagnostics.map((d) => d.message))}`)), timeoutMs);
        waiters.push({
          uri,
          until,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    async close() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r();
            // A profiled server (NCA_SERVER_NODE_ARGS=--cpu-prof…) needs time to write its profile on exit.
          }, process.env.NCA_SERVER_NODE_ARGS ? 120_000 : 3000);
          child.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
  };
}

export async function open(session: Session, file: string, text?: string): Promise<string> {
  const uri = uriOf(file);
  await session.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'plaintext', version: 1, text: text ?? fs.readFileSync(file, 'utf8') },
  });
  return uri;
}

/** Code point slice: what sidecars' offsets index. */
export function cpSlice(text: string, start: number, end: number): string {
  return [...text].slice(start, end).join('');
}

export function codeOf(d: Diagnostic): string | undefined {
  return typeof d.code === 'string' ? d.code : d.code === undefined ? undefined : String(d.code);
}

/** Runs the bundled CLI (`node dist/cli.js …`) to its end (output up to 64 MB: whole exports go to stdout). */
export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `workspace/executeCommand` with one argument object (or none), as the client sends it. */
export async function command<T = unknown>(s: Session, cmd: string, arg?: unknown): Promise<T> {
  return (await s.connection.sendRequest('workspace/executeCommand', { command: cmd, arguments: arg === undefined ? [] : [arg] })) as T;
}

/** Waits for the start-up scan to end (the Review Queue says `indexing: false`), polling every 100 ms up to `tries` times. */
export async function indexed(s: Session, tries = 200): Promise<ReviewQueueResult> {
  for (let i = 0; i < tries; i++) {
    const q = (await s.connection.sendRequest(Request.reviewQueue.method, {})) as ReviewQueueResult;
    if (!q.indexing) return q;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the corpus was never indexed');
}

/** The adjudicated sidecar of a text file as it is on disk, or null. */
export function sidecar(file: string): Sidecar | null {
  return fs.existsSync(file + '.ann.json') ? (JSON.parse(fs.readFileSync(file + '.ann.json', 'utf8')) as Sidecar) : null;
}
