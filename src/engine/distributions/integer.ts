// Integer: uniform on {a, …, b}.
//
// For n = b − a + 1 ≤ 2^21, Lemire's multiply-and-reject ("Fast Random Integer Generation in an
// Interval", ACM TOMACS 2019) on one 32-bit word: m = w·n (exact, < 2^53), the result is m >> 32,
// and the few low parts l = m mod 2^32 below 2^32 mod n are redrawn, so every value has probability
// exactly 1/n. Wider ranges use floor(a + U·n) with a 53-bit U (bias below n·2^-53).

import type { Stream } from "../rng.js";
import type { Distribution } from "./distribution.js";
import { arg } from "./distribution.js";

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const LEMIRE_MAX = 2097152; // 2^21: w·n stays below 2^53
const MAX_SPAN = 9007199254740991; // 2^53 − 1

/** True for whole a ≤ b whose span fits in a double's integers. */
function valid(a: number, b: number): boolean {
  return Number.isInteger(a) && Number.isInteger(b) && a <= b && b - a < MAX_SPAN;
}

/** A draw from integer(a, b), uniform on {a, …, b}; NaN unless a and b are whole numbers with a ≤ b. */
export function sampleInteger(s: Stream, a: number, b: number): number {
  if (!valid(a, b)) return NaN;
  const n = b - a + 1;
  if (n <= LEMIRE_MAX) {
    let m = s.word() * n;
    let l = m >>> 0;
    if (l < n) {
      const threshold = TWO_POW_32 % n;
      while (l < threshold) {
        m = s.word() * n;
        l = m >>> 0;
      }
    }
    return a + (m - l) * TWO_POW_MINUS_32;
  }
  const k = Math.floor(s.uniform() * n);
  return k < n ? a + k : b;
}

/** integer(a, b). */
export const integer: Distribution = {
  name: "integer",
  arity: 2,
  signature: "integer(a, b)",
  describe: "A whole number from a to b inclusive, each equally likely.",
  discrete: true,
  sample: sampleInteger,
  mean: (p) => (valid(arg(p, 0), arg(p, 1)) ? 0.5 * (arg(p, 0) + arg(p, 1)) : NaN),
  variance: (p) => {
    if (!valid(arg(p, 0), arg(p, 1))) return NaN;
    const n = arg(p, 1) - arg(p, 0) + 1;
    return (n * n - 1) / 12; // R: var over 1:10 with divisor n is 99/12 = 8.25
  },
  quantile: (p, q) => {
    const a = arg(p, 0);
    const b = arg(p, 1);
    if (!valid(a, b) || !(q >= 0 && q <= 1)) return NaN;
    // Smallest k with F(k) = (k − a + 1)/n ≥ q.
    const n = b - a + 1;
    let j = Math.max(1, Math.ceil(q * n));
    while (j > 1 && (j - 1) / n >= q) j--;
    while (j < n && j / n < q) j++;
    return a + j - 1;
  },
};
