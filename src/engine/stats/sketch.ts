// Quantiles of many (series, month) cells at once, in bounded memory, merged exactly.
//
// Each cell is a log-bucketed histogram indexed straight from the bits of the double, as HDR
// histograms do: the sign, the 11 exponent bits and the top M = 6 mantissa bits of the high word
// pick the bucket, so adding a value costs a store, a load, a subtract and a shift — no log.
// A bucket spans [2^e(1 + m/64), 2^e(1 + (m+1)/64)): relative width ≤ 1/64. Magnitudes from 2^-20
// to 2^80 (≈ 9.5e-7 to 1.2e24) get 100 octaves × 64 buckets on each side; |x| < 2^-20 (zeros and
// tiny values) share one central bucket; |x| ≥ 2^80 and ±Infinity land in the end buckets.
// NaN must not be added (the caller checks: the engine reports NaN where it first appears).
//
// Layout: one Uint32Array of cells × 12,801 counts, plus per cell the exact min, max and count
// (Float64Array): 51,204 + 24 = 51,228 bytes per cell, so 20 series × 120 months (2,400 cells) take
// 123 MB. Everything is a typed array, so a set crosses to another thread by transfer, not copy.
//
// Quantiles follow numpy's 'linear' rule: rank h = (n − 1)q, interpolated between the order
// statistics of ranks ⌊h⌋ and ⌊h⌋ + 1. Ranks 0 and n − 1 are the exact min and max. Any other
// order statistic is placed inside its bucket by rank — the j-th of c values at
// lo + (j + ½)(hi − lo)/c, where [lo, hi] is the bucket clamped to [min, max] — so constant data,
// and any data with at most two distinct values, give exact answers.
//
// Error bound. The true order statistic lies in the same bucket as its estimate, so the error is
// less than one bucket width: |error| < |x|/64 for |x| in [2^-20, 2^80) (half that, |x|/128, when the
// value is alone in its bucket: the midpoint), and < 2^-19 absolutely in the central bucket. An
// interpolated quantile mixes two such estimates, so its error is below 1/64 of the larger of the two
// order statistics' magnitudes. With values spread over many buckets the error is far smaller
// (test/engine/stats.test.ts measures it).
//
// Merging adds integer counts and takes min and max: exact and order-independent, so percentiles
// never depend on how paths were split across chunks or threads.

const M = 6;
const SUB = 1 << M;
/** Biased exponent of 2^-20: the lowest octave with its own buckets. */
const E_LOW = 1023 - 20;
const OCTAVES = 100; // 2^-20 .. 2^80
/** Buckets on each side of zero. */
const SIDE = OCTAVES * SUB;
/** Buckets per cell: negative side (most negative first), the central bucket, positive side. */
export const BUCKETS = 2 * SIDE + 1;
const ZERO = SIDE;
/** High word of 2^-20 without the sign: magnitudes below it go to the central bucket. */
const LOW_HI = E_LOW << 20;
const TINY = Math.pow(2, E_LOW - 1023);

/** Worst-case relative error of a sketch quantile (one bucket width), see the opening comment. */
export const SKETCH_RELATIVE_ERROR = 1 / SUB;

export const SKETCH_METHOD =
  "log-bucketed histogram (1/64-octave buckets, 2^-20..2^80), rank-interpolated within a bucket and clamped to the exact min/max; error < 1/64 of the value";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Word 1 holds sign and exponent on little-endian machines (every platform Node and browsers run on).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

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

/** The typed arrays of a SketchSet, for postMessage (all transferable). */
export interface SketchState {
  cells: number;
  counts: Uint32Array;
  min: Float64Array;
  max: Float64Array;
  n: Float64Array;
}

/** Quantile sketches of `cells` cells (a cell is one reported series at one month). */
export class SketchSet {
  readonly cells: number;
  /** counts[cell·BUCKETS + bucket]. */
  readonly counts: Uint32Array;
  /** Exact minimum per cell (+Infinity when empty). −0 is stored as +0. */
  readonly min: Float64Array;
  /** Exact maximum per cell (−Infinity when empty). */
  readonly max: Float64Array;
  /** Number of values per cell. */
  readonly n: Float64Array;

  /** An empty set of `cells` sketches, or one over existing arrays (see toState). */
  constructor(cells: number, counts?: Uint32Array, min?: Float64Array, max?: Float64Array, n?: Float64Array) {
    this.cells = cells;
    this.counts = counts ?? new Uint32Array(cells * BUCKETS);
    this.min = min ?? new Float64Array(cells).fill(Infinity);
    this.max = max ?? new Float64Array(cells).fill(-Infinity);
    this.n = n ?? new Float64Array(cells);
    if (this.counts.length !== cells * BUCKETS || this.min.length !== cells || this.n.length !== cells)
      throw new Error("internal: sketch arrays do not match the cell count");
  }

  /** The arrays, for passing to another thread (transfer their buffers). */
  toState(): SketchState {
    return { cells: this.cells, counts: this.counts, min: this.min, max: this.max, n: this.n };
  }

  static fromState(s: SketchState): SketchSet {
    return new SketchSet(s.cells, s.counts, s.min, s.max, s.n);
  }

  /** Adds values[from..to) to a cell. Values must not be NaN. */
  addColumn(cell: number, values: Float64Array, from: number, to: number): void {
    const counts = this.counts;
    const base = cell * BUCKETS;
    let lo = this.min[cell]!;
    let hi = this.max[cell]!;
    for (let i = from; i < to; i++) {
      const x = values[i]! + 0; // −0 → +0, so min and max do not depend on the order of ±0
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      f64[0] = x;
      const w = u32[HI]!;
      // Branch-free: j = 1 + octave·64 + top mantissa bits, 0 below 2^-20, at most SIDE; the sign
      // mask (−1 for negatives) mirrors j to the left of the central bucket.
      const j = Math.min(SIDE, Math.max(0, (((w & 0x7fffffff) - LOW_HI) >> (20 - M)) + 1));
      const neg = w >> 31;
      counts[base + ZERO + ((j ^ neg) - neg)]!++;
    }
    this.min[cell] = lo;
    this.max[cell] = hi;
    this.n[cell]! += to - from;
  }

  /**
   * addColumn for the kernel's output buffer, reading each value's high word from `words` (a
   * Uint32Array over the same memory as `values`) instead of storing and reloading it, and
   * returning the plain sum of values[from..to) in order, which the caller needs anyway.
   */
  addColumnSum(cell: number, values: Float64Array, words: Uint32Array, from: number, to: number): number {
    const counts = this.counts;
    const base = cell * BUCKETS + ZERO;
    let lo = this.min[cell]!;
    let hi = this.max[cell]!;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const x = values[i]! + 0;
      sum += x;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      const w = words[2 * i + HI]!;
      const j = Math.min(SIDE, Math.max(0, (((w & 0x7fffffff) - LOW_HI) >> (20 - M)) + 1));
      const neg = w >> 31;
      counts[base + ((j ^ neg) - neg)]!++;
    }
    this.min[cell] = lo;
    this.max[cell] = hi;
    this.n[cell]! += to - from;
    return sum;
  }

  /** Adds another set's contents: integer adds and min/max, so any merge order gives the same bytes. */
  merge(other: SketchSet): void {
    if (other.cells !== this.cells) throw new Error("internal: merging sketches of different shapes");
    const a = this.counts;
    const b = other.counts;
    for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
    for (let c = 0; c < this.cells; c++) {
      if (other.min[c]! < this.min[c]!) this.min[c] = other.min[c]!;
      if (other.max[c]! > this.max[c]!) this.max[c] = other.max[c]!;
      this.n[c]! += other.n[c]!;
    }
  }

  /** The q-quantile of a cell (numpy 'linear'); NaN for an empty cell or q outside [0, 1]. */
  quantile(cell: number, q: number): number {
    const n = this.n[cell]!;
    if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
    const h = (n - 1) * q;
    const k = Math.floor(h);
    const frac = h - k;
    const lo = this.min[cell]!;
    const hi = this.max[cell]!;
    if (frac === 0 || k + 1 >= n) return this.orderStatistic(cell, k, n);
    const a = this.orderStatistic(cell, k, n);
    const b = this.orderStatistic(cell, k + 1, n);
    return Math.min(hi, Math.max(lo, a + frac * (b - a)));
  }

  /** Several quantiles of one cell into `out` (defaults to a new array). */
  quantiles(cell: number, qs: readonly number[], out: number[] = []): number[] {
    for (let i = 0; i < qs.length; i++) out[i] = this.quantile(cell, qs[i]!);
    return out;
  }

  /** Estimate of the k-th smallest value (0-based) of a cell holding n values. */
  private orderStatistic(cell: number, k: number, n: number): number {
    const lo = this.min[cell]!;
    const hi = this.max[cell]!;
    if (k <= 0) return lo;
    if (k >= n - 1) return hi;
    const counts = this.counts;
    const base = cell * BUCKETS;
    // Scan from the nearer end.
    if (k < n / 2) {
      let seen = 0;
      for (let b = 0; b < BUCKETS; b++) {
        const c = counts[base + b]!;
        if (c !== 0 && k < seen + c) return placeInBucket(b, k - seen, c, lo, hi);
        seen += c;
      }
    } else {
      let seen = n;
      for (let b = BUCKETS - 1; b >= 0; b--) {
        const c = counts[base + b]!;
        seen -= c;
        if (c !== 0 && k >= seen) return placeInBucket(b, k - seen, c, lo, hi);
      }
    }
    return hi;
  }
}

/** The j-th (0-based) of c values in bucket b, spread evenly inside the bucket clamped to [min, max]. */
function placeInBucket(b: number, j: number, c: number, min: number, max: number): number {
  const [blo, bhi] = bucketBounds(b);
  const lo = Math.max(blo, min);
  const hi = Math.min(bhi, max);
  return lo + ((hi - lo) * (j + 0.5)) / c;
}
