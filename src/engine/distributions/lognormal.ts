// Lognormal: exp of a ziggurat normal draw.

import type { Stream } from "../rng.js";
import { normalQuantile } from "../special.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";
import { sampleStdNormal } from "./normal.js";

/** A draw from lognormal(mu, sigma) = exp(normal(mu, sigma)); NaN when sigma < 0 or a parameter is NaN. */
export function sampleLognormal(s: Stream, mu: number, sigma: number): number {
  if (!(sigma >= 0)) return NaN;
  return Math.exp(mu + sigma * sampleStdNormal(s));
}

/** Mean exp(μ + σ²/2) of lognormal(mu, sigma). */
export function lognormalMean(mu: number, sigma: number): number {
  return sigma >= 0 ? Math.exp(mu + 0.5 * sigma * sigma) : NaN;
}

/** Variance (exp(σ²) − 1)·exp(2μ + σ²) of lognormal(mu, sigma). */
export function lognormalVariance(mu: number, sigma: number): number {
  return sigma >= 0 ? Math.expm1(sigma * sigma) * Math.exp(2 * mu + sigma * sigma) : NaN;
}

/** The q-quantile exp(μ + σ·Φ⁻¹(q)) of lognormal(mu, sigma). */
export function lognormalQuantile(mu: number, sigma: number, q: number): number {
  if (!(sigma >= 0) || !(q >= 0 && q <= 1)) return NaN;
  return sigma === 0 ? Math.exp(mu) : Math.exp(mu + sigma * normalQuantile(q));
}

/** lognormal(mu, sigma): mu and sigma are the mean and sd of the logarithm. */
export const lognormal: Distribution = {
  name: "lognormal",
  arity: 2,
  signature: "lognormal(mu, sigma)",
  describe: "exp of normal(mu, sigma): positive, right-skewed; mu and sigma ≥ 0 are the mean and sd of its logarithm.",
  discrete: false,
  sample: sampleLognormal,
  mean: (p) => lognormalMean(arg(p, 0), arg(p, 1)),
  variance: (p) => lognormalVariance(arg(p, 0), arg(p, 1)),
  quantile: (p, q) => lognormalQuantile(arg(p, 0), arg(p, 1), q),
};
