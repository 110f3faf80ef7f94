/**
 * W3C Web Annotation (JSON-LD): one AnnotationCollection whose first (only)
 * AnnotationPage lists every annotation. Each annotation targets
 * `source` = the document's relative path (a relative IRI, resolved against
 * wherever the export is published) with a TextQuoteSelector
 * {exact,prefix,suffix} and a TextPositionSelector {start,end}. The Web
 * Annotation model counts TextPositionSelector positions in Unicode code
 * points, which is exactly the sidecar unit, so no conversion happens.
 * Entities: body TextualBody {value: label, purpose: "tagging"}.
 * Boilerplate: motivation "classifying", bodies "boilerplate" (purpose
 * "classifying") and the category (purpose "tagging").
 * Document tags: one more annotation per tagged document, motivation
 * "classifying", targeting the whole document (`target` = the source IRI),
 * one TextualBody per value: `{"purpose": "classifying", "value":
 * "topic=politics"}` (a boolean tag: `"exclude=true"`).
 * Streamed: `total` is written after the items, JSON key order being free.
 */
import type { ExportOptions, StreamingExporter } from './index';
import type { DocumentTags } from '../../protocol';
import { contextAround, prepareDocument, tagsOf } from './common';

/** The TextualBody values of a document's tags: `tag=value`, one per value. */
export function tagBodies(tags: DocumentTags): { type: 'TextualBody'; purpose: 'classifying'; value: string }[] {
  const out: { type: 'TextualBody'; purpose: 'classifying'; value: string }[] = [];
  for (const [k, v] of Object.entries(tags)) for (const x of Array.isArray(v) ? v : [v]) out.push({ type: 'TextualBody', purpose: 'classifying', value: `${k}=${String(x)}` });
  return out;
}

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

/** Relative IRI of a document path: each segment percent-encoded, '/' kept. */
export function documentIri(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

export function w3cExporter(path: string, opts: ExportOptions): StreamingExporter {
  let started = false;
  let total = 0;
  const header = (): string => {
    started = true;
    return (
      '{"@context":' + JSON.stringify(ANNO_CONTEXT) +
      ',"type":"AnnotationCollection","label":"News Corpus Annotator export"' +
      ',"first":{"type":"AnnotationPage","startIndex":0,"items":[\n'
    );
  };
  return {
    add(doc) {
      const p = prepareDocument(doc, opts.onProblem);
      let out = started ? '' : header();
      const source = documentIri(p.name);
      const item = (start: number, end: number, id: string, motivation: string, body: unknown): void => {
        const ctx = contextAround(p.cps, start, end);
        const anno = {
          id: `${source}#annotation-${encodeURIComponent(id)}`,
          type: 'Annotation',
          motivation,
          body,
          target: {
            source,
            selector: [
              { type: 'TextQuoteSelector', exact: p.cps.slice(start, end).join(''), prefix: ctx.prefix, suffix: ctx.suffix },
              { type: 'TextPositionSelector', start, end },
            ],
          },
        };
        out += (total > 0 ? ',\n' : '') + JSON.stringify(anno);
        total++;
      };
      // Ids fall back to the span when a piece of boilerplate was cut by a keep (no sidecar id).
      for (const e of p.entities) item(e.start, e.end, e.id ?? `${e.start}-${e.end}`, 'tagging', { type: 'TextualBody', value: e.label, purpose: 'tagging' });
      for (const b of p.boilerplate) {
        item(b.start, b.end, b.id ?? `boilerplate-${b.start}-${b.end}`, 'classifying', [
          { type: 'TextualBody', value: 'boilerplate', purpose: 'classifying' },
          { type: 'TextualBody', value: b.label, purpose: 'tagging' },
        ]);
      }
      const tags = tagsOf(doc);
      if (tags) {
        const anno = { id: `${source}#tags`, type: 'Annotation', motivation: 'classifying', body: tagBodies(tags), target: source };
        out += (total > 0 ? ',\n' : '') + JSON.stringify(anno);
        total++;
      }
      return out === '' ? [] : [{ path, content: out }];
    },
    finish() {
      const out = (started ? '' : header()) + `\n]},"total":${total}}\n`;
      return [{ path, content: out }];
    },
  };
}
