// Normal: 128-layer ziggurat (Marsaglia & Tsang, "The Ziggurat Method for Generating Random
// Variables", J. Stat. Softw. 5(8), 2000) in Doornik's ZIGNOR form ("An Improved Ziggurat Method to
// Generate Normal Random Samples", 2005).
//
// The density f(x) = exp(−x²/2) is covered by 128 layers of equal area V. Layer i ≥ 1 is the
// rectangle [0, x_i] × [f(x_i), f(x_{i+1})]; layer 0 is [0, x_0] × [0, f(R)] where x_0 = V/f(R),
// i.e. the rectangle under f(R) plus the tail beyond R, with equal area. A draw picks a layer i and
// u uniform in (−1, 1); x = u·x_i is accepted at once when |u| < x_{i+1}/x_i (about 98.8% of draws).
// Otherwise: in layer 0 the draw comes from the tail by Marsaglia's 1964 method (R + |log U₁|/R,
// accepted when −2 log U₂ ≥ (log U₁/R)²); in the others x lies in a wedge and is accepted when a uniform
// height under the layer falls below f(x). A rejected draw starts again with a fresh layer and u.
//
// Word layout (counter-based Stream, 32-bit words): the fast path reads ONE word.
//   bits 0–6    layer i (7 bits)
//   bits 7–31   a 25-bit integer k; u = (2k + 1)·2^-25 − 1, symmetric in (−1, 1), exact in doubles.
// 25 bits put x = u·x_i on a grid of x_i·2^-24 (below 2.2e-7): far finer than any Monte Carlo
// estimate sees, and one word instead of two is about 5 ns a draw in the kernel (the normal was
// the largest single cost of the benchmark model's month). The tail and wedges draw full 53-bit
// uniforms as before.
// The layer bits and the u bits are disjoint, so i and u are independent, as ZIGNOR requires.

import type { Stream } from "../rng.js";
import { normalQuantile } from "../special.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

const LAYERS = 128;
/** Start of the tail, and the layer area, for 128 layers (Marsaglia & Tsang 2000, Table 1). */
const R = 3.442619855899;
const V = 9.91256303526217e-3;

/** x_i, i = 0..128: right edges of the layers (x_1 = R, x_128 = 0). */
const X = new Float64Array(LAYERS + 1);
/** x_{i+1}/x_i: the share of layer i inside the next layer's rectangle. */
const RATIO = new Float64Array(LAYERS);
{
  let f = Math.exp(-0.5 * R * R);
  X[0] = V / f;
  X[1] = R;
  X[LAYERS] = 0;
  for (let i = 2; i < LAYERS; i++) {
    X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1]! + f));
    f = Math.exp(-0.5 * X[i]! * X[i]!);
  }
  for (let i = 0; i < LAYERS; i++) RATIO[i] = X[i + 1]! / X[i]!;
}

const TWO_POW_MINUS_25 = 2 ** -25;

/** A standard normal draw, N(0, 1). Reads one word on the fast path. */
export function sampleStdNormal(s: Stream): number {
  const w = s.word();
  return stdNormalFromWord(w, s, s.c - 1);
}

/**
 * The standard normal draw whose first word, at counter c, is w: the fast path from w alone;
 * otherwise the slow path reads on from counter c + 1. sampleStdNormal hashes w itself; the
 * kernel passes w made in bulk by words.ts. Either way the same words give the same bits.
 */
export function stdNormalFromWord(w: number, s: Stream, c: number): number {
  const i = w & 127;
  const u = ((w >>> 7) * 2 + 1) * TWO_POW_MINUS_25 - 1;
  if (Math.abs(u) < RATIO[i]!) return u * X[i]!;
  s.c = c + 1;
  return zigguratSlow(s, u, i);
}

/** sampleNormal(s, mean, sd) at counter c from its known first word w (see stdNormalFromWord). */
export function normalFromWord(w: number, s: Stream, c: number, mean: number, sd: number): number {
  if (!(sd >= 0)) return NaN;
  return mean + sd * stdNormalFromWord(w, s, c);
}

/** The rare path (≈1.2% of draws): tail, wedges, and redraws after a rejection. */
function zigguratSlow(s: Stream, u: number, i: number): number {
  for (;;) {
    if (i === 0) {
      // Tail beyond R (Marsaglia 1964): x = log(U₁)/R ≤ 0, accepted when −2 log U₂ ≥ x²; returns R − x.
      let x: number;
      let y: number;
      do {
        x = Math.log(s.uniformOpen0()) / R;
        y = Math.log(s.uniformOpen0());
      } while (-2 * y < x * x);
      return u < 0 ? x - R : R - x;
    }
    // Wedge of layer i: x is in [x_{i+1}, x_i]. Accept when a uniform height in
    // [f(x_i), f(x_{i+1})] lies below f(x); f0 = f(x_i)/f(x), f1 = f(x_{i+1})/f(x).
    const x = u * X[i]!;
    const f0 = Math.exp(-0.5 * (X[i]! * X[i]! - x * x));
    const f1 = Math.exp(-0.5 * (X[i + 1]! * X[i + 1]! - x * x));
    if (f1 + (f0 - f1) * s.uniform() < 1) return x;
    const w = s.word();
    i = w & 127;
    u = ((w >>> 7) * 2 + 1) * TWO_POW_MINUS_25 - 1;
    if (Math.abs(u) < RATIO[i]!) return u * X[i]!;
  }
}

/** A draw from normal(mean, sd); NaN when sd < 0 or either parameter is NaN. */
export function sampleNormal(s: Stream, mean: number, sd: number): number {
  if (!(sd >= 0)) return NaN;
  return mean + sd * sampleStdNormal(s);
}

/** normal(mean, sd). */
export const normal: Distribution = {
  name: "normal",
  arity: 2,
  signature: "normal(mean, sd)",
  describe:
    "Normal distribution with the given mean and standard deviation sd ≥ 0 (sd = 0 gives the mean). " +
    "Drawn by a 128-layer ziggurat (Marsaglia–Tsang, Doornik's ZIGNOR).",
  discrete: false,
  sample: sampleNormal,
  mean: (p) => (arg(p, 1) >= 0 ? arg(p, 0) : NaN),
  variance: (p) => {
    const sd = arg(p, 1);
    return sd >= 0 && arg(p, 0) === arg(p, 0) ? sd * sd : NaN;
  },
  quantile: (p, q) => {
    const m = arg(p, 0);
    const sd = arg(p, 1);
    if (!(sd >= 0) || !(q >= 0 && q <= 1)) return NaN;
    return sd === 0 ? m : m + sd * normalQuantile(q);
  },
};
