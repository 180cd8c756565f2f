// Poisson(rate).
//
// rate < 10: inversion by sequential search from 0 (one uniform; about rate + 1 comparisons).
// rate ≥ 10: PTRS, Hörmann's transformed rejection with squeeze ("The transformed rejection method
// for generating Poisson random variables", Insurance: Math. & Econ. 12, 1993), with the constants of
// his paper as used by numpy: b = 0.931 + 2.53√λ, a = −0.059 + 0.02483b, 1/α = 1.1239 + 1.1328/(b − 3.4),
// v_r = 0.9277 − 3.6224/(b − 2). About 1.1–1.3 uniform pairs per draw, and log-gamma only after the
// squeeze fails (≈ 10% of draws).

import type { Stream } from "../rng.js";
import { logGamma, normalQuantile, regularizedGammaQ } from "../special.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

const MAX_RATE = 1e9;
const valid = (rate: number): boolean => rate >= 0 && rate <= MAX_RATE;

/** Inversion for small rates: the smallest k with U < F(k). */
function poissonInversion(s: Stream, rate: number): number {
  const u = s.uniform();
  let p = Math.exp(-rate);
  let f = p;
  let k = 0;
  // F(k) for rate < 10 is 1 to double precision by k ≈ 50; the cap guards a sum that rounds below u.
  while (u >= f && k < 200) {
    k++;
    p *= rate / k;
    f += p;
  }
  return k;
}

/** PTRS (Hörmann 1993) for rate ≥ 10. */
function poissonPtrs(s: Stream, rate: number): number {
  const sqrtRate = Math.sqrt(rate);
  const logRate = Math.log(rate);
  const b = 0.931 + 2.53 * sqrtRate;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = s.uniform() - 0.5;
    const v = s.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -rate + k * logRate - logGamma(k + 1)) return k;
  }
}

/** A draw from poisson(rate); NaN unless 0 ≤ rate ≤ 1e9. */
export function samplePoisson(s: Stream, rate: number): number {
  if (!(rate >= 0 && rate <= MAX_RATE)) return NaN;
  return rate < 10 ? poissonInversion(s, rate) : poissonPtrs(s, rate);
}

/** P(X = k) for X ~ Poisson(rate), k a whole number ≥ 0. */
function pmf(rate: number, k: number): number {
  return rate === 0 ? (k === 0 ? 1 : 0) : Math.exp(-rate + k * Math.log(rate) - logGamma(k + 1));
}

/** P(X ≤ k) for X ~ Poisson(rate) = Q(k + 1, rate), the regularized upper incomplete gamma. */
export function poissonCdf(rate: number, k: number): number {
  if (!valid(rate) || k !== k) return NaN;
  if (k < 0) return 0;
  if (rate === 0) return 1;
  return regularizedGammaQ(Math.floor(k) + 1, rate);
}

/** The smallest k with P(X ≤ k) ≥ q: start from the Cornish–Fisher estimate, then walk by the pmf. */
function poissonQuantile(rate: number, q: number): number {
  if (!valid(rate) || !(q >= 0 && q <= 1)) return NaN;
  if (q === 0 || rate === 0) return 0;
  if (q === 1) return Infinity;
  const z = normalQuantile(q);
  let k = Math.max(0, Math.round(rate + Math.sqrt(rate) * z + (z * z - 1) / 6));
  let f = poissonCdf(rate, k);
  const maxSteps = 1000 + 20 * Math.sqrt(rate);
  if (f >= q) {
    for (let i = 0; i < maxSteps && k > 0; i++) {
      const below = f - pmf(rate, k);
      if (below < q) break;
      f = below;
      k--;
    }
  } else {
    for (let i = 0; i < maxSteps && f < q; i++) {
      k++;
      f += pmf(rate, k);
    }
  }
  return k;
}

/** poisson(rate). */
export const poisson: Distribution = {
  name: "poisson",
  arity: 1,
  signature: "poisson(rate)",
  describe:
    "A count of events that occur independently at the given average rate (0 ≤ rate ≤ 1e9); mean = variance = rate.",
  discrete: true,
  sample: samplePoisson,
  mean: (p) => (valid(arg(p, 0)) ? arg(p, 0) : NaN),
  variance: (p) => (valid(arg(p, 0)) ? arg(p, 0) : NaN),
  quantile: (p, q) => poissonQuantile(arg(p, 0), q),
};
