/**
 * Exporters: sidecar annotations → formats other NLP tools read.
 * Pure (no fs): the CLI and the server write the returned files.
 * Formats are documented in docs/formats.md.
 *
 * Streaming contract (createExporter): every `add` and `finish` returns the
 * chunks that are ready. For single-file formats (jsonl, conll, w3c,
 * labelstudio, spacy) every chunk has the same `path`; the caller creates (or
 * truncates) the file on the first chunk of a path and appends each later
 * chunk verbatim, in order. `finish` may return a closing chunk (the JSON
 * formats close their array/object there), so it must always be called, even
 * for zero documents. Per-document formats (brat, text) return whole files
 * from `add`, one path per file, never repeated; `finish` returns nothing.
 * Nothing is retained between documents, so memory stays constant.
 */
import type { ConllScheme, ExportFormat, TagDefinition } from '../../protocol';
import { bratExporter } from './brat';
import type { ExportDocument, ProblemSink } from './common';
import { conllExporter } from './conll';
import { jsonlExporter } from './jsonl';
import { labelStudioExporter } from './labelstudio';
import { spacyExporter } from './spacy';
import { textExporter } from './text';
import { w3cExporter } from './w3c';

export type { ExportFormat, ConllScheme } from '../../protocol';
export type { ExportDocument } from './common';

export interface ExportFile {
  /** Relative output path ('/' separated). */
  path: string;
  content: string;
}

export interface ExportOptions {
  /** CoNLL tagging scheme; default `iob2`. */
  scheme?: ConllScheme;
  /** CoNLL: write a `# doc: <name>` comment after each `-DOCSTART-` (default true). */
  conllDocComments?: boolean;
  /** CoNLL: keep accepted boilerplate text in the token stream (default false: excluded). */
  conllKeepBoilerplate?: boolean;
  /** Label Studio offset unit: `codepoint` (default; current Label Studio) or `utf16` (older Label Studio). */
  labelStudioOffsets?: 'codepoint' | 'utf16';
  /** Called for every annotation that could not be exported as it is (skipped, trimmed, split). */
  onProblem?: ProblemSink;
  /** The declared document tags: spaCy `cats` then lists every declared value (0 or 1), not only the ones set. */
  tagDefinitions?: readonly TagDefinition[];
}

export interface StreamingExporter {
  /** Chunks/files ready after this document. */
  add(doc: ExportDocument): ExportFile[];
  /** Closing chunks (JSON formats); call exactly once, after the last `add`. */
  finish(): ExportFile[];
}

/** Output file of each single-file format. */
export const SINGLE_FILE_PATHS: Readonly<Partial<Record<ExportFormat, string>>> = {
  jsonl: 'annotations.jsonl',
  conll: 'annotations.conll',
  w3c: 'annotations.jsonld',
  labelstudio: 'labelstudio.json',
  spacy: 'spacy.jsonl',
};

export function createExporter(format: ExportFormat, opts: ExportOptions = {}): StreamingExporter {
  switch (format) {
    case 'jsonl':
      return jsonlExporter(SINGLE_FILE_PATHS.jsonl!, opts);
    case 'conll':
      return conllExporter(SINGLE_FILE_PATHS.conll!, opts);
    case 'w3c':
      return w3cExporter(SINGLE_FILE_PATHS.w3c!, opts);
    case 'labelstudio':
      return labelStudioExporter(SINGLE_FILE_PATHS.labelstudio!, opts);
    case 'spacy':
      return spacyExporter(SINGLE_FILE_PATHS.spacy!, opts);
    case 'brat':
      return bratExporter(opts);
    case 'text':
      return textExporter(opts);
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}

/** Whole export in memory: chunks of the same path are concatenated, first-seen order. */
export function exportDocuments(format: ExportFormat, docs: Iterable<ExportDocument>, opts: ExportOptions = {}): ExportFile[] {
  const exporter = createExporter(format, opts);
  const byPath = new Map<string, string[]>();
  const collect = (files: ExportFile[]): void => {
    for (const f of files) {
      const parts = byPath.get(f.path);
      if (parts) parts.push(f.content);
      else byPath.set(f.path, [f.content]);
    }
  };
  for (const d of docs) collect(exporter.add(d));
  collect(exporter.finish());
  return [...byPath].map(([path, parts]) => ({ path, content: parts.join('') }));
}
