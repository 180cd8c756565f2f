/** z of a two-sided 95% interval: Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion (Wilson, JASA 22, 1927): successes out of n, at the
 * normal quantile z (default 95%). Better than the normal approximation near 0 and 1, where
 * survival probabilities often are; exactly 0 (1) at the low (high) end when successes = 0 (= n).
 * Returns [0, 1] for n = 0.
 */
export function wilson(successes: number, n: number, z = Z_95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return {
    low: successes <= 0 ? 0 : Math.max(0, centre - half),
    high: successes >= n ? 1 : Math.min(1, centre + half),
  };
}
