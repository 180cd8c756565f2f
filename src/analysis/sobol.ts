// Variance-based (Sobol) sensitivity indices from the Saltelli sampling scheme.
//
// A and B are two independent N × k samples of the params; A_B^i is A with column i taken
// from B. With f(·) the output of each row (Saltelli et al. 2010, "Variance based sensitivity
// analysis of model output", Table 2, estimators (b) and (f)):
//
//   V     = Var over the 2N rows of A and B
//   V_i   = (1/N) Σ_j f(B)_j · (f(A_B^i)_j − f(A)_j)        first order  (Saltelli 2010)
//   V_Ti  = (1/2N) Σ_j (f(A)_j − f(A_B^i)_j)²               total        (Jansen 1999)
//   S_i = V_i / V,  ST_i = V_Ti / V
//
// f(B) is centred on the pooled mean first: E[f(A_B^i) − f(A)] = 0, so any constant may be
// subtracted without bias, and the mean's removal cuts the estimator's variance when the
// output sits far from zero (cash in billions).
//
// The model's own month-to-month noise acts as one more input. The caller runs A and B on
// different paths (so their noise is independent) and A_B^i on A's paths (so A_B^i shares A's
// noise): then V_i is the share of param i alone and V_Ti includes its interactions with the
// noise, and Σ S_i < 1 leaves room for the noise.
//
// Intervals: a nonparametric bootstrap over rows j (the same rows for A, B and every A_B^i,
// which keeps them paired), percentile intervals at the chosen confidence.

import { Stream, seedWords, siteId } from "../engine/rng.js";

export interface SobolEstimate {
  first: number;
  firstLow: number;
  firstHigh: number;
  total: number;
  totalLow: number;
  totalHigh: number;
}

export interface SobolEstimateOptions {
  /** Bootstrap replicates (default 1000). */
  bootstrap?: number;
  /** Interval coverage (default 0.95). */
  confidence?: number;
  /** Seed of the bootstrap resampling (default 0). */
  seed?: number;
}

/** Sums over the rows listed in `rows` (or all rows when null) that make up every index. */
function indexSums(
  fA: Float64Array,
  fB: Float64Array,
  fAB: readonly Float64Array[],
  center: number,
  rows: Uint32Array | null,
): { variance: number; first: Float64Array; total: Float64Array } {
  const n = fA.length;
  const k = fAB.length;
  let s = 0;
  let ss = 0;
  for (let r = 0; r < n; r++) {
    const j = rows ? rows[r]! : r;
    const a = fA[j]! - center;
    const b = fB[j]! - center;
    s += a + b;
    ss += a * a + b * b;
  }
  const mean = s / (2 * n);
  const variance = ss / (2 * n) - mean * mean;
  const first = new Float64Array(k);
  const total = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const f = fAB[i]!;
    let v = 0;
    let vt = 0;
    for (let r = 0; r < n; r++) {
      const j = rows ? rows[r]! : r;
      const d = f[j]! - fA[j]!;
      v += (fB[j]! - center) * d;
      vt += d * d;
    }
    first[i] = v / n / variance;
    total[i] = vt / (2 * n) / variance;
  }
  return { variance, first, total };
}

/** Sobol first-order and total indices of each of the k inputs, with bootstrap intervals. */
export function estimateSobol(
  fA: Float64Array,
  fB: Float64Array,
  fAB: readonly Float64Array[],
  options: SobolEstimateOptions = {},
): SobolEstimate[] {
  const n = fA.length;
  if (fB.length !== n || fAB.some((f) => f.length !== n))
    throw new Error("internal: Sobol output arrays differ in length");
  const replicates = options.bootstrap ?? 1000;
  const confidence = options.confidence ?? 0.95;
  let center = 0;
  for (let j = 0; j < n; j++) center += fA[j]! + fB[j]!;
  center /= 2 * n;

  const point = indexSums(fA, fB, fAB, center, null);
  const k = fAB.length;
  if (!(point.variance > 0)) {
    // A constant output: nothing to apportion. Report zeros rather than 0/0.
    return fAB.map(() => ({ first: 0, firstLow: 0, firstHigh: 0, total: 0, totalLow: 0, totalHigh: 0 }));
  }

  const firstReps = Array.from({ length: k }, () => new Float64Array(replicates));
  const totalReps = Array.from({ length: k }, () => new Float64Array(replicates));
  const [seedLo, seedHi] = seedWords(options.seed ?? 0);
  const site = siteId("analysis/sobol-bootstrap", 0);
  const stream = new Stream();
  const rows = new Uint32Array(n);
  for (let b = 0; b < replicates; b++) {
    stream.reset(seedLo, seedHi, b, site, 0);
    for (let r = 0; r < n; r++) rows[r] = Math.floor(stream.uniform() * n);
    const rep = indexSums(fA, fB, fAB, center, rows);
    for (let i = 0; i < k; i++) {
      firstReps[i]![b] = rep.first[i]!;
      totalReps[i]![b] = rep.total[i]!;
    }
  }
  const lo = (1 - confidence) / 2;
  const hi = 1 - lo;
  return fAB.map((_, i) => {
    const f = firstReps[i]!.sort();
    const t = totalReps[i]!.sort();
    return {
      first: point.first[i]!,
      firstLow: sortedQuantile(f, lo),
      firstHigh: sortedQuantile(f, hi),
      total: point.total[i]!,
      totalLow: sortedQuantile(t, lo),
      totalHigh: sortedQuantile(t, hi),
    };
  });
}

function sortedQuantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The Saltelli sample matrices, column by column: A[i] and B[i] hold N draws of input i,
 * made by inverse transform from seeded uniforms, so the same seed gives the same matrices.
 * `quantiles[i]` maps p in (0, 1) to input i's value.
 */
export function sampleSaltelli(
  quantiles: readonly ((p: number) => number)[],
  names: readonly string[],
  n: number,
  seed: number,
): { A: Float64Array[]; B: Float64Array[] } {
  const [seedLo, seedHi] = seedWords(seed);
  const stream = new Stream();
  const draw = (name: string, matrix: number, q: (p: number) => number): Float64Array => {
    const site = siteId(`analysis/sobol/${name}`, matrix);
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      stream.reset(seedLo, seedHi, j, site, 0);
      out[j] = q(stream.uniformOpen0() * (1 - 2 ** -53));
    }
    return out;
  };
  return {
    A: quantiles.map((q, i) => draw(names[i]!, 0, q)),
    B: quantiles.map((q, i) => draw(names[i]!, 1, q)),
  };
}
