// Error bars from independent replicates (randomized quasi-Monte Carlo).
//
// A run with R independent scrambles of the same point set gives R independent, unbiased
// estimates of every mean and proportion. The estimate is their mean; its standard error is
// their standard deviation over √R; a 95% interval uses Student's t with R − 1 degrees of
// freedom (the replicate estimates are close to normal: each is itself an average of many paths).
// A paired difference (a lever on and off, two scenarios on the same points) is the same
// computation on the per-replicate differences.

import { betaQuantile } from "../special.js";

/** A replicate-based estimate: the mean, its standard error and a two-sided Student-t interval. */
export interface ReplicateEstimate {
  mean: number;
  se: number;
  low: number;
  high: number;
  /** Degrees of freedom of the interval: replicates − 1. */
  df: number;
}

const tCache = new Map<string, number>();

/**
 * The two-sided quantile t with P(|T| ≤ t) = level for Student's t with df degrees of freedom:
 * t² = df·(1/x − 1) where x is the (1 − level) quantile of beta(df/2, 1/2).
 */
export function studentT(df: number, level = 0.95): number {
  if (!(df >= 1)) return NaN;
  const key = `${df}:${level}`;
  let t = tCache.get(key);
  if (t === undefined) {
    const x = betaQuantile(1 - level, df / 2, 0.5);
    t = Math.sqrt(df * (1 / x - 1));
    tCache.set(key, t);
  }
  return t;
}

/** Mean, standard error (sd/√R) and the 95% Student-t interval of R ≥ 2 replicate estimates. */
export function replicateEstimate(values: ArrayLike<number>, level = 0.95): ReplicateEstimate {
  const R = values.length;
  if (R < 2) throw new Error(`internal: a replicate estimate needs at least 2 replicates, got ${R}`);
  let sum = 0;
  for (let r = 0; r < R; r++) sum += values[r]!;
  const mean = sum / R;
  let ss = 0;
  for (let r = 0; r < R; r++) ss += (values[r]! - mean) ** 2;
  const se = Math.sqrt(ss / (R - 1) / R);
  const half = studentT(R - 1, level) * se;
  return { mean, se, low: mean - half, high: mean + half, df: R - 1 };
}

/** replicateEstimate of the per-replicate differences a[r] − b[r] (a paired comparison). */
export function pairedReplicates(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): ReplicateEstimate {
  if (a.length !== b.length) throw new Error("internal: paired replicates of different lengths");
  const d = new Float64Array(a.length);
  for (let r = 0; r < a.length; r++) d[r] = a[r]! - b[r]!;
  return replicateEstimate(d, level);
}

/**
 * Per-replicate means of per-path values: path p belongs to replicate p mod R (paths interleave
 * the replicates, so the first R·N paths hold N points of each). Values past the last whole
 * round of R are left out.
 */
export function replicateMeans(values: ArrayLike<number>, R: number): Float64Array {
  const n = Math.floor(values.length / R) * R;
  const sums = new Float64Array(R);
  for (let p = 0; p < n; p++) sums[p % R] += values[p]!;
  for (let r = 0; r < R; r++) sums[r] = sums[r]! / (n / R);
  return sums;
}

/**
 * A 95% interval's half-width in standard errors for estimates over `replicates` replicates
 * (rqmc, lhs): Student's t with R − 1 degrees of freedom (2.13 for 16); plain Monte Carlo (no
 * replicates) uses the normal 1.96 (as the reports always printed it; Wilson's intervals use
 * the exact 1.959964). Every ± the reports print is this many standard errors.
 */
export function intervalZ(replicates: number | null | undefined): number {
  return replicates !== null && replicates !== undefined && replicates >= 2 ? studentT(replicates - 1) : 1.96;
}

/** intervalZ as the reports name it: "1.96 SE", "2.13 SE". */
export function intervalLabel(z: number): string {
  return `${z.toFixed(2)} SE`;
}
