// Gamma(shape, 1): Marsaglia & Tsang, "A Simple Method for Generating Gamma Variables" (ACM TOMS
// 26(3), 2000). With d = k − 1/3 and c = 1/√(9d), v = (1 + c·Z)³ for a normal Z is accepted when
// log U < Z²/2 + d − d·v + d·log v; the squeeze U < 1 − 0.0331·Z⁴ (their constant) skips the logs
// for about 98% of draws. Shape k < 1 is boosted: Gamma(k) = Gamma(k + 1)·U^(1/k).
// Not a scenario-language builtin; beta and pert are built on it.

import type { Stream } from "../rng.js";
import { sampleStdNormal } from "./normal.js";

/** A draw from Gamma(shape, scale 1) for shape ≥ 1 (Marsaglia–Tsang squeeze). */
function gammaAtLeastOne(s: Stream, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = sampleStdNormal(s);
    let v = 1 + c * z;
    if (v <= 0) continue;
    v = v * v * v;
    const u = s.uniform();
    const z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return d * v;
    if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A draw from Gamma(shape, 1) (mean = variance = shape); NaN unless 0 < shape < Infinity. */
export function sampleGamma(s: Stream, shape: number): number {
  if (!(shape > 0 && shape < Infinity)) return NaN;
  if (shape >= 1) return gammaAtLeastOne(s, shape);
  return gammaAtLeastOne(s, shape + 1) * Math.pow(s.uniformOpen0(), 1 / shape);
}

/**
 * log of a Gamma(shape, 1) draw. For shape < 1 the U^(1/k) boost is applied as log(U)/k, so very
 * small shapes (whose draws underflow to 0) still give finite logs; beta(a, b) with small shapes needs this.
 */
export function sampleLogGamma(s: Stream, shape: number): number {
  if (!(shape > 0 && shape < Infinity)) return NaN;
  if (shape >= 1) return Math.log(gammaAtLeastOne(s, shape));
  return Math.log(gammaAtLeastOne(s, shape + 1)) + Math.log(s.uniformOpen0()) / shape;
}
