// Quantiles of many (series, month) cells at once, in bounded memory, mergeable exactly.
//
// A log-bucketed histogram indexed straight from the bits of the double, as HDR histograms do:
// the sign, the exponent and the top 5 mantissa bits pick the bucket, so a value costs a store,
// a load and a few shifts — no log. Buckets are 1/32 of an octave wide (relative width ≤ 3.2%)
// from 2^-30 to 2^70 in magnitude on each side of a central bucket for |x| < 2^-30; values beyond
// 2^70 (≈ 1.2e21) share the end buckets. 6,401 buckets × 4 bytes ≈ 25.6 KB per cell, plus the
// cell's exact min and max.
//
// A quantile uses numpy's 'linear' rule (rank h = (n − 1)q, interpolated between the order
// statistics on either side); an order statistic is placed inside its bucket by its rank
// (uniform spread within the bucket), then clamped to the cell's exact [min, max], so constant
// data give the exact value. Error bound: the true order statistic lies in the same bucket, so
// the error is at most one bucket width, 1/32 of the value (3.1%); in practice, with values spread
// over many buckets, it is far smaller (test/engine/stats.test.ts measures it).
//
// Merging adds integer counts and takes min/max: exact and order-independent, so a run's
// percentiles never depend on how paths were split across chunks or threads.

const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
/** Biased exponents covered: 2^-30 .. 2^70. */
const EMIN = 1023 - 30;
const EMAX = 1023 + 70;
const SIDE = (EMAX - EMIN) * SUB;
/** Buckets per cell: negative side, zero, positive side. */
export const BUCKETS = 2 * SIDE + 1;
const ZERO = SIDE;

export const SKETCH_METHOD =
  "log-bucketed histogram (1/32-octave buckets), linear by rank within a bucket, clamped to exact min/max; error ≤ 1/32 of the value";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian on every platform Node and browsers run on: word 1 holds sign and exponent.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket of a finite value. */
export function bucketOf(x: number): number {
  f64[0] = x;
  const hi = u32[HI]!;
  const e = (hi >>> 20) & 0x7ff;
  if (e < EMIN) return ZERO;
  const k = e >= EMAX ? SIDE - 1 : (e - EMIN) * SUB + ((hi >>> (20 - SUB_BITS)) & (SUB - 1));
  return hi >>> 31 ? ZERO - 1 - k : ZERO + 1 + k;
}

/** The value range [lo, hi] of a bucket. */
export function bucketBounds(index: number): [number, number] {
  const tiny = Math.pow(2, EMIN - 1023);
  if (index === ZERO) return [-tiny, tiny];
  const k = index > ZERO ? index - ZERO - 1 : ZERO - 1 - index;
  const e = EMIN + Math.floor(k / SUB) - 1023;
  const m = k % SUB;
  const lo = Math.pow(2, e) * (1 + m / SUB);
  const hi = k === SIDE - 1 ? Infinity : Math.pow(2, e) * (1 + (m + 1) / SUB);
  return index > ZERO ? [lo, hi] : [-hi, -lo];
}

/** Sketches of `cells` cells. */
export class SketchSet {
  readonly cells: number;
  readonly counts: Uint32Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly n: Float64Array;

  constructor(cells: number, counts?: Uint32Array, min?: Float64Array, max?: Float64Array, n?: Float64Array) {
    this.cells = cells;
    this.counts = counts ?? new Uint32Array(cells * BUCKETS);
    this.min = min ?? new Float64Array(cells).fill(Infinity);
    this.max = max ?? new Float64Array(cells).fill(-Infinity);
    this.n = n ?? new Float64Array(cells);
  }

  /** Adds values[from..to) (finite numbers) to a cell. */
  addColumn(cell: number, values: Float64Array, from: number, to: number): void {
    const counts = this.counts;
    const base = cell * BUCKETS;
    let lo = this.min[cell]!;
    let hi = this.max[cell]!;
    for (let i = from; i < to; i++) {
      const x = values[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      f64[0] = x;
      const w = u32[HI]!;
      const e = (w >>> 20) & 0x7ff;
      let idx = ZERO;
      if (e >= EMIN) {
        const k = e >= EMAX ? SIDE - 1 : (e - EMIN) * SUB + ((w >>> (20 - SUB_BITS)) & (SUB - 1));
        idx = w >>> 31 ? ZERO - 1 - k : ZERO + 1 + k;
      }
      counts[base + idx]!++;
    }
    this.min[cell] = lo;
    this.max[cell] = hi;
    this.n[cell]! += to - from;
  }

  /** Adds another set's counts: exact and order-independent. */
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

  /** The q-quantile of a cell (numpy 'linear'); NaN for an empty cell. */
  quantile(cell: number, q: number): number {
    const n = this.n[cell]!;
    if (n === 0) return NaN;
    const h = (n - 1) * q;
    const k = Math.floor(h);
    const frac = h - k;
    const a = this.orderStatistic(cell, k);
    const v = frac === 0 || k + 1 >= n ? a : a + frac * (this.orderStatistic(cell, k + 1) - a);
    return Math.min(this.max[cell]!, Math.max(this.min[cell]!, v));
  }

  /** Estimate of the k-th smallest value (0-based) of a cell. */
  private orderStatistic(cell: number, k: number): number {
    const base = cell * BUCKETS;
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = this.counts[base + b]!;
      if (c === 0) continue;
      if (k < seen + c) {
        let [lo, hi] = bucketBounds(b);
        lo = Math.max(lo, this.min[cell]!);
        hi = Math.min(hi, this.max[cell]!);
        return lo + ((hi - lo) * (k - seen + 0.5)) / c;
      }
      seen += c;
    }
    return this.max[cell]!;
  }
}
