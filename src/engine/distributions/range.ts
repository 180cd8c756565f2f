// `a to b`: a 90% interval, so a and b are the 5th and 95th percentiles.
//
// When 0 < a < b the quantity is read as positive and multiplicative (money, counts): a lognormal with
// log a and log b at z = ∓1.6448536269514722, i.e. μ = (log a + log b)/2, σ = (log b − log a)/(2z).
// Otherwise (an end ≤ 0, as in `-5% to 10%`) it is the normal with a and b at those z: mean (a + b)/2,
// sd (b − a)/(2z). a = b gives a (a normal with sd 0); a > b is invalid (NaN), as is a NaN end.

import type { Stream } from "../rng.js";
import { normalQuantile } from "../special.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";
import { lognormalMean, lognormalQuantile, lognormalVariance } from "./lognormal.js";
import { sampleStdNormal } from "./normal.js";

/** z of the 95th percentile of the standard normal: `a to b` spans ±Z95 standard deviations. */
export const Z95 = 1.6448536269514722;
const HALF_OVER_Z95 = 0.5 / Z95;

/** A draw from `a to b` (lognormal when 0 < a < b, else normal); NaN when a > b or an end is NaN. */
export function sampleRange(s: Stream, a: number, b: number): number {
  if (a > 0 && a < b) {
    const la = Math.log(a);
    const lb = Math.log(b);
    return Math.exp(0.5 * (la + lb) + (lb - la) * HALF_OVER_Z95 * sampleStdNormal(s));
  }
  if (!(a <= b)) return NaN;
  return 0.5 * (a + b) + (b - a) * HALF_OVER_Z95 * sampleStdNormal(s);
}

/** The distribution `a to b` stands for: its family and the two parameters of that family. */
export function rangeParams(a: number, b: number): { family: "lognormal" | "normal"; mu: number; sigma: number } {
  if (a > 0 && a < b) {
    const la = Math.log(a);
    const lb = Math.log(b);
    return { family: "lognormal", mu: 0.5 * (la + lb), sigma: (lb - la) * HALF_OVER_Z95 };
  }
  return { family: "normal", mu: 0.5 * (a + b), sigma: a <= b ? (b - a) * HALF_OVER_Z95 : NaN };
}

/** `a to b`: the 90% interval [a, b]. */
export const range: Distribution = {
  name: "range",
  arity: 2,
  signature: "a to b",
  describe:
    "A 90% interval: a and b are the 5th and 95th percentiles. Lognormal when 0 < a < b " +
    "(a positive, multiplicative quantity), normal otherwise.",
  discrete: false,
  sample: sampleRange,
  mean: (p) => {
    const r = rangeParams(arg(p, 0), arg(p, 1));
    return r.family === "lognormal" ? lognormalMean(r.mu, r.sigma) : r.sigma >= 0 ? r.mu : NaN;
  },
  variance: (p) => {
    const r = rangeParams(arg(p, 0), arg(p, 1));
    return r.family === "lognormal" ? lognormalVariance(r.mu, r.sigma) : r.sigma >= 0 ? r.sigma * r.sigma : NaN;
  },
  quantile: (p, q) => {
    const r = rangeParams(arg(p, 0), arg(p, 1));
    if (r.family === "lognormal") return lognormalQuantile(r.mu, r.sigma, q);
    if (!(r.sigma >= 0) || !(q >= 0 && q <= 1)) return NaN;
    return r.sigma === 0 ? r.mu : r.mu + r.sigma * normalQuantile(q);
  },
};
