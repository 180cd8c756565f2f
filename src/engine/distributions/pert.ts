// PERT(lo, mode, hi): the beta distribution rescaled to [lo, hi] with shapes
// α = 1 + 4(mode − lo)/(hi − lo), β = 1 + 4(hi − mode)/(hi − lo) (the classic λ = 4 weighting), so its
// mean is (lo + 4·mode + hi)/6. Both shapes are ≥ 1, so the direct gamma ratio is safe.

import type { Stream } from "../rng.js";
import { betaQuantile } from "../special.js";
import { sampleBetaUnchecked } from "./beta.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

function valid(lo: number, mode: number, hi: number): boolean {
  return lo <= mode && mode <= hi && lo > -Infinity && hi < Infinity;
}

/** A draw from pert(lo, mode, hi) (lo when lo = hi); NaN unless lo ≤ mode ≤ hi (all finite). */
export function samplePert(s: Stream, lo: number, mode: number, hi: number): number {
  if (!valid(lo, mode, hi)) return NaN;
  const width = hi - lo;
  if (width === 0) return lo;
  const a = 1 + (4 * (mode - lo)) / width;
  const b = 1 + (4 * (hi - mode)) / width;
  return lo + width * sampleBetaUnchecked(s, a, b);
}

/** pert(lo, mode, hi). */
export const pert: Distribution = {
  name: "pert",
  arity: 3,
  signature: "pert(lo, mode, hi)",
  describe:
    "PERT: a smooth beta-shaped estimate on [lo, hi] with most likely value mode; mean (lo + 4·mode + hi)/6. " +
    "Rounder and thinner-tailed than triangular.",
  discrete: false,
  sample: samplePert,
  mean: (p) => (valid(arg(p, 0), arg(p, 1), arg(p, 2)) ? (arg(p, 0) + 4 * arg(p, 1) + arg(p, 2)) / 6 : NaN),
  variance: (p) => {
    const lo = arg(p, 0);
    const hi = arg(p, 2);
    if (!valid(lo, arg(p, 1), hi)) return NaN;
    const m = (lo + 4 * arg(p, 1) + hi) / 6;
    return ((m - lo) * (hi - m)) / 7;
  },
  quantile: (p, q) => {
    const lo = arg(p, 0);
    const mode = arg(p, 1);
    const hi = arg(p, 2);
    if (!valid(lo, mode, hi) || !(q >= 0 && q <= 1)) return NaN;
    const width = hi - lo;
    if (width === 0) return lo;
    return lo + width * betaQuantile(q, 1 + (4 * (mode - lo)) / width, 1 + (4 * (hi - mode)) / width);
  },
};
