/**
 * Fitting the classifier weights (model.ts) from labelled pages. Pure: the
 * caller reads the files. Used by scripts/eval-boilerplate.ts (--fit prints
 * new weights, --split refits on one half of the pages and scores the other).
 *
 * A line's label is "article" when at least half of its 4-token shingles
 * occur in the gold body (short lines: when the line occurs in it verbatim).
 * Lines are weighted by √tokens and every page has the same total weight, as
 * in the metric. Each page is also seen without blank lines (weight 0.5), so
 * the weights hold for scrapers that do not separate paragraphs.
 */
import { analyse } from './index';
import { tokenize } from './metric';
import { DEFAULT_MODEL, type Model } from './model';

export interface LabelledPage {
  text: string;
  gold: string;
  /** Weight of the page in the fit (default 1): a second, silver source can count less. */
  weight?: number;
}

export interface FitOptions {
  /** L2 penalty of the logistic regressions (default 0.0005). */
  l2?: number;
  /** Adam iterations per regression (default 1500). */
  iterations?: number;
}

interface Row {
  x: number[];
  y: number;
  w: number;
}

const FLAT_WEIGHT = 0.5;

/** Stage-1 rows depend on the page alone (not on any weights): computed once per page, whatever the bag or fold. */
const stage1Rows = new WeakMap<LabelledPage, Row[]>();

function rowsOf(pages: readonly LabelledPage[], model: Model, stage: 1 | 2): Row[] {
  const rows: Row[] = [];
  for (const page of pages) {
    const cached = stage === 1 ? stage1Rows.get(page) : undefined;
    if (cached) {
      for (const r of cached) rows.push(r);
      continue;
    }
    const start = rows.length;
    const gt = tokenize(page.gold);
    const shingles = new Set<string>();
    for (let i = 0; i + 3 < gt.length; i++) shingles.add(gt.slice(i, i + 4).join(' '));
    const body = ` ${gt.join(' ')} `;
    const variants: [string, number][] = [
      [page.text, 1],
      [page.text.replace(/\n\s*\n/g, '\n'), FLAT_WEIGHT],
    ];
    for (const [text, pageWeight] of variants) {
      const a = analyse(text, { model });
      const pr: Row[] = [];
      a.lines.forEach((l, i) => {
        const t = tokenize(l.text);
        if (!t.length) return;
        let y: number;
        if (t.length >= 4) {
          let hits = 0;
          for (let k = 0; k + 3 < t.length; k++) if (shingles.has(t.slice(k, k + 4).join(' '))) hits++;
          y = hits / (t.length - 3) >= 0.5 ? 1 : 0;
        } else {
          y = body.includes(` ${t.join(' ')} `) ? 1 : 0;
        }
        pr.push({ x: stage === 1 ? a.x1[i]! : a.x2[i]!, y, w: Math.sqrt(t.length) });
      });
      const total = pr.reduce((s, r) => s + r.w, 0);
      for (const r of pr) {
        r.w = (r.w / total) * 100 * pageWeight * (page.weight ?? 1);
        rows.push(r);
      }
    }
    if (stage === 1) stage1Rows.set(page, rows.slice(start));
  }
  return rows;
}

/** L2-regularised logistic regression, Adam (plain gradient descent stalls on these feature scales). */
function fitLogistic(rows: readonly Row[], dims: number, iterations = 1500, l2 = 0.0005): number[] {
  const w = new Array<number>(dims).fill(0);
  const m = new Array<number>(dims).fill(0);
  const v = new Array<number>(dims).fill(0);
  const lr = 0.05;
  const W = rows.reduce((s, r) => s + r.w, 0);
  const g = new Array<number>(dims);
  for (let it = 1; it <= iterations; it++) {
    g.fill(0);
    for (const r of rows) {
      let z = 0;
      for (let k = 0; k < dims; k++) z += w[k]! * r.x[k]!;
      const e = (1 / (1 + Math.exp(-z)) - r.y) * r.w;
      for (let k = 0; k < dims; k++) g[k]! += e * r.x[k]!;
    }
    for (let k = 0; k < dims; k++) {
      const gk = g[k]! / W + l2 * w[k]!;
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      w[k]! -= (lr * (m[k]! / (1 - 0.9 ** it))) / (Math.sqrt(v[k]! / (1 - 0.999 ** it)) + 1e-8);
    }
  }
  return w.map((x) => Math.round(x * 1000) / 1000);
}

/** Fits stage 1, then stage 2 on top of it; other model settings are kept. */
export function fitModel(pages: readonly LabelledPage[], base: Model = DEFAULT_MODEL, opts: FitOptions = {}): Model {
  const r1 = rowsOf(pages, base, 1);
  const stage1 = fitLogistic(r1, r1[0]?.x.length ?? 0, opts.iterations, opts.l2);
  const withStage1 = { ...base, stage1 };
  const r2 = rowsOf(pages, withStage1, 2);
  const stage2 = fitLogistic(r2, r2[0]?.x.length ?? 0, opts.iterations, opts.l2);
  return { ...withStage1, stage2 };
}

/**
 * Bagging: fits on `bags` bootstrap samples of the pages and averages the
 * weights. With a few dozen pages a single fit follows individual pages too
 * closely; the average generalises better (split-half F1 +0.01).
 */
export function fitBagged(pages: readonly LabelledPage[], bags = 8, seed = 7, base: Model = DEFAULT_MODEL, opts: FitOptions = {}): Model {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const models: Model[] = [];
  for (let b = 0; b < bags; b++) {
    const sample = pages.map(() => pages[Math.floor(rand() * pages.length)]!);
    models.push(fitModel(sample, base, opts));
  }
  const avg = (key: 'stage1' | 'stage2'): number[] =>
    models[0]![key].map((_, i) => Math.round((models.reduce((t, m) => t + m[key][i]!, 0) / models.length) * 1000) / 1000);
  return { ...base, stage1: avg('stage1'), stage2: avg('stage2') };
}
