/** z of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion (Wilson 1927): better than the normal approximation
 * near 0 and 1, where survival probabilities often are. Returns [0, 1] for n = 0.
 */
export function wilson(successes: number, n: number, z = Z_95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The q-quantile (numpy 'linear': rank h = (n − 1)q) of integer data given as a histogram,
 * counts[v] = how many times value v occurs. Exact.
 */
export function quantileOfCounts(counts: ArrayLike<number>, q: number): number {
  let n = 0;
  for (let v = 0; v < counts.length; v++) n += counts[v]!;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const k = Math.floor(h);
  const frac = h - k;
  const a = orderStat(counts, k);
  return frac === 0 || k + 1 >= n ? a : a + frac * (orderStat(counts, k + 1) - a);
}

function orderStat(counts: ArrayLike<number>, k: number): number {
  let seen = 0;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v]!;
    if (k < seen) return v;
  }
  return counts.length - 1;
}
