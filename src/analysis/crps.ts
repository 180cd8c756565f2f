// Scoring a forecast sample against what happened.
//
// CRPS (continuous ranked probability score; Gneiting & Raftery 2007, eq. 21) of the
// empirical distribution F of a sample x_1..x_n against an observation y, in its energy form:
//
//   CRPS(F, y) = E|X − y| − ½ E|X − X'| = (1/n) Σ|x_i − y| − (1/2n²) Σ_i Σ_j |x_i − x_j|
//
// The double sum is O(n²) as written; with the sample sorted, Σ_i Σ_j |x_i − x_j| =
// 2 Σ_i (2i − n − 1) x_(i) (i 1-based), so the whole score is O(n log n). This is the exact
// CRPS of the sample's step CDF (not the "fair" n(n − 1) variant). It is in the observation's
// unit; 0 is a perfect point forecast; for a point forecast it reduces to |x − y|.

/** A sorted copy of a sample (NaN, which marks "no value", is dropped). */
export function sortedSample(xs: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < xs.length; i++) if (!Number.isNaN(xs[i]!)) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < xs.length; i++) if (!Number.isNaN(xs[i]!)) out[k++] = xs[i]!;
  return out.sort();
}

/** CRPS of the empirical distribution of `sorted` (ascending) against observation y. */
export function crpsSorted(sorted: Float64Array, y: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  let abs = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!;
    abs += Math.abs(x - y);
    spread += (2 * (i + 1) - n - 1) * x;
  }
  return abs / n - spread / (n * n);
}

/** Number of values in `sorted` strictly below v (binary search). */
function countBelow(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where y falls in the sample, as a share in [0, 1]: the mid-rank (below + ½·equal) / n, so
 * an observation equal to every draw (a constant forecast that came true) sits at 0.5.
 */
export function percentileOf(sorted: Float64Array, y: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const below = countBelow(sorted, y);
  let equal = 0;
  for (let i = below; i < n && sorted[i] === y; i++) equal++;
  return (below + 0.5 * equal) / n;
}

/** The p-quantile of a sorted sample (type 7, linear interpolation, as R's default). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
