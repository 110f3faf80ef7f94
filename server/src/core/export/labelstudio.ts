/**
 * Label Studio JSON: an array of tasks
 * `{"id","data":{"text","document"},"annotations":[{"result":[…]}]}` with one
 * result per span: `{"id","from_name":"label","to_name":"text","type":"labels",
 * "value":{"start","end","text","labels":[L]}}`.
 * Offsets: Label Studio's text labelling used to count JavaScript string
 * indices (UTF-16 code units, an emoji counts 2); current versions count
 * code points (its own "NER - Emoji" tests expect code point offsets). The
 * default is therefore `codepoint` (no conversion); `labelStudioOffsets:
 * 'utf16'` converts for old installations. `value.text` is always written,
 * so a reader can tell which unit a file uses.
 * Boilerplate uses `from_name: "boilerplate"` with the category as label, so
 * a labelling config needs a second <Labels name="boilerplate" toName="text">.
 * Document tags go in the task's data, `data.tags` (Label Studio keeps every
 * data field and shows it to templates as `$tags`).
 * Streamed as `[` … `]` with one task per chunk.
 */
import type { ExportOptions, StreamingExporter } from './index';
import { prepareDocument, tagsOf, type PreparedDocument } from './common';

export const LS_FROM_NAME = 'label';
export const LS_BOILERPLATE_FROM_NAME = 'boilerplate';
export const LS_TO_NAME = 'text';

export function labelStudioExporter(path: string, opts: ExportOptions): StreamingExporter {
  let n = 0;
  return {
    add(doc) {
      n++;
      const task = labelStudioTask(prepareDocument(doc, opts.onProblem), n, `t${n}-r`, opts);
      return [{ path, content: (n === 1 ? '[\n' : ',\n') + JSON.stringify(task) }];
    },
    finish() {
      return [{ path, content: n === 0 ? '[]\n' : '\n]\n' }];
    },
  };
}

/**
 * One document as a Label Studio task; `id`: its number in the file, or the
 * caller's id (JSON Lines streams); result ids are `resultPrefix` + 1, 2, …
 */
export function labelStudioTask(p: PreparedDocument, id: string | number, resultPrefix: string, opts: Pick<ExportOptions, 'labelStudioOffsets'>): Record<string, unknown> {
  const result: unknown[] = [];
  const utf16 = opts.labelStudioOffsets === 'utf16';
  const push = (start: number, end: number, label: string, fromName: string): void => {
    const text = p.cps.slice(start, end).join('');
    result.push({
      id: `${resultPrefix}${result.length + 1}`,
      from_name: fromName,
      to_name: LS_TO_NAME,
      type: 'labels',
      value: utf16 ? { start: p.index.toUtf16(start), end: p.index.toUtf16(end), text, labels: [label] } : { start, end, text, labels: [label] },
    });
  };
  for (const e of p.entities) push(e.start, e.end, e.label, LS_FROM_NAME);
  for (const b of p.boilerplate) push(b.start, b.end, b.label, LS_BOILERPLATE_FROM_NAME);
  const tags = tagsOf(p);
  return { id, data: { text: p.text, document: p.name, ...(tags ? { tags } : {}) }, annotations: [{ result }] };
}
