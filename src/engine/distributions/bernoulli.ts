// Bernoulli: 1 when a 53-bit uniform falls below p.

import type { Stream } from "../rng.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

const valid = (p: number): boolean => p >= 0 && p <= 1;

/** A draw from bernoulli(p): 1 with probability p, else 0; NaN unless 0 ≤ p ≤ 1. */
export function sampleBernoulli(s: Stream, p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  return s.below(p); // uniform() < p, usually from one word
}

/** bernoulli(p). */
export const bernoulli: Distribution = {
  name: "bernoulli",
  arity: 1,
  signature: "bernoulli(p)",
  describe: "1 with probability p, else 0 (0 ≤ p ≤ 1): whether an event happens.",
  discrete: true,
  sample: sampleBernoulli,
  mean: (params) => (valid(arg(params, 0)) ? arg(params, 0) : NaN),
  variance: (params) => {
    const p = arg(params, 0);
    return valid(p) ? p * (1 - p) : NaN;
  },
  quantile: (params, q) => {
    const p = arg(params, 0);
    if (!valid(p) || !(q >= 0 && q <= 1)) return NaN;
    return q <= 1 - p ? 0 : 1; // smallest k with F(k) ≥ q; F(0) = 1 − p
  },
};
