// Triangular by inverse CDF: one uniform, two branches around the mode.

import type { Stream } from "../rng.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

function valid(lo: number, mode: number, hi: number): boolean {
  return lo <= mode && mode <= hi && lo > -Infinity && hi < Infinity;
}

/** F⁻¹(u) of triangular(lo, mode, hi), for valid params. */
function inverseCdf(lo: number, mode: number, hi: number, u: number): number {
  const width = hi - lo;
  if (width === 0) return lo;
  const left = mode - lo;
  if (u * width < left) return lo + Math.sqrt(u * width * left);
  return hi - Math.sqrt((1 - u) * width * (hi - mode));
}

/** A draw from triangular(lo, mode, hi); NaN unless lo ≤ mode ≤ hi (all finite). */
export function sampleTriangular(s: Stream, lo: number, mode: number, hi: number): number {
  if (!valid(lo, mode, hi)) return NaN;
  return inverseCdf(lo, mode, hi, s.uniform());
}

/** triangular(lo, mode, hi). */
export const triangular: Distribution = {
  name: "triangular",
  arity: 3,
  signature: "triangular(lo, mode, hi)",
  describe: "Triangular on [lo, hi], peaking at mode: density rises linearly from lo to mode and falls to hi.",
  discrete: false,
  sample: sampleTriangular,
  mean: (p) => (valid(arg(p, 0), arg(p, 1), arg(p, 2)) ? (arg(p, 0) + arg(p, 1) + arg(p, 2)) / 3 : NaN),
  variance: (p) => {
    const a = arg(p, 0);
    const c = arg(p, 1);
    const b = arg(p, 2);
    if (!valid(a, c, b)) return NaN;
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
  },
  quantile: (p, q) => {
    const lo = arg(p, 0);
    const mode = arg(p, 1);
    const hi = arg(p, 2);
    if (!valid(lo, mode, hi) || !(q >= 0 && q <= 1)) return NaN;
    return inverseCdf(lo, mode, hi, q);
  },
};
