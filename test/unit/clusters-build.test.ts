import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countBigrams, exchangeClusters, objective } from '../../scripts/clusters/exchange';
import { brownPaths } from '../../scripts/clusters/hierarchy';
import { rng } from '../../server/src/core/detect/entities/tagger';
import { defaultClusters, WordClusters, type ClusterData } from '../../server/src/core/detect/entities/clusters';

/**
 * A toy language with two kinds of words that occur in different places: after
 * "the" come nouns, after a noun comes a verb, after a verb "the" again.
 */
function toyStream(): { stream: Int32Array; V: number; nouns: number[]; verbs: number[] } {
  // 0: the, 1–6 nouns, 7–11 verbs
  const nouns = [1, 2, 3, 4, 5, 6];
  const verbs = [7, 8, 9, 10, 11];
  const rand = rng(7);
  const out: number[] = [];
  for (let s = 0; s < 400; s++) {
    for (let k = 0; k < 5; k++) out.push(0, nouns[Math.floor(rand() * nouns.length)], verbs[Math.floor(rand() * verbs.length)]);
    out.push(-1);
  }
  return { stream: Int32Array.from(out), V: 12, nouns, verbs };
}

test('bigram counts agree with a direct count, both ways', () => {
  const { stream, V } = toyStream();
  const b = countBigrams(stream, V);
  const direct = new Map<string, number>();
  for (let i = 1; i < stream.length; i++) if (stream[i - 1] >= 0 && stream[i] >= 0) direct.set(`${stream[i - 1]} ${stream[i]}`, (direct.get(`${stream[i - 1]} ${stream[i]}`) ?? 0) + 1);
  for (let u = 0; u < V; u++) {
    for (let k = b.succStart[u]; k < b.succStart[u + 1]; k++) assert.equal(b.succCount[k], direct.get(`${u} ${b.succWord[k]}`));
    for (let k = b.predStart[u]; k < b.predStart[u + 1]; k++) assert.equal(b.predCount[k], direct.get(`${b.predWord[k]} ${u}`));
  }
  const total = [...direct.values()].reduce((a, x) => a + x, 0);
  assert.equal(b.succCount.reduce((a, x) => a + x, 0), total);
  assert.equal(b.count.reduce((a, x) => a + x, 0), stream.filter((x) => x >= 0).length);
});

test('the exchange algorithm separates words by their contexts and never lowers the likelihood', () => {
  const { stream, V, nouns, verbs } = toyStream();
  const r = exchangeClusters(countBigrams(stream, V), 3);
  for (let p = 1; p < r.history.length; p++) assert.ok(r.history[p] >= r.history[p - 1] - 1e-6, `pass ${p + 1} lowered the objective`);
  const cls = (ws: number[]) => new Set(ws.map((w) => r.cls[w]));
  assert.equal(cls(nouns).size, 1, 'the nouns share a class');
  assert.equal(cls(verbs).size, 1, 'the verbs share a class');
  assert.equal(new Set([r.cls[0], r.cls[nouns[0]], r.cls[verbs[0]]]).size, 3, 'three kinds, three classes');
  // Counts kept in step with the moves.
  const N = new Float64Array(9);
  for (let i = 1; i < stream.length; i++) if (stream[i - 1] >= 0 && stream[i] >= 0) N[r.cls[stream[i - 1]] * 3 + r.cls[stream[i]]]++;
  assert.deepEqual(Array.from(r.N), Array.from(N));
  assert.ok(Math.abs(objective(r.N, r.Nc) - r.history[r.history.length - 1]) < 1e-6);
  // Deterministic.
  assert.deepEqual(Array.from(exchangeClusters(countBigrams(stream, V), 3).cls), Array.from(r.cls));
});

/** Average mutual information of adjacent clusters, for a partition of the classes. */
function ami(N: Float64Array, C: number, groups: number[][]): number {
  let total = 0;
  for (const x of N) total += x;
  const n = (g: number[], h: number[]) => g.reduce((s, c) => s + h.reduce((t, d) => t + N[c * C + d], 0), 0);
  const all = Array.from({ length: C }, (_, i) => i);
  let v = 0;
  for (const g of groups) {
    for (const h of groups) {
      const x = n(g, h);
      if (x > 0) v += (x / total) * Math.log((x * total) / (n(g, all) * n(all, h)));
    }
  }
  return v;
}

test('the agglomerative merges are the ones that lose least mutual information (checked by brute force)', () => {
  const C = 9;
  const rand = rng(11);
  const N = Float64Array.from({ length: C * C }, () => (rand() < 0.3 ? 0 : Math.floor(rand() * 50)));
  const paths = brownPaths(N, C);
  // Replay: at each step the brute-force best merge must join two groups whose paths
  // share the longest remaining prefix structure, i.e. reproduce the same tree.
  let groups = Array.from({ length: C }, (_, i) => [i]);
  const tree = new Set<string>();
  while (groups.length > 1) {
    let best: [number, number] = [0, 1];
    let bestLoss = Infinity;
    const base = ami(N, C, groups);
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const merged = groups.filter((_, k) => k !== i && k !== j).concat([[...groups[i], ...groups[j]]]);
        const loss = base - ami(N, C, merged);
        if (loss < bestLoss - 1e-12) (bestLoss = loss), (best = [i, j]);
      }
    }
    const joined = [...groups[best[0]], ...groups[best[1]]].sort((a, b) => a - b);
    tree.add(joined.join(','));
    groups = groups.filter((_, k) => k !== best[0] && k !== best[1]).concat([joined]);
  }
  // Every subtree of the brute-force tree is a set of classes sharing a path prefix, and only those.
  for (const sub of tree) {
    const members = sub.split(',').map(Number);
    let prefix = paths[members[0]];
    for (const m of members) while (!paths[m].startsWith(prefix)) prefix = prefix.slice(0, -1);
    const withPrefix = paths.map((p, c) => (p.startsWith(prefix) ? c : -1)).filter((c) => c >= 0);
    assert.deepEqual(withPrefix, members, `subtree ${sub}: paths ${members.map((m) => paths[m]).join(' ')}`);
  }
  assert.equal(new Set(paths).size, C, 'every class has its own path');
});

test('WordClusters: each word its path, the shipped file read whole, a bad path refused', () => {
  const c = new WordClusters({ paths: { '0010': 'باريس لندن', '0011': 'برلين  موسكو', '01': 'في لندن' } });
  assert.equal(c.size, 5, 'distinct words (the empty one between two spaces left out)');
  assert.equal(c.path('باريس'), '0010');
  assert.equal(c.path('موسكو'), '0011');
  assert.equal(c.path('لندن'), '01', 'a word listed under two paths keeps the last');
  assert.equal(c.path('روما'), undefined);
  assert.equal(c.path(''), undefined);
  assert.throws(() => new WordClusters({ paths: { '01x': 'a' } }), /not a bit string/);
  // The shipped clusters: every word of the file answers its own path.
  const shipped = defaultClusters();
  const data = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/clusters/ar-clusters.json'), 'utf8')) as ClusterData;
  let words = 0;
  for (const [bits, list] of Object.entries(data.paths)) for (const w of list.split(' ')) if (w) (words++, assert.equal(shipped.path(w), bits, w));
  assert.equal(shipped.size, words);
});
