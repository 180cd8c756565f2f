// The sketch's buckets: where a double goes (bucketOf, straight from its bits), the range a bucket
// covers (bucketBounds), and where a bucket places its j-th value (placeInBucket). The layout of
// the counts is in sketch-pages.ts, the sketches themselves in sketch.ts (whose opening comment
// states the error bound).

export const M = 6;
export const SUB = 1 << M;
/** Biased exponent of 2^-1022, the least normal double: the lowest octave with its own buckets. */
export const E_LOW = 1;
/** Octaves with room in the index on each side (the 2046 normal exponents, rounded up). */
const OCTAVES = 2048;
/** Buckets on each side of zero. */
export const SIDE = OCTAVES * SUB;
/** Buckets per page (one octave), and its log2. */
export const PAGE_SHIFT = M;
export const PAGE = 1 << PAGE_SHIFT;
/** Buckets per cell: negative side (most negative first), the central bucket, positive side. */
export const BUCKETS = 2 * SIDE + 1;
export const ZERO = SIDE;
/** High word of 2^-1022 without the sign: magnitudes below it (zeros, subnormals) go to the central bucket. */
export const LOW_HI = E_LOW << 20;
const TINY = Math.pow(2, E_LOW - 1023);

/** Worst-case relative error of a sketch quantile (one bucket width), see the opening comment. */
export const SKETCH_RELATIVE_ERROR = 1 / SUB;

export const SKETCH_METHOD =
  "log-bucketed histogram (1/64-octave buckets over every normal double, zeros and subnormals in one central bucket), rank-interpolated within a bucket and clamped to the exact min/max; error < 1/64 of the value (< 2^-1022 below 2^-1022); whole numbers for integer-valued series";

/** Pages per cell: 2048 per sign (64 buckets each); the central bucket is kept apart. */
export const PAGES = (2 * SIDE) / PAGE;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Word 1 holds sign and exponent on little-endian machines (every platform Node and browsers run on).
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket index (0..BUCKETS − 1, ascending in value) of a non-NaN value. */
export function bucketOf(x: number): number {
  f64[0] = x;
  const w = u32[HI]!;
  const mag = w & 0x7fffffff;
  if (mag < LOW_HI) return ZERO;
  const k = Math.min(SIDE - 1, (mag - LOW_HI) >>> (20 - M));
  return w >>> 31 ? ZERO - 1 - k : ZERO + 1 + k;
}

/** The value range [lo, hi] of a bucket; the end buckets extend to ±Infinity. */
export function bucketBounds(index: number): [number, number] {
  if (index === ZERO) return [-TINY, TINY];
  const k = index > ZERO ? index - ZERO - 1 : ZERO - 1 - index;
  const scale = Math.pow(2, Math.floor(k / SUB) + E_LOW - 1023);
  const m = k % SUB;
  const lo = scale * (1 + m / SUB);
  const hi = k === SIDE - 1 ? Infinity : scale * (1 + (m + 1) / SUB);
  return index > ZERO ? [lo, hi] : [-hi, -lo];
}

/**
 * The j-th (0-based) of c values in bucket b, spread evenly inside the bucket clamped to [min, max];
 * in the central bucket, 0 clamped to [min, max] (see the opening comment).
 */
export function placeInBucket(b: number, j: number, c: number, min: number, max: number, integer: boolean): number {
  const [blo, bhi] = bucketBounds(b);
  const lo = Math.max(blo, min);
  const hi = Math.min(bhi, max);
  if (b === ZERO) return Math.min(hi, Math.max(lo, 0));
  const x = lo + ((hi - lo) * (j + 0.5)) / c;
  if (!integer) return x;
  // The whole numbers the bucket holds are ceil(lo) .. the last below its top (or max itself).
  const first = Math.ceil(lo);
  const last = hi === max ? Math.floor(hi) : Math.ceil(hi) - 1;
  return Math.min(last, Math.max(first, Math.round(x)));
}
