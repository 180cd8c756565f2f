// Streaming statistics: the sketch against exact (sorted) quantiles within its stated bound, merge
// order-independence bit for bit, exact sums against a rational reference, Wilson intervals, and
// exact quantiles of counts.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sampleBeta, sampleLognormal, sampleNormal, samplePoisson } from "../../src/engine/distributions/index.js";
import { Stream, seedWords } from "../../src/engine/rng.js";
import {
  BUCKETS,
  ExactSum,
  ExactSums,
  SKETCH_RELATIVE_ERROR,
  SketchSet,
  bucketBounds,
  bucketOf,
  quantileOfCounts,
  quantileSorted,
  wilson,
} from "../../src/engine/stats/index.js";

const [SEED_LO, SEED_HI] = seedWords(7);
const QS = [0, 0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999, 1];

/** A deterministic shuffle (Fisher–Yates driven by the counter-based stream). */
function shuffle<T extends { length: number; [i: number]: number }>(xs: T, seed: number): T {
  const s = new Stream();
  for (let i = xs.length - 1; i > 0; i--) {
    s.reset(seed, 0, i, 99, 0);
    const j = Math.floor(s.uniform() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}

function column(n: number, f: (s: Stream) => number, site = 1): Float64Array {
  const s = new Stream();
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s.reset(SEED_LO, SEED_HI, i, site, 0);
    xs[i] = f(s);
  }
  return xs;
}

/**
 * Asserts every sketch quantile is within the stated bound of the exact one: numpy 'linear', or
 * for whole numbers the order statistic of the nearest rank (and the sketch's is a whole number).
 */
function expectSketchMatches(xs: Float64Array, label: string, qs: readonly number[] = QS): { worst: number } {
  const sk = new SketchSet(1);
  sk.addColumn(0, xs, 0, xs.length);
  const sorted = xs.slice().sort();
  const integer = xs.every((x) => Number.isInteger(x));
  let worst = 0;
  for (const q of qs) {
    const h = (xs.length - 1) * q;
    const exact = integer ? sorted[Math.round(h)]! + 0 : quantileSorted(sorted, q);
    const got = sk.quantile(0, q);
    if (integer) assert.ok(Number.isInteger(got), `${label} q=${q}: sketch ${got} is not a whole number`);
    // Bound: below 1/64 of the larger neighbouring order statistic, plus 2^-1022 for the central bucket.
    const scale = Math.max(Math.abs(sorted[Math.floor(h)]!), Math.abs(sorted[Math.min(xs.length - 1, Math.ceil(h))]!));
    const bound = SKETCH_RELATIVE_ERROR * scale + 2 ** -1022;
    assert.ok(Math.abs(got - exact) <= bound, `${label} q=${q}: sketch ${got}, exact ${exact}, bound ${bound}`);
    if (exact !== 0) worst = Math.max(worst, Math.abs(got - exact) / Math.abs(exact));
  }
  return { worst };
}

describe("SketchSet", () => {
  test("buckets: ascending, bounds contain their values, relative width ≤ 1/64", () => {
    const values = [
      -Number.MAX_VALUE,
      -1e300,
      -1e30,
      -3e20,
      -1234.5,
      -1,
      -(2 ** -20),
      -1e-7,
      -1e-300,
      -(2 ** -1022),
      -5e-324,
      -0,
      0,
      5e-324,
      2 ** -1022,
      1e-300,
      1e-9,
      2 ** -20,
      0.3,
      1,
      1.015625,
      7e9,
      2 ** 80,
      1e30,
      1e300,
      Number.MAX_VALUE,
    ];
    let prev = -1;
    for (const x of values) {
      const b = bucketOf(x);
      assert.ok(b >= prev && b >= 0 && b < BUCKETS, `bucket of ${x}`);
      prev = b;
      const [lo, hi] = bucketBounds(b);
      assert.ok(lo <= x && x <= hi, `${x} in [${lo}, ${hi}]`);
      if (Number.isFinite(lo) && Number.isFinite(hi) && Math.abs(x) >= 2 ** -1022)
        assert.ok((hi - lo) / Math.min(Math.abs(lo), Math.abs(hi)) <= 1 / 64 + 1e-15);
    }
    assert.equal(bucketOf(1), bucketOf(1.015624));
    assert.equal(bucketOf(1) + 1, bucketOf(1.015625)); // 1 + 1/64 starts the next bucket
    // Zeros and subnormals share the central bucket; the least normal double has buckets of its own.
    assert.equal(bucketOf(-0), bucketOf(0));
    assert.equal(bucketOf(-5e-324), bucketOf(2 ** -1022 * 0.999));
    assert.equal(bucketOf(2 ** -1022), bucketOf(0) + 1);
    assert.equal(bucketOf(-(2 ** -1022)), bucketOf(0) - 1);
    assert.notEqual(bucketOf(Number.MAX_VALUE), bucketOf(Number.MAX_VALUE / 2));
  });

  test("normal data: within the bound, and much better in practice", () => {
    const xs = column(100_000, (s) => sampleNormal(s, 3.4e8, 5e7));
    const { worst } = expectSketchMatches(xs, "normal(3.4e8, 5e7)");
    // Measured: ≈ 3e-3 at q = 0.001 (100 values spread thinly over buckets), ≤ 2.4e-4 from q = 0.05 to 0.95.
    assert.ok(worst < 0.25 / 64, `worst relative error ${worst}`);
    const sk = new SketchSet(1);
    sk.addColumn(0, xs, 0, xs.length);
    const sorted = xs.slice().sort();
    for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      const exact = quantileSorted(sorted, q);
      assert.ok(Math.abs(sk.quantile(0, q) / exact - 1) < 1e-3, `q=${q}`);
    }
  });

  test("standard normal (both signs, values near 0)", () => {
    expectSketchMatches(
      column(50_000, (s) => sampleNormal(s, 0, 1)),
      "normal(0, 1)",
    );
  });

  test("lognormal over a wide range, both signs", () => {
    const xs = column(80_000, (s) => {
      const x = sampleLognormal(s, 5, 6); // spans ~e-20 … e+30
      return s.uniform() < 0.4 ? -x : x;
    });
    expectSketchMatches(xs, "±lognormal(5, 6)");
  });

  // Every finite double has buckets: scales the old range (2^-20..2^80) got wrong, against exact
  // quantiles. 1e25·N(1, 0.1) read 0.64/0.98/1.31e25 at p5/p50/p95 instead of 0.84/1.00/1.16.
  for (const scale of [1e-300, 1e-7, 1e25, 1e300]) {
    test(`values at ${scale}: normal and lognormal within the bound of the exact quantiles`, () => {
      const xs = column(20_000, (s) => scale * sampleNormal(s, 1, 0.1), 11);
      expectSketchMatches(xs, `${scale}·normal(1, 0.1)`);
      const sk = new SketchSet(1);
      sk.addColumn(0, xs, 0, xs.length);
      const sorted = xs.slice().sort();
      for (const q of [0.05, 0.5, 0.95])
        assert.ok(Math.abs(sk.quantile(0, q) / quantileSorted(sorted, q) - 1) < 1 / 64, `${scale} q=${q}`);
      // A lognormal spread over many octaves around the scale, both signs.
      const wide = column(20_000, (s) => scale * sampleLognormal(s, 0, 3) * (s.uniform() < 0.3 ? -1 : 1), 12);
      expectSketchMatches(wide, `±${scale}·lognormal(0, 3)`);
    });
  }

  test("beta(0.2, 3): values far below 2^-20 are not collapsed onto the minimum", () => {
    // The old sketch put everything below 2^-20 in one bucket: p5 read 9.3e-35 against 7.8e-8.
    const xs = column(50_000, (s) => sampleBeta(s, 0.2, 3), 13);
    expectSketchMatches(xs, "beta(0.2, 3)");
  });

  test("subnormals and zeros: within 2^-1022 absolutely, zeros exact", () => {
    const xs = column(5000, (s) => (s.uniform() < 0.5 ? 0 : 5e-324 * Math.floor(1e6 * s.uniform())), 14);
    expectSketchMatches(xs, "zeros and subnormals");
  });

  test("an integer-valued cell gives whole-number percentiles: poisson(25)'s 95th is 33", () => {
    const xs = column(100_000, (s) => samplePoisson(s, 25), 15);
    const sorted = xs.slice().sort();
    const sk = new SketchSet(1);
    sk.addColumn(0, xs, 0, xs.length);
    for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      const got = sk.quantile(0, q);
      // Buckets below 64 are narrower than 1, so the whole number is the exact order statistic.
      assert.equal(got, sorted[Math.round((xs.length - 1) * q)], `q=${q}`);
    }
    assert.equal(sk.quantile(0, 0.95), 33);
    // Merging keeps the property only while both sides are whole numbers.
    const other = new SketchSet(1);
    other.addColumn(0, new Float64Array([25.5]), 0, 1);
    assert.equal(sk.toState().integer[0], 1);
    sk.merge(other);
    assert.equal(sk.toState().integer[0], 0);
    assert.equal(SketchSet.fromState(sk.toState()).quantile(0, 0.3), sk.quantile(0, 0.3));
  });

  test("constant data give the exact value; two values give exact interpolation", () => {
    for (const c of [0, -0, 5e9, -123.456, 1e-30, 3e25]) {
      const sk = new SketchSet(2);
      sk.addColumn(1, new Float64Array(1000).fill(c), 0, 1000);
      for (const q of QS) assert.equal(sk.quantile(1, q), c + 0, `constant ${c} at q=${q}`);
    }
    const sk = new SketchSet(1);
    sk.addColumn(0, new Float64Array([10.5, 20.5]), 0, 2);
    assert.equal(sk.quantile(0, 0.5), 15.5);
    assert.equal(sk.quantile(0, 0.25), 13);
  });

  test("tiny n", () => {
    for (const xs of [[7], [3, -1], [1, 2, 3], [5, 1, 4, 2], [-2e9, 1e9, 3e9, 4.5e9, 7e9]]) {
      const a = new Float64Array(xs);
      expectSketchMatches(a, `[${xs.join(", ")}]`);
    }
    const sk = new SketchSet(1);
    sk.addColumn(0, new Float64Array([1, 2, 3]), 0, 3);
    assert.equal(sk.quantile(0, 0), 1);
    assert.equal(sk.quantile(0, 1), 3);
    assert.ok(Math.abs(sk.quantile(0, 0.5) - 2) <= 2 / 64);
  });

  test("empty cells and bad q give NaN", () => {
    const sk = new SketchSet(3);
    assert.ok(Number.isNaN(sk.quantile(2, 0.5)));
    sk.addColumn(0, new Float64Array([1]), 0, 1);
    assert.ok(Number.isNaN(sk.quantile(0, 1.5)));
    assert.ok(Number.isNaN(sk.quantile(0, NaN)));
  });

  test("merging random splits in any order equals one pass, bit for bit", () => {
    const xs = column(30_000, (s) => sampleNormal(s, -2e6, 3e7), 5);
    const cells = 3;
    const single = new SketchSet(cells);
    for (let c = 0; c < cells; c++) single.addColumn(c, xs, c * 1000, xs.length);
    for (let trial = 0; trial < 5; trial++) {
      // Random cut points per cell, chunks merged in a shuffled order (and some into fresh sets first).
      const s = new Stream();
      s.reset(trial, 0, 0, 42, 0);
      const parts: SketchSet[] = [];
      for (let c = 0; c < cells; c++) {
        let from = c * 1000;
        while (from < xs.length) {
          const to = Math.min(xs.length, from + 1 + Math.floor(s.uniform() * 4000));
          const p = new SketchSet(cells);
          p.addColumn(c, xs, from, to);
          parts.push(p);
          from = to;
        }
      }
      const order = shuffle(new Float64Array(parts.map((_, i) => i)), trial + 1);
      const merged = new SketchSet(cells);
      const side = new SketchSet(cells);
      order.forEach((i, j) => (j % 3 === 0 ? side : merged).merge(parts[i]!));
      merged.merge(side);
      assert.deepEqual(merged.toState(), single.toState());
      for (let c = 0; c < cells; c++)
        for (const q of QS) assert.ok(Object.is(merged.quantile(c, q), single.quantile(c, q)));
    }
  });

  test("the WebAssembly loop and the JavaScript loop build identical sketches, bit for bit", () => {
    // Values of every kind the bucket arithmetic distinguishes: both signs, the central bucket
    // (zeros, subnormals, |x| < 2^-20), the clamped ends (|x| ≥ 2^80, infinities), exact powers of
    // two and their neighbours, and realistic money-like and cash-like columns.
    const special = [0, -0, 5e-324, -5e-324, 2 ** -20, -(2 ** -20), 2 ** -21, 1, -1, 2 ** 80, -(2 ** 80)];
    special.push(2 ** -1022, -(2 ** -1022), 1e-300, -1e-300, 1e300, -1e300, 2 ** 1023, -(2 ** 1023));
    special.push(1.0000000000000002, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, 3e-7, -3e-7);
    const xs = column(
      5000,
      (s) => {
        const u = s.uniform();
        if (u < 0.1) return special[Math.floor(s.uniform() * special.length)]!;
        if (u < 0.55) return sampleNormal(s, 1e9, 3e9);
        return sampleLognormal(s, 20, 3) * (s.uniform() < 0.2 ? -1 : 1);
      },
      9,
    );
    const wasm = new SketchSet(7, 4);
    const js = new SketchSet(7, 4, "js");
    assert.equal(wasm.engine, "wasm", "Node has WebAssembly, so the fast loop must be in use");
    assert.equal(js.engine, "js");
    // Columns longer than one WebAssembly call (1,024 values), short ones, empty ones, and cells
    // filled over several calls; pages start at capacity 4, so both memories grow many times.
    const spans: [number, number, number][] = [
      [0, 0, 5000],
      [1, 17, 18],
      [2, 100, 100],
      [3, 0, 2048],
      [3, 2048, 3000],
    ];
    for (let c = 0; c < 7; c++) spans.push([c, 300 * c, 300 * c + 1500]);
    for (const [cell, from, to] of spans) {
      const words = new Uint32Array(xs.buffer);
      assert.ok(Object.is(wasm.addColumnSum(cell, xs, words, from, to), js.addColumnSum(cell, xs, words, from, to)));
    }
    assert.deepEqual(wasm.toState(), js.toState());
    for (let c = 0; c < 7; c++)
      for (const q of QS) assert.ok(Object.is(wasm.quantile(c, q), js.quantile(c, q)), `cell ${c} q=${q}`);
  });

  test("a cleared set is indistinguishable from a fresh one", () => {
    const xs = column(3000, (s) => sampleNormal(s, -1e6, 5e6), 11);
    const reused = new SketchSet(3, 4);
    reused.addColumn(0, xs, 0, 3000);
    reused.addColumn(2, xs, 100, 900);
    reused.clear();
    assert.equal(reused.pageCount, 0);
    const fresh = new SketchSet(3, 4);
    for (const sk of [reused, fresh]) {
      sk.addColumn(1, xs, 500, 2500);
      sk.addColumn(2, xs, 0, 10);
    }
    assert.deepEqual(reused.toState(), fresh.toState());
    assert.ok(Number.isNaN(reused.quantile(0, 0.5)), "cell 0 is empty again");
  });

  test("±0 in either order give the same min and max", () => {
    const a = new SketchSet(1);
    a.addColumn(0, new Float64Array([0, -0]), 0, 2);
    const b = new SketchSet(1);
    b.addColumn(0, new Float64Array([-0, 0]), 0, 2);
    assert.ok(Object.is(a.min[0], b.min[0]) && Object.is(a.max[0], b.max[0]));
  });

  test("state round-trips through its typed arrays (structured clone and transfer)", () => {
    const sk = new SketchSet(3);
    sk.addColumn(
      1,
      column(1000, (s) => sampleNormal(s, 1, 1)),
      0,
      1000,
    );
    sk.addColumn(2, new Float64Array([0, -0, 1e-9, -5, 3e30]), 0, 5);
    const state = sk.toState();
    const copy = SketchSet.fromState(structuredClone(state));
    assert.deepEqual(copy.toState(), state);
    for (let c = 0; c < 3; c++) for (const q of QS) assert.ok(Object.is(copy.quantile(c, q), sk.quantile(c, q)));
    // Only touched pages travel, each in its own buffer.
    assert.equal(state.pages.length, 64 * state.keys.length);
    assert.equal(state.keys.length, sk.pageCount);
    const buffers = [state.keys, state.pages, state.center, state.integer, state.min, state.max, state.n].map(
      (a) => a.buffer,
    );
    assert.equal(new Set(buffers).size, buffers.length);
    const moved = structuredClone(state, { transfer: buffers as ArrayBuffer[] });
    assert.deepEqual(SketchSet.fromState(moved).toState(), sk.toState());
  });

  test("a point mass at zero gives exactly 0, not a value spread inside the central bucket", () => {
    // A shortfall: 60% of paths never run short (exact zeros), the rest lognormal amounts.
    const xs = column(10_000, (s) => (s.uniform() < 0.6 ? 0 : sampleLognormal(s, 14, 1)));
    const sk = new SketchSet(1);
    sk.addColumn(0, xs, 0, xs.length);
    for (const q of [0.05, 0.3, 0.5, 0.59]) assert.ok(Object.is(sk.quantile(0, q), 0), `q=${q}: ${sk.quantile(0, q)}`);
    expectSketchMatches(xs, "zeros and lognormal");
    // Subnormals share the central bucket and are placed at 0 clamped to [min, max]: within 2^-1022.
    const tiny = column(1000, (s) => 1e-320 + 4e-315 * s.uniform());
    expectSketchMatches(tiny, "subnormal positive");
    const t = new SketchSet(1);
    t.addColumn(0, tiny, 0, tiny.length);
    assert.equal(t.quantile(0, 0.5), Math.min(...tiny));
  });

  test("quantiles(cell, qs) equals quantile(cell, q) for each q, bit for bit", () => {
    const sk = new SketchSet(4);
    sk.addColumn(
      0,
      column(20_000, (s) => sampleNormal(s, 1e6, 5e6)),
      0,
      20_000,
    );
    sk.addColumn(1, new Float64Array([3, 1, 2]), 0, 3);
    sk.addColumn(
      2,
      column(777, (s) => sampleLognormal(s, 3, 4) * (s.uniform() < 0.3 ? -1 : 1)),
      0,
      777,
    );
    const qs = [0.95, 0.05, 0.5, 0.25, 0.75, 0, 1, 0.001, 0.999, 0.5, NaN, 2, 1 / 3];
    for (let c = 0; c < 4; c++) {
      const got = sk.quantiles(c, qs);
      qs.forEach((q, i) => assert.ok(Object.is(got[i], sk.quantile(c, q)), `cell ${c} q=${q}`));
    }
  });

  test("memory: touched pages only, under 10% of the dense layout for 2,400 realistic cells", () => {
    // 20 series × 120 months; most series money-like (lognormal), one in ten cash-like (crossing zero).
    const cells = 2400;
    const sk = new SketchSet(cells);
    const xs = new Float64Array(2000);
    const s = new Stream();
    for (let c = 0; c < cells; c++) {
      for (let i = 0; i < xs.length; i++) {
        s.reset(SEED_LO, SEED_HI, i, 100 + c, 0);
        xs[i] = c % 10 === 0 ? sampleNormal(s, 1e9, 3e9) : sampleLognormal(s, 20, 1);
      }
      sk.addColumn(c, xs, 0, xs.length);
    }
    const dense = cells * (BUCKETS * 4 + 24); // one Uint32 per bucket, plus min, max and n
    // Measured: 0.55% (12.2 one-octave pages per cell, table and spare capacity included); the state 0.31%.
    assert.ok(sk.byteLength < 0.01 * dense, `${sk.byteLength} bytes, dense ${dense}`);
    const st = sk.toState();
    const stateBytes = [st.keys, st.pages, st.center, st.min, st.max, st.n].reduce((b, a) => b + a.byteLength, 0);
    assert.ok(stateBytes < 0.005 * dense, `state ${stateBytes} bytes, dense ${dense}`);
  });

  test("memory: an empty cell costs its min, max, n and counts; a narrow one about a page", () => {
    // Tens of thousands of cells, as a scenario of thousands of series over months gives: the
    // cost per cell must not carry a page index sized for the whole double range.
    const cells = 40_000;
    const empty = new SketchSet(cells);
    // min, max, n (8 bytes each), central count (4), whole-number flag (1): 29; the heap's start is shared.
    assert.ok(empty.byteLength / cells < 32, `${empty.byteLength / cells} bytes an empty cell`);
    const narrow = new SketchSet(cells);
    const xs = new Float64Array(1024);
    for (let c = 0; c < cells; c++) {
      // A series that stays within one octave, [1024, 2048): from 1024·(1 + 0.9c/cells), 0.1 wide.
      for (let i = 0; i < xs.length; i++) xs[i] = 1024 * (1 + (0.9 * c) / cells) + (0.1 * i) / xs.length;
      narrow.addColumn(c, xs, 0, xs.length);
    }
    assert.equal(narrow.pageCount, cells, "one page a cell");
    // A page is 64 counts (256 bytes), a table slot 16 bytes at most half full, plus the heap's
    // growth by half: under 700 bytes a cell (the flat index alone took 2,048).
    assert.ok(narrow.byteLength / cells < 700, `${narrow.byteLength / cells} bytes a narrow cell`);
    for (const c of [0, 1, cells >> 1, cells - 1]) {
      const lo = 1024 * (1 + (0.9 * c) / cells);
      const got = narrow.quantile(c, 0.5);
      assert.ok(Math.abs(got - (lo + 0.05)) <= (lo + 0.1) * SKETCH_RELATIVE_ERROR, `cell ${c}: ${got}`);
    }
  });

  test("many cells: the page table grows and probes past collisions, the same in WebAssembly and JavaScript", () => {
    // 3,000 cells of three shapes, each added over two calls, into sets that start with room for
    // 16 pages: the table is rebuilt many times, between calls and within a long column's calls.
    const cells = 3000;
    const xs = column(4000, (s) => sampleLognormal(s, 5, 2) * (s.uniform() < 0.3 ? -1 : 1), 21);
    const wasm = new SketchSet(cells);
    const js = new SketchSet(cells, 16, "js");
    const exact = new SketchSet(cells, 16, "js");
    const words = new Uint32Array(xs.buffer);
    for (let c = 0; c < cells; c++) {
      const from = (c * 7) % 2000;
      const len = c % 3 === 0 ? 2000 : c % 3 === 1 ? 37 : 1;
      for (const sk of [wasm, js]) {
        sk.addColumnSum(c, xs, words, from, from + (len >> 1));
        sk.addColumnSum(c, xs, words, from + (len >> 1), from + len);
      }
      exact.addColumn(c, xs, from, from + len);
    }
    assert.equal(wasm.engine, "wasm");
    assert.deepEqual(wasm.toState(), js.toState());
    assert.deepEqual(wasm.toState(), exact.toState(), "two calls add what one does");
    // Every cell's quantiles stay within the bound of the exact ones.
    for (let c = 0; c < cells; c += 97) {
      const from = (c * 7) % 2000;
      const len = c % 3 === 0 ? 2000 : c % 3 === 1 ? 37 : 1;
      const sorted = xs.slice(from, from + len).sort();
      for (const q of QS) {
        const want = quantileSorted(sorted, q);
        const got = wasm.quantile(c, q);
        const bound = Math.max(
          Math.abs(sorted[Math.floor((len - 1) * q)]!),
          Math.abs(sorted[Math.ceil((len - 1) * q)]!),
        );
        assert.ok(Math.abs(got - want) <= bound * SKETCH_RELATIVE_ERROR, `cell ${c} q=${q}: ${got} vs ${want}`);
      }
    }
  });
});

describe("ExactSum", () => {
  /** Exact rational sum of doubles as BigInt numerator over 2^1074, rounded to nearest-even by the engine's Number(). */
  function referenceSum(xs: Float64Array): number {
    const view = new DataView(new ArrayBuffer(8));
    let total = 0n;
    for (const x of xs) {
      view.setFloat64(0, x);
      const bits = view.getBigUint64(0);
      const sign = bits >> 63n ? -1n : 1n;
      const exp = Number((bits >> 52n) & 0x7ffn);
      const frac = bits & ((1n << 52n) - 1n);
      const mant = exp === 0 ? frac : frac | (1n << 52n);
      total += sign * (mant << BigInt(Math.max(exp, 1) - 1)); // value = mant·2^(max(exp,1) − 1075) = (…)/2^1074
    }
    return roundBigRational(total);
  }

  /** total/2^1074 rounded to the nearest double, ties to even. */
  function roundBigRational(total: bigint): number {
    if (total === 0n) return 0;
    const neg = total < 0n;
    let m = neg ? -total : total;
    const bitLength = m.toString(2).length;
    let shift = bitLength - 53; // keep 53 significant bits
    if (shift < 0) shift = 0;
    if (shift > 0) {
      const rem = m & ((1n << BigInt(shift)) - 1n);
      const half = 1n << BigInt(shift - 1);
      m >>= BigInt(shift);
      if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    }
    const v = Number(m) * 2 ** (shift - 1074);
    return neg ? -v : v;
  }

  function sumOf(xs: ArrayLike<number>): number {
    const s = new ExactSum();
    for (let i = 0; i < xs.length; i++) s.add(xs[i]!);
    return s.value();
  }

  test("hard cases (Python's fsum test suite)", () => {
    assert.equal(sumOf([1e100, 1, -1e100]), 1); // R: sum is 0 in naive order
    assert.equal(sumOf([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), 1);
    assert.equal(sumOf([1e308, 1e308, -1e308]), Infinity); // intermediate overflow (fsum raises)
    assert.equal(sumOf([2 ** 53, -0.5, -(2 ** -54)]), 2 ** 53 - 1); // fsum: 9007199254740991.0
    assert.equal(sumOf([2 ** 53, 1, 2 ** -52]), 2 ** 53 + 2); // the half-even correction
    assert.equal(sumOf([]), 0);
    assert.ok(Number.isNaN(sumOf([1, Infinity, -Infinity])));
    assert.equal(sumOf([1, Infinity]), Infinity);
  });

  test("matches a BigInt rational reference on ill-conditioned data", () => {
    const s = new Stream();
    for (let trial = 0; trial < 20; trial++) {
      const xs = new Float64Array(2000);
      for (let i = 0; i < xs.length; i += 2) {
        s.reset(trial, 3, i, 11, 0);
        const x = (s.uniform() - 0.5) * 2 ** Math.floor(s.uniform() * 200 - 100);
        xs[i] = x;
        xs[i + 1] = -x * (1 + 2 ** -40 * (s.uniform() - 0.5)); // near-cancelling pairs
      }
      assert.ok(Object.is(sumOf(xs), referenceSum(xs)), `trial ${trial}`);
    }
  });

  test("order-independent: shuffles and merges of random splits give identical bits", () => {
    const xs = column(20_000, (s) => sampleLognormal(s, 20, 3) * (s.uniform() < 0.5 ? -1 : 1));
    const expected = sumOf(xs);
    assert.ok(Object.is(expected, referenceSum(xs)));
    for (let trial = 0; trial < 5; trial++) {
      const ys = shuffle(xs.slice(), trial);
      assert.ok(Object.is(sumOf(ys), expected), `shuffle ${trial}`);
      const parts = [new ExactSum(), new ExactSum(), new ExactSum()];
      ys.forEach((y, i) => parts[(i * 7 + trial) % 3]!.add(y));
      const total = ExactSum.fromArray(parts[2]!.toArray());
      total.merge(parts[0]!);
      total.merge(ExactSum.fromArray(parts[1]!.toArray()));
      assert.ok(Object.is(total.value(), expected), `merge ${trial}`);
    }
  });

  test("ExactSums: per-cell sums survive toArray/fromArray and merge", () => {
    const a = new ExactSums(3);
    const b = new ExactSums(3);
    a.add(0, 1e100);
    a.add(0, 1);
    b.add(0, -1e100);
    b.add(2, 0.1);
    b.add(2, 0.2);
    const c = ExactSums.fromArray(a.toArray());
    c.merge(ExactSums.fromArray(b.toArray()));
    assert.equal(c.value(0), 1);
    assert.equal(c.value(1), 0);
    assert.equal(c.value(2), 0.30000000000000004); // 0.1 + 0.2 exactly, correctly rounded
  });
});

describe("wilson and exact quantiles", () => {
  test("wilson intervals", () => {
    // R: prop.test(50, 100, correct = FALSE)$conf.int → 0.4038315 0.5961685
    const w = wilson(50, 100);
    assert.ok(Math.abs(w.low - 0.4038315) < 1e-7 && Math.abs(w.high - 0.5961685) < 1e-7);
    // R: prop.test(0, 20, correct = FALSE)$conf.int → 0.0000000 0.1611252
    const z = wilson(0, 20);
    assert.equal(z.low, 0);
    assert.ok(Math.abs(z.high - 0.1611252) < 1e-7);
    assert.equal(wilson(20, 20).high, 1);
    assert.deepEqual(wilson(0, 0), { low: 0, high: 1 });
    const w90 = wilson(30, 40, 1.6448536269514722);
    assert.ok(w90.low > wilson(30, 40).low && w90.high < wilson(30, 40).high);
  });

  test("quantileOfCounts equals numpy 'linear' on the expanded data", () => {
    const cases: number[][] = [[0, 3, 0, 5, 2], [1], [0, 0, 4], [2, 0, 0, 0, 1], [10, 1, 1, 1, 7]];
    for (const counts of cases) {
      const expanded: number[] = [];
      counts.forEach((c, v) => {
        for (let i = 0; i < c; i++) expanded.push(v);
      });
      for (const q of [0, 0.05, 0.25, 0.333, 0.5, 0.75, 0.95, 1])
        assert.equal(quantileOfCounts(counts, q), quantileSorted(expanded, q), `[${counts}] q=${q}`);
    }
    // numpy: np.percentile([1, 1, 1, 3, 3, 3, 3, 3, 4, 4], 25) = 1.5
    assert.equal(quantileOfCounts([0, 3, 0, 5, 2], 0.25), 1.5);
    assert.ok(Number.isNaN(quantileOfCounts([0, 0], 0.5)));
  });
});
