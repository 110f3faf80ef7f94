/**
 * Word clusters for the tagger: folded word form → bit string of its Brown-style
 * cluster (data/clusters/ar-clusters.json, built from Arabic Wikipedia by
 * scripts/build-clusters.ts). Words used alike share a prefix, so a name never seen in
 * training still looks like the names in its cluster (the classic remedy for unseen
 * names in feature-based taggers: Miller et al. 2004, Ratinov & Roth 2009).
 */
import { PackedMap } from '../../text/stringTable';

export interface ClusterData {
  /** Bit string → the folded words of that cluster, space-separated. */
  paths: Record<string, string>;
}

export class WordClusters {
  /** Folded word → path (packed: each scan thread keeps its own copy of the 88,000 words). */
  private readonly byWord: PackedMap<string>;
  /** Number of clustered words. */
  readonly size: number;

  constructor(data: ClusterData) {
    for (const path of Object.keys(data.paths)) {
      if (!/^[01]+$/.test(path)) throw new Error(`cluster path ${JSON.stringify(path.slice(0, 40))} is not a bit string`);
    }
    // A word listed under two paths keeps the last, as a map would.
    this.byWord = PackedMap.fromGroups(data.paths);
    this.size = this.byWord.size;
  }

  /** The cluster path of a folded word form, if it was frequent enough to be clustered. */
  path(folded: string): string | undefined {
    return this.byWord.get(folded);
  }
}

let shipped: WordClusters | undefined;
/** The shipped clusters, read once on first use. */
export function defaultClusters(): WordClusters {
  // require (not import) so the JSON is only read on first use (inlined in the CLI bundle, from dist/data by the server).
  return (shipped ??= new WordClusters(require('../../../../../data/clusters/ar-clusters.json') as ClusterData));
}
