// Uniform on [a, b): a + (b − a)·U with a 53-bit U.

import type { Stream } from "../rng.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

/** A draw from uniform(a, b) on [a, b) (a when a = b); NaN when a > b or an end is NaN. */
export function sampleUniform(s: Stream, a: number, b: number): number {
  if (!(a <= b)) return NaN;
  return a + (b - a) * s.uniform();
}

/** uniform(a, b). */
export const uniform: Distribution = {
  name: "uniform",
  arity: 2,
  signature: "uniform(a, b)",
  describe: "Uniform on [a, b): every value between a and b equally likely.",
  discrete: false,
  sample: sampleUniform,
  mean: (p) => (arg(p, 0) <= arg(p, 1) ? 0.5 * (arg(p, 0) + arg(p, 1)) : NaN),
  variance: (p) => {
    const w = arg(p, 1) - arg(p, 0);
    return w >= 0 ? (w * w) / 12 : NaN;
  },
  quantile: (p, q) => {
    const a = arg(p, 0);
    const b = arg(p, 1);
    if (!(a <= b) || !(q >= 0 && q <= 1)) return NaN;
    return a + (b - a) * q;
  },
};
