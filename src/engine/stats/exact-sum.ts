// Exact sums, one per cell, as in Python's math.fsum: Shewchuk's algorithm ("Adaptive Precision
// Floating-Point Arithmetic and Fast Robust Geometric Predicates", 1997) keeps the running sum as
// a list of non-overlapping partials whose exact total is the exact sum of everything added.
// The final value is that exact total correctly rounded, so it does not depend on the order in
// which values (or whole sets, by merge) were added: means are bit-identical for any chunking.

export class ExactSums {
  readonly cells: number;
  private readonly partials: number[][];

  constructor(cells: number) {
    this.cells = cells;
    this.partials = Array.from({ length: cells }, () => []);
  }

  add(cell: number, x: number): void {
    const p = this.partials[cell]!;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  merge(other: ExactSums): void {
    for (let c = 0; c < this.cells; c++) for (const x of other.partials[c]!) this.add(c, x);
  }

  /** The exact sum of a cell, correctly rounded. */
  value(cell: number): number {
    const p = this.partials[cell]!;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** Flattens to [cells, len_0, partials_0…, len_1, …] for passing between threads. */
  toArray(): Float64Array {
    let size = 1;
    for (const p of this.partials) size += 1 + p.length;
    const out = new Float64Array(size);
    out[0] = this.cells;
    let o = 1;
    for (const p of this.partials) {
      out[o++] = p.length;
      for (const x of p) out[o++] = x;
    }
    return out;
  }

  static fromArray(a: Float64Array): ExactSums {
    const s = new ExactSums(a[0]!);
    let o = 1;
    for (let c = 0; c < s.cells; c++) {
      const len = a[o++]!;
      const p = s.partials[c]!;
      for (let j = 0; j < len; j++) p.push(a[o++]!);
    }
    return s;
  }
}
