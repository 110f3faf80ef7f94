/**
 * A generated corpus for the streaming, parallel and Dask tests: documents
 * built from the fixture articles' paragraphs (rotated, renumbered so that no
 * two are alike) with one of a few site footers each, so that the footers are
 * `repeated` boilerplate in the whole corpus and in no single document; one
 * sidecar accepts a name that the other documents then get from the
 * dictionary. Written as a folder of .txt files and as JSON Lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAnnotation } from '../../server/src/core/annotations/model';
import { emptySidecar, serializeSidecar } from '../../server/src/core/annotations/sidecar';
import { ROOT, SAMPLE } from './lspClient';

export const FOOTERS = ['تابعونا على تلغرام للمزيد من الأخبار العاجلة', 'جميع الحقوق محفوظة لموقع الأخبار اليومية', 'Subscribe to our newsletter for the latest headlines'];
/** Accepted in the sidecar of the first document. */
export const ACCEPTED = { text: 'راسك', label: 'LOC' };

function paragraphs(): string[] {
  const sources = [SAMPLE, path.join(ROOT, 'test', 'fixtures', 'workspace', '001_pakistan_iran_followup.txt'), path.join(ROOT, 'test', 'fixtures', 'workspace', '002_border_talks_en.txt')];
  return sources.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim().length > 40));
}

/**
 * Shown under one document in ten in the first half of a `spread` corpus and
 * one in a hundred in the second: 5.5% of the whole corpus, so `repeated`
 * there (at least 5% of the documents), but under 5% of any part of the
 * second half, where only the corpus statistics reveal it.
 */
export const SPREAD_FOOTER = 'اقرأ أيضا في نشرتنا الأسبوعية كل ما فاتك من أخبار المنطقة';

export interface CorpusShape {
  /** Every paragraph made unique to its document (in a large corpus, the fixtures' few paragraphs would all repeat). */
  unique?: boolean;
  /** Add SPREAD_FOOTER (see there). */
  spread?: boolean;
}

/** A number written in letters: boilerplate keys fold every digit run to 0, so digits alone would not make a line unique. */
function letters(n: number): string {
  const abc = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';
  let s = '';
  do {
    s = abc[n % abc.length] + s;
    n = Math.floor(n / abc.length);
  } while (n > 0);
  return s;
}

/** `n` documents, name → text. */
export function corpusTexts(n: number, shape: CorpusShape = {}): Map<string, string> {
  const ps = paragraphs();
  const out = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const k = (i * 7) % ps.length;
    const body = [...ps.slice(k), ...ps.slice(0, k)].slice(0, 3 + (i % 3)).map((p, j) => p.replace(/\d+/g, String(i)) + (shape.unique ? ` (${letters(i)} ${letters(j)})` : ''));
    const footers = [FOOTERS[i % FOOTERS.length]];
    if (shape.spread && i % (i < n / 2 ? 10 : 100) === 0) footers.unshift(SPREAD_FOOTER);
    out.set(`doc${String(i).padStart(5, '0')}.txt`, `${body.join('\n\n')}\n\n${footers.join('\n\n')}\n`);
  }
  return out;
}

/** The corpus as a folder of text files, the first one with a sidecar accepting ACCEPTED. */
export function writeCorpusFolder(dir: string, n: number, shape: CorpusShape = {}): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const texts = corpusTexts(n, shape);
  let first = true;
  for (const [name, text] of texts) {
    let t = text;
    if (first) t = `زار الوفد مدينة ${ACCEPTED.text} الحدودية.\n\n${text}`;
    fs.writeFileSync(path.join(dir, name), t);
    if (first) {
      const sc = emptySidecar(name, t);
      const at = [...t.slice(0, t.indexOf(ACCEPTED.text))].length;
      sc.annotations.push(createAnnotation(t, at, at + [...ACCEPTED.text].length, { kind: 'entity', label: ACCEPTED.label, status: 'accepted', source: 'user' }));
      fs.writeFileSync(path.join(dir, name + '.ann.json'), serializeSidecar(sc));
    }
    first = false;
  }
  return [...texts.keys()].map((name) => path.join(dir, name));
}

/** The same documents as JSON Lines records {id, text, annotations?} (the sidecar's annotations with the first). */
export function folderAsJsonl(files: string[], target: string): void {
  const lines = files.map((f) => {
    const record: Record<string, unknown> = { id: path.basename(f), text: fs.readFileSync(f, 'utf8') };
    if (fs.existsSync(f + '.ann.json')) record.annotations = JSON.parse(fs.readFileSync(f + '.ann.json', 'utf8')).annotations;
    return JSON.stringify(record) + '\n';
  });
  fs.writeFileSync(target, lines.join(''));
}
