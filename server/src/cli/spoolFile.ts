/**
 * Temporary files of a run, written in large sequential writes: what the
 * first pass found in each document (read back by the second), and a part's
 * output waiting for its turn to be printed (`--jobs`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const FLUSH_BYTES = 1 << 20;

export class SpoolWriter {
  private readonly fd: number;
  private buffered: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w', 0o600);
  }

  write(s: string): void {
    this.buffered.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.buffered.length) return;
    const b = Buffer.from(this.buffered.join(''), 'utf8');
    this.bytes += b.length;
    for (let off = 0; off < b.length; ) off += fs.writeSync(this.fd, b, off);
    this.buffered = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/**
 * A private temporary folder for one run, removed when the run ends and
 * also when the process ends early (a closed pipe, an error). os.tmpdir()
 * follows TMPDIR: point it at a disk with room for a copy of standard input.
 */
export function runFolder(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-annotator-'));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  return {
    dir,
    remove: () => {
      process.removeListener('exit', remove);
      remove();
    },
  };
}

/** A run folder made only when something needs it (standard input to copy). */
export function lazyFolder(): { dir: () => string; remove: () => void } {
  let folder: ReturnType<typeof runFolder> | undefined;
  return { dir: () => (folder ??= runFolder()).dir, remove: () => folder?.remove() };
}
