/**
 * Tries to write a sidecar next to a text file and prints what happened as
 * JSON ({"code", "message"} of the SidecarFileError, or {"ok": true}). Run by
 * read-only-folder.test.ts, as an unprivileged user when the suite runs as
 * root (root writes into any folder, whatever its mode).
 *
 * Usage: node --import tsx readOnlyWriter.ts <text file>
 */
import * as fs from 'node:fs';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar } from '../../server/src/core/annotations/sidecar';
import { readSidecar, SidecarFileError, writeSidecarAtomic } from '../../server/src/host/sidecarFiles';

const doc = process.argv[2];
const text = fs.readFileSync(doc, 'utf8');
const st = readSidecar(doc);
const base = st.status === 'ok' ? st : { fingerprint: null, sidecar: null };
const current = st.status === 'ok' ? st.sidecar : emptySidecar(doc, text);
const a = createAnnotation(text, 0, 3, { kind: 'entity', label: 'LOC', status: 'accepted', source: 'user' });
try {
  writeSidecarAtomic(doc, { ...current, annotations: [...current.annotations, a] }, base, { text });
  process.stdout.write(JSON.stringify({ ok: true }) + '\n');
} catch (e) {
  if (!(e instanceof SidecarFileError)) throw e;
  process.stdout.write(JSON.stringify({ code: e.code, message: e.message }) + '\n');
}
