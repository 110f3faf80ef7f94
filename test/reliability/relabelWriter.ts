/**
 * One editor window relabelling the first annotation of a sidecar, as a
 * separate process (for relabel-conflict.test.ts): reads the sidecar, waits
 * until the other writer has read it too (both start from the same base),
 * replaces the annotation with a new one labelled `label` (as the server's
 * relabel does) and writes through writeSidecarAtomic — the `first` at once,
 * the `second` once the first one's write is on disk. Prints the conflict
 * types as JSON.
 *
 * Usage: node --import tsx relabelWriter.ts <text file> <label> first|second
 */
import * as fs from 'node:fs';
import { sidecarPath } from '../../server/src/host/sidecarFiles';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { readSidecar, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 6000) throw new Error('the other writer never came');
    await sleep(10);
  }
}

async function main(doc: string, label: string, role: string): Promise<void> {
  const text = fs.readFileSync(doc, 'utf8');
  const read = fs.readFileSync(sidecarPath(doc));
  const st = readSidecar(doc);
  if (st.status !== 'ok') throw new Error(`the writer saw a sidecar that is ${st.status}`);
  fs.writeFileSync(`${doc}.ready-${role}`, '');
  await until(() => fs.existsSync(`${doc}.ready-${role === 'first' ? 'second' : 'first'}`));
  if (role === 'second') {
    await until(() => !fs.readFileSync(sidecarPath(doc)).equals(read));
    await sleep(5); // a later decision: a later `modified`
  }
  const old = st.sidecar.annotations[0];
  const fresh = createAnnotation(text, old.start, old.end, { kind: 'entity', label, status: 'accepted', source: 'user' }, new Date(), `${label}-id`);
  const others = st.sidecar.annotations.filter((a) => !(a.kind === 'entity' && a.start < fresh.end && fresh.start < a.end));
  const r = writeSidecarAtomic(doc, { ...st.sidecar, annotations: [...others, fresh] }, st, { text });
  process.stdout.write(JSON.stringify(r.conflicts.map((c) => c.type)) + '\n');
}

const [doc, label, role] = process.argv.slice(2);
main(doc, label, role).catch((e) => {
  console.error(e);
  process.exit(1);
});
