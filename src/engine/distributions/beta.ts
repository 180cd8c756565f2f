// Beta(a, b) as X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Marsaglia–Tsang gammas, see gamma.ts).
// When a shape is below 1 the ratio is formed from the logs, 1/(1 + exp(log Y − log X)), because
// U^(1/k) underflows to 0 for small k and X/(X + Y) would be 0/0.
// Quantiles invert the regularized incomplete beta numerically (special.ts).

import type { Stream } from "../rng.js";
import { betaQuantile } from "../special.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";
import { sampleGamma, sampleLogGamma } from "./gamma.js";

function valid(a: number, b: number): boolean {
  return a > 0 && b > 0 && a < Infinity && b < Infinity;
}

/** A draw from beta(a, b) on [0, 1] without checking the shapes (pert passes shapes ≥ 1). */
export function sampleBetaUnchecked(s: Stream, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const x = sampleGamma(s, a);
    return x / (x + sampleGamma(s, b));
  }
  const lx = sampleLogGamma(s, a);
  return 1 / (1 + Math.exp(sampleLogGamma(s, b) - lx));
}

/** A draw from beta(a, b) on [0, 1]; NaN unless both shapes are positive and finite. */
export function sampleBeta(s: Stream, a: number, b: number): number {
  if (!valid(a, b)) return NaN;
  return sampleBetaUnchecked(s, a, b);
}

/** beta(a, b). */
export const beta: Distribution = {
  name: "beta",
  arity: 2,
  signature: "beta(a, b)",
  describe: "Beta distribution on [0, 1] with shapes a, b > 0; mean a/(a + b). Drawn as a ratio of two gammas.",
  discrete: false,
  sample: sampleBeta,
  mean: (p) => (valid(arg(p, 0), arg(p, 1)) ? arg(p, 0) / (arg(p, 0) + arg(p, 1)) : NaN),
  variance: (p) => {
    const a = arg(p, 0);
    const b = arg(p, 1);
    if (!valid(a, b)) return NaN;
    const t = a + b;
    return (a * b) / (t * t * (t + 1));
  },
  quantile: (p, q) => (valid(arg(p, 0), arg(p, 1)) ? betaQuantile(q, arg(p, 0), arg(p, 1)) : NaN),
};
