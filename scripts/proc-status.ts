/**
 * A process's memory and CPU time as Linux reports them (/proc), for the benchmarks that
 * watch the language server from outside.
 */
import * as fs from 'node:fs';

/** A field of /proc/PID/status in MB (VmHWM: the peak resident memory; VmRSS: now); NaN when the process is gone. */
export function statusMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The process's CPU time so far, in seconds (utime + stime of /proc/PID/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the process has used under 5 % of a core for three seconds in a row (at most
 * five minutes): after a scan the server still tags the top of the Review Queue on its own
 * thread. Returns the seconds until that quiet began.
 */
export async function untilIdle(pid: number): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (quiet < 3 && performance.now() - t0 < 300_000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    quiet = now - last < 0.05 ? quiet + 1 : 0;
    last = now;
  }
  return (performance.now() - t0) / 1000 - quiet;
}

/** Waits until the process is idle (untilIdle): the seconds until then, and the CPU it used meanwhile. */
export async function settle(pid: number): Promise<{ idle: number; cpu: number }> {
  const before = cpuSeconds(pid);
  const idle = await untilIdle(pid);
  return { idle, cpu: cpuSeconds(pid) - before };
}
