/**
 * `news-annotator agree`: inter-annotator agreement over the annotator layers
 * (`article.txt.ann.<annotator>.json`) of a corpus, as a table, JSON or CSV.
 * Compares the documents that two or more annotators marked `done` (their
 * layer's review status), or every document with two or more layers (--all).
 * Exit codes: 0 success; 1 some inputs could not be read (each named on
 * stderr); 2 usage error.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { AgreementResult, SpanScores } from '../protocol';
import { AGREEMENT_LAYERS, type AgreementLayer } from '../core/agreement/report';
import { isAnnotatorName } from '../core/annotations/layers';
import { AgreementCollector } from '../host/agreement';
import { listTextFiles } from '../host/corpus';

export type AgreeFormat = 'table' | 'json' | 'csv';

export interface AgreeOptions {
  inputs: string[];
  format: AgreeFormat;
  /** Entity labels to compare (default: all). */
  labels?: string[];
  /** Annotators to compare (default: every annotator with a layer). */
  annotators?: string[];
  /** Compare every document with two or more layers, not only those marked done. */
  all: boolean;
  maxBytes: number;
}

export interface AgreeOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: AgreeOutput = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** What `agree --json` prints: the corpus-level counts, then the report (declared in protocol.ts: the server's agreement report is the same document). */
export type AgreeResult = AgreementResult;

export const AGREE_USAGE = `news-annotator agree [--json | --csv] [--labels PER,ORG,…] [--annotators a,b,…] [--all] <files|dirs>...
      Inter-annotator agreement over the annotator layers (article.txt.ann.<annotator>.json) of the
      documents that two or more annotators marked done (all documents with two or more layers: --all):
      exact-span P/R/F1 per pair and label, Cohen's κ per pair, Fleiss' κ and Krippendorff's α on tokens,
      for entities and boilerplate; per document the pairs' F1. A table by default, --json or --csv.`;

/** `news-annotator agree …` from its arguments (after the command name); returns the exit code. */
export function agreeCommand(argv: string[], out: AgreeOutput = processOutput): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        labels: { type: 'string' },
        annotators: { type: 'string' },
        all: { type: 'boolean' },
        'max-size-kb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError(out, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.stdout(AGREE_USAGE + '\n');
    return 0;
  }
  if (values.json && values.csv) return usageError(out, 'agree: choose one of --json and --csv');
  const list = (raw: string | undefined): string[] | undefined => {
    const items = raw?.split(',').map((x) => x.trim()).filter(Boolean);
    return items?.length ? items : undefined;
  };
  const kb = values['max-size-kb'] === undefined ? 4096 : Number(values['max-size-kb']);
  if (!Number.isFinite(kb) || kb <= 0) return usageError(out, `--max-size-kb must be a positive number, got "${values['max-size-kb']}"`);
  if (values.labels !== undefined && !list(values.labels)) return usageError(out, '--labels: give at least one label');
  if (values.annotators !== undefined && !list(values.annotators)) return usageError(out, '--annotators: give at least one name');
  return runAgree(
    {
      inputs: positionals,
      format: values.json ? 'json' : values.csv ? 'csv' : 'table',
      labels: list(values.labels),
      annotators: list(values.annotators),
      all: !!values.all,
      maxBytes: kb * 1024,
    },
    out,
  );
}

function usageError(out: AgreeOutput, message: string): number {
  out.stderr(`news-annotator: ${message}\nRun "news-annotator agree --help" for usage.\n`);
  return 2;
}

/** Runs `agree` on parsed options; returns the exit code. */
export function runAgree(options: AgreeOptions, out: AgreeOutput = processOutput): number {
  const say = (m: string): void => out.stderr(`news-annotator: ${m}\n`);
  const bad = options.annotators?.filter((a) => !isAnnotatorName(a)) ?? [];
  if (bad.length)
    return usageError(out, `--annotators: invalid name${bad.length > 1 ? 's' : ''} ${bad.map((b) => JSON.stringify(b)).join(', ')} (letters, digits, "_" and "-" only)`);
  if (!options.inputs.length) return usageError(out, 'agree: no input files or folders given');
  let failures = 0;
  const existing: string[] = [];
  for (const input of options.inputs) {
    if (fs.existsSync(input)) existing.push(input);
    else {
      say(`${input}: no such file or directory`);
      failures++;
    }
  }
  const collector = new AgreementCollector({ labels: options.labels, annotators: options.annotators, all: options.all, maxBytes: options.maxBytes, onProblem: say });
  for (const file of listTextFiles(existing)) collector.add(file);
  const result: AgreeResult = collector.result();
  failures += collector.failures;
  if (options.format === 'json') out.stdout(JSON.stringify(result, null, 2) + '\n');
  else if (options.format === 'csv') out.stdout(formatAgreementCsv(result));
  else out.stdout(formatAgreementTable(result));
  return failures ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Readable table

const LAYER_TITLE: Record<AgreementLayer, { name: string; tag: string }> = {
  entity: { name: 'Entities', tag: 'label' },
  boilerplate: { name: 'Boilerplate', tag: 'category' },
};

function fmt(x: number | null, digits = 3): string {
  return x === null ? '—' : x.toFixed(digits);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Columns padded to their widest cell; numbers (and —) right-aligned. */
function columns(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const numeric = (c: string): boolean => /^(-?[\d,.]+|—)$/.test(c);
  return rows
    .map((r) => indent + r.map((c, i) => (numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n') + '\n';
}

function spanRow(a: string, b: string, label: string, documents: number | string, s: SpanScores): string[] {
  return [a, b, label, String(documents), count(s.matched), count(s.spansA), count(s.spansB), fmt(s.precision), fmt(s.recall), fmt(s.f1)];
}

export function formatAgreementTable(r: AgreeResult): string {
  let out = '';
  const who = r.annotators.length ? ` (${r.annotators.join(', ')})` : '';
  out += `Agreement of ${r.annotators.length} annotators${who} on ${count(r.documents.compared)} documents`;
  out += r.selection === 'done' ? ' that two or more of them marked done (--all: every document).\n' : ' (every document with two or more layers).\n';
  out += `${count(r.documents.files)} text files; ${count(r.documents.notCompared)} not compared (fewer than two layers${r.selection === 'done' ? ' marked done' : ''})`;
  out += r.documents.unreadable ? `; ${count(r.documents.unreadable)} unreadable.\n` : '.\n';
  if (r.labels) out += `Entity labels compared: ${r.labels.join(', ')}.\n`;
  if (r.documents.compared === 0) return out;

  for (const layer of AGREEMENT_LAYERS) {
    const { name, tag } = LAYER_TITLE[layer];
    const l = r[layer];
    out += `\n${name}: exact spans (A is the reference: P = matched / spans of B, R = matched / spans of A; F1 is symmetric)\n`;
    const rows = [['A', 'B', tag, 'docs', 'matched', 'spans A', 'spans B', 'P', 'R', 'F1']];
    for (const p of l.spans.pairs) {
      for (const [label, s] of Object.entries(p.labels)) rows.push(spanRow(p.a, p.b, label, p.documents, s));
      rows.push(spanRow(p.a, p.b, '(micro)', p.documents, p.micro));
    }
    if (l.spans.pairs.length > 1) {
      for (const [label, s] of Object.entries(l.spans.allPairs.labels)) rows.push(spanRow('all pairs', '', label, l.spans.allPairs.documents, s));
      rows.push(spanRow('all pairs', '', '(micro)', l.spans.allPairs.documents, l.spans.allPairs.micro));
    }
    out += columns(rows);
    if (l.spans.pairs.length > 1) out += `  mean F1 of the ${l.spans.pairs.length} pairs: ${fmt(l.spans.allPairs.meanPairF1)}\n`;

    out += `\n${name}: tokens (tag = ${tag} or O)\n`;
    const k = [['', '', 'value', 'tokens', 'docs', 'observed', 'by chance']];
    for (const c of l.tokens.cohen) k.push([`Cohen's κ`, `${c.a} ~ ${c.b}`, fmt(c.kappa), count(c.units), String(c.documents), fmt(c.observed), fmt(c.expected)]);
    const f = l.tokens.fleiss;
    k.push([`Fleiss' κ`, `all ${f.annotators.length}`, fmt(f.kappa), count(f.units), String(f.documents), fmt(f.observed), fmt(f.expected)]);
    const a = l.tokens.krippendorff;
    k.push([`Krippendorff's α (nominal)`, 'all, missing allowed', fmt(a.alpha), count(a.units), String(a.documents), fmt(a.observedDisagreement === null ? null : 1 - a.observedDisagreement), fmt(a.expectedDisagreement === null ? null : 1 - a.expectedDisagreement)]);
    out += columns(k);
  }
  out += `  (Fleiss' κ counts only the documents every annotator did; "—" = undefined: nothing to compare, or one tag everywhere.)\n`;

  out += '\nDocuments, lowest entity F1 first (span F1 of each pair; — = neither annotated an entity)\n';
  const pairNames = r.entity.spans.pairs.map((p) => `${p.a}~${p.b}`);
  const docs = [...r.perDocument].sort((x, y) => (x.worstEntityF1 ?? 2) - (y.worstEntityF1 ?? 2) || (x.document < y.document ? -1 : 1));
  const rows = [['document', ...pairNames]];
  for (const d of docs) {
    const byPair = new Map(d.pairs.map((p) => [`${p.a}~${p.b}`, p.entity.f1]));
    rows.push([d.document, ...pairNames.map((n) => (byPair.has(n) ? fmt(byPair.get(n)!) : ''))]);
  }
  out += columns(rows);
  return out;
}

// ---------------------------------------------------------------------------
// CSV: one number per row, for pivot tables

/**
 * Columns `layer,statistic,document,annotator_a,annotator_b,label,value`.
 * An empty `document` means the whole corpus, an empty `label` all labels
 * (micro), empty annotators all of them; an empty `value` is undefined (null in JSON).
 */
export function formatAgreementCsv(r: AgreeResult): string {
  const lines = [['layer', 'statistic', 'document', 'annotator_a', 'annotator_b', 'label', 'value']];
  const row = (layer: string, statistic: string, document: string, a: string, b: string, label: string, value: number | null): void => {
    lines.push([layer, statistic, document, a, b, label, value === null ? '' : String(value)]);
  };
  const spans = (layer: string, doc: string, a: string, b: string, label: string, s: SpanScores): void => {
    row(layer, 'matched', doc, a, b, label, s.matched);
    row(layer, 'spans_a', doc, a, b, label, s.spansA);
    row(layer, 'spans_b', doc, a, b, label, s.spansB);
    row(layer, 'precision', doc, a, b, label, s.precision);
    row(layer, 'recall', doc, a, b, label, s.recall);
    row(layer, 'f1', doc, a, b, label, s.f1);
  };
  row('', 'documents_compared', '', '', '', '', r.documents.compared);
  for (const layer of AGREEMENT_LAYERS) {
    const l = r[layer];
    for (const p of l.spans.pairs) {
      row(layer, 'documents', '', p.a, p.b, '', p.documents);
      spans(layer, '', p.a, p.b, '', p.micro);
      for (const [label, s] of Object.entries(p.labels)) spans(layer, '', p.a, p.b, label, s);
    }
    spans(layer, '', '', '', '', l.spans.allPairs.micro);
    for (const [label, s] of Object.entries(l.spans.allPairs.labels)) spans(layer, '', '', '', label, s);
    row(layer, 'mean_pair_f1', '', '', '', '', l.spans.allPairs.meanPairF1);
    for (const c of l.tokens.cohen) {
      row(layer, 'cohen_kappa', '', c.a, c.b, '', c.kappa);
      row(layer, 'cohen_observed', '', c.a, c.b, '', c.observed);
      row(layer, 'cohen_expected', '', c.a, c.b, '', c.expected);
      row(layer, 'cohen_tokens', '', c.a, c.b, '', c.units);
    }
    const f = l.tokens.fleiss;
    row(layer, 'fleiss_kappa', '', '', '', '', f.kappa);
    row(layer, 'fleiss_tokens', '', '', '', '', f.units);
    row(layer, 'fleiss_documents', '', '', '', '', f.documents);
    const a = l.tokens.krippendorff;
    row(layer, 'krippendorff_alpha', '', '', '', '', a.alpha);
    row(layer, 'krippendorff_units', '', '', '', '', a.units);
    row(layer, 'krippendorff_values', '', '', '', '', a.values);
  }
  for (const d of r.perDocument)
    for (const p of d.pairs)
      for (const layer of AGREEMENT_LAYERS) {
        const s = p[layer];
        row(layer, 'matched', d.document, p.a, p.b, '', s.matched);
        row(layer, 'spans_a', d.document, p.a, p.b, '', s.spansA);
        row(layer, 'spans_b', d.document, p.a, p.b, '', s.spansB);
        row(layer, 'f1', d.document, p.a, p.b, '', s.f1);
      }
  return lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * RFC 4180 quoting; a text cell starting with = + - @ gets a leading
 * apostrophe so a spreadsheet shows it instead of running it as a formula
 * (numbers are written as they are: a negative κ stays a number).
 */
function csvField(v: string, index: number): string {
  const isValue = index === 6;
  let s = v;
  if (!isValue && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
