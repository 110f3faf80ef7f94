/**
 * Importers: other tools' annotation files → code point spans over a text.
 * Pure (no fs): the caller reads files and hands over their contents; it also
 * decides which corpus file an imported document belongs to (by name or by
 * text) and can use `placeImported` when the texts differ.
 * Nothing throws on bad input: every oddity becomes a problem string, with a
 * file path and line number when there is one.
 */
import type { ConllScheme, DocumentTags } from '../../protocol';
import { importBrat } from './brat';
import { importConll } from './conll';
import { importJsonl } from './jsonl';
import { importLabelStudio } from './labelstudio';

export { placeImported, type PlacementResult, type UnplacedAnnotation } from './place';

export type ImportFormat = 'jsonl' | 'brat' | 'labelstudio' | 'conll';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['jsonl', 'brat', 'labelstudio', 'conll'];

export interface ImportedAnnotation {
  /** Code point offsets into the imported document's text, end exclusive. */
  start: number;
  end: number;
  kind: 'entity' | 'boilerplate';
  label?: string;
  category?: string;
}

export interface ImportedDocument {
  /** Document name as the file states it (path, `name` field, `# doc:` comment), else a made-up `file#n`. */
  name: string;
  /** The text the offsets refer to (for CoNLL: rebuilt from the tokens). */
  text: string;
  annotations: ImportedAnnotation[];
  /** Document tags the file carries (doccano/JSONL `tags`, spaCy `meta.tags` or `cats`, Label Studio `data.tags` or choices, brat and CoNLL notes). */
  tags?: DocumentTags;
  /** Problems that concern this document only. */
  problems: string[];
}

export interface ImportInputFile {
  path: string;
  content: string;
}

export interface ImportOptions {
  /** CoNLL tagging scheme; default `auto` (BIOES if any E-/S- tag, else IOB). */
  scheme?: ConllScheme | 'auto';
  /**
   * Label Studio offset unit. `auto` (default): per result, whichever of code
   * points (current Label Studio) or UTF-16 units (older versions) makes
   * `value.text` match, code points when there is no `value.text`.
   */
  labelStudioOffsets?: 'auto' | 'codepoint' | 'utf16';
}

export interface ImportResult {
  documents: ImportedDocument[];
  /** Problems not tied to one document (unreadable file, unpaired brat file…). */
  problems: string[];
}

export function importAnnotations(format: ImportFormat, files: ImportInputFile[], opts: ImportOptions = {}): ImportResult {
  switch (format) {
    case 'jsonl':
      return importJsonl(files);
    case 'brat':
      return importBrat(files);
    case 'labelstudio':
      return importLabelStudio(files, opts.labelStudioOffsets ?? 'auto');
    case 'conll':
      return importConll(files, opts.scheme ?? 'auto');
    default: {
      const never: never = format;
      return { documents: [], problems: [`unknown import format ${String(never)}`] };
    }
  }
}
