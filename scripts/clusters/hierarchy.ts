/**
 * Brown et al.'s (1992) agglomerative step over a flat clustering: starting from the
 * exchange classes (exchange.ts), repeatedly merge the two clusters whose merge loses
 * the least average mutual information between adjacent clusters, until one is left.
 * The merge tree gives every class a bit string (0 = the heavier child), so that a
 * prefix of it names a coarser class, as Brown clusters are used in taggers.
 *
 * Loss updates after a merge follow Brown et al.: a pair that does not involve the two
 * merged clusters changes only through the terms with those two, which makes each merge
 * O(k²) for k active clusters (O(C³) in all).
 */

/**
 * Bit strings of the C classes, given their class-bigram counts N (C × C, row = left
 * class). Classes with no occurrences are left out (empty string).
 */
export function brownPaths(Nin: Float64Array, C: number): string[] {
  const N = Float64Array.from(Nin);
  let total = 0;
  for (let i = 0; i < N.length; i++) total += N[i];
  const left = new Float64Array(C); // row sums
  const right = new Float64Array(C); // column sums
  for (let c = 0; c < C; c++) for (let d = 0; d < C; d++) (left[c] += N[c * C + d]), (right[d] += N[c * C + d]);
  const active: number[] = [];
  for (let c = 0; c < C; c++) if (left[c] + right[c] > 0) active.push(c);

  /** q: one cell's contribution to the mutual information, from its count and marginals. */
  const q = (n: number, l: number, r: number) => (n > 0 ? (n / total) * Math.log((n * total) / (l * r)) : 0);
  const qc = (x: number, y: number) => q(N[x * C + y], left[x], right[y]);
  /** All the terms that involve x. */
  const s = new Float64Array(C);
  const computeS = (x: number) => {
    let v = -qc(x, x);
    for (const y of active) v += qc(x, y) + qc(y, x);
    s[x] = v;
  };
  /** Loss of merging i and j, computed from scratch (O(k)). */
  const lossOf = (i: number, j: number) => {
    const li = left[i] + left[j];
    const ri = right[i] + right[j];
    let after = q(N[i * C + i] + N[i * C + j] + N[j * C + i] + N[j * C + j], li, ri);
    for (const d of active) {
      if (d === i || d === j) continue;
      after += q(N[i * C + d] + N[j * C + d], li, right[d]);
      after += q(N[d * C + i] + N[d * C + j], left[d], ri);
    }
    return s[i] + s[j] - qc(i, j) - qc(j, i) - after;
  };
  for (const x of active) computeS(x);
  const loss = new Float64Array(C * C);
  for (let p = 0; p < active.length; p++) for (let r = p + 1; r < active.length; r++) loss[active[p] * C + active[r]] = lossOf(active[p], active[r]);

  // Tree: node ids 0 … C−1 are the classes, later ones the merges.
  const node = Int32Array.from({ length: C }, (_, c) => c);
  const children: [number, number][] = [];
  const weight: number[] = Array.from({ length: C }, (_, c) => left[c] + right[c]);
  while (active.length > 1) {
    let bi = -1;
    let bj = -1;
    let best = Infinity;
    for (let p = 0; p < active.length; p++) {
      const i = active[p];
      for (let r = p + 1; r < active.length; r++) {
        const v = loss[i * C + active[r]];
        if (v < best - 1e-15) (best = v), (bi = i), (bj = active[r]);
      }
    }
    const a = bi;
    const b = bj;
    // Before merging: the old terms with a and b, for every other pair's update.
    const others = active.filter((x) => x !== a && x !== b);
    const oldA = new Float64Array(C); // per x: q(x,a) + q(a,x) + q(x,b) + q(b,x)
    for (const x of others) oldA[x] = qc(x, a) + qc(a, x) + qc(x, b) + qc(b, x);
    const la = left[a];
    const lb = left[b];
    const ra = right[a];
    const rb = right[b];
    const colA = new Float64Array(C);
    const colB = new Float64Array(C);
    const rowA = new Float64Array(C);
    const rowB = new Float64Array(C);
    for (const x of others) (colA[x] = N[x * C + a]), (colB[x] = N[x * C + b]), (rowA[x] = N[a * C + x]), (rowB[x] = N[b * C + x]);
    // Merge b into a.
    const mm = N[a * C + a] + N[a * C + b] + N[b * C + a] + N[b * C + b];
    for (const x of others) {
      N[a * C + x] += N[b * C + x];
      N[x * C + a] += N[x * C + b];
    }
    N[a * C + a] = mm;
    left[a] = la + lb;
    right[a] = ra + rb;
    active.splice(active.indexOf(b), 1);
    const ta = weight[node[a]];
    const tb = weight[node[b]];
    children.push(ta >= tb ? [node[a], node[b]] : [node[b], node[a]]);
    weight.push(ta + tb);
    node[a] = C + children.length - 1;
    // Pairs without a or b: O(1) update each.
    for (let p = 0; p < others.length; p++) {
      const i = others[p];
      const dsi = -oldA[i] + qc(i, a) + qc(a, i);
      for (let r = p + 1; r < others.length; r++) {
        const j = others[r];
        const dsj = -oldA[j] + qc(j, a) + qc(a, j);
        const lij = left[i] + left[j];
        const rij = right[i] + right[j];
        // The merged pair's terms with a and b before, and with the new cluster after.
        const before = q(colA[i] + colA[j], lij, ra) + q(colB[i] + colB[j], lij, rb) + q(rowA[i] + rowA[j], la, rij) + q(rowB[i] + rowB[j], lb, rij);
        const after = q(N[i * C + a] + N[j * C + a], lij, right[a]) + q(N[a * C + i] + N[a * C + j], left[a], rij);
        const key = i < j ? i * C + j : j * C + i;
        loss[key] += dsi + dsj + before - after;
      }
    }
    for (const x of others) s[x] += -oldA[x] + qc(x, a) + qc(a, x);
    computeS(a);
    for (const x of others) loss[x < a ? x * C + a : a * C + x] = lossOf(x, a);
  }
  // Bit strings from the root down.
  const paths: string[] = new Array(C).fill('');
  if (children.length === 0) return paths;
  const stack: [number, string][] = [[C + children.length - 1, '']];
  while (stack.length) {
    const [n, path] = stack.pop()!;
    if (n < C) {
      paths[n] = path || '0';
      continue;
    }
    const [heavy, light] = children[n - C];
    stack.push([heavy, path + '0'], [light, path + '1']);
  }
  return paths;
}
