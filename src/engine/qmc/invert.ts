// Draws by inversion: each distribution's value from one coordinate of a scrambled Sobol' point.
//
// The normal family (normal, lognormal, `a to b`) takes z = Φ⁻¹(u), which the block fill computes
// once per coordinate (Wichura's AS241, special.ts); the others take the uniform u in (0, 1).
// Parameter checks and NaN results are the same as the counter-stream samplers'.

import { pertAt, pertShapes } from "../distributions/pert.js";
import { poissonCdf } from "../distributions/poisson.js";
import { rangeParams } from "../distributions/range.js";
import { betaQuantile, logGamma, normalQuantile } from "../special.js";

export { inverseNormal } from "./block.js";

/** The kinds of a QMC coordinate in a block (QmcLayout's pathKinds and monthKinds). */
export const QMC_U = 0;
/** Stored as z = Φ⁻¹(u), for a normal-family draw always taken. */
export const QMC_Z = 1;
/** A normal-family draw that may not be taken: stored as u, the kernel takes Φ⁻¹(u) when it is. */
export const QMC_LAZY_Z = 2;

/** normal(mean, sd) from z. */
export function qNormal(z: number, mean: number, sd: number): number {
  if (!(sd >= 0)) return NaN;
  return mean + sd * z;
}

/** lognormal(mu, sigma) from z. */
export function qLognormal(z: number, mu: number, sigma: number): number {
  if (!(sigma >= 0)) return NaN;
  return Math.exp(mu + sigma * z);
}

/** `a to b` from z (lognormal when 0 < a < b, else normal). */
export function qRange(z: number, a: number, b: number): number {
  const r = rangeParams(a, b);
  if (r.family === "lognormal") return Math.exp(r.mu + r.sigma * z);
  if (!(r.sigma >= 0)) return NaN;
  return r.mu + r.sigma * z;
}

/** uniform(a, b) from u. */
export function qUniform(u: number, a: number, b: number): number {
  if (!(a <= b)) return NaN;
  return a + (b - a) * u;
}

const MAX_SPAN = 9007199254740991;

/** integer(a, b) from u: a + ⌊u·n⌋, n = b − a + 1. */
export function qInteger(u: number, a: number, b: number): number {
  if (!(Number.isInteger(a) && Number.isInteger(b) && a <= b && b - a < MAX_SPAN)) return NaN;
  const n = b - a + 1;
  const k = Math.floor(u * n);
  return k < n ? a + k : b;
}

/** triangular(lo, mode, hi) from u. */
export function qTriangular(u: number, lo: number, mode: number, hi: number): number {
  if (!(lo <= mode && mode <= hi && lo > -Infinity && hi < Infinity)) return NaN;
  const width = hi - lo;
  if (width === 0) return lo;
  const left = mode - lo;
  if (u * width < left) return lo + Math.sqrt(u * width * left);
  return hi - Math.sqrt((1 - u) * width * (hi - mode));
}

/** beta(a, b) from u (the regularized incomplete beta inverted numerically). */
export function qBeta(u: number, a: number, b: number): number {
  if (!(a > 0 && b > 0 && a < Infinity && b < Infinity)) return NaN;
  return betaQuantile(u, a, b);
}

/** pert(lo, mode, hi) from u. */
export function qPert(u: number, lo: number, mode: number, hi: number): number {
  if (!(lo <= mode && mode <= hi && lo > -Infinity && hi < Infinity)) return NaN;
  if (hi === lo) return lo;
  const [a, b] = pertShapes(lo, mode, hi);
  return pertAt(lo, hi, betaQuantile(u, a, b));
}

/** bernoulli(p) from u: 1 when u < p (as the counter stream's below()). */
export function qBernoulli(u: number, p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  return u < p ? 1 : 0;
}

/** poisson(rate) from u: the smallest k with F(k) > u, by a walk from the Cornish–Fisher start. */
export function qPoisson(u: number, rate: number): number {
  if (!(rate >= 0 && rate <= 1e9)) return NaN;
  if (rate === 0) return 0;
  if (rate < 30) {
    let p = Math.exp(-rate);
    let f = p;
    let k = 0;
    while (u >= f && k < 400) {
      k++;
      p *= rate / k;
      f += p;
    }
    return k;
  }
  // Large rates: start from the Cornish–Fisher estimate, then walk by the pmf.
  const z = normalQuantile(u);
  let k = Math.max(0, Math.round(rate + Math.sqrt(rate) * z + (z * z - 1) / 6));
  const pmf = (j: number) => Math.exp(-rate + j * Math.log(rate) - logGamma(j + 1));
  let f = poissonCdf(rate, k);
  while (k > 0 && f - pmf(k) > u) {
    f -= pmf(k);
    k--;
  }
  while (f <= u) {
    k++;
    f += pmf(k);
  }
  return k;
}

/** The inverse sampler of each distribution, and whether it takes z (the normal family) or u. */
export const INVERSE_OF: Readonly<Record<string, { fn: string; z: boolean }>> = {
  normal: { fn: "qNormal", z: true },
  lognormal: { fn: "qLognormal", z: true },
  range: { fn: "qRange", z: true },
  uniform: { fn: "qUniform", z: false },
  integer: { fn: "qInteger", z: false },
  triangular: { fn: "qTriangular", z: false },
  pert: { fn: "qPert", z: false },
  beta: { fn: "qBeta", z: false },
  bernoulli: { fn: "qBernoulli", z: false },
  poisson: { fn: "qPoisson", z: false },
};
