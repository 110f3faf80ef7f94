/**
 * Corpus statistics in a mergeable form: everything the corpus-wide signals
 * need, as sums over documents, so a corpus too big for one process can be
 * indexed in parts (`news-annotator index`), the parts merged in any order and
 * grouping (`index --merge`, a Dask reduction), and every document then
 * flagged exactly as a single process holding the whole corpus would flag it
 * (`annotate` / `export --corpus-stats`).
 *
 * - `blocks`: for each folded line (by its 53-bit hash, base 36), in how many
 *   documents it occurs — `repeated` boilerplate;
 * - `names`: for each name the detector found (normalised), per label, in how
 *   many documents, how many mentions and their summed confidence — names
 *   recurring across documents;
 * - `accepted` / `rejected`: the names users accepted (per label, how often)
 *   or rejected (per label, `*` = every label) in the sidecars — the dictionary;
 * - `decisions`: the users' boilerplate decisions by folded block text (true:
 *   boilerplate; false: article text, which wins when documents disagree).
 *
 * Statistics are only comparable when the names were found by the same
 * analysis (code version, tagger, labels, minimum confidence): `analysis`
 * identifies it, and merging refuses different ones.
 */

export const STATS_FORMAT = 'news-annotator/corpus-stats';
export const STATS_VERSION = 1;

export interface CorpusStats {
  format: typeof STATS_FORMAT;
  version: typeof STATS_VERSION;
  analysis: string;
  documents: number;
  blocks: Record<string, number>;
  names: Record<string, Record<string, [documents: number, mentions: number, confidence: number]>>;
  accepted: Record<string, Record<string, number>>;
  rejected: Record<string, string[]>;
  decisions: Record<string, boolean>;
}

export function emptyStats(analysis: string): CorpusStats {
  return { format: STATS_FORMAT, version: STATS_VERSION, analysis, documents: 0, blocks: {}, names: {}, accepted: {}, rejected: {}, decisions: {} };
}

/** Null-prototype records: a name or a block that reads "__proto__" stays an ordinary key. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The sum of two statistics of disjoint document sets. Throws when they come from different analyses. */
export function mergeStats(a: CorpusStats, b: CorpusStats): CorpusStats {
  if (a.analysis !== b.analysis) {
    throw new Error(`cannot merge statistics of different analyses ("${a.analysis}" and "${b.analysis}"): index every part with the same version, model and settings`);
  }
  const out: CorpusStats = { ...emptyStats(a.analysis), blocks: record(), names: record(), accepted: record(), rejected: record(), decisions: record() };
  out.documents = a.documents + b.documents;
  for (const s of [a, b]) {
    for (const [k, n] of Object.entries(s.blocks)) out.blocks[k] = (out.blocks[k] ?? 0) + n;
    for (const [name, byLabel] of Object.entries(s.names)) {
      const o = (out.names[name] ??= record());
      for (const [label, [d, m, c]] of Object.entries(byLabel)) {
        const v = (o[label] ??= [0, 0, 0]);
        v[0] += d;
        v[1] += m;
        v[2] = round(v[2] + c);
      }
    }
    for (const [name, byLabel] of Object.entries(s.accepted)) {
      const o = (out.accepted[name] ??= record());
      for (const [label, n] of Object.entries(byLabel)) o[label] = (o[label] ?? 0) + n;
    }
    for (const [name, labels] of Object.entries(s.rejected)) out.rejected[name] = [...new Set([...(out.rejected[name] ?? []), ...labels])].sort();
    for (const [key, isBoilerplate] of Object.entries(s.decisions)) out.decisions[key] = (out.decisions[key] ?? true) && isBoilerplate;
  }
  return out;
}

/** Confidence sums are kept to 6 decimals, so merging in another order gives the same file. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Checks parsed JSON; throws an Error naming what is wrong. */
export function validateStats(x: unknown): CorpusStats {
  const fail = (what: string): never => {
    throw new Error(`not corpus statistics of this version (${what}); write them with news-annotator index`);
  };
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return fail('not a JSON object');
  const o = x as Record<string, unknown>;
  if (o.format !== STATS_FORMAT) fail(`format is ${JSON.stringify(o.format)}`);
  if (o.version !== STATS_VERSION) fail(`version ${JSON.stringify(o.version)}`);
  if (typeof o.analysis !== 'string') fail('no analysis');
  if (typeof o.documents !== 'number' || !Number.isSafeInteger(o.documents) || o.documents < 0) fail('documents is not a count');
  for (const k of ['blocks', 'names', 'accepted', 'rejected', 'decisions']) {
    if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) fail(`${k} is not an object`);
  }
  for (const v of Object.values(o.blocks as object)) if (typeof v !== 'number' || v < 0) fail('a block count is not a number');
  for (const byLabel of Object.values(o.names as object)) {
    for (const v of Object.values(byLabel as object)) if (!Array.isArray(v) || v.length !== 3 || !v.every((n) => typeof n === 'number')) fail('a name count is not [documents, mentions, confidence]');
  }
  return x as CorpusStats;
}

/** Canonical text of statistics: keys sorted, so the same statistics always give the same bytes. */
export function serializeStats(s: CorpusStats): string {
  const sorted = (o: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      const v = o[k];
      out[k] = v && typeof v === 'object' && !Array.isArray(v) ? sorted(v as Record<string, unknown>) : v;
    }
    return out;
  };
  const { format, version, analysis, documents, ...rest } = s;
  return JSON.stringify({ format, version, analysis, documents, ...sorted(rest as unknown as Record<string, unknown>) }) + '\n';
}
