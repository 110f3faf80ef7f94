/**
 * Where a sub-command's stream goes: standard output (`--out -`), waiting
 * whenever the reader is slower than the annotator, so memory stays flat on
 * an input of any length; or a file, written under a temporary name and
 * renamed into place at the end, so a run that fails never leaves half a
 * file under the name asked for, and never writes over one of its inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { isAnnotationFileName } from '../core/annotations/layers';

export class TextOutput {
  private constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly file?: { target: string; temp: string; fd: number },
  ) {}

  /** `-`: standard output; otherwise a file (its folder must exist). */
  static open(target: string): TextOutput {
    if (target === '-') return new TextOutput(process.stdout);
    const abs = path.resolve(target);
    const temp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
    const fd = fs.openSync(temp, 'w', 0o644);
    return new TextOutput(fs.createWriteStream('', { fd, autoClose: false }), { target: abs, temp, fd });
  }

  get isStdout(): boolean {
    return this.file === undefined;
  }

  /** Writes; the promise (when there is one) resolves once the reader has caught up. */
  write(s: string | Uint8Array): void | Promise<void> {
    if (!this.stream.write(s)) return once(this.stream, 'drain').then(() => undefined);
  }

  async close(): Promise<void> {
    if (!this.file) return;
    const done = once(this.stream, 'finish');
    this.stream.end();
    await done;
    fs.fsyncSync(this.file.fd);
    fs.closeSync(this.file.fd);
    fs.renameSync(this.file.temp, this.file.target);
  }

  /** A failed run: the temporary file goes, whatever was at the target stays. */
  abort(): void {
    if (!this.file) return;
    try {
      fs.closeSync(this.file.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.file.temp, { force: true });
  }
}

/**
 * Refuses an output file that is one of the input files (it would be
 * replaced by the output) or is named like a sidecar. Returns the reason, or
 * undefined.
 */
export function overwritesInput(out: string, files: readonly string[]): string | undefined {
  if (out === '-') return undefined;
  const target = realish(out);
  if (isAnnotationFileName(path.basename(target))) return `refusing to write ${out}: that is the name of a sidecar; choose another output file`;
  for (const f of files) if (f !== '-' && realish(f) === target) return `refusing to write ${out}: it is one of the inputs; choose another output file`;
  return undefined;
}

function realish(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
