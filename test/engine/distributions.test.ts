// Statistical checks of every sampler against its own metadata (mean, variance, quantiles), the
// ziggurat's tail and wedges in depth, NaN behaviour, determinism, and special functions.
//
// Draws are made as the kernel makes them: one Stream, reset to (seed, path = i, site, t) per draw.
// Tolerances come from standard errors with the multiplier stated; z = 5 gives a two-sided false
// alarm of about 6e-7 per check (the seed is fixed, so a pass is reproducible).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DISTRIBUTIONS,
  sampleNormal,
  sampleStdNormal,
  type Distribution,
  type DistributionName,
} from "../../src/engine/distributions/index.js";
import { pertShapes } from "../../src/engine/distributions/pert.js";
import { qPert } from "../../src/engine/qmc/invert.js";
import { Stream, seedWords, siteId } from "../../src/engine/rng.js";
import {
  betaQuantile,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
} from "../../src/engine/special.js";
import { BUILTINS } from "../../src/lang/builtins.js";

const [SEED_LO, SEED_HI] = seedWords(20240701);
const SITE = siteId("test", 0);
const Z = 5;

/** Asserts |actual − expected| ≤ z·se and says how many SEs off it was. */
function expectWithinSE(actual: number, expected: number, se: number, label: string, z = Z): void {
  const off = (actual - expected) / se;
  assert.ok(
    Math.abs(off) <= z,
    `${label}: got ${actual}, expected ${expected} ± ${z}·${se} (${off.toFixed(2)} SE off)`,
  );
}

/** n draws of `dist(params)`, path = i, month t = 3. */
function draw(dist: Distribution, params: readonly number[], n: number, site = SITE): Float64Array {
  const s = new Stream();
  const [a = NaN, b = NaN, c = NaN] = params;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s.reset(SEED_LO, SEED_HI, i, site, 3);
    xs[i] = dist.sample(s, a, b, c);
  }
  return xs;
}

/** numpy's 'linear' quantile of sorted data. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function moments(xs: Float64Array): { mean: number; variance: number; m4: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let s2 = 0;
  let s4 = 0;
  for (const x of xs) {
    const d = (x - mean) * (x - mean);
    s2 += d;
    s4 += d * d;
  }
  return { mean, variance: s2 / (xs.length - 1), m4: s4 / xs.length };
}

interface Case {
  name: DistributionName;
  params: number[];
}

const CASES: Case[] = [
  { name: "normal", params: [1, 2] },
  { name: "normal", params: [-3e8, 5e7] },
  { name: "lognormal", params: [0.5, 0.8] },
  { name: "range", params: [2, 10] }, // lognormal branch
  { name: "range", params: [-5, 10] }, // normal branch
  { name: "uniform", params: [-3, 5] },
  { name: "integer", params: [6, 18] },
  { name: "integer", params: [-3, 3] },
  { name: "integer", params: [0, 9999999] }, // wider than 2^21: the floor(U·n) path
  { name: "triangular", params: [0, 1, 3] },
  { name: "triangular", params: [2, 2, 5] },
  { name: "pert", params: [0, 1, 3] },
  { name: "pert", params: [10, 50, 60] },
  { name: "beta", params: [2, 3] },
  { name: "beta", params: [0.5, 0.5] },
  { name: "beta", params: [0.2, 3] },
  { name: "beta", params: [40, 7] },
  { name: "bernoulli", params: [0.3] },
  { name: "bernoulli", params: [0.02] },
  { name: "poisson", params: [0.5] },
  { name: "poisson", params: [3] },
  { name: "poisson", params: [9.9] },
  { name: "poisson", params: [10] },
  { name: "poisson", params: [100] },
  { name: "poisson", params: [1e6] },
];

const N = 200_000;

describe("samplers match their metadata (n = 200k, z = 5)", () => {
  for (const { name, params } of CASES) {
    test(`${name}(${params.join(", ")})`, () => {
      const dist = DISTRIBUTIONS[name];
      const xs = draw(dist, params, N, siteId(name, params.length));
      const m = moments(xs);
      const mean = dist.mean(params);
      const variance = dist.variance(params);
      // mean: SE = σ/√n
      expectWithinSE(m.mean, mean, Math.sqrt(variance / N), "mean");
      // sample variance: SE ≈ √((μ₄ − σ⁴)/n), μ₄ from the sample
      expectWithinSE(m.variance, variance, Math.sqrt((m.m4 - m.variance * m.variance) / N), "variance");

      const sorted = xs.slice().sort();
      for (const p of [0.1, 0.5, 0.9]) {
        const q = dist.quantile(params, p);
        const pSE = Math.sqrt((p * (1 - p)) / N);
        if (dist.discrete) {
          // q is the smallest k with F(k) ≥ p: P(X < q) ≤ p ≤ P(X ≤ q), each share with SE √(p(1 − p)/n).
          let below = 0;
          let atOrBelow = 0;
          for (const x of xs) {
            if (x < q) below++;
            if (x <= q) atOrBelow++;
          }
          assert.ok(below / N - p <= Z * pSE, `P(X < q${p}) = ${below / N} > ${p}`);
          assert.ok(p - atOrBelow / N <= Z * pSE, `P(X ≤ q${p}) = ${atOrBelow / N} < ${p}`);
        } else {
          // empirical quantile: SE ≈ √(p(1 − p)/n)/f(q), with f from the quantile function's slope
          const eps = 1e-4;
          const density = (2 * eps) / (dist.quantile(params, p + eps) - dist.quantile(params, p - eps));
          expectWithinSE(quantileSorted(sorted, p), q, pSE / density, `quantile ${p}`);
        }
      }
    });
  }

  test("the registry covers every distribution of the language, with the same arity", () => {
    const builtin = BUILTINS.filter((b) => b.kind === "distribution");
    assert.deepEqual(
      builtin.map((b) => b.name).sort(),
      Object.keys(DISTRIBUTIONS)
        .filter((k) => k !== "range")
        .sort(),
    );
    for (const b of builtin) assert.equal(DISTRIBUTIONS[b.name as DistributionName].arity, b.minArgs, b.name);
    assert.equal(DISTRIBUTIONS.range.arity, 2);
  });
});

describe("normal ziggurat in depth (n = 1e6)", () => {
  const n = 1_000_000;
  const s = new Stream();
  const zs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s.reset(SEED_LO, SEED_HI, i, SITE, 0);
    zs[i] = sampleStdNormal(s);
  }
  const sorted = zs.slice().sort();

  test("Kolmogorov–Smirnov against Φ", () => {
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normalCdf(sorted[i]!);
      d = Math.max(d, (i + 1) / n - f, f - i / n);
    }
    // √n·D is asymptotically Kolmogorov-distributed: P(K > 1.95) ≈ 0.001.
    assert.ok(Math.sqrt(n) * d < 1.95, `√n·D = ${Math.sqrt(n) * d}`);
  });

  test("chi-square over 200 equiprobable bins", () => {
    const bins = 200;
    const counts = new Float64Array(bins);
    for (const x of zs) counts[Math.min(bins - 1, Math.floor(normalCdf(x) * bins))]!++;
    let chi2 = 0;
    const e = n / bins;
    for (const c of counts) chi2 += ((c - e) * (c - e)) / e;
    // χ²(199): mean 199, sd √398 ≈ 19.95; 5 sd above the mean is 298.7.
    assert.ok(chi2 < 199 + 5 * Math.sqrt(2 * 199), `χ² = ${chi2}`);
  });

  test("tail shares beyond R = 3.442619855899 and beyond 4", () => {
    for (const [cut, p] of [
      [3.442619855899, 0.0005761085123916392], // scipy: 2·norm.cdf(−3.442619855899)
      [4, 6.334248366623973e-5], // scipy: 2·norm.cdf(−4)
      [2, 2 * normalCdf(-2)],
      [1, 2 * normalCdf(-1)],
    ] as const) {
      let k = 0;
      for (const x of zs) if (Math.abs(x) > cut) k++;
      expectWithinSE(k / n, p, Math.sqrt((p * (1 - p)) / n), `P(|Z| > ${cut})`);
    }
    // Both tails are used: the left tail beyond −R holds half of them.
    let left = 0;
    let both = 0;
    for (const x of zs) {
      if (x < -3.442619855899) left++;
      if (Math.abs(x) > 3.442619855899) both++;
    }
    expectWithinSE(left / both, 0.5, Math.sqrt(0.25 / both), "left share of the tail");
  });

  test("quantiles from 0.001 to 0.999 (inside layers, wedges and tail)", () => {
    for (const p of [0.001, 0.01, 0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.99, 0.999]) {
      const q = normalQuantile(p);
      const f = Math.exp(-0.5 * q * q) / Math.sqrt(2 * Math.PI);
      expectWithinSE(quantileSorted(sorted, p), q, Math.sqrt((p * (1 - p)) / n) / f, `quantile ${p}`);
    }
  });

  test("moments: mean 0, variance 1, kurtosis 3", () => {
    const m = moments(zs);
    expectWithinSE(m.mean, 0, 1 / Math.sqrt(n), "mean");
    expectWithinSE(m.variance, 1, Math.sqrt(2 / (n - 1)), "variance"); // normal: SE = σ²√(2/(n − 1))
    expectWithinSE(m.m4, 3, Math.sqrt(96 / n), "fourth moment"); // Var(Z⁴) = E Z⁸ − 9 = 105 − 9
  });
});

/**
 * A Stream whose first word is given: it fixes the ziggurat's first layer and u, so tests can aim
 * at the tail and the wedges; every later word is the real hash of (seed, path, site, t).
 */
class ForcedStream extends Stream {
  forced = false;
  w1 = 0;
  override word(): number {
    if (!this.forced) return super.word();
    this.forced = false;
    return this.w1;
  }
  /** Forces layer i and u = (2k + 1)·2^-25 − 1 for the 25-bit integer k. */
  aim(layer: number, k: number): void {
    this.forced = true;
    this.w1 = ((k << 7) | layer) >>> 0;
  }
}

/** u for the 25-bit integer k, as the sampler computes it. */
const uOf = (k: number): number => (2 * k + 1) * 2 ** -25 - 1;

/** The ZIGNOR layer edges x_0..x_128, rebuilt here from R and V (Marsaglia & Tsang 2000) as a cross-check. */
function zigguratEdges(): number[] {
  const R = 3.442619855899;
  const V = 9.91256303526217e-3;
  let f = Math.exp(-0.5 * R * R);
  const x = [V / f, R];
  for (let i = 2; i < 128; i++) {
    x[i] = Math.sqrt(-2 * Math.log(V / x[i - 1]! + f));
    f = Math.exp(-0.5 * x[i]! * x[i]!);
  }
  x[128] = 0;
  return x;
}

describe("ziggurat tail and wedges, aimed at directly", () => {
  const X = zigguratEdges();
  const R = X[1]!;
  const TWO25 = 33554432;

  test("the tail beyond ±R follows the normal tail (KS, n = 100k each side)", () => {
    const n = 100_000;
    const s = new ForcedStream();
    const qR = normalCdf(-R);
    for (const sign of [1, -1]) {
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        s.reset(SEED_LO, SEED_HI, i, SITE, 0);
        // layer 0 with |u| ≈ 1 > x_1/x_0: the tail branch, with sign of u
        s.aim(0, sign > 0 ? TWO25 - 1 - (i % 1000) : i % 1000);
        xs[i] = sampleStdNormal(s);
      }
      xs.sort();
      let d = 0;
      for (let i = 0; i < n; i++) {
        const x = sign * xs[i]!;
        assert.ok(x > R, `tail draw ${xs[i]} not beyond ${sign > 0 ? "" : "−"}R`);
        // F(x | tail) = 1 − Q(x)/Q(R), Q(x) = Φ(−x); for the left side, ranks run the other way.
        const f = 1 - normalCdf(-x) / qR;
        const rank = sign > 0 ? i : n - 1 - i;
        d = Math.max(d, (rank + 1) / n - f, f - rank / n);
      }
      // √n·D is asymptotically Kolmogorov-distributed: P(K > 1.95) ≈ 0.001.
      assert.ok(Math.sqrt(n) * d < 1.95, `side ${sign}: √n·D = ${Math.sqrt(n) * d}`);
    }
  });

  test("a point in a wedge is accepted with probability (f(x) − f(x_i)) / (f(x_{i+1}) − f(x_i))", () => {
    const n = 20_000;
    const s = new ForcedStream();
    const f = (x: number): number => Math.exp(-0.5 * x * x);
    for (const layer of [1, 2, 10, 64, 120, 126, 127])
      for (const frac of [0.05, 0.5, 0.95]) {
        const target = X[layer + 1]! + frac * (X[layer]! - X[layer + 1]!);
        const k = Math.round(((target / X[layer]! + 1) / 2) * TWO25);
        const x = uOf(k) * X[layer]!;
        const p = (f(x) - f(X[layer]!)) / (f(X[layer + 1]!) - f(X[layer]!));
        let accepted = 0;
        for (let i = 0; i < n; i++) {
          s.reset(SEED_LO, SEED_HI, i, SITE, 0);
          s.aim(layer, k);
          if (sampleStdNormal(s) === x) accepted++; // a rejection redraws, and never lands on x again
        }
        expectWithinSE(accepted / n, p, Math.max(Math.sqrt((p * (1 - p)) / n), 0.5 / n), `layer ${layer} at ${frac}`);
      }
  });

  test("the fast path covers exactly |u| < x_{i+1}/x_i", () => {
    const s = new ForcedStream();
    for (const layer of [0, 1, 50, 126]) {
      const ratio = X[layer + 1]! / X[layer]!;
      const k = Math.floor(((ratio * 0.999 + 1) / 2) * TWO25);
      s.reset(SEED_LO, SEED_HI, 0, SITE, 0);
      s.aim(layer, k);
      assert.equal(sampleStdNormal(s), uOf(k) * X[layer]!);
      assert.equal(s.c, 0, "the fast path reads only the forced word");
    }
  });
});

describe("pert with ends whose distance overflows (hi − lo > 1.8e308)", () => {
  test("its shapes come from halves: finite draws and quantiles inside [lo, hi], no endless search", () => {
    const [lo, mode, hi] = [-1.797693134862315e308, 2.5, 1e25];
    const [a, b] = pertShapes(lo, mode, hi);
    // mode − lo is all of the range but 1e25: a ≈ 5, b ≈ 1.
    assert.ok(Math.abs(a - 5) < 1e-9 && Math.abs(b - 1) < 1e-9, `${a}, ${b}`);
    const q = DISTRIBUTIONS.pert.quantile([lo, mode, hi], 0.5);
    assert.ok(Number.isFinite(q) && q > lo && q < hi, String(q));
    assert.ok(Object.is(qPert(0.5, lo, mode, hi), q));
    const s = new Stream();
    for (let i = 0; i < 100; i++) {
      s.reset(1, 0, i, siteId("p", 0), 0);
      const x = DISTRIBUTIONS.pert.sample(s, lo, mode, hi);
      assert.ok(Number.isFinite(x) && x >= lo && x <= hi, String(x));
    }
    // An infinite shape has no quantile (it used to run 10,000 continued-fraction steps a Newton step).
    assert.ok(Number.isNaN(betaQuantile(0.3, Infinity, 2)));
  });
});

describe("validity", () => {
  const valid: [DistributionName, number[]][] = [
    ["normal", [0, 0]],
    ["normal", [1e12, 1e11]],
    ["lognormal", [0, 0]],
    ["lognormal", [-2, 3]],
    ["range", [5, 5]],
    ["range", [0, 1]],
    ["range", [-1, -0.5]],
    ["range", [1e-9, 1e12]],
    ["uniform", [2, 2]],
    ["integer", [4, 4]],
    ["integer", [-9007199254740990, 0]],
    ["triangular", [1, 1, 1]],
    ["triangular", [0, 3, 3]],
    ["pert", [2, 2, 2]],
    ["pert", [0, 0, 1]],
    ["pert", [0, 1, 1]],
    ["beta", [0.001, 0.001]],
    ["beta", [1e-6, 5]],
    ["beta", [1e4, 1e4]],
    ["bernoulli", [0]],
    ["bernoulli", [1]],
    ["poisson", [0]],
    ["poisson", [1e-12]],
    ["poisson", [1e9]],
  ];
  for (const [name, params] of valid)
    test(`${name}(${params.join(", ")}) never returns NaN and stays in its support`, () => {
      const dist = DISTRIBUTIONS[name];
      const xs = draw(dist, params, 20_000);
      const lo = dist.quantile(params, 0);
      const hi = dist.quantile(params, 1);
      for (const x of xs) {
        assert.ok(!Number.isNaN(x), `${name}(${params.join(", ")}) gave NaN`);
        assert.ok(x >= lo && x <= hi, `${x} outside [${lo}, ${hi}]`);
      }
    });

  test("degenerate params give the exact value", () => {
    const s = new Stream();
    s.reset(SEED_LO, SEED_HI, 7, SITE, 1);
    assert.equal(sampleNormal(s, 42.5, 0), 42.5);
    assert.equal(DISTRIBUTIONS.uniform.sample(s, 3, 3, NaN), 3);
    assert.equal(DISTRIBUTIONS.pert.sample(s, 2, 2, 2), 2);
    assert.equal(DISTRIBUTIONS.triangular.sample(s, 2, 2, 2), 2);
    assert.equal(DISTRIBUTIONS.range.sample(s, 5, 5, NaN), 5);
    assert.equal(DISTRIBUTIONS.poisson.sample(s, 0, NaN, NaN), 0);
    assert.equal(DISTRIBUTIONS.bernoulli.sample(s, 1, NaN, NaN), 1);
    assert.equal(DISTRIBUTIONS.bernoulli.sample(s, 0, NaN, NaN), 0);
  });

  const invalid: [DistributionName, number[]][] = [
    ["normal", [0, -1]],
    ["normal", [0, NaN]],
    ["normal", [NaN, 1]],
    ["lognormal", [0, -0.1]],
    ["lognormal", [NaN, 1]],
    ["range", [10, 2]],
    ["range", [NaN, 2]],
    ["uniform", [5, 4]],
    ["uniform", [0, NaN]],
    ["integer", [1.5, 4]],
    ["integer", [5, 4]],
    ["integer", [0, NaN]],
    ["triangular", [0, 4, 3]],
    ["triangular", [0, -1, 3]],
    ["triangular", [NaN, 1, 3]],
    ["pert", [0, 4, 3]],
    ["pert", [3, 1, 0]],
    ["beta", [0, 1]],
    ["beta", [1, -2]],
    ["beta", [NaN, 1]],
    ["bernoulli", [-0.1]],
    ["bernoulli", [1.1]],
    ["bernoulli", [NaN]],
    ["poisson", [-1]],
    ["poisson", [NaN]],
    ["poisson", [2e9]],
  ];
  for (const [name, params] of invalid)
    test(`${name}(${params.join(", ")}) is NaN: sample, mean, variance, quantile`, () => {
      const dist = DISTRIBUTIONS[name];
      const [a = NaN, b = NaN, c = NaN] = params;
      const s = new Stream();
      s.reset(SEED_LO, SEED_HI, 0, SITE, 1);
      assert.ok(Number.isNaN(dist.sample(s, a, b, c)), "sample");
      assert.ok(Number.isNaN(dist.mean(params)), "mean");
      assert.ok(Number.isNaN(dist.variance(params)), "variance");
      assert.ok(Number.isNaN(dist.quantile(params, 0.5)), "quantile");
    });
});

describe("determinism", () => {
  test("same (seed, path, site, t) gives the same value; another t, path or site does not", () => {
    for (const { name, params } of CASES) {
      const dist = DISTRIBUTIONS[name];
      const [a = NaN, b = NaN, c = NaN] = params;
      const at = (path: number, site: number, t: number): number => {
        const s = new Stream(); // a fresh stream: nothing carries over between draws
        s.reset(SEED_LO, SEED_HI, path, site, t);
        return dist.sample(s, a, b, c);
      };
      const shared = new Stream();
      for (let path = 0; path < 50; path++) {
        const x = at(path, SITE, 5);
        shared.reset(SEED_LO, SEED_HI, path, SITE, 5);
        assert.ok(Object.is(dist.sample(shared, a, b, c), x), `${name} path ${path}`);
        assert.ok(Object.is(at(path, SITE, 5), x));
      }
      if (!dist.discrete) {
        assert.notEqual(at(1, SITE, 5), at(1, SITE, 6), `${name}: t changes the draw`);
        assert.notEqual(at(1, SITE, 5), at(2, SITE, 5), `${name}: path changes the draw`);
        assert.notEqual(at(1, SITE, 5), at(1, SITE + 1, 5), `${name}: site changes the draw`);
      }
    }
  });

  test("known values pin the stream layout (a change here changes every result)", () => {
    const s = new Stream();
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      s.reset(SEED_LO, SEED_HI, i, SITE, 2);
      got.push(sampleStdNormal(s));
    }
    const again = got.map((_, i) => {
      s.reset(SEED_LO, SEED_HI, i, SITE, 2);
      return sampleStdNormal(s);
    });
    assert.deepEqual(again, got);
    for (const x of got) assert.ok(Number.isFinite(x) && Math.abs(x) < 6);
  });
});

describe("special functions", () => {
  const close = (actual: number, expected: number, rel: number, label: string): void =>
    assert.ok(
      Math.abs(actual - expected) <= rel * Math.abs(expected),
      `${label}: ${actual} vs ${expected} (rel ${Math.abs(actual - expected) / Math.abs(expected)})`,
    );

  test("normalCdf and normalQuantile", () => {
    close(normalCdf(-1), 0.15865525393145707, 1e-15, "Φ(−1)"); // R: pnorm(-1)
    close(normalCdf(-10), 7.61985302416047e-24, 1e-14, "Φ(−10)"); // scipy: norm.cdf(-10)
    close(normalCdf(-37.5), 4.605353009581954e-308, 1e-12, "Φ(−37.5)"); // scipy
    close(normalCdf(1.2) + normalCdf(-1.2), 1, 1e-16, "Φ(x) + Φ(−x)");
    close(normalQuantile(0.975), 1.959963984540054, 1e-15, "Φ⁻¹(0.975)"); // R: qnorm(0.975)
    close(normalQuantile(1e-10), -6.361340902404056, 1e-15, "Φ⁻¹(1e-10)"); // scipy: norm.ppf(1e-10)
    close(normalQuantile(1e-300), -37.0470962993612, 1e-15, "Φ⁻¹(1e-300)"); // scipy
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
    for (const p of [1e-12, 0.001, 0.07, 0.3, 0.5001, 0.8, 0.999])
      close(normalCdf(normalQuantile(p)), p, 1e-14, `Φ(Φ⁻¹(${p}))`);
  });

  test("logGamma", () => {
    close(logGamma(0.5), 0.5723649429247, 1e-14, "lgamma(0.5)"); // R: lgamma(0.5) = log(√π)
    close(logGamma(100), 359.1342053695754, 1e-15, "lgamma(100)"); // R: lgamma(100)
    close(logGamma(1e-5), 11.512919692895826, 1e-15, "lgamma(1e-5)"); // scipy: gammaln(1e-5)
    close(logGamma(3.7), 1.428072326665388, 1e-14, "lgamma(3.7)"); // scipy
    assert.equal(logGamma(1), 0);
    assert.ok(Number.isNaN(logGamma(0)));
  });

  test("regularizedIncompleteBeta and betaQuantile", () => {
    close(regularizedIncompleteBeta(0.3, 2, 3), 0.3483, 1e-14, "I_0.3(2, 3)"); // R: pbeta(0.3, 2, 3)
    close(regularizedIncompleteBeta(0.01, 0.5, 0.5), 0.06376856085851985, 1e-14, "I_0.01(½, ½)"); // scipy betainc
    close(betaQuantile(0.05, 2, 3), 0.09761146288641434, 1e-14, "qbeta(0.05, 2, 3)"); // scipy betaincinv
    close(betaQuantile(0.9, 30, 40), 0.504629244871047, 1e-13, "qbeta(0.9, 30, 40)"); // scipy
    for (const [a, b] of [
      [0.1, 0.2],
      [1, 1],
      [2.5, 9],
      [300, 5],
    ] as const)
      for (const p of [1e-6, 0.2, 0.5, 0.97])
        close(regularizedIncompleteBeta(betaQuantile(p, a, b), a, b), p, 1e-12, `I(qbeta(${p}, ${a}, ${b}))`);
  });

  test("discrete quantiles", () => {
    assert.equal(DISTRIBUTIONS.poisson.quantile([10], 0.9), 14); // scipy: poisson.ppf(0.9, 10)
    assert.equal(DISTRIBUTIONS.poisson.quantile([1e6], 0.5), 1e6); // scipy: poisson.ppf(0.5, 1e6)
    assert.equal(DISTRIBUTIONS.poisson.quantile([1e6], 0.999), 1003092); // scipy: poisson.ppf(0.999, 1e6)
    assert.equal(DISTRIBUTIONS.integer.quantile([1, 10], 0.3), 3); // F(3) = 0.3 exactly
    assert.equal(DISTRIBUTIONS.integer.quantile([1, 10], 0.30001), 4);
    assert.equal(DISTRIBUTIONS.integer.quantile([1, 10], 0), 1);
    assert.equal(DISTRIBUTIONS.integer.quantile([1, 10], 1), 10);
    assert.equal(DISTRIBUTIONS.bernoulli.quantile([0.3], 0.7), 0);
    assert.equal(DISTRIBUTIONS.bernoulli.quantile([0.3], 0.71), 1);
  });
});
