// Exact sums, as Python's math.fsum: Shewchuk's algorithm ("Adaptive Precision Floating-Point
// Arithmetic and Fast Robust Geometric Predicates", Discrete Comput. Geom. 18, 1997) keeps the
// running sum as non-overlapping partials whose exact total is the exact sum of everything added
// (each step is Knuth's TwoSum, so nothing is lost). value() rounds that exact total correctly,
// with fsum's half-even fix-up, so the result does not depend on the order in which values or
// whole sums (merge) were added: means are bit-identical however paths are chunked or threaded.
//
// Non-finite inputs are summed apart (Infinity + −Infinity = NaN, NaN wins), which is also
// order-independent. A finite total beyond ±1.8e308 cannot be represented: an intermediate overflow
// makes the value ±Infinity (fsum raises instead).

/** The exact sum of a stream of doubles, correctly rounded on read. */
export class ExactSum {
  private partials: Float64Array;
  private count = 0;
  /** Sum of the non-finite values added (0 when there were none). */
  private special = 0;

  constructor(capacity = 8) {
    this.partials = new Float64Array(capacity);
  }

  /** Adds x exactly. */
  add(x: number): void {
    if (x - x !== 0) {
      this.special += x; // ±Infinity or NaN
      return;
    }
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < this.count; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      if (hi - hi !== 0) {
        // Intermediate overflow: the sum is beyond doubles, and stays ±Infinity (the partials no longer matter).
        this.special += hi;
        return;
      }
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (i === p.length) {
      this.partials = new Float64Array(2 * p.length);
      this.partials.set(p);
    }
    this.partials[i] = x;
    this.count = i + 1;
  }

  /** Adds everything another sum holds, exactly. */
  merge(other: ExactSum): void {
    for (let j = 0; j < other.count; j++) this.add(other.partials[j]!);
    if (other.special !== 0) this.special += other.special;
  }

  /** The exact sum, correctly rounded to a double (0 when empty). */
  value(): number {
    if (this.special !== 0) return this.special;
    const p = this.partials;
    let n = this.count;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even across partials: if the rest of the partials push lo past the half-way
    // point, move hi one step (fsum's correction).
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** Number of partials held (at most about 40 for finite doubles in practice). */
  get size(): number {
    return this.count;
  }

  /** [special, partials…]: for passing between threads (transferable). */
  toArray(): Float64Array {
    const out = new Float64Array(1 + this.count);
    out[0] = this.special;
    out.set(this.partials.subarray(0, this.count), 1);
    return out;
  }

  /** The inverse of toArray. */
  static fromArray(a: Float64Array): ExactSum {
    const s = new ExactSum(Math.max(8, a.length - 1));
    s.special = a[0] ?? 0;
    s.partials.set(a.subarray(1));
    s.count = Math.max(0, a.length - 1);
    return s;
  }
}

/** One ExactSum per cell (per reported series and month). */
export class ExactSums {
  readonly cells: number;
  private readonly sums: ExactSum[];

  constructor(cells: number) {
    this.cells = cells;
    this.sums = Array.from({ length: cells }, () => new ExactSum());
  }

  add(cell: number, x: number): void {
    this.sums[cell]!.add(x);
  }

  merge(other: ExactSums): void {
    if (other.cells !== this.cells) throw new Error("internal: merging exact sums of different shapes");
    for (let c = 0; c < this.cells; c++) this.sums[c]!.merge(other.sums[c]!);
  }

  /** The exact sum of a cell, correctly rounded. */
  value(cell: number): number {
    return this.sums[cell]!.value();
  }

  /** Flattens to [cells, (length, special, partials…) per cell] for passing between threads. */
  toArray(): Float64Array {
    const parts = this.sums.map((s) => s.toArray());
    let size = 1;
    for (const p of parts) size += 1 + p.length;
    const out = new Float64Array(size);
    out[0] = this.cells;
    let o = 1;
    for (const p of parts) {
      out[o++] = p.length;
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  static fromArray(a: Float64Array): ExactSums {
    const s = new ExactSums(a[0]!);
    let o = 1;
    for (let c = 0; c < s.cells; c++) {
      const len = a[o++]!;
      s.sums[c] = ExactSum.fromArray(a.subarray(o, o + len));
      o += len;
    }
    return s;
  }
}
