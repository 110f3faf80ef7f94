/**
 * The agreement report of the workspace (the Agreement view): the figures of
 * `news-annotator agree --json` over the workspace's documents, read the same
 * way (host/agreement.ts), with open documents read from their buffers and
 * every document named by its path in the workspace and its URI.
 */
import * as path from 'node:path';
import type { AgreementParams, AgreementResult } from '../protocol';
import { isAnnotatorName } from '../core/annotations/layers';
import { AgreementCollector } from '../host/agreement';
import { TimeSlices } from '../host/timeSlices';
import { pathToUri } from './convert';
import { UserError } from './documents';
import type { ServerState } from './state';

/** At most this many problems are passed on (a corpus with thousands of damaged layers must not flood the view). */
const MAX_PROBLEMS = 50;

export async function agreementReport(state: ServerState, params: AgreementParams): Promise<AgreementResult> {
  const bad = (params.annotators ?? []).filter((a) => typeof a !== 'string' || !isAnnotatorName(a));
  if (bad.length) throw new UserError(`Not annotator names: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
  if (params.labels !== undefined && (!Array.isArray(params.labels) || params.labels.some((l) => typeof l !== 'string'))) throw new UserError('labels must be a list of label names.');
  const problems: string[] = [];
  const byName = new Map<string, string>();
  const nameOf = (file: string): string => {
    const folder = state.folders.find((f) => file.startsWith(f + path.sep));
    const name = folder ? path.relative(folder, file).split(path.sep).join('/') : file;
    byName.set(name, file);
    return name;
  };
  const collector = new AgreementCollector({
    labels: params.labels?.length ? params.labels : undefined,
    annotators: params.annotators?.length ? params.annotators : undefined,
    all: !!params.all,
    maxBytes: state.maxBytes,
    name: nameOf,
    textOf: (file) => {
      const open = state.findDocByPath(file);
      return open && !open.refused ? open.text : undefined;
    },
    // What could not be read; notes such as "nothing to compare" are for the CLI's user (the view shows its own).
    onProblem: (message, failure) => {
      if (failure && problems.length < MAX_PROBLEMS) problems.push(message);
    },
  });
  // The server keeps answering while a large corpus is compared.
  const slices = new TimeSlices();
  for (const file of await state.workspace.listFilesAsync()) {
    await slices.pause();
    collector.add(file);
  }
  const result = collector.result();
  for (const d of result.perDocument) {
    const file = byName.get(d.document);
    if (file) d.uri = pathToUri(file);
  }
  if (problems.length) result.problems = problems;
  return result;
}
