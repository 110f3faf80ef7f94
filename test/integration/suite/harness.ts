/**
 * A tiny test runner for code that runs inside VS Code's extension host (no mocha): named async
 * tests run in order, each logged PASS/FAIL; a JSON summary is logged (and written to
 * $NCA_IT_SUMMARY_FILE) for scripts/integration/run.mjs, and `runAll` throws if anything failed,
 * which makes the @vscode/test-electron / smoke-test driver exit code 1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestCase {
  name: string;
  fn: () => Promise<void>;
}

export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Markers parsed by scripts/integration/run.mjs. */
export const SUMMARY_MARKER = 'NCA_IT_SUMMARY ';
export const SCREENSHOT_MARKER = 'NCA_IT_SCREENSHOT_READY';
export const KEYS_MARKER = 'NCA_IT_KEYS';

export async function runAll(tests: TestCase[]): Promise<void> {
  const results: TestResult[] = [];
  for (const t of tests) {
    const t0 = Date.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
      console.log(`PASS ${t.name} (${Date.now() - t0} ms)`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      results.push({ name: t.name, ok: false, ms: Date.now() - t0, error });
      console.log(`FAIL ${t.name} (${Date.now() - t0} ms): ${err instanceof Error && err.stack ? err.stack : error}`);
    }
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const summary = { passed, failed, tests: results };
  console.log(SUMMARY_MARKER + JSON.stringify(summary));
  const file = process.env.NCA_IT_SUMMARY_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(summary, null, 2));
  if (failed > 0) throw new Error(`${failed} of ${results.length} integration tests failed`);
}

export class AssertionError extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new AssertionError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; throws `describe()` on timeout. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  describe: () => string, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new AssertionError(`timed out after ${timeoutMs / 1000} s: ${describe()}`);
    await sleep(intervalMs);
  }
}

/**
 * Asks run.mjs (server mode) to take the README screenshot now and waits until it is taken.
 * Without the runner listening (e.g. under @vscode/test-electron) it returns immediately.
 */
export async function requestScreenshot(token = 'screenshot'): Promise<void> {
  const dir = process.env.NCA_IT_SIGNAL_DIR;
  if (!dir) return;
  console.log(`${SCREENSHOT_MARKER} ${token}`);
  const done = path.join(dir, token);
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(done) && Date.now() < deadline) await sleep(200);
}

let keyRequests = 0;

/**
 * Asks run.mjs (server mode) to press real keys in the workbench (Playwright's
 * keyboard, as a user would: keybindings and their `when` clauses decide what
 * runs). Returns false when no runner is listening (e.g. under
 * @vscode/test-electron), so the caller can run the commands instead.
 */
export async function pressKeys(keys: string[]): Promise<boolean> {
  const dir = process.env.NCA_IT_SIGNAL_DIR;
  if (!dir) return false;
  const token = `keys-${++keyRequests}`;
  console.log(`${KEYS_MARKER} ${token} ${JSON.stringify(keys)}`);
  const done = path.join(dir, token);
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(done) && Date.now() < deadline) await sleep(100);
  if (!fs.existsSync(done)) throw new AssertionError(`the runner did not press ${keys.join(' ')} within 30 s`);
  return true;
}
