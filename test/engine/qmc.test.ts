// Scrambled Sobol' points: the unscrambled sequence against scipy's, the net property after Owen
// scrambling, statelessness, the convergence rate on a smooth integrand, inversion and the
// replicate statistics.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { DISTRIBUTIONS, poissonCdf } from "../../src/engine/distributions/index.js";
import { compileModel } from "../../src/engine/index.js";
import { fillQmcBlock, inverseNormal } from "../../src/engine/qmc/block.js";
import { inverseNormalTailsSimd, simdScrambleAvailable } from "../../src/engine/qmc/scramble-simd.js";
import { model } from "./model.js";
import {
  qBernoulli,
  qBeta,
  qInteger,
  qLognormal,
  qNormal,
  qPert,
  qPoisson,
  qRange,
  qTriangular,
  qUniform,
  QMC_LAZY_Z,
  QMC_U,
  QMC_Z,
} from "../../src/engine/qmc/invert.js";
import { SOBOL_MAX_DIMS, owenScramble, scrambleSeed, scrambledPoint, sobolInt } from "../../src/engine/qmc/sobol.js";
import { normalQuantile } from "../../src/engine/special.js";
import { pairedReplicates, replicateEstimate, replicateMeans, studentT } from "../../src/engine/stats/index.js";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/qmc/sobol-1024x50.json", import.meta.url), "utf8")) as {
  points: number[][];
};

describe("Sobol' sequence", () => {
  test("the first 1,024 points in dimensions 1–50 equal scipy's Sobol(scramble=False)", () => {
    assert.equal(fixture.points.length, 1024);
    for (let i = 0; i < 1024; i++)
      for (let j = 0; j < 50; j++)
        assert.equal(sobolInt(i, j), fixture.points[i]![j], `point ${i}, dimension ${j + 1}`);
  });

  test("the table reaches dimension 21,201 and its last dimension is a (0, m, 1)-net", () => {
    assert.equal(SOBOL_MAX_DIMS, 21201);
    const seen = new Set<number>();
    for (let i = 0; i < 256; i++) seen.add(sobolInt(i, SOBOL_MAX_DIMS - 1) >>> 24);
    assert.equal(seen.size, 256);
  });
});

/** Largest t for which the points of dims (a, b) are NOT a (t, m, 2)-net; returns the least t that holds. */
function netQuality(points: [number, number][], m: number): number {
  for (let t = 0; t <= m; t++) {
    let ok = true;
    for (let k1 = 0; k1 <= m - t && ok; k1++) {
      const k2 = m - t - k1;
      const counts = new Map<number, number>();
      for (const [x, y] of points) {
        const key = (x >>> (32 - k1)) * 2 ** k2 + (k2 === 0 ? 0 : y >>> (32 - k2));
        counts.set(k1 === 0 ? (k2 === 0 ? 0 : y >>> (32 - k2)) : key, (counts.get(key) ?? 0) + 1);
      }
      if (counts.size !== 2 ** (m - t)) ok = false;
      for (const c of counts.values()) if (c !== 2 ** t) ok = false;
    }
    if (ok) return t;
  }
  return m + 1;
}

describe("Owen scrambling", () => {
  const m = 10;
  const pairOf = (a: number, b: number, scrambled: boolean, seed = 7): [number, number][] => {
    const pts: [number, number][] = [];
    const sa = scrambleSeed(seed, 0, 3, a);
    const sb = scrambleSeed(seed, 0, 3, b);
    for (let i = 0; i < 2 ** m; i++) {
      const x = sobolInt(i, a) | 0;
      const y = sobolInt(i, b) | 0;
      pts.push(scrambled ? [owenScramble(x, sa) >>> 0, owenScramble(y, sb) >>> 0] : [x >>> 0, y >>> 0]);
    }
    return pts;
  };

  test("dimensions 1 and 2 stay a (0, m, 2)-net: every elementary dyadic box of area 2^-m holds one point", () => {
    assert.equal(netQuality(pairOf(0, 1, false), m), 0);
    for (const seed of [1, 2, 3]) assert.equal(netQuality(pairOf(0, 1, true, seed), m), 0, `seed ${seed}`);
  });

  test("other pairs keep their t after scrambling, and the scramble moves the points", () => {
    for (const [a, b] of [
      [2, 5],
      [7, 30],
      [100, 1000],
    ] as const) {
      const plain = pairOf(a, b, false);
      const scrambled = pairOf(a, b, true);
      assert.equal(netQuality(scrambled, m), netQuality(plain, m), `dims ${a + 1}, ${b + 1}`);
      const moved = scrambled.filter(([x], i) => x !== plain[i]![0]).length;
      assert.ok(moved > 1000, `only ${moved} points moved`);
    }
  });

  test("a replicate's seeds differ from another's, coordinate by coordinate", () => {
    const seeds = new Set<number>();
    for (let r = 0; r < 16; r++) for (let j = 0; j < 100; j++) seeds.add(scrambleSeed(1, 0, r, j));
    assert.equal(seeds.size, 1600);
  });
});

describe("block fill", () => {
  test("the WebAssembly SIMD fill gives the JavaScript loop's bits (u, z and lazy z kinds, any width)", () => {
    assert.ok(simdScrambleAvailable(), "Node has WebAssembly SIMD: the test compares two fills, not one with itself");
    let seed = 9;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 8) / 2 ** 24;
    for (const D of [1, 2, 3, 4, 5, 7, 77, 130]) {
      const kinds = Uint8Array.from({ length: D }, () => Math.floor(rand() * 3));
      const keys = Int32Array.from({ length: D }, () => Math.floor(rand() * 2 ** 31));
      for (const [R, first, count] of [
        [8, 0, 64],
        [16, 5, 301],
        [9, 1023, 257],
      ] as const) {
        const simd = fillQmcBlock(new Float64Array(D * count), kinds, 3, 1, R, first, count, keys, "simd").slice();
        const js = fillQmcBlock(new Float64Array(D * count), kinds, 3, 1, R, first, count, keys, "js");
        assert.deepEqual(new Uint32Array(simd.buffer), new Uint32Array(js.buffer), `D ${D}, R ${R}, first ${first}`);
        // Both tails of AS241 are met (|u − 0.5| > 0.425 about 15% of the time).
        const z = [...kinds.keys()].filter((d) => kinds[d] === QMC_Z);
        if (z.length > 0 && count > 100) {
          const zs = Array.from({ length: count }, (_, i) => z.map((d) => js[i * D + d]!)).flat();
          assert.ok(zs.some((v) => v > 1.44) && zs.some((v) => v < -1.44), `tails at D ${D}`);
        }
      }
    }
  });

  test("the WebAssembly tails (fdlibm's logarithm written out) give inverseNormal's bits, near powers of two too", () => {
    const us: number[] = [];
    // u = (y + 0.5)·2^-32 for y near 2^(32−e) (the logarithm's |f| < 2^-20 branch) and at both ends.
    for (let e = 4; e <= 32; e++)
      for (let d = -40; d <= 40; d++) {
        const y = 2 ** (32 - e) + d;
        if (y >= 0 && y < 2 ** 32) us.push((y + 0.5) * 2 ** -32, 1 - (y + 0.5) * 2 ** -32);
      }
    let seed = 4;
    for (let k = 0; k < 100_000; k++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
      us.push((((seed >>> 0) % 322122547) + 0.5) * 2 ** -32, 1 - (((seed >>> 0) % 322122547) + 0.5) * 2 ** -32);
    }
    const tails = us.filter((u) => Math.abs(u - 0.5) > 0.425);
    const got = inverseNormalTailsSimd(Float64Array.from(tails))!;
    assert.ok(got !== null);
    const bad = tails.filter((u, i) => !Object.is(got[i], inverseNormal(u)));
    assert.deepEqual(bad, [], `${bad.length} of ${tails.length} differ`);
  });

  test("a normal-family draw that may not be taken is stored as u and inverted when taken (QMC_LAZY_Z)", () => {
    const layout = compileModel(
      model(`name: lazy
start: 2024-01
horizon: 3
series:
  e: normal(0, 1)
  shock: "if(uniform(0, 1) < 0.02, 100M to 1B, 0)"
  hit: "event(0.1, normal(5, 1))"
  cash: { start: 1B, change: "e - shock - hit" }
alive: cash >= 0
`),
    ).qmcLayout();
    // e: z; shock: u (the test), lazy z (its size); hit: u (happens), lazy z (its size).
    assert.deepEqual(layout.monthKinds, [QMC_Z, QMC_U, QMC_LAZY_Z, QMC_U, QMC_LAZY_Z]);
  });

  test("coordinates are a function of (seed, replicate, point, dimension) whatever the block split", () => {
    const kinds = Uint8Array.from([0, 1, 0, 1, 0]);
    const R = 3;
    const whole = new Float64Array(5 * 200);
    whole.set(fillQmcBlock(new Float64Array(5 * 200), kinds, 11, 2, R, 1000, 200));
    const parts = new Float64Array(5 * 200);
    for (const [first, count] of [
      [1000, 7],
      [1007, 64],
      [1071, 129],
    ] as const) {
      const part = new Float64Array(5 * count);
      part.set(fillQmcBlock(new Float64Array(5 * count), kinds, 11, 2, R, first, count));
      parts.set(part, 5 * (first - 1000));
    }
    assert.deepEqual(parts, whole);
    for (const i of [0, 1, 57, 199]) {
      const path = 1000 + i;
      for (let d = 0; d < 5; d++) {
        const u = scrambledPoint(11, 2, path % R, Math.floor(path / R), d);
        assert.equal(whole[i * 5 + d], kinds[d] === 1 ? inverseNormal(u) : u);
      }
    }
  });

  test("the error on a smooth integrand falls faster than n^-1/2: fitted slope ≤ −0.75 over n = 2^10..2^16", () => {
    // f(x) = Π_j (1 + (3x_j² − 1)/j) over 5 dimensions: smooth, integral exactly 1.
    const S = 5;
    const R = 16;
    const kinds = new Uint8Array(S);
    const logs: [number, number][] = [];
    for (let m = 10; m <= 16; m++) {
      const n = 2 ** m;
      const out = fillQmcBlock(new Float64Array(S * n * R), kinds, 2024, 0, R, 0, n * R);
      const est = new Float64Array(R);
      for (let p = 0; p < n * R; p++) {
        let f = 1;
        for (let j = 0; j < S; j++) {
          const x = out[p * S + j]!;
          f *= 1 + (3 * x * x - 1) / (j + 1);
        }
        est[p % R] += f / n;
      }
      let mse = 0;
      for (const e of est) mse += (e - 1) ** 2 / R;
      logs.push([Math.log2(n), 0.5 * Math.log2(mse)]);
    }
    const mx = logs.reduce((s, [x]) => s + x, 0) / logs.length;
    const my = logs.reduce((s, [, y]) => s + y, 0) / logs.length;
    const slope =
      logs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / logs.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    assert.ok(slope <= -0.75, `fitted slope of log RMSE against log n: ${slope.toFixed(3)}`);
  });
});

describe("inversion", () => {
  test("the block fill's inverse normal is AS241 as special.ts has it, to 2 ulp", () => {
    for (let i = 1; i < 100_000; i++) {
      const u = i / 100_000;
      for (const v of [u, u * 1e-9, 1 - u * 1e-9]) {
        const a = inverseNormal(v);
        const b = normalQuantile(v);
        assert.ok(Math.abs(a - b) <= 4.5e-16 * Math.max(1, Math.abs(b)), `at ${v}: ${a} vs ${b}`);
      }
    }
  });

  const us = [1e-9, 0.001, 0.02, 0.1, 0.25, 0.5, 0.61803, 0.9, 0.99, 1 - 1e-9];
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

  test("each inverse sampler is its distribution's quantile function", () => {
    for (const u of us) {
      const z = normalQuantile(u);
      close(qNormal(z, 3, 2), DISTRIBUTIONS.normal.quantile([3, 2], u), `normal at ${u}`);
      close(qLognormal(z, 1, 0.5), DISTRIBUTIONS.lognormal.quantile([1, 0.5], u), `lognormal at ${u}`);
      close(qRange(z, 2, 10), DISTRIBUTIONS.range.quantile([2, 10], u), `2 to 10 at ${u}`);
      close(qRange(z, -2, 10), DISTRIBUTIONS.range.quantile([-2, 10], u), `-2 to 10 at ${u}`);
      close(qUniform(u, -1, 4), DISTRIBUTIONS.uniform.quantile([-1, 4], u), `uniform at ${u}`);
      close(qTriangular(u, 0, 1, 5), DISTRIBUTIONS.triangular.quantile([0, 1, 5], u), `triangular at ${u}`);
      close(qBeta(u, 2, 5), DISTRIBUTIONS.beta.quantile([2, 5], u), `beta at ${u}`);
      close(qPert(u, 1, 2, 9), DISTRIBUTIONS.pert.quantile([1, 2, 9], u), `pert at ${u}`);
    }
  });

  test("discrete inverses give P(X = k) as the width of k's interval of u", () => {
    // integer(3, 7): u in [k/5, (k+1)/5) gives 3 + k.
    for (let k = 0; k < 5; k++) {
      assert.equal(qInteger((k + 0.001) / 5, 3, 7), 3 + k);
      assert.equal(qInteger((k + 0.999) / 5, 3, 7), 3 + k);
    }
    assert.equal(qBernoulli(0.29, 0.3), 1);
    assert.equal(qBernoulli(0.31, 0.3), 0);
    for (const rate of [0.5, 4, 29, 31, 250, 1e5]) {
      let prev = -1;
      for (const u of us) {
        const k = qPoisson(u, rate);
        assert.ok(k >= prev, `poisson(${rate}) decreasing at ${u}`);
        prev = k;
        // The smallest k with F(k) > u: F(k − 1) ≤ u < F(k).
        const F = (j: number) => poissonCdf(rate, j);
        assert.ok(
          F(k) > u - 1e-12 && F(k - 1) <= u + 1e-12,
          `poisson(${rate}) at ${u}: ${k}, F = ${F(k - 1)}, ${F(k)}`,
        );
      }
    }
  });

  test("invalid parameters give NaN, as the counter-stream samplers do", () => {
    assert.ok(Number.isNaN(qNormal(0, 1, -1)));
    assert.ok(Number.isNaN(qUniform(0.5, 2, 1)));
    assert.ok(Number.isNaN(qInteger(0.5, 1.5, 3)));
    assert.ok(Number.isNaN(qBernoulli(0.5, 1.2)));
    assert.ok(Number.isNaN(qPoisson(0.5, -1)));
    assert.ok(Number.isNaN(qRange(0, 5, 1)));
  });
});

describe("replicate statistics", () => {
  test("Student's t quantiles", () => {
    assert.ok(Math.abs(studentT(15) - 2.131449545559323) < 1e-9, `${studentT(15)}`);
    assert.ok(Math.abs(studentT(7) - 2.364624251592785) < 1e-9, `${studentT(7)}`);
    assert.ok(Math.abs(studentT(1000) - 1.962339) < 1e-6, `${studentT(1000)}`);
  });

  test("mean, sd/√R and the t interval of replicate estimates; paired differences", () => {
    const e = replicateEstimate([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(e.mean, 4.5);
    assert.ok(Math.abs(e.se - Math.sqrt(6 / 8)) < 1e-15);
    assert.ok(Math.abs(e.high - e.mean - studentT(7) * e.se) < 1e-12);
    assert.equal(e.df, 7);
    const d = pairedReplicates([3, 5, 4, 6], [1, 2, 2, 3]);
    assert.equal(d.mean, 2.5);
    assert.ok(Math.abs(d.se - Math.sqrt(1 / 3 / 4)) < 1e-15);
    assert.deepEqual([...replicateMeans([1, 10, 3, 20, 5, 30, 99], 2)], [3, 20]);
  });
});
