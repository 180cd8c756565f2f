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

/**
 * The beta shapes of pert(lo, mode, hi) (lo < hi, all finite): the formula as it always was
 * (the same bits), unless 4·(mode − lo) or hi − lo overflows (ends near ±1.8e308); then the same
 * ratios from halves, divided before they are scaled, so the shapes stay in [1, 5].
 */
export function pertShapes(lo: number, mode: number, hi: number): [number, number] {
  const width = hi - lo;
  const a = 1 + (4 * (mode - lo)) / width;
  const b = 1 + (4 * (hi - mode)) / width;
  if (a < Infinity && b < Infinity) return [a, b];
  const half = hi / 2 - lo / 2;
  return [1 + 4 * ((mode / 2 - lo / 2) / half), 1 + 4 * ((hi / 2 - mode / 2) / half)];
}

/** lo + (hi − lo)·x for x in [0, 1], without overflow when hi − lo overflows. */
export function pertAt(lo: number, hi: number, x: number): number {
  const width = hi - lo;
  if (width < Infinity) return lo + width * x;
  const half = (hi / 2 - lo / 2) * x;
  return lo + half + half;
}

/** A draw from pert(lo, mode, hi) (lo when lo = hi); NaN unless lo ≤ mode ≤ hi (all finite). */
export function samplePert(s: Stream, lo: number, mode: number, hi: number): number {
  if (!valid(lo, mode, hi)) return NaN;
  if (hi === lo) return lo;
  const [a, b] = pertShapes(lo, mode, hi);
  return pertAt(lo, hi, sampleBetaUnchecked(s, a, b));
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
    if (hi === lo) return lo;
    const [a, b] = pertShapes(lo, mode, hi);
    return pertAt(lo, hi, betaQuantile(q, a, b));
  },
};
