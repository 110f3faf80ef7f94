/**
 * The one place where the extension's protocol is declared: command ids,
 * diagnostic codes, custom requests, the sidecar file format and the shapes
 * carried in diagnostic `data`. Imported by the server, the client, the CLI
 * and the tests, so a rename here is a compile error everywhere it matters.
 *
 * This module must stay free of runtime imports (no vscode, no LSP library,
 * no node built-ins): the client bundles it too.
 */

/** `Diagnostic.source` of everything this product reports. */
export const PRODUCT_NAME = 'News Corpus Annotator';
/** Language id of the documents the extension serves (plain-text articles). */
export const LANGUAGE_ID = 'news-article';
/**
 * A workspace folder holding this folder is a corpus the extension serves (opt-in: made by the
 * client's Annotate This Folder; the adapted tagger of Learn from Annotations is kept in it too).
 */
export const CORPUS_MARKER_DIR = '.news-annotator';
/** Sidecar file of `dir/article.txt` is `dir/article.txt` + this suffix. */
export const SIDECAR_SUFFIX = '.ann.json';
/** Sidecar schema version this build reads and writes. */
export const SIDECAR_VERSION = 1;

export const DEFAULT_LABELS = ['PER', 'ORG', 'LOC', 'MISC'] as const;

/** `Diagnostic.code` values. */
export const DiagnosticCode = {
  /** An entity candidate that the user has not decided on yet. */
  entity: 'entity',
  /** A line or block that is not article text. */
  boilerplate: 'boilerplate',
  /** The sidecar exists but cannot be used (damaged, newer schema, …). */
  sidecarError: 'sidecar-error',
  /** The document was refused (binary, too large, invalid UTF-8). */
  inputRefused: 'input-refused',
  /** An input oddity that is handled but worth knowing (bidi controls, BOM, …). */
  inputNotice: 'input-notice',
  /** A stored annotation whose text could no longer be found. */
  orphan: 'orphan',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/**
 * Server-side commands (`workspace/executeCommand`). Every argument list is a
 * single object, typed below, so other LSP editors can call them too.
 */
export const Command = {
  /** Accept a suggestion (entity or boilerplate) as it is, or with another label. */
  accept: 'newsAnnotator.accept',
  /** Reject a suggestion: the same span is never suggested again in this document. */
  reject: 'newsAnnotator.reject',
  /** Annotate every identical mention of a text in the document with a label. */
  annotateAll: 'newsAnnotator.annotateAll',
  /** Annotate an arbitrary range (a user selection) as an entity. */
  annotateRange: 'newsAnnotator.annotateRange',
  /** Mark a range as boilerplate (category given), overriding detectors. */
  markBoilerplate: 'newsAnnotator.markBoilerplate',
  /** Mark a range as article text (not boilerplate), overriding detectors. */
  unmarkBoilerplate: 'newsAnnotator.unmarkBoilerplate',
  /** Remove a stored annotation by id (accepted or rejected). */
  removeAnnotation: 'newsAnnotator.removeAnnotation',
  /** Re-attach an orphaned annotation to a range the user selected. */
  reattach: 'newsAnnotator.reattach',
  /** Apply a boilerplate decision to the same block in every document of the corpus. */
  applyEverywhere: 'newsAnnotator.applyEverywhere',
  /** Export one document or the whole workspace. */
  export: 'newsAnnotator.export',
  /** Adapt the entity tagger to the workspace's accepted annotations. */
  learn: 'newsAnnotator.learn',
} as const;
export type Command = (typeof Command)[keyof typeof Command];

/** Client-side command ids (contributed in package.json). */
export const ClientCommand = {
  /** Opt a workspace folder in: creates its CORPUS_MARKER_DIR and starts the server. */
  annotateFolder: 'newsAnnotator.annotateFolder',
  annotateSelection: 'newsAnnotator.annotateSelection',
  exportAnnotations: 'newsAnnotator.exportAnnotations',
  showEntities: 'newsAnnotator.showEntities',
  refreshEntities: 'newsAnnotator.refreshEntities',
  learnFromAnnotations: 'newsAnnotator.learnFromAnnotations',
} as const;

/**
 * `initializationOptions` the VS Code client sends. Other editors may send their settings object
 * there instead (see the README); every field here is optional and its absence means the default.
 */
export interface InitializationOptions {
  /**
   * false in a workspace the user has not trusted (VS Code's Restricted Mode): the server then
   * loads no tagger model from the workspace (neither `entities.modelPath` nor the adapted model)
   * and takes no cue patterns (`boilerplate.extraCues`) from the settings. Absent: trusted.
   */
  trusted?: boolean;
  /**
   * The workspace folders (URIs) that are corpora. The server indexes, exports and learns from
   * these only, not every folder of the workspace. Absent: every workspace folder.
   */
  corpusFolders?: string[];
}

/** Custom requests (method names). */
export const Request = {
  /** Stored annotations of one document, with LSP ranges, for decorations. */
  documentAnnotations: 'newsAnnotator/documentAnnotations',
  /** Entities of the whole workspace grouped by label, for the tree view. */
  workspaceEntities: 'newsAnnotator/workspaceEntities',
} as const;

/** Custom notifications (server → client). */
export const Notification = {
  /** A document's stored annotations changed; the client re-decorates. */
  annotationsChanged: 'newsAnnotator/annotationsChanged',
} as const;

// ---------------------------------------------------------------------------
// Sidecar format (JSON Schema: schema/sidecar.schema.json)

export type AnnotationKind = 'entity' | 'boilerplate';
export type AnnotationStatus = 'accepted' | 'rejected';

export interface SidecarAnnotation {
  /** Stable id, unique within the sidecar. */
  id: string;
  kind: AnnotationKind;
  /** Entity label (kind = entity). */
  label?: string;
  /** Boilerplate category (kind = boilerplate); `none` marks text as article (not boilerplate). */
  category?: string;
  /** Unicode code point offsets into the document text, end exclusive. */
  start: number;
  end: number;
  /** Exact covered text, for re-anchoring and for verification. */
  text: string;
  /** Up to 32 code points before and after, for re-anchoring after edits. */
  prefix: string;
  suffix: string;
  status: AnnotationStatus;
  /** `user`, or the detector that proposed it (e.g. `gazetteer`, `tagger`, `rules`). */
  source: string;
  /** Detector confidence in [0,1] at the time of the decision, when known. */
  confidence?: number;
  /** ISO 8601 timestamps. */
  created: string;
  modified: string;
  /** Free-form note from the annotator. */
  note?: string;
  /**
   * Set when the text could not be found again after the document changed:
   * the annotation is kept (never dropped) until the user re-attaches or deletes it.
   */
  orphaned?: boolean;
}

export interface Sidecar {
  version: number;
  document: {
    /** File name relative to the sidecar's folder. */
    path: string;
    /** SHA-256 (hex) of the document text encoded as UTF-8, without BOM. */
    sha256: string;
    /** Length of the text in code points, for a quick consistency check. */
    length?: number;
  };
  /** Unit of every `start`/`end`: Unicode code points, end exclusive. */
  offsets: 'codepoint';
  annotations: SidecarAnnotation[];
}

// ---------------------------------------------------------------------------
// Diagnostic `data` payloads

export interface EntityDiagnosticData {
  kind: 'entity';
  label: string;
  /** Normalised (folded) form used for matching across mentions and documents. */
  normalized: string;
  confidence: number;
  /** Which detector(s) proposed it: `gazetteer`, `tagger`, `trigger`, `dictionary`, `compromise`… */
  source: string;
  /** Code point offsets of the span. */
  start: number;
  end: number;
  text: string;
}

export interface BoilerplateDiagnosticData {
  kind: 'boilerplate';
  category: string;
  /** Short human-readable reason: which signals fired. */
  reason: string;
  confidence: number;
  start: number;
  end: number;
  text: string;
}

// ---------------------------------------------------------------------------
// Command arguments

/** Position-free span reference: code point offsets plus the text expected there. */
export interface SpanRef {
  uri: string;
  start: number;
  end: number;
  text: string;
}

export interface AcceptArgs extends SpanRef {
  kind: AnnotationKind;
  label?: string;
  category?: string;
  source?: string;
  confidence?: number;
}
export interface RejectArgs extends SpanRef {
  kind: AnnotationKind;
  label?: string;
  category?: string;
  source?: string;
}
export interface AnnotateAllArgs {
  uri: string;
  text: string;
  label: string;
}
export interface AnnotateRangeArgs {
  uri: string;
  /** LSP range (UTF-16), as a selection arrives from an editor. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  label: string;
}
export interface MarkBoilerplateArgs extends SpanRef {
  category?: string;
}
export interface RemoveAnnotationArgs {
  uri: string;
  id: string;
}
export interface ReattachArgs {
  uri: string;
  id: string;
  range: AnnotateRangeArgs['range'];
}
export interface ApplyEverywhereArgs {
  /** The block's text as it appears in the document the user decided in. */
  text: string;
  /** true: boilerplate in every document; false: article text in every document. */
  boilerplate: boolean;
  category?: string;
}
export interface ApplyEverywhereResult {
  documents: number;
  annotations: number;
}
export interface LearnResult {
  documents: number;
  annotations: number;
  /** Entity F1 of the adapted tagger on the user's annotations set aside for checking, before and after. */
  before?: number;
  after?: number;
}

export type ExportFormat = 'jsonl' | 'conll' | 'brat' | 'w3c' | 'text' | 'labelstudio' | 'spacy';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'conll', 'brat', 'w3c', 'text', 'labelstudio', 'spacy'];
export type ConllScheme = 'iob2' | 'iob1' | 'bioes';

export interface ExportArgs {
  format: ExportFormat;
  /** One document, or omitted for the whole workspace. */
  uri?: string;
  /** Output folder (file system path); default: `<workspace>/annotations-export`. */
  outDir?: string;
  scheme?: ConllScheme;
  /** Include unreviewed suggestions as well as accepted annotations. */
  includeSuggestions?: boolean;
}
export interface ExportResult {
  files: string[];
  documents: number;
  annotations: number;
}

// ---------------------------------------------------------------------------
// Custom request payloads

export interface DocumentAnnotationsParams {
  uri: string;
}
export interface DocumentAnnotation {
  id: string;
  kind: AnnotationKind;
  label?: string;
  category?: string;
  status: AnnotationStatus;
  text: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
export interface DocumentAnnotationsResult {
  uri: string;
  annotations: DocumentAnnotation[];
  counts: { accepted: number; rejected: number; suggestions: number; boilerplate: number };
}

export interface WorkspaceEntity {
  label: string;
  normalized: string;
  text: string;
  count: number;
  documents: { uri: string; count: number }[];
}
export interface WorkspaceEntitiesResult {
  entities: WorkspaceEntity[];
}
