/**
 * Word clusters for the tagger: folded word form → bit string of its Brown-style
 * cluster (data/clusters/ar-clusters.json, built from Arabic Wikipedia by
 * scripts/build-clusters.ts). Words used alike share a prefix, so a name never seen in
 * training still looks like the names in its cluster (the classic remedy for unseen
 * names in feature-based taggers: Miller et al. 2004, Ratinov & Roth 2009).
 */
import { StringTable } from '../../text/stringTable';

export interface ClusterData {
  /** Bit string → the folded words of that cluster, space-separated. */
  paths: Record<string, string>;
}

export class WordClusters {
  /** The clustered words (packed: each scan thread keeps its own copy of the 88,000). */
  private readonly words: StringTable;
  /** The distinct paths, and each word's place in them (by word id). */
  private readonly paths: string[];
  private readonly pathOf: Uint16Array;
  /** Number of clustered words. */
  readonly size: number;

  constructor(data: ClusterData) {
    this.paths = Object.keys(data.paths);
    if (this.paths.length > 0xffff) throw new Error(`${this.paths.length} cluster paths: at most 65,535 are supported`);
    const list: string[] = [];
    const pathIndex: number[] = [];
    this.paths.forEach((path, p) => {
      if (!/^[01]+$/.test(path)) throw new Error(`cluster path ${JSON.stringify(path.slice(0, 40))} is not a bit string`);
      for (const w of data.paths[path].split(' ')) if (w) list.push(w), pathIndex.push(p);
    });
    const { table, ids } = StringTable.from(list);
    this.words = table;
    this.pathOf = new Uint16Array(table.size);
    // A word listed under two paths keeps the last, as a map would.
    for (let i = 0; i < ids.length; i++) this.pathOf[ids[i]] = pathIndex[i];
    this.size = table.size;
  }

  /** The cluster path of a folded word form, if it was frequent enough to be clustered. */
  path(folded: string): string | undefined {
    const id = this.words.id(folded);
    return id < 0 ? undefined : this.paths[this.pathOf[id]];
  }
}

let shipped: WordClusters | undefined;
/** The shipped clusters, read once on first use. */
export function defaultClusters(): WordClusters {
  // require (not import) so the JSON is only read on first use (inlined in the CLI bundle, from dist/data by the server).
  return (shipped ??= new WordClusters(require('../../../../../data/clusters/ar-clusters.json') as ClusterData));
}
