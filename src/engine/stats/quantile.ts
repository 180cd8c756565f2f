// Exact quantiles, numpy's default 'linear' method (Hyndman & Fan type 7): rank h = (n − 1)q,
// x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)) on 0-based order statistics.

/** The q-quantile of ascending-sorted data; NaN when empty or q is outside [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (n - 1) * q;
  const k = Math.floor(h);
  const a = sorted[k]!;
  return k + 1 >= n || h === k ? a : a + (h - k) * (sorted[k + 1]! - a);
}

/**
 * The q-quantile of integer data given as a histogram, counts[v] = how many times the value v
 * occurs (v = 0, 1, …). Exact; NaN when there is no data or q is outside [0, 1]. Used for the
 * runway (death month) distribution.
 */
export function quantileOfCounts(counts: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) return NaN;
  let n = 0;
  for (let v = 0; v < counts.length; v++) n += counts[v]!;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const k = Math.floor(h);
  // The values of ranks k and k + 1, in one pass.
  let seen = 0;
  let a = NaN;
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v]!;
    if (c === 0) continue;
    if (a !== a && k < seen + c) {
      a = v;
      if (h === k || k + 1 >= n || k + 1 < seen + c) return a;
    } else if (a === a) return a + (h - k) * (v - a);
    seen += c;
  }
  return a;
}
