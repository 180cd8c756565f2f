// Quantiles of many (series, month) cells at once, in bounded memory, merged exactly.
//
// Each cell is a log-bucketed histogram indexed straight from the bits of the double, as HDR
// histograms do: the sign, the 11 exponent bits and the top M = 6 mantissa bits of the high word
// pick the bucket, so adding a value costs a store, a load, a subtract and a shift — no log.
// A bucket spans [2^e(1 + m/64), 2^e(1 + (m+1)/64)): relative width ≤ 1/64. Every normal double,
// 2^-1022 ≤ |x| < 2^1024 (≈ 2.2e-308 to 1.8e308), has its own buckets: 2046 octaves × 64 on each
// side (the index has room for 2048). Zeros (+0 and −0) and the subnormals, |x| < 2^-1022, share one
// central bucket. The end buckets' top is ±Infinity, which the engine never adds (it stops on a
// non-finite value); NaN must not be added either (the engine reports NaN where it first appears).
//
// Layout: sparse, and flat in the number of cells. Bucket numbering is dense (262,145 buckets per
// cell: bucketOf, bucketBounds), but counts live in pages of 64 buckets — one octave of one sign —
// allocated on first touch, plus one central count per cell. A page is found through one hash table
// for the whole set, keyed by (cell, page): an empty cell costs only its min, max, n and central
// count (29 bytes), a narrow one (a series that stays within an octave) one page of 256 bytes and
// a table slot. Adding a value reads its page from a cache indexed by page number (the cell it
// was last looked up for, and where its counts are), so the table is probed about once per page a
// column touches, and a value costs what it would with a flat index. Pages and table live
// in one growing linear memory (no per-page objects for the garbage collector). toState() copies
// out only the touched pages, in ascending (cell, page) order, as typed arrays that cross to
// another thread by transfer.
//
// Quantiles follow numpy's 'linear' rule: rank h = (n − 1)q, interpolated between the order
// statistics of ranks ⌊h⌋ and ⌊h⌋ + 1. Ranks 0 and n − 1 are the exact min and max. Any other
// order statistic is placed inside its bucket by rank — the j-th of c values at
// lo + (j + ½)(hi − lo)/c, where [lo, hi] is the bucket clamped to [min, max] — so constant data,
// and any data with at most two distinct values, give exact answers. The central bucket is the
// exception: its values are placed at 0 (clamped to [min, max]), because they are nearly always
// exact zeros — a shortfall, a funding round or a shock that did not happen — and a median
// shortfall of $6e-7 where most paths never run short would be a made-up number.
//
// Error bound. The true order statistic lies in the same bucket as its estimate, so the error is
// less than one bucket width: |error| < |x|/64 for every normal double (half that, |x|/128, when the
// value is alone in its bucket: the midpoint), and < 2^-1022 absolutely in the central bucket. An
// interpolated quantile mixes two such estimates, so its error is below 1/64 of the larger of the two
// order statistics' magnitudes. With values spread over many buckets the error is far smaller
// (test/engine/stats.test.ts measures it).
//
// Integer-valued cells. A cell whose values are all whole numbers (a count, a month, a draw of
// poisson or integer) places each order statistic on a whole number of its bucket (the nearest to
// where it would go), and its quantiles take the order statistic of the nearest rank instead of
// interpolating, so they are whole numbers too: poisson(25)'s 95th percentile reads 33, not 33.496.
//
// Merging adds integer counts and takes min and max: exact and order-independent, so percentiles
// never depend on how paths were split across chunks or threads.

import {
  PAGE,
  PAGES,
  SIDE,
  ZERO,
  bucketBounds,
  bucketOf,
  placeInBucket,
  BUCKETS,
  SKETCH_METHOD,
  SKETCH_RELATIVE_ERROR,
} from "./sketch-buckets.js";
import { COLUMN_CAPACITY } from "./sketch-wasm.js";
import { PageMemory } from "./sketch-pages.js";

export { BUCKETS, SKETCH_METHOD, SKETCH_RELATIVE_ERROR, bucketBounds, bucketOf };

/**
 * A SketchSet as plain typed arrays, for postMessage (structured clone or transfer). Only touched
 * pages are included, in ascending key order, so equal sets give equal states.
 */
export interface SketchState {
  cells: number;
  /** Page keys cell·4096 + page, ascending; page p covers dense buckets 64p.. (+1 past the center). */
  keys: Float64Array;
  /** 64 counts per key, in key order. */
  pages: Uint32Array;
  /** Count of the central bucket per cell. */
  center: Uint32Array;
  /** 1 per cell whose values are all whole numbers. */
  integer: Uint8Array;
  min: Float64Array;
  max: Float64Array;
  n: Float64Array;
}

/** Quantile sketches of `cells` cells (a cell is one reported series at one month). */
export class SketchSet {
  readonly cells: number;
  /** Exact minimum per cell (+Infinity when empty). −0 is stored as +0. */
  readonly min: Float64Array;
  /** Exact maximum per cell (−Infinity when empty). */
  readonly max: Float64Array;
  /** Number of values per cell. */
  readonly n: Float64Array;
  /** Central-bucket count per cell. */
  private readonly center: Uint32Array;
  /** 1 while every value a cell took is a whole number. */
  private readonly integer: Uint8Array;
  /** Every other bucket's count, in pages (sketch-pages.ts). */
  private readonly pages: PageMemory;

  /**
   * An empty set of `cells` sketches, with room for `pageCapacity` pages before its storage grows.
   * `engine: "js"` runs the JavaScript loop even where WebAssembly exists (tests compare the two).
   */
  constructor(cells: number, pageCapacity = 16, engine: "wasm" | "js" = "wasm") {
    this.cells = cells;
    this.min = new Float64Array(cells).fill(Infinity);
    this.max = new Float64Array(cells).fill(-Infinity);
    this.n = new Float64Array(cells);
    this.center = new Uint32Array(cells);
    this.integer = new Uint8Array(cells).fill(1);
    this.pages = new PageMemory(cells, pageCapacity, engine);
  }

  /** Which loop adds values: "wasm", or "js" where WebAssembly is unavailable or was not asked for. */
  get engine(): "wasm" | "js" {
    return this.pages.engine;
  }

  /** Empties every cell, keeping the storage (a worker reuses one set for all its chunks). */
  clear(): void {
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.n.fill(0);
    this.center.fill(0);
    this.integer.fill(1);
    this.pages.clear();
  }

  /** Bytes held (the pages' memory including spare capacity, and the per-cell arrays). */
  get byteLength(): number {
    return (
      this.pages.byteLength +
      this.center.byteLength +
      this.integer.byteLength +
      this.min.byteLength +
      this.max.byteLength +
      this.n.byteLength
    );
  }

  /** Number of pages touched. */
  get pageCount(): number {
    return this.pages.entries;
  }

  /** A compact copy (touched pages only) for passing to another thread; every buffer is fresh and transferable. */
  toState(): SketchState {
    const { first, page, at } = this.pages.sorted();
    const keys = new Float64Array(this.pages.entries);
    const pages = new Uint32Array(keys.length * PAGE);
    for (let c = 0; c < this.cells; c++)
      for (let k = first[c]!; k < first[c + 1]!; k++) {
        keys[k] = c * PAGES + page[k]!;
        pages.set(this.pages.store.subarray(at[k]!, at[k]! + PAGE), k * PAGE);
      }
    return {
      cells: this.cells,
      keys,
      pages,
      center: this.center.slice(),
      integer: this.integer.slice(),
      min: this.min.slice(),
      max: this.max.slice(),
      n: this.n.slice(),
    };
  }

  static fromState(s: SketchState): SketchSet {
    const set = new SketchSet(s.cells, s.keys.length);
    if (s.min.length !== s.cells || s.max.length !== s.cells || s.n.length !== s.cells || s.center.length !== s.cells)
      throw new Error("internal: sketch state does not match its cell count");
    if (s.integer.length !== s.cells) throw new Error("internal: sketch state does not match its cell count");
    if (s.pages.length !== s.keys.length * PAGE) throw new Error("internal: sketch state pages do not match its keys");
    set.min.set(s.min);
    set.max.set(s.max);
    set.n.set(s.n);
    set.center.set(s.center);
    set.integer.set(s.integer);
    for (let k = 0; k < s.keys.length; k++) {
      const key = s.keys[k]!;
      if (!(Number.isInteger(key) && key >= 0 && key < s.cells * PAGES) || (k > 0 && !(key > s.keys[k - 1]!)))
        throw new Error("internal: bad page key in sketch state");
      const o = set.pages.locate(Math.floor(key / PAGES), key % PAGES, true);
      set.pages.store.set(s.pages.subarray(k * PAGE, (k + 1) * PAGE), o);
    }
    return set;
  }

  /** Adds values[from..to) to a cell. Values must not be NaN. */
  addColumn(cell: number, values: Float64Array, from: number, to: number): void {
    // The high words are read through a view of the same memory (see addColumnSum).
    this.addColumnSum(cell, values, new Uint32Array(values.buffer, values.byteOffset, values.length * 2), from, to);
  }

  /**
   * addColumn for the kernel's output buffer, reading each value's high word from `words` (a
   * Uint32Array over the same memory as `values`) instead of storing and reloading it, and
   * returning the plain sum, in order, of values[from..to) added to `start` (a column added in
   * parts gives the sum it gives in one), which the caller needs anyway.
   */
  addColumnSum(cell: number, values: Float64Array, words: Uint32Array, from: number, to: number, start = 0): number {
    if (!(cell >= 0 && cell < this.cells)) throw new Error("internal: sketch cell out of range");
    if (this.integer[cell] === 1) {
      // Stops at the first value that is not a whole number, which for most series is the first.
      for (let i = from; i < to; i++)
        if (values[i]! !== Math.floor(values[i]!)) {
          this.integer[cell] = 0;
          break;
        }
    }
    const pages = this.pages;
    let lo = this.min[cell]!;
    let hi = this.max[cell]!;
    let sum = start;
    let center = 0;
    for (let a = from; a < to; a += COLUMN_CAPACITY) {
      center += pages.add(cell + 1, values, words, a, Math.min(to, a + COLUMN_CAPACITY), lo, hi, sum);
      lo = pages.lastLo;
      hi = pages.lastHi;
      sum = pages.lastSum;
    }
    this.center[cell]! += center;
    this.min[cell] = lo;
    this.max[cell] = hi;
    this.n[cell]! += to - from;
    return sum;
  }

  /** Adds another set's contents: integer adds and min/max, so any merge order gives the same bytes. */
  merge(other: SketchSet): void {
    if (other.cells !== this.cells) throw new Error("internal: merging sketches of different shapes");
    const { first, page, at } = other.pages.sorted();
    for (let c = 0; c < this.cells; c++)
      for (let k = first[c]!; k < first[c + 1]!; k++) {
        const o = this.pages.locate(c, page[k]!, true);
        const mine = this.pages.store;
        const theirs = other.pages.store;
        const from = at[k]!;
        for (let j = 0; j < PAGE; j++) mine[o + j]! += theirs[from + j]!;
      }
    for (let c = 0; c < this.cells; c++) {
      this.center[c]! += other.center[c]!;
      this.integer[c]! &= other.integer[c]!;
      if (other.min[c]! < this.min[c]!) this.min[c] = other.min[c]!;
      if (other.max[c]! > this.max[c]!) this.max[c] = other.max[c]!;
      this.n[c]! += other.n[c]!;
    }
  }

  /**
   * The q-quantile of a cell (numpy 'linear'; the nearest rank for an integer-valued cell); NaN
   * for an empty cell or q outside [0, 1].
   */
  quantile(cell: number, q: number): number {
    return this.quantiles(cell, [q])[0]!;
  }

  /**
   * Several quantiles of one cell into `out` (defaults to a new array), from one pass over the
   * cell's pages; each equals quantile(cell, q).
   */
  quantiles(cell: number, qs: readonly number[], out: number[] = []): number[] {
    const n = this.n[cell]!;
    const lo = this.min[cell]!;
    const hi = this.max[cell]!;
    const integer = this.integer[cell] === 1;
    // The order statistics needed strictly inside (0, n − 1); ranks 0 and n − 1 are min and max.
    const ranks: number[] = [];
    const inner = (k: number) => {
      if (k > 0 && k < n - 1) ranks.push(k);
    };
    for (const q of qs) {
      if (n === 0 || !(q >= 0 && q <= 1)) continue;
      const h = (n - 1) * q;
      const k = Math.floor(h);
      if (integer) inner(Math.round(h));
      else {
        inner(k);
        if (h - k !== 0) inner(k + 1);
      }
    }
    ranks.sort((a, b) => a - b);
    const values = this.orderStatistics(cell, ranks, lo, hi);
    const at = (k: number) => (k <= 0 ? lo : k >= n - 1 ? hi : values[ranks.indexOf(k)]!);
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i]!;
      if (n === 0 || !(q >= 0 && q <= 1)) {
        out[i] = NaN;
        continue;
      }
      const h = (n - 1) * q;
      if (integer) {
        out[i] = at(Math.round(h)); // the nearest rank: a whole number, as the values are
        continue;
      }
      const k = Math.floor(h);
      const frac = h - k;
      if (frac === 0 || k + 1 >= n) {
        out[i] = at(k);
        continue;
      }
      const a = at(k);
      const b = at(k + 1);
      out[i] = Math.min(hi, Math.max(lo, a + frac * (b - a)));
    }
    return out;
  }

  /** Estimates of the ranks[r]-th smallest values (0-based, ascending ranks) of a cell, in one ascending pass. */
  private orderStatistics(cell: number, ranks: readonly number[], lo: number, hi: number): number[] {
    const values: number[] = [];
    if (ranks.length === 0) return values;
    const { first, page, at } = this.pages.sorted();
    const store = this.pages.store;
    const integer = this.integer[cell] === 1;
    let r = 0;
    let seen = 0;
    let centerDone = false;
    const central = () => {
      const c = this.center[cell]!;
      for (; r < ranks.length && ranks[r]! < seen + c; r++)
        values[r] = placeInBucket(ZERO, ranks[r]! - seen, c, lo, hi, integer);
      seen += c;
      centerDone = true;
    };
    for (let k = first[cell]!; k < first[cell + 1]! && r < ranks.length; k++) {
      const p = page[k]!;
      if (!centerDone && p >= PAGES / 2) central();
      const o = at[k]!;
      for (let j = 0; j < PAGE && r < ranks.length; j++) {
        const c = store[o + j]!;
        if (c === 0) continue;
        if (ranks[r]! < seen + c) {
          const d = p * PAGE + j;
          const b = d < SIDE ? d : d + 1;
          for (; r < ranks.length && ranks[r]! < seen + c; r++)
            values[r] = placeInBucket(b, ranks[r]! - seen, c, lo, hi, integer);
        }
        seen += c;
      }
    }
    if (!centerDone) central();
    while (r < ranks.length) values[r++] = hi;
    return values;
  }
}
