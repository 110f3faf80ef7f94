/**
 * Generated large inputs for the reliability suite and `npm run bench`: a
 * ~1.2 MB Arabic document built from the words of the sample article (in a
 * seeded random order, so contexts vary as in a real corpus), and a sidecar
 * with up to 200,000 valid annotations on it (every word, then every pair of
 * words, …). Deterministic: the same arguments give the same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sidecar, SidecarAnnotation } from '../../server/src/protocol';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { TextIndex } from '../../server/src/core/text/offsets';

const SAMPLE = path.join(__dirname, '..', 'fixtures', 'samples', '000_f74c9c0780b14a3d.txt');
const LABELS = ['PER', 'ORG', 'LOC', 'MISC'];
const STAMP = new Date('2026-11-30T12:00:00.000Z');

/** mulberry32: a small seeded generator, so the fixture is the same on every machine. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A document of at least `bytes` UTF-8 bytes: lines of 6–18 words of the sample, blank lines between paragraphs. */
export function bigDocument(bytes = 1.2 * 1024 * 1024, seed = 1): string {
  const words = fs.readFileSync(SAMPLE, 'utf8').split(/\s+/u).filter((w) => w && !/[\uFFFD]/u.test(w));
  const next = rng(seed);
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const n = 6 + Math.floor(next() * 13);
    const line: string[] = [];
    for (let i = 0; i < n; i++) line.push(words[Math.floor(next() * words.length)]);
    const s = line.join(' ') + (next() < 0.2 ? '\n\n' : '\n');
    lines.push(s);
    size += Buffer.byteLength(s);
  }
  return lines.join('');
}

/** Code point spans of the words of `text`. */
export function wordSpans(text: string): { start: number; end: number }[] {
  const index = new TextIndex(text);
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/\S+/gu)) out.push({ start: index.toCodePoint(m.index), end: index.toCodePoint(m.index + m[0].length) });
  return out;
}

/**
 * `count` valid annotations on `text`: one per word, then one per pair of
 * neighbouring words, then per triple, … (entity labels in turn, one in ten
 * rejected, one in fifty a boilerplate decision), sorted as on disk.
 */
export function manyAnnotations(text: string, count: number, seed = 2): SidecarAnnotation[] {
  const words = wordSpans(text);
  const next = rng(seed);
  const out: SidecarAnnotation[] = [];
  for (let width = 1; out.length < count && width <= 8; width++) {
    for (let i = 0; i + width <= words.length && out.length < count; i++) {
      const n = out.length;
      const boilerplate = n % 50 === 7;
      const id = 'g' + n.toString(16).padStart(8, '0') + Math.floor(next() * 0xffffffff).toString(16).padStart(8, '0');
      out.push(
        createAnnotation(
          text,
          words[i].start,
          words[i + width - 1].end,
          boilerplate
            ? { kind: 'boilerplate', category: 'share', status: 'accepted', source: 'user' }
            : { kind: 'entity', label: LABELS[n % 4], status: n % 10 === 3 ? 'rejected' : 'accepted', source: n % 3 ? 'tagger' : 'user', confidence: 0.9 },
          STAMP,
          id,
        ),
      );
    }
  }
  return out;
}

/** The sidecar of `text` (named `name`) with `count` generated annotations. */
export function bigSidecar(name: string, text: string, count: number): Sidecar {
  return { ...emptySidecar(name, text), annotations: manyAnnotations(text, count) };
}

/** Writes `dir/name` and its sidecar; returns the text and the sidecar's size in bytes. */
export function writeBigFixture(dir: string, name: string, text: string, count: number): { text: string; sidecarBytes: number } {
  fs.writeFileSync(path.join(dir, name), text);
  const json = serializeSidecar(bigSidecar(name, text, count));
  fs.writeFileSync(path.join(dir, name + '.ann.json'), json);
  return { text, sidecarBytes: Buffer.byteLength(json) };
}
