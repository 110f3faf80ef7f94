/**
 * Corpus-wide decisions on a name: find every mention across the corpus (for
 * a preview the user can prune), then accept or reject the chosen mentions in
 * one batch; and relabel every accepted mention of a name (the fix for an
 * inconsistent label). Open documents are searched in their editor buffers,
 * the rest on disk.
 */
import type { ApplyMentionsArgs, BatchResult, FindMentionsParams, FindMentionsResult, FoundMention, RelabelNameArgs } from '../protocol';
import { createAnnotation } from '../core/annotations/model';
import { normalizeEntity } from '../core/detect/entities';
import { findNameMentions } from '../core/text/mentions';
import type { CancellationToken } from 'vscode-languageserver';
import { readTextFile } from '../host/corpus';
import { TimeSlices } from '../host/timeSlices';
import { uriToPath } from './convert';
import { DecisionBatch, documentForFile, put } from './decisions';
import { UserError, type Doc } from './documents';
import type { ServerState } from './state';

/** Code points of context shown on each side of a mention in the preview. */
const CONTEXT = 40;

/**
 * Every mention of a name, file by file. It gives way between files (time slices):
 * on a corpus of 100,000 articles the search takes a minute, and the editor keeps
 * its hovers and typing meanwhile. A cancelled request stops at the next file.
 */
export async function findMentions(state: ServerState, p: FindMentionsParams, token?: CancellationToken): Promise<FindMentionsResult> {
  const normalized = normalizeEntity(p.text);
  if (!normalized) throw new UserError('Nothing to search for: the text has no letters or digits.');
  const first = p.uri ? uriToPath(p.uri) : null;
  const files = await state.workspace.listFilesAsync();
  if (first && files.includes(first)) {
    files.splice(files.indexOf(first), 1);
    files.unshift(first);
  }
  const out: FindMentionsResult = { normalized, files: [], total: 0, skipped: 0 };
  const slices = new TimeSlices();
  for (const file of files) {
    await slices.pause();
    if (token?.isCancellationRequested) return { ...out, cancelled: true };
    // Most files of a large corpus do not mention the name: their text says so, before their
    // sidecar is read and anchored (a file that reads is never refused: documentForFile).
    let found: { start: number; end: number }[] | undefined;
    let diskText: string | undefined;
    if (!state.findDocByPath(file)) {
      const read = readTextFile(file, state.maxBytes);
      if (read.ok) {
        found = findNameMentions(read.text, p.text);
        if (!found.length) continue;
        diskText = read.text;
      }
    }
    const doc = documentForFile(state, file, state.workspace.layer, diskText);
    if (!doc) {
      out.skipped++;
      continue;
    }
    const mentions = mentionsIn(doc, p.text, p.label, found);
    if (!mentions.length) continue;
    out.files.push({ uri: doc.uri, mentions });
    out.total += mentions.length;
  }
  return out;
}

/** `found`: the name's places in the document's text, when they were found already. */
function mentionsIn(doc: Doc, name: string, label: string | undefined, found = findNameMentions(doc.text, name)): FoundMention[] {
  const idx = doc.index;
  return found.map((m) => {
    const start = idx.toCodePoint(m.start);
    const end = idx.toCodePoint(m.end);
    const existing = doc.annotations.find((a) => a.kind === 'entity' && !a.orphaned && a.start === start && a.end === end && (label === undefined || a.status === 'rejected' || a.label === label))
      ?? doc.annotations.find((a) => a.kind === 'entity' && !a.orphaned && a.start < end && start < a.end);
    const line = idx.positionAt(m.start).line;
    const f: FoundMention = {
      start,
      end,
      text: doc.text.slice(m.start, m.end),
      line,
      before: idx.sliceCodePoints(Math.max(0, start - CONTEXT), start).replace(/\s+/g, ' '),
      after: idx.sliceCodePoints(end, Math.min(idx.codePointLength, end + CONTEXT)).replace(/\s+/g, ' '),
    };
    if (existing) f.existing = { status: existing.status, ...(existing.label ? { label: existing.label } : {}) };
    return f;
  });
}

/**
 * Accepts (with a label) or rejects the mentions the user kept in the
 * preview, in one batch (one undo step), with progress. A mention whose text
 * is no longer at its place (the document changed since the preview) is
 * skipped and counted in `failed`.
 */
export async function applyMentions(state: ServerState, a: ApplyMentionsArgs, stop?: CancellationToken): Promise<BatchResult> {
  const byUri = new Map<string, ApplyMentionsArgs['mentions']>();
  for (const m of a.mentions) {
    const list = byUri.get(m.uri) ?? [];
    list.push(m);
    byUri.set(m.uri, list);
  }
  const what = a.action === 'accept' ? `Annotate ${a.mentions.length} mention(s) as ${a.label}` : `Reject ${a.mentions.length} mention(s)`;
  const batch = new DecisionBatch(state, what);
  // A document at a time, giving way to the editor (DecisionBatch.eachInSlices).
  await batch.eachInSlices([...byUri], ([uri, mentions]) => {
    const file = uriToPath(uri);
    const doc = file ? documentForFile(state, file) : state.findDoc(uri) ?? null;
    if (!doc || doc.sidecar.status === 'damaged' || doc.sidecar.status === 'newer') {
      batch.skip(uri, doc ? doc.sidecar.message ?? 'the sidecar cannot be written' : 'the document cannot be read');
      return null;
    }
    batch.touch(doc);
    for (const m of mentions) {
      if (m.end > doc.index.codePointLength || doc.index.sliceCodePoints(m.start, m.end) !== m.text) {
        batch.skip(uri, `"${m.text}" is no longer at ${m.start}–${m.end}`);
        continue;
      }
      put(doc, createAnnotation(doc.text, m.start, m.end, { kind: 'entity', label: a.label, status: a.action === 'accept' ? 'accepted' : 'rejected', source: 'user' }));
    }
    return doc;
  }, `News Annotator: ${what}`, stop);
  return batch.commit();
}

/**
 * Gives every accepted mention of a name that carries label `from` the label
 * `to`, in one document (`uri`) or the whole corpus: the fix offered on an
 * `inconsistent-label` diagnostic.
 */
export async function relabelName(state: ServerState, a: RelabelNameArgs, stop?: CancellationToken): Promise<BatchResult> {
  const key = normalizeEntity(a.text);
  const files = a.uri ? [uriToPath(a.uri)].filter((f): f is string => !!f) : [...state.workspace.memory.docIds()];
  const batch = new DecisionBatch(state, `Relabel "${a.text}" from ${a.from} to ${a.to}`);
  // A document at a time, giving way to the editor (DecisionBatch.eachInSlices).
  await batch.eachInSlices(files, (file) => {
    const summary = state.workspace.memory.summary(file);
    // Only documents the corpus memory knows to hold such a mention are read.
    if (summary && !summary.decided.some((x) => x.kind === 'entity' && x.label === a.from && normalizeEntity(x.text) === key)) return null;
    const doc = documentForFile(state, file);
    if (!doc) return null;
    const targets = doc.annotations.filter((x) => x.kind === 'entity' && x.status === 'accepted' && !x.orphaned && x.label === a.from && normalizeEntity(x.text) === key);
    if (!targets.length) return null;
    batch.touch(doc);
    for (const t of targets) put(doc, createAnnotation(doc.text, t.start, t.end, { kind: 'entity', label: a.to, status: 'accepted', source: 'user', ...(t.confidence !== undefined ? { confidence: t.confidence } : {}) }));
    return doc;
  }, a.uri ? undefined : `Relabelling "${a.text}" as ${a.to}`, stop);
  return batch.commit();
}
