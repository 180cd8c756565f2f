// The meaning of each operator and function of the formula language, in one place. The
// compiled kernel and the reference interpreter both call these (or inline exactly the same
// operations), so they agree bit for bit.
//
// Truth values are numbers: comparisons give 1 or 0, and a value is true when it is neither
// 0 nor NaN (JavaScript's own rule for numbers).

/**
 * x ^ y. Math.pow costs about 30 ns in V8, so:
 * - an integer y with |y| ≤ 1024 is repeated multiplication from the left (x·x·…·x, then 1/…
 *   for y < 0): exact when every partial product is, so 10^2 = 100, within |y| ulps otherwise.
 *   Because x^t = x^(t−1)·x bit for bit, the compiler turns `x ^ t` with x fixed on a path into
 *   one multiplication per month;
 * - otherwise, for x > 0, exp(y·log x): about 10 ns, relative error near |y·log x|·2^-53;
 * - otherwise Math.pow (negative bases with fractional or huge exponents).
 * All far below Monte Carlo noise, and the same bits in the kernel and the interpreter.
 */
export function pw(x: number, y: number): number {
  if (Number.isInteger(y) && y >= -1024 && y <= 1024) return powInt(x, y);
  return x > 0 ? Math.exp(y * Math.log(x)) : Math.pow(x, y);
}

/** x ^ n for an integer n, |n| ≤ 1024: repeated multiplication from the left. */
export function powInt(x: number, n: number): number {
  const m = n < 0 ? -n : n;
  let r = 1;
  for (let i = 0; i < m; i++) r *= x;
  return n < 0 ? 1 / r : r;
}

/** x ^ y for a literal non-integer y. */
export function pwf(x: number, y: number): number {
  return x > 0 ? Math.exp(y * Math.log(x)) : Math.pow(x, y);
}

/** round half away from zero (Math.round rounds halves up). */
export function rnd(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Adoption from 0 to 1: a logistic curve through 1/2 at `midpoint`. */
export function scurve(t: number, midpoint: number, steepness: number): number {
  return 1 / (1 + Math.exp(-steepness * (t - midpoint)));
}
