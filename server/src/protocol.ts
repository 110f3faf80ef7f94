/**
 * The one place where the extension's protocol is declared: command ids,
 * diagnostic codes, custom requests, the sidecar file format and the shapes
 * carried in diagnostic `data`. Imported by the server, the client, the CLI
 * and the tests, so a rename here is a compile error everywhere it matters.
 *
 * This module must stay free of runtime imports (no vscode, no LSP library,
 * no node built-ins): the client bundles it too. Its only import is the
 * equally import-free shape language that declares argument shapes.
 */
import { anyOf, array, bool, int, nullable, num, object, oneOf, optional, record, str, type Same, type Shape } from './protocolShapes';

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

/**
 * Annotator names (the `newsAnnotator.annotator` setting, `--annotators`):
 * they become part of a file name, so only ASCII letters, digits, `_` and `-`.
 */
export const ANNOTATOR_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * The layer of annotator `a` for `dir/article.txt` is `dir/article.txt` +
 * `layerSuffix(a)` = `dir/article.txt.ann.<a>.json`: one file per annotator,
 * so annotators never edit the same file and their git branches merge cleanly.
 * `article.txt.ann.json` (SIDECAR_SUFFIX) is then the adjudicated (gold) layer.
 * Throws RangeError on a name that does not match ANNOTATOR_NAME_PATTERN.
 */
export function layerSuffix(annotator: string): string {
  if (!ANNOTATOR_NAME_PATTERN.test(annotator))
    throw new RangeError(`invalid annotator name ${JSON.stringify(annotator)}: use letters, digits, "_" and "-" only`);
  return `.ann.${annotator}.json`;
}

export const DEFAULT_LABELS = ['PER', 'ORG', 'LOC', 'MISC'] as const;

/**
 * The team's label schema, relative to the first workspace folder (JSON
 * Schema: schema/labels.schema.json). When it is absent or unusable the
 * `newsAnnotator.labels` setting is the fallback.
 */
export const LABEL_SCHEMA_PATH = '.news-annotator/labels.json';
/** The built-in document tag that leaves a document out of exports (unless asked). */
export const EXCLUDE_TAG = 'exclude';

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
  /** An accepted name whose label differs from the label most of the corpus gives it. */
  inconsistentLabel: 'inconsistent-label',
  /** A setting that was refused (reported on the workspace's first open document). */
  settings: 'settings',
  /**
   * While a document is adjudicated: a span (or a group of overlapping spans)
   * on which the annotators' layers differ and that the adjudicated sidecar
   * does not decide yet. `data` is a DisagreementData.
   */
  disagreement: 'disagreement',
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
  /** Set a document's review status (`done` = Mark Document Done). */
  setReviewStatus: 'newsAnnotator.setReviewStatus',
  /** Accept every open suggestion of a document at or above a confidence, in one decision. */
  acceptAll: 'newsAnnotator.acceptAll',
  /** Reject every open suggestion of a document, in one decision. */
  rejectAll: 'newsAnnotator.rejectAll',
  /** Accept (with a label) or reject a list of mentions across the corpus, in one batch (after a preview). */
  applyMentions: 'newsAnnotator.applyMentions',
  /** Change the label of every accepted mention of a name across the corpus (consistency fix). */
  relabelName: 'newsAnnotator.relabelName',
  /** Revert the last decision batch (one accept, or a corpus-wide batch), writing the sidecars back safely. */
  undo: 'newsAnnotator.undo',
  /** Re-apply the last undone batch. */
  redo: 'newsAnnotator.redo',
  /** Set (or, with null, remove) document tags, checked against the label schema. */
  setTags: 'newsAnnotator.setTags',
  /** Rename labels or boilerplate categories in every sidecar of the corpus, in one undoable batch. */
  migrateLabels: 'newsAnnotator.migrateLabels',
  /**
   * Adjudicate a document: it is then edited in the adjudicated sidecar, the
   * spans on which every annotator agrees are written there at once (one
   * undoable batch) and the rest are shown as `disagreement` diagnostics.
   */
  adjudicate: 'newsAnnotator.adjudicate',
  /** Leave adjudication: the document goes back to the layer of `newsAnnotator.annotator`. */
  stopAdjudicating: 'newsAnnotator.stopAdjudicating',
  /** Resolve one disagreement: take one annotator's reading, several (when they do not overlap), or reject every reading. */
  resolveDisagreement: 'newsAnnotator.resolveDisagreement',
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
  acceptSuggestion: 'newsAnnotator.acceptSuggestion',
  rejectSuggestion: 'newsAnnotator.rejectSuggestion',
  acceptAsLabel: 'newsAnnotator.acceptAsLabel',
  nextSuggestion: 'newsAnnotator.nextSuggestion',
  previousSuggestion: 'newsAnnotator.previousSuggestion',
  acceptAllInDocument: 'newsAnnotator.acceptAllInDocument',
  rejectAllInDocument: 'newsAnnotator.rejectAllInDocument',
  markDocumentDone: 'newsAnnotator.markDocumentDone',
  nextDocument: 'newsAnnotator.nextDocument',
  markDoneAndOpenNext: 'newsAnnotator.markDoneAndOpenNext',
  annotateAllInWorkspace: 'newsAnnotator.annotateAllInWorkspace',
  rejectEverywhere: 'newsAnnotator.rejectEverywhere',
  undoAnnotation: 'newsAnnotator.undoAnnotation',
  redoAnnotation: 'newsAnnotator.redoAnnotation',
  toggleReviewMode: 'newsAnnotator.toggleReviewMode',
  refreshReviewQueue: 'newsAnnotator.refreshReviewQueue',
  openQueueDocument: 'newsAnnotator.openQueueDocument',
  openAnnotationView: 'newsAnnotator.openAnnotationView',
  openGuidelines: 'newsAnnotator.openGuidelines',
  setDocumentTags: 'newsAnnotator.setDocumentTags',
  filterByTag: 'newsAnnotator.filterByTag',
  clearTagFilter: 'newsAnnotator.clearTagFilter',
  migrateLabels: 'newsAnnotator.migrateRenamedLabels',
  acceptAsLabelKey: 'newsAnnotator.acceptAsLabelKey',
  adjudicateDocument: 'newsAnnotator.adjudicateDocument',
  stopAdjudicating: 'newsAnnotator.stopAdjudicatingDocument',
  showAgreement: 'newsAnnotator.showAgreement',
  refreshAgreement: 'newsAnnotator.refreshAgreement',
  agreementAllDocuments: 'newsAnnotator.agreementAllDocuments',
  agreementDoneDocuments: 'newsAnnotator.agreementDoneDocuments',
  queueAdjudicationMode: 'newsAnnotator.queueAdjudicationMode',
  queueReviewMode: 'newsAnnotator.queueReviewMode',
  /** Cancels every running corpus-wide command (client/src/stoppable.ts), as their notifications' Cancel does. */
  stopCorpusCommand: 'newsAnnotator.stopCorpusCommand',
} as const;

/**
 * A custom request, typed: method name plus (phantom) parameter and result
 * types, so `connection.onRequest` and `client.sendRequest` are type-checked
 * against the same declaration (as vscode-eslint's customMessages.ts and
 * rust-analyzer's lsp_ext.ts do).
 */
export interface RequestDef<P, R> {
  readonly method: string;
  readonly __types?: [P, R];
}
export type ParamsOf<D> = D extends RequestDef<infer P, unknown> ? P : never;
export type ResultOf<D> = D extends RequestDef<unknown, infer R> ? R : never;
/** A custom notification, typed the same way. */
export interface NotificationDef<P> {
  readonly method: string;
  readonly __params?: P;
}
const request = <P, R>(method: string): RequestDef<P, R> => ({ method });
const notification = <P>(method: string): NotificationDef<P> => ({ method });

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
  /**
   * A folder of the editor's own (VS Code: the extension's workspace storage) where the server
   * keeps its cache of document summaries, so a restart reads only the files that changed, when
   * the first corpus folder has no `.news-annotator/` folder (with one, the cache goes to its
   * `cache/`). Absent: no cache there (the server never adds folders to a corpus unasked).
   */
  cacheFolder?: string;
}

/** Custom requests (client → server). */
export const Request = {
  /** Stored annotations of one document, with LSP ranges, for decorations. */
  documentAnnotations: request<DocumentAnnotationsParams, DocumentAnnotationsResult | null>('newsAnnotator/documentAnnotations'),
  /** Entities of the whole workspace grouped by label, for the tree view. */
  workspaceEntities: request<WorkspaceEntitiesParams, WorkspaceEntitiesResult>('newsAnnotator/workspaceEntities'),
  /** The documents still to review, most in need of a human first, then the done ones; with corpus progress. */
  reviewQueue: request<ReviewQueueParams, ReviewQueueResult>('newsAnnotator/reviewQueue'),
  /** Every mention of a name across the corpus (Arabic-normalised, whole words), for a preview before a corpus-wide decision. */
  findMentions: request<FindMentionsParams, FindMentionsResult>('newsAnnotator/findMentions'),
  /** The label schema in force (labels.json, else the settings), with colours, keys, descriptions and tags. */
  labelSchema: request<Record<string, never>, LabelSchema>('newsAnnotator/labelSchema'),
  /** One document laid out for the annotation view: paragraphs with their direction, annotations and suggestions. */
  documentView: request<DocumentViewParams, DocumentViewResult | null>('newsAnnotator/documentView'),
  /** What a label migration would change (labels or categories renamed in the schema), before it runs. */
  labelMigration: request<LabelMigrationParams, LabelMigrationPreview>('newsAnnotator/labelMigration'),
  /** Inter-annotator agreement over the workspace's annotator layers: the figures of `news-annotator agree --json`. */
  agreement: request<AgreementParams, AgreementResult>('newsAnnotator/agreement'),
} as const;

/** Custom notifications (server → client). */
export const Notification = {
  /**
   * The next diagnostics of this document are partial: its stored annotations and the boilerplate
   * flags, published at once when the tagger's data are still loading (the first analysis after the
   * server starts); the entity suggestions follow in a later publication.
   */
  suggestionsPending: notification<{ uri: string }>('newsAnnotator/suggestionsPending'),
  /** A document's stored annotations changed; the client re-decorates. */
  annotationsChanged: notification<{ uri: string }>('newsAnnotator/annotationsChanged'),
  /** Review statuses, open suggestions or the corpus index changed; the client refreshes the queue and progress. */
  queueChanged: notification<Record<string, never>>('newsAnnotator/queueChanged'),
  /** The label schema in force changed (labels.json edited, settings changed); the client re-reads it. */
  labelSchemaChanged: notification<Record<string, never>>('newsAnnotator/labelSchemaChanged'),
  /** An annotator's layer changed on disk (a colleague's work arrived, a layer was written): agreement figures may have changed. */
  layersChanged: notification<Record<string, never>>('newsAnnotator/layersChanged'),
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

/**
 * Where a document stands in the review (of an annotator, in their layer, or
 * of the adjudicator, in the gold sidecar): no decision yet, some decisions,
 * or reviewed.
 */
export type ReviewStatus = 'todo' | 'in-progress' | 'done';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['todo', 'in-progress', 'done'];

export interface ReviewState {
  status: ReviewStatus;
  /** ISO 8601 time of the last status change (written by this tool; optional when read). */
  modified?: string;
}
/** The `review` object of a sidecar (the same as ReviewState). */
export type SidecarReview = ReviewState;

export interface Sidecar {
  version: number;
  /**
   * Set in an annotator's layer (`article.txt.ann.<annotator>.json`) and equal
   * to the name in its file name; absent in the adjudicated sidecar.
   */
  annotator?: string;
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
  /** The document's review state in this layer; absent means `todo` (sidecars written before it existed). */
  review?: ReviewState;
  /** Document-level annotations (topic, genre, exclude, …), keys and values declared in the label schema. */
  tags?: DocumentTags;
  annotations: SidecarAnnotation[];
}

/**
 * A document tag's value: one of the declared values (`"genre": "news"`),
 * several (`"topic": ["politics", "economy"]`), a flag (`"exclude": true`)
 * or free text (`"note": "…"`).
 */
export type TagValue = string | string[] | boolean;
export type DocumentTags = Record<string, TagValue>;
/** Bounds on tags (in sidecars and in commands). */
export const TAG_LIMITS = { keys: 64, keyLength: 40, values: 64, valueLength: 200, textLength: 2000 } as const;
/** A tag key or declared value: letters of any script, digits, `_ - . :` and spaces inside. */
export const TAG_KEY_PATTERN = /^[\p{L}\p{N}_\-.:]+$/u;

// ---------------------------------------------------------------------------
// Label schema (.news-annotator/labels.json, resolved with the settings as fallback)

/** A colour for light and for dark themes (`#rgb`, `#rrggbb` or `#rrggbbaa`). */
export interface ThemedColor {
  light: string;
  dark: string;
}

export interface LabelDefinition {
  name: string;
  description?: string;
  color: ThemedColor;
  /** The one-key shortcut (a lower-case letter or digit) in Review Mode, the label picker and the annotation view. */
  key?: string;
  examples?: string[];
  /** A broader label this one refines (`GPE` under `LOC`): editors without our colours show it as the parent's family. */
  parent?: string;
  /** Names this label had before (a rename): Migrate Renamed Labels rewrites them in every sidecar. */
  renamedFrom?: string[];
}

/** A boilerplate category, described the same way as a label. */
export type CategoryDefinition = LabelDefinition;

export type TagType = 'single' | 'multiple' | 'boolean' | 'text';

export interface TagValueDefinition {
  name: string;
  description?: string;
}

export interface TagDefinition {
  name: string;
  description?: string;
  /** single: one of `values`; multiple: any of them; boolean: true/false; text: free text. */
  type: TagType;
  values: TagValueDefinition[];
}

export interface LabelSchema {
  /** `file`: read from LABEL_SCHEMA_PATH; `settings`: built from newsAnnotator.labels (no file, or a file with no usable label). */
  source: 'file' | 'settings';
  /** The labels.json file it was read from (absolute path), when source is `file`. */
  file?: string;
  labels: LabelDefinition[];
  boilerplate: CategoryDefinition[];
  /** Declared document tags; `exclude` (boolean) is always there. */
  tags: TagDefinition[];
  /** The guidelines Markdown file (absolute path), when the schema names one. */
  guidelines?: string;
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

export interface InconsistentLabelData {
  kind: 'inconsistent-label';
  /** Id of the accepted annotation that carries the minority label. */
  id: string;
  /** The name as written here, and its normalised form (what the corpus compares). */
  name: string;
  normalized: string;
  /** Its label here, and the label most accepted mentions carry. */
  label: string;
  majority: string;
  /** Accepted mentions and documents per label across the corpus. */
  counts: Record<string, { mentions: number; documents: number }>;
}

/** One annotator's spans inside a disagreement (none: the annotator marked nothing there). */
export interface DisagreementReading {
  annotator: string;
  spans: DisagreementSpan[];
}
export interface DisagreementSpan {
  /** Code point offsets. */
  start: number;
  end: number;
  text: string;
  /** The entity label (entities) or the boilerplate category (boilerplate). */
  label: string;
}

export interface DisagreementData {
  kind: 'disagreement';
  /** Entities and boilerplate disagree separately (an entity never conflicts with a boilerplate block). */
  annotationKind: AnnotationKind;
  /** Code point extent of the group of overlapping spans. */
  start: number;
  end: number;
  text: string;
  /** Every annotator taking part, by name, with what they marked inside the extent. */
  readings: DisagreementReading[];
}

// ---------------------------------------------------------------------------
// Command arguments: each declared as a TypeScript type (documented) and as a
// shape the server checks every call against (protocolShapes.ts). A `Same<…>`
// line keeps the two in agreement at compile time.

/** Bounds on what a command may carry (a name, a block of text, a document URI). */
export const ARG_LIMITS = { uri: 8192, text: 1_000_000, label: 40, id: 100, mentions: 100_000, annotator: 100, annotators: 100 } as const;

const uriShape = str(ARG_LIMITS.uri, 1);
const textShape = str(ARG_LIMITS.text, 1);
const labelShape = str(ARG_LIMITS.label, 1);
const positionShape = object({ line: int(), character: int() });
const rangeShape = object({ start: positionShape, end: positionShape });
const kindShape = oneOf<AnnotationKind>(['entity', 'boilerplate']);
const tagValueShape = anyOf<TagValue>([str(TAG_LIMITS.textLength), bool, array(str(TAG_LIMITS.valueLength, 1), TAG_LIMITS.values)]);
/** A name as ANNOTATOR_NAME_PATTERN allows (checked again by the handlers, which name the pattern). */
const annotatorShape = str(ARG_LIMITS.annotator, 1);

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
/** An LSP range (UTF-16 positions), as a selection arrives from an editor. */
export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export interface AnnotateRangeArgs {
  uri: string;
  range: LspRange;
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
  range: LspRange;
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
  /** Labels the tagger did not know and has now learned (enough accepted examples). */
  learnedLabels?: string[];
  /** Labels still too rare to learn (or no room left in the tagger): suggested from the dictionary of accepted names only. */
  notYetLearned?: { label: string; mentions: number; needed: number }[];
  /** The user stopped it: the tagger in use, and the one saved in the workspace, are unchanged. */
  cancelled?: true;
}

export type ExportFormat = 'jsonl' | 'conll' | 'brat' | 'w3c' | 'text' | 'labelstudio' | 'spacy';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'conll', 'brat', 'w3c', 'text', 'labelstudio', 'spacy'];
export type ConllScheme = 'iob2' | 'iob1' | 'bioes';
export const CONLL_SCHEMES: readonly ConllScheme[] = ['iob2', 'iob1', 'bioes'];

export interface ExportArgs {
  format: ExportFormat;
  /** One document, or omitted for the whole workspace. */
  uri?: string;
  /** Output folder (file system path); default: `<workspace>/annotations-export`. */
  outDir?: string;
  scheme?: ConllScheme;
  /** Include unreviewed suggestions as well as accepted annotations. */
  includeSuggestions?: boolean;
  /** Export the other documents when some sidecars are damaged (they are named in the result) instead of failing. */
  skipDamaged?: boolean;
  /** Also export documents tagged `exclude: true` (left out by default). */
  includeExcluded?: boolean;
  /** Export this annotator's layer (`article.txt.ann.<annotator>.json`); default: the layer the user works in. */
  annotator?: string;
}
export interface ExportResult {
  files: string[];
  documents: number;
  annotations: number;
  /** Documents left out because they are tagged `exclude: true`. */
  excluded?: number;
  /** Documents left out (unreadable text, damaged sidecar with skipDamaged), each with the reason. */
  skipped?: { file: string; reason: string }[];
  /** The export was cancelled: the files hold the documents exported before (`documents` of them). */
  cancelled?: true;
}

export interface SetReviewStatusArgs {
  uri: string;
  status: ReviewStatus;
}
export interface AcceptAllArgs {
  uri: string;
  /** Only suggestions at or above this confidence (default 0). */
  minConfidence?: number;
  /** Which suggestions (default: entities). */
  kind?: AnnotationKind;
}
export interface RejectAllArgs {
  uri: string;
  /** Which suggestions (default: entities; for boilerplate, "reject" keeps the text as article text). */
  kind?: AnnotationKind;
}
/** One mention of a corpus-wide decision, as the preview showed it. */
export interface MentionRef {
  uri: string;
  start: number;
  end: number;
  text: string;
}
export interface ApplyMentionsArgs {
  action: 'accept' | 'reject';
  /** Accept: the label to give; reject: the label rejected (omitted: every label). */
  label?: string;
  mentions: MentionRef[];
}
export interface RelabelNameArgs {
  /** A mention of the name (normalised the same way as the consistency check). */
  text: string;
  /** Relabel accepted mentions that carry this label… */
  from: string;
  /** …to this one. */
  to: string;
  /** Only in this document (default: every document of the corpus). */
  uri?: string;
}
export interface SetTagsArgs {
  uri: string;
  /** Tags to set; a null value removes the tag. Other tags of the document are kept. */
  tags: Record<string, TagValue | null>;
}
/** One rename: every `from` of a kind becomes `to`. */
export interface LabelRename {
  kind: AnnotationKind;
  from: string;
  to: string;
}
export interface MigrateLabelsArgs {
  renames: LabelRename[];
}
/** What a decision batch wrote (and what undo/redo reverts or re-applies). */
export interface BatchResult {
  /** Number of the batch on the undo stack, or null when nothing changed. */
  batch: number | null;
  documents: number;
  annotations: number;
  /**
   * Documents left out (unreadable, a damaged sidecar, a mention no longer at its place), then
   * those whose sidecar could not be written (a read-only folder), each with the reason.
   */
  failed?: { uri: string; reason: string }[];
  /**
   * The user stopped a corpus-wide decision (Apply Everywhere, every mention of a name, a
   * corpus-wide relabelling) part-way: `documents` were written before it stopped, and they
   * are this batch, undone in one step; the others were not touched.
   */
  cancelled?: true;
}
export interface UndoResult extends BatchResult {
  /** What was undone or redone ("Accept إيران as LOC", "Annotate 212 mentions…"), or null when the stack was empty. */
  description: string | null;
}
export interface LearnArgs {
  /**
   * Also learn from the other layers of each document (the annotators' layers,
   * and the adjudicated one when you annotate in your own layer); default: the
   * setting `newsAnnotator.learn.includeAnnotatorLayers`.
   */
  includeAnnotatorLayers?: boolean;
}

export interface AdjudicateArgs {
  uri: string;
  /** Only these annotators' layers take part (default: every readable layer of the document). */
  annotators?: string[];
}
export interface AdjudicateResult extends BatchResult {
  /** The annotators whose layers take part, sorted. */
  annotators: string[];
  /** Of those: the ones who have not marked the document done in their layer. */
  notDone: string[];
  /** Layers left out (damaged, written by a newer version), with the reason. */
  skipped: { annotator: string; reason: string }[];
  /** Spans on which every annotator agrees that were written to the adjudicated sidecar now. */
  agreed: number;
  /** Disagreements the adjudicated sidecar does not decide yet. */
  disagreements: number;
  /** The adjudicated review status after the command. */
  review: ReviewStatus;
}
export interface StopAdjudicatingArgs {
  uri: string;
}
export interface ResolveDisagreementArgs {
  uri: string;
  annotationKind: AnnotationKind;
  /** The disagreement's extent (code points), as its diagnostic data gives it. */
  start: number;
  end: number;
  /**
   * `take`: the readings of `annotators` (one annotator: "Take alice's"; several:
   * "Take both", refused where their spans overlap); `reject-all`: every span of
   * every reading is rejected in the adjudicated sidecar.
   */
  action: 'take' | 'reject-all';
  annotators?: string[];
}
export interface ResolveDisagreementResult extends BatchResult {
  /** Disagreements of the document still open after this one. */
  remaining: number;
  review: ReviewStatus;
}

/** Every server command: its argument shape (checked at the door) and, in `CommandTypes`, its result. */
export const COMMAND_ARGS = {
  [Command.accept]: object({ uri: uriShape, start: int(), end: int(), text: textShape, kind: kindShape, label: optional(labelShape), category: optional(labelShape), source: optional(str(200)), confidence: optional(num(0, 1)) }),
  [Command.reject]: object({ uri: uriShape, start: int(), end: int(), text: textShape, kind: kindShape, label: optional(labelShape), category: optional(labelShape), source: optional(str(200)) }),
  [Command.annotateAll]: object({ uri: uriShape, text: textShape, label: labelShape }),
  [Command.annotateRange]: object({ uri: uriShape, range: rangeShape, label: labelShape }),
  [Command.markBoilerplate]: object({ uri: uriShape, start: int(), end: int(), text: textShape, category: optional(labelShape) }),
  [Command.unmarkBoilerplate]: object({ uri: uriShape, start: int(), end: int(), text: textShape, category: optional(labelShape) }),
  [Command.removeAnnotation]: object({ uri: uriShape, id: str(ARG_LIMITS.id, 1) }),
  [Command.reattach]: object({ uri: uriShape, id: str(ARG_LIMITS.id, 1), range: rangeShape }),
  [Command.applyEverywhere]: object({ text: textShape, boilerplate: bool, category: optional(labelShape) }),
  [Command.export]: object({
    format: oneOf(EXPORT_FORMATS),
    uri: optional(uriShape),
    outDir: optional(str(4096, 1)),
    scheme: optional(oneOf(CONLL_SCHEMES)),
    includeSuggestions: optional(bool),
    skipDamaged: optional(bool),
    includeExcluded: optional(bool),
    annotator: optional(annotatorShape),
  }),
  [Command.learn]: optional(object({ includeAnnotatorLayers: optional(bool) })),
  [Command.setReviewStatus]: object({ uri: uriShape, status: oneOf(REVIEW_STATUSES) }),
  [Command.acceptAll]: object({ uri: uriShape, minConfidence: optional(num(0, 1)), kind: optional(kindShape) }),
  [Command.rejectAll]: object({ uri: uriShape, kind: optional(kindShape) }),
  [Command.applyMentions]: object({
    action: oneOf(['accept', 'reject'] as const),
    label: optional(labelShape),
    mentions: array(object({ uri: uriShape, start: int(), end: int(), text: textShape }), ARG_LIMITS.mentions),
  }),
  [Command.relabelName]: object({ text: textShape, from: labelShape, to: labelShape, uri: optional(uriShape) }),
  [Command.undo]: optional(object({})),
  [Command.redo]: optional(object({})),
  [Command.setTags]: object({ uri: uriShape, tags: record(nullable(tagValueShape), TAG_LIMITS.keys) }),
  [Command.migrateLabels]: object({ renames: array(object({ kind: kindShape, from: labelShape, to: labelShape }), 200) }),
  [Command.adjudicate]: object({ uri: uriShape, annotators: optional(array(annotatorShape, ARG_LIMITS.annotators)) }),
  [Command.stopAdjudicating]: object({ uri: uriShape }),
  [Command.resolveDisagreement]: object({
    uri: uriShape,
    annotationKind: kindShape,
    start: int(),
    end: int(),
    action: oneOf(['take', 'reject-all'] as const),
    annotators: optional(array(annotatorShape, ARG_LIMITS.annotators)),
  }),
} satisfies Record<Command, Shape<unknown>>;

/** The argument of commands that take none (editors may pass an empty object). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type NoArgs = {} | undefined;

/** Argument and result type of each server command. */
export interface CommandTypes {
  [Command.accept]: [AcceptArgs, SidecarAnnotation];
  [Command.reject]: [RejectArgs, SidecarAnnotation];
  [Command.annotateAll]: [AnnotateAllArgs, BatchResult];
  [Command.annotateRange]: [AnnotateRangeArgs, SidecarAnnotation];
  [Command.markBoilerplate]: [MarkBoilerplateArgs, SidecarAnnotation];
  [Command.unmarkBoilerplate]: [MarkBoilerplateArgs, SidecarAnnotation];
  [Command.removeAnnotation]: [RemoveAnnotationArgs, { removed: boolean }];
  [Command.reattach]: [ReattachArgs, SidecarAnnotation];
  [Command.applyEverywhere]: [ApplyEverywhereArgs, ApplyEverywhereResult & BatchResult];
  [Command.export]: [ExportArgs, ExportResult];
  [Command.learn]: [LearnArgs | undefined, LearnResult];
  [Command.setReviewStatus]: [SetReviewStatusArgs, ReviewState];
  [Command.acceptAll]: [AcceptAllArgs, BatchResult];
  [Command.rejectAll]: [RejectAllArgs, BatchResult];
  [Command.applyMentions]: [ApplyMentionsArgs, BatchResult];
  [Command.relabelName]: [RelabelNameArgs, BatchResult];
  [Command.undo]: [NoArgs, UndoResult];
  [Command.redo]: [NoArgs, UndoResult];
  [Command.setTags]: [SetTagsArgs, DocumentTags];
  [Command.migrateLabels]: [MigrateLabelsArgs, BatchResult];
  [Command.adjudicate]: [AdjudicateArgs, AdjudicateResult];
  [Command.stopAdjudicating]: [StopAdjudicatingArgs, { adjudicating: false }];
  [Command.resolveDisagreement]: [ResolveDisagreementArgs, ResolveDisagreementResult];
}
export type CommandArgs<C extends Command> = CommandTypes[C][0];
export type CommandResult<C extends Command> = CommandTypes[C][1];

// Compile-time agreement of the declared argument types with their shapes (a mismatch fails `tsc`).
type ShapeOf<C extends Command> = (typeof COMMAND_ARGS)[C] extends Shape<infer T> ? T : never;
const _argsAgree: { [C in Command]: Same<ShapeOf<C>, CommandArgs<C>> } = {
  [Command.accept]: true,
  [Command.reject]: true,
  [Command.annotateAll]: true,
  [Command.annotateRange]: true,
  [Command.markBoilerplate]: true,
  [Command.unmarkBoilerplate]: true,
  [Command.removeAnnotation]: true,
  [Command.reattach]: true,
  [Command.applyEverywhere]: true,
  [Command.export]: true,
  [Command.learn]: true,
  [Command.setReviewStatus]: true,
  [Command.acceptAll]: true,
  [Command.rejectAll]: true,
  [Command.applyMentions]: true,
  [Command.relabelName]: true,
  [Command.undo]: true,
  [Command.redo]: true,
  [Command.setTags]: true,
  [Command.migrateLabels]: true,
  [Command.adjudicate]: true,
  [Command.stopAdjudicating]: true,
  [Command.resolveDisagreement]: true,
};
void _argsAgree;

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
  /** The document's review status (in the layer shown). */
  review: ReviewStatus;
  /** The document's tags (empty when none). */
  tags: DocumentTags;
  /** Whose layer `annotations` are: an annotator's name, or null for the adjudicated sidecar. */
  layer: string | null;
  /** The document is being adjudicated (its disagreements are diagnostics). */
  adjudicating: boolean;
  /** Open disagreements while adjudicating. */
  disagreements: number;
  /**
   * The other layers of the document (accepted annotations only), when
   * `newsAnnotator.showOtherAnnotators` reveals them or the document is
   * adjudicated; absent in blind annotation.
   */
  otherLayers?: OtherLayer[];
}
export interface OtherLayer {
  /** An annotator's name, or null for the adjudicated sidecar (shown to an annotator who asks). */
  annotator: string | null;
  review: ReviewStatus;
  annotations: DocumentAnnotation[];
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

/**
 * Documents whose tags match every entry: a value matches a single or text
 * tag equal to it, a multiple tag holding it, a boolean tag equal to it
 * (a missing boolean tag is false).
 */
export type TagFilter = Record<string, string | boolean>;

export interface WorkspaceEntitiesParams {
  /** Only entities of documents with these tags. */
  tags?: TagFilter;
}
export type QueueMode = 'review' | 'adjudication';
export const QUEUE_MODES: readonly QueueMode[] = ['review', 'adjudication'];

export interface ReviewQueueParams {
  /** At most this many documents (default: all). */
  limit?: number;
  /** Only documents with these tags (progress still counts the whole corpus). */
  tags?: TagFilter;
  /**
   * `review` (default): the documents of the layer you work in, most in need
   * first. `adjudication`: the documents with two or more annotator layers,
   * those with the most open disagreements first; the status is the
   * adjudicated sidecar's.
   */
  mode?: QueueMode;
}
export interface ReviewQueueDocument {
  uri: string;
  status: ReviewStatus;
  /** Open suggestions (entities and boilerplate) the user has not decided on. */
  openSuggestions: number;
  /** Of those: entity suggestions below 0.7 confidence. */
  uncertain: number;
  /** Of those: names never accepted anywhere in the corpus. */
  newNames: number;
  /** Of those: names accepted elsewhere in the corpus and still unannotated here (suggested by the dictionary). */
  fromDictionary: number;
  /** Accepted entity annotations. */
  accepted: number;
  /** What orders the queue: the higher, the more a human is needed. */
  priority: number;
  /**
   * true when the counts are those the editor shows (computed with the whole
   * corpus known); false while the corpus is still being read, when they are
   * the detector's alone.
   */
  exact: boolean;
  /** The document's tags (empty when none). */
  tags: DocumentTags;
  /** Adjudication mode only (the suggestion counts are then 0: not computed). */
  adjudication?: QueueAdjudication;
}
export interface QueueAdjudication {
  /** The annotators with a readable layer. */
  annotators: string[];
  /** Of those: who has not marked the document done. */
  notDone: string[];
  /** Disagreements the adjudicated sidecar does not decide yet. */
  disagreements: number;
  /** Spans every annotator agrees on that the adjudicated sidecar does not hold yet (Adjudicate Document writes them). */
  pendingAgreements: number;
}
export interface ReviewProgress {
  done: number;
  inProgress: number;
  todo: number;
  total: number;
}
export interface ReviewQueueResult {
  mode: QueueMode;
  /** Not-done documents in queue order, then the done ones (the first `limit` of them). */
  documents: ReviewQueueDocument[];
  /** How many documents the whole queue holds (with the tag filter), of which `documents` are the first. */
  matching: number;
  progress: ReviewProgress;
  /** The corpus is still being read (counts may change). */
  indexing: boolean;
}

export interface FindMentionsParams {
  /** A mention of the name (a selection or a suggestion's text). */
  text: string;
  /** The document the user started from, listed first. */
  uri?: string;
  /** The label the user means to give (tells which existing annotations already agree). */
  label?: string;
}
export interface FoundMention {
  /** Code point offsets of the mention (proclitics such as و ب ال left outside). */
  start: number;
  end: number;
  text: string;
  /** 0-based line, and up to 40 code points of context on each side, for the preview. */
  line: number;
  before: string;
  after: string;
  /** An annotation already on this span, if any. */
  existing?: { status: AnnotationStatus; label?: string };
}
export interface FindMentionsResult {
  /** The normalised form every mention matched. */
  normalized: string;
  files: { uri: string; mentions: FoundMention[] }[];
  total: number;
  /** Files that could not be searched (unreadable, refused). */
  skipped: number;
  /** The request was cancelled: the files searched before hold these mentions. */
  cancelled?: true;
}

// ---------------------------------------------------------------------------
// The annotation view (newsAnnotator/documentView)

export interface DocumentViewParams {
  uri: string;
}

/** Base direction of a paragraph by the Unicode first-strong rule (`inherited`: no strong character, the document's direction). */
export type TextDirection = 'rtl' | 'ltr';

/** Something shown in the view: a stored annotation or an open suggestion. */
export interface ViewMark {
  /** The annotation's id, or `s<n>` for a suggestion. */
  id: string;
  kind: AnnotationKind;
  status: 'accepted' | 'suggested';
  label?: string;
  category?: string;
  confidence?: number;
  source?: string;
  /** Why a boilerplate suggestion was made. */
  reason?: string;
  /** Code point offsets and text (what the server commands take). */
  start: number;
  end: number;
  text: string;
  /** UTF-16 offsets in the document and the LSP range (what editors use). */
  start16: number;
  end16: number;
  line: number;
}

/** A stretch of a paragraph with the same boilerplate mark. */
export interface ViewPart {
  text: string;
  /** UTF-16 offset of its first character in the document. */
  start16: number;
  /** Index in `marks` of the boilerplate covering it. */
  boilerplate?: number;
}

/** A stretch of a paragraph under one entity mark (or none), in text order. */
export interface ViewSegment {
  /** Index in `marks` of the entity covering it. */
  entity?: number;
  parts: ViewPart[];
}

export interface ViewParagraph {
  /** 0-based line of the document (a paragraph is a non-blank line). */
  line: number;
  start16: number;
  end16: number;
  dir: TextDirection;
  /** true when the line has no strong character and takes the document's direction. */
  inherited?: boolean;
  segments: ViewSegment[];
}

export interface DocumentViewResult {
  uri: string;
  /** Document version the layout was computed for. */
  version: number;
  /** The document's direction: of its first strong character. */
  dir: TextDirection;
  lineCount: number;
  paragraphs: ViewParagraph[];
  marks: ViewMark[];
  /** Annotations whose text was not found again after the document changed. */
  orphans: { id: string; kind: AnnotationKind; label?: string; category?: string; text: string }[];
  review: ReviewStatus;
  tags: DocumentTags;
  /** Why the document cannot be annotated (refused input, damaged sidecar), if it cannot. */
  readOnly?: string;
}

// ---------------------------------------------------------------------------
// Label migration (newsAnnotator/labelMigration)

export interface LabelMigrationParams {
  /** The renames to preview; omitted: those the schema declares with `renamedFrom`. */
  renames?: LabelRename[];
}

export interface LabelMigrationPreview {
  renames: (LabelRename & { annotations: number; documents: number })[];
  /** Labels and categories found in sidecars that the schema does not declare (candidates for a rename). */
  unknown: { kind: AnnotationKind; name: string; annotations: number; documents: number }[];
  /** Documents whose sidecar could not be read. */
  skipped: number;
}

// ---------------------------------------------------------------------------
// Inter-annotator agreement (`news-annotator agree --json`, Request.agreement).
// Computed by core/agreement; declared here because the CLI's JSON and the
// server's answer are the same document.

/** Exact-span counts of annotator A (the reference) against B. */
export interface SpanCounts {
  matched: number;
  /** Spans of annotator A (the reference). */
  spansA: number;
  /** Spans of annotator B. */
  spansB: number;
}
export interface SpanScores extends SpanCounts {
  /** matched / spansB; null when B has no span. */
  precision: number | null;
  /** matched / spansA; null when A has no span. */
  recall: number | null;
  /** 2·matched / (spansA + spansB); null when neither has a span (nothing to agree or disagree on). */
  f1: number | null;
}
export interface KappaResult {
  /** Units (items) compared. */
  units: number;
  /** Observed agreement: Cohen p_o; Fleiss P̄. */
  observed: number | null;
  /** Agreement expected by chance: Cohen p_e; Fleiss P̄_e. */
  expected: number | null;
  kappa: number | null;
}
export interface AlphaResult {
  /** Pairable units: those with at least two values (the others carry no information on agreement). */
  units: number;
  /** Pairable values n (the sum of the coincidence matrix). */
  values: number;
  /** Observed and expected disagreement D_o, D_e (nominal metric). */
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
  alpha: number | null;
}
export interface PairSpanAgreement {
  /** A is the reference: precision = matched / spansB, recall = matched / spansA. */
  a: string;
  b: string;
  documents: number;
  micro: SpanScores;
  labels: Record<string, SpanScores>;
}
export interface SpanAgreement {
  pairs: PairSpanAgreement[];
  /** Counts of every pair on every document they share, added up (micro over pairs and labels). */
  allPairs: { pairs: number; documents: number; micro: SpanScores; labels: Record<string, SpanScores>; meanPairF1: number | null };
}
export interface PairKappa extends KappaResult {
  a: string;
  b: string;
  documents: number;
}
export interface TokenAgreement {
  cohen: PairKappa[];
  /** Over the documents that every annotator of the report did (Fleiss needs the same number of ratings per unit). */
  fleiss: KappaResult & { annotators: string[]; documents: number };
  /** Over every compared document; an annotator who did not do a document is a missing value. */
  krippendorff: AlphaResult & { documents: number };
}
export interface LayerAgreement {
  spans: SpanAgreement;
  tokens: TokenAgreement;
}
export interface DocumentPairAgreement {
  a: string;
  b: string;
  entity: SpanScores;
  boilerplate: SpanScores;
}
export interface DocumentAgreement {
  document: string;
  annotators: string[];
  /** Token units of the document (entity layer). */
  tokens: number;
  pairs: DocumentPairAgreement[];
  /** Lowest entity F1 of its pairs (null when no pair has an entity span): sort on it to find the worst documents. */
  worstEntityF1: number | null;
}
export interface AgreementReport {
  annotators: string[];
  documents: number;
  labels: string[] | null;
  entity: LayerAgreement;
  boilerplate: LayerAgreement;
  perDocument: DocumentAgreement[];
}

export interface AgreementParams {
  /** Compare every document with two or more layers, not only those two or more annotators marked done. */
  all?: boolean;
  /** Only these annotators (default: all). */
  annotators?: string[];
  /** Only these entity labels (default: all). */
  labels?: string[];
}
/** `agree --json`, and the server's agreement report (where `perDocument[].uri` is set). */
export interface AgreementResult {
  /** `done`: layers whose review status is done; `all`: every layer. */
  selection: 'done' | 'all';
  documents: {
    /** Text files found. */
    files: number;
    /** Documents with two or more selected layers: the ones compared. */
    compared: number;
    /** Documents with fewer than two selected layers. */
    notCompared: number;
    /** Text files that could not be read. */
    unreadable: number;
  };
  annotators: string[];
  labels: string[] | null;
  entity: LayerAgreement;
  boilerplate: LayerAgreement;
  perDocument: (DocumentAgreement & { uri?: string })[];
  /** Problems met on the way (unreadable files, damaged layers), for the user. */
  problems?: string[];
}
