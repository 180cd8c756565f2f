// Paired estimates under common random numbers.
//
// Every variant of a scenario sees the same draws on path i, so the difference between two
// variants is best estimated path by path: d_i = y_i(B) − y_i(A), mean(d) ± sd(d)/√n. Its
// standard error is usually far below the unpaired √(se_A² + se_B²), because the shared
// draws cancel. A factorial effect is the same idea with more than two variants: a per-path
// contrast Σ_m w_m · y_i(m) over the 2^k lever combinations m.

import { replicateEstimate, replicateMeans } from "../engine/stats/replicates.js";

/** A mean over paths with its standard error √(var/n) (population variance, as for S(t)). */
export interface Estimate {
  value: number;
  se: number;
}

/**
 * The mean of per-path values and its standard error. With `replicates` R > 0 (an rqmc or lhs
 * run, path p in replicate p mod R), the mean of the R replicate means and their sd/√R;
 * otherwise the paths' mean and √(var/n).
 */
export function meanWithSe(xs: ArrayLike<number>, replicates = 0): Estimate {
  if (replicates > 0) {
    const e = replicateEstimate(replicateMeans(xs, replicates));
    return { value: e.mean, se: e.se };
  }
  const n = xs.length;
  if (n === 0) return { value: NaN, se: NaN };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - mean;
    ss += d * d;
  }
  return { value: mean, se: Math.sqrt(ss / n / n) };
}

/**
 * mean(b − a) with its paired standard error; a and b are per-path outputs of two variants (with
 * `replicates`, the standard error of the per-replicate differences).
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, replicates = 0): Estimate {
  if (a.length !== b.length) throw new Error(`internal: paired arrays differ in length (${a.length}, ${b.length})`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < d.length; i++) d[i] = b[i]! - a[i]!;
  return meanWithSe(d, replicates);
}

/** One factorial effect: a main effect (one lever) or a two-way interaction (two levers). */
export interface FactorialEffect {
  /** Indices of the levers, in lever order. */
  factors: number[];
  value: number;
  se: number;
}

/**
 * Main effects and two-way interactions of a 2^k full factorial, accumulated one combination
 * at a time so only k + k(k−1)/2 per-path arrays are kept, never all 2^k.
 *
 * With s_j(m) = +1 when lever j is on in combination m and −1 when off:
 * - main effect of j = Σ_m s_j(m) y(m) / 2^(k−1): the mean of y with j on minus with j off,
 *   averaged over every setting of the other levers;
 * - interaction of j, l = Σ_m s_j(m) s_l(m) y(m) / 2^(k−2): the average of
 *   y(both) − y(j only) − y(l only) + y(neither), i.e. what the pair adds beyond the sum of
 *   their separate effects (positive: they work better together).
 */
export class FactorialAccumulator {
  readonly k: number;
  readonly n: number;
  private readonly effects: { factors: number[]; sum: Float64Array }[] = [];
  private readonly seen = new Set<number>();

  constructor(k: number, n: number) {
    this.k = k;
    this.n = n;
    for (let j = 0; j < k; j++) this.effects.push({ factors: [j], sum: new Float64Array(n) });
    for (let j = 0; j < k; j++)
      for (let l = j + 1; l < k; l++) this.effects.push({ factors: [j, l], sum: new Float64Array(n) });
  }

  /** Adds the per-path output y of the combination whose bit j is lever j. */
  add(mask: number, y: ArrayLike<number>): void {
    if (y.length !== this.n) throw new Error(`internal: expected ${this.n} values, got ${y.length}`);
    if (this.seen.has(mask)) throw new Error(`internal: combination ${mask} added twice`);
    this.seen.add(mask);
    for (const e of this.effects) {
      let sign = 1;
      for (const j of e.factors) if (!(mask & (1 << j))) sign = -sign;
      const w = sign / 2 ** (this.k - e.factors.length);
      const sum = e.sum;
      for (let i = 0; i < this.n; i++) sum[i] += w * y[i]!;
    }
  }

  /** The effects, mains first then interactions in (j, l) order. Needs every combination. */
  finish(replicates = 0): FactorialEffect[] {
    if (this.seen.size !== 2 ** this.k)
      throw new Error(`internal: ${this.seen.size} of ${2 ** this.k} combinations added`);
    return this.effects.map((e) => ({ factors: e.factors, ...meanWithSe(e.sum, replicates) }));
  }
}
