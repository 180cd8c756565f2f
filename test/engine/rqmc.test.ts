// Sampling by scrambled Sobol' points (rqmc) and Latin hypercube (lhs): the same bytes for any
// chunking and thread count, common random numbers across levers and scenarios, plain Monte
// Carlo (mc) unchanged, and honest error bars — the 95% intervals from the replicates cover
// known answers at their stated rate over 200 seeds.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { analyzeLevers, compareScenarios, goalSeek, meanWithSe } from "../../src/analysis/index.js";
import {
  compileModel,
  fullResult,
  inProcessRunner,
  simulateInProcess,
  simulateMore,
  simulateWith,
} from "../../src/engine/index.js";
import { nextPrecisionRound, precisionHalfWidth } from "../../src/cli/commands/precision.js";
import type { Sampling } from "../../src/engine/options.js";
import { samplingPlan, type RunSoFar } from "../../src/engine/simulate.js";
import { studentT } from "../../src/engine/stats/index.js";
import { model } from "./model.js";
import { HybridRunner, ThreadPool } from "../../src/node/pool.js";
import { runCli } from "../cli/run-cli.js";

const NOISY = `name: noisy
start: 2024-01
horizon: 24
params:
  g: normal(0.02, 0.03)
  c0: 1B to 3B
  k: integer(2, 9)
  p: beta(2, 5)
  a: pert(1, 2, 6)
  b: triangular(0, 1, 3)
series:
  revenue: { start: 100M, next: "prev(revenue) * exp(g + 0.1 * normal(0, 1))" }
  costs: "150M * (1 + 0.01) ^ t + event(0.05, 50M to 200M) + 1M * poisson(a) + 1M * b * uniform(0, 1)"
  cash: { start: c0, change: "revenue - costs + if(t == k, 500M * p, 0)" }
alive: cash >= 0
report: [cash, revenue, costs]
correlations:
  - [g, c0, 0.4]
levers:
  same:
    label: changes nothing
    set: { a: "pert(1, 2, 6)" }
  boost:
    label: more growth
    set: { g: "normal(0.03, 0.03)" }
`;

describe("sampling plans", () => {
  test("rqmc and lhs take R whole replicates of the power of two nearest paths/R; mc the paths asked", () => {
    assert.deepEqual(samplingPlan(100_000, "rqmc"), { sampling: "rqmc", replicates: 16, points: 8192, paths: 131072 });
    assert.deepEqual(samplingPlan(10_000, "rqmc"), { sampling: "rqmc", replicates: 16, points: 512, paths: 8192 });
    assert.deepEqual(samplingPlan(1e6, "lhs", 8), { sampling: "lhs", replicates: 8, points: 131072, paths: 1048576 });
    assert.deepEqual(samplingPlan(3, "rqmc"), { sampling: "rqmc", replicates: 16, points: 1, paths: 16 });
    assert.deepEqual(samplingPlan(12_345, "mc"), { sampling: "mc", replicates: 0, points: 12_345, paths: 12_345 });
    assert.throws(() => samplingPlan(1000, "rqmc", 4), /replicates must be a whole number from 8/);
  });
});

describe("determinism", () => {
  for (const sampling of ["rqmc", "lhs"] as const) {
    test(`${sampling}: byte-identical JSON for any chunk size and on 1, 2 and 3 threads`, async () => {
      const m = compileModel(model(NOISY));
      const opts = { paths: 20_000, seed: 7, sampling };
      const base = JSON.stringify(simulateInProcess(m, opts));
      assert.match(base, new RegExp(`"sampling":"${sampling}","replicates":16`));
      for (const chunkPaths of [1024, 3072, 8192]) {
        assert.equal(JSON.stringify(simulateInProcess(m, { ...opts, chunkPaths })), base, `chunk ${chunkPaths}`);
      }
      const hybrid = new HybridRunner(2);
      try {
        assert.equal(JSON.stringify(await simulateWith(m, { ...opts, chunkPaths: 2048 }, hybrid)), base, "2 threads");
        assert.equal(JSON.stringify(await simulateWith(m, opts, hybrid)), base, "2 threads, guided chunks");
      } finally {
        await hybrid.close();
      }
      const pool = new ThreadPool(3);
      try {
        assert.equal(JSON.stringify(await simulateWith(m, { ...opts, chunkPaths: 1024 }, pool)), base, "3 threads");
      } finally {
        await pool.close();
      }
      assert.notEqual(JSON.stringify(simulateInProcess(m, { ...opts, seed: 8 })), base, "another seed");
    });
  }

  test("mc gives today's bytes for a given seed (the JSON only gains sampling and replicates)", () => {
    // Fixtures made with the CLI of main before sampling existed (3139e44; remade at f842554, where
    // only the sketch's quantileMethod text had changed):
    // outlast run SCENARIO --paths N --seed S --json --threads 1
    for (const [scenario, fixture, paths, seed] of [
      ["bench/ailab-bench.yaml", "mc-ailab-bench-20000-seed7.json", "20000", "7"],
      ["openai-2024", "mc-openai-2024-5000-seed3.json", "5000", "3"],
    ] as const) {
      const r = runCli([
        "run",
        scenario,
        "--paths",
        paths,
        "--seed",
        seed,
        "--json",
        "--threads",
        "1",
        "--sampling",
        "mc",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const now = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(now.sampling, "mc");
      assert.equal(now.replicates, null);
      delete now.sampling;
      delete now.replicates;
      const then = readFileSync(new URL(`../fixtures/qmc/${fixture}`, import.meta.url), "utf8");
      assert.equal(JSON.stringify(now, null, 2) + "\n", then, scenario);
    }
  });
});

describe("--precision rounds extend the last run", () => {
  for (const sampling of ["rqmc", "mc"] as const) {
    test(`${sampling}: 16,384 paths extended to 65,536 (in two rounds, on 2 threads) are one 65,536-path run's bytes`, async () => {
      const m = compileModel(model(NOISY));
      const opts = { seed: 5, sampling, levers: ["boost"] };
      const direct = JSON.stringify(simulateInProcess(m, { ...opts, paths: 65_536 }));
      const pool = new HybridRunner(2);
      try {
        const a = await simulateMore(m, { ...opts, paths: 16_384 }, pool);
        assert.equal(a.ran, 16_384);
        const b = await simulateMore(m, { ...opts, paths: 32_768 }, inProcessRunner, a.soFar);
        assert.equal(b.ran, 16_384, "only the new paths ran");
        const c = await simulateMore(m, { ...opts, paths: 65_536 }, pool, b.soFar);
        assert.equal(c.ran, 32_768);
        assert.equal(JSON.stringify(c.result), direct);
      } finally {
        await pool.close();
      }
    });
  }

  test("lhs (points depend on the count) and runs with other options start again from path 0", async () => {
    const m = compileModel(model(NOISY));
    const lhs = await simulateMore(m, { paths: 16_384, seed: 5, sampling: "lhs" });
    assert.equal(lhs.soFar, undefined);
    const a = await simulateMore(m, { paths: 16_384, seed: 5 });
    const other = await simulateMore(m, { paths: 32_768, seed: 6 }, inProcessRunner, a.soFar);
    assert.equal(other.ran, 32_768);
    assert.equal(JSON.stringify(other.result), JSON.stringify(simulateInProcess(m, { paths: 32_768, seed: 6 })));
  });

  test("rqmc: replicates added to a run (16 → 20 → 20 at twice the points) give a run of all 20 replicates' figures, on any threads", async () => {
    const m = compileModel(model(NOISY));
    const opts = { seed: 5, levers: ["boost"] };
    const direct = simulateInProcess(m, { ...opts, paths: 40_960, replicates: 20 });
    for (const threads of [1, 2]) {
      const pool = threads === 1 ? inProcessRunner : new HybridRunner(2);
      try {
        const a = await simulateMore(m, { ...opts, paths: 16_384 }, pool);
        const b = await simulateMore(m, { ...opts, paths: 20_480, replicates: 20 }, pool, a.soFar);
        assert.equal(b.ran, 4096, "only the four new replicates' 1,024 points ran");
        assert.deepEqual(
          b.soFar?.groups.map((g) => [g.first, g.count]),
          [
            [0, 16],
            [16, 4],
          ],
        );
        assert.equal(b.result.replicates, 20);
        const c = await simulateMore(m, { ...opts, paths: 40_960, replicates: 20 }, pool, b.soFar);
        assert.equal(c.ran, 20_480, "each group's next 1,024 points");
        // Every path of the 20 replicates ran once, with the draws a one-shot run gives it: the
        // counts (S(t), its replicate SE, the runway) and the sketches' quantiles are the same
        // bytes; means are the same sums grouped in other blocks, equal to the last bits.
        assert.deepEqual(c.result.survival, direct.survival);
        assert.deepEqual(c.result.runway, direct.runway);
        for (const [name, months] of Object.entries(direct.series))
          months.forEach((cell, t) => {
            const got = c.result.series[name]![t]!;
            assert.equal(got.p50, cell.p50, `${name}[${t}].p50`);
            assert.equal(got.p5, cell.p5, `${name}[${t}].p5`);
            assert.ok(Math.abs(got.mean - cell.mean) <= 1e-12 * Math.abs(cell.mean), `${name}[${t}].mean`);
          });
        if (threads === 2) {
          const one = await simulateMore(m, { ...opts, paths: 16_384 });
          const two = await simulateMore(m, { ...opts, paths: 20_480, replicates: 20 }, inProcessRunner, one.soFar);
          const three = await simulateMore(m, { ...opts, paths: 40_960, replicates: 20 }, inProcessRunner, two.soFar);
          assert.equal(JSON.stringify(c.result), JSON.stringify(three.result), "1 and 2 threads: the same bytes");
        }
      } finally {
        if (pool !== inProcessRunner) await (pool as HybridRunner).close();
      }
    }
  });

  test("rqmc: a model error names the path a one-shot run numbers it by (point·R + replicate), on any threads and after replicates were added", async () => {
    const text = (body: string) => `name: err
start: 2024-01
horizon: 6
params:
  x: uniform(0, 1)
series:
  y: "${body}"
alive: y < 2
`;
    // The same draw sites: x's coordinates are the same in both models. With seed 1, no path of
    // replicates 0..15 has x > 0.9999 in 1,024 points, and one of replicates 16..19 does.
    const fine = compileModel(model(text("x")));
    const failing = compileModel(model(text("if(x > 0.9999, 1 / (x - x), x)")));
    const opts = { paths: 20_480, replicates: 20, seed: 1, report: [] };
    const xs = simulateInProcess(fine, { ...opts, capture: [{ kind: "param", name: "x" }] }).captures![0]!;
    const first = xs.findIndex((x) => x > 0.9999);
    assert.ok(first % 20 >= 16, `path ${first}`);
    const message = async (run: () => unknown) => {
      try {
        await run();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    const expected = new RegExp(`on path ${first}\\b`);
    assert.match(await message(() => simulateInProcess(failing, opts)), expected);
    const pool = new HybridRunner(2);
    try {
      assert.match(await message(() => simulateWith(failing, { ...opts, chunkPaths: 1024 }, pool)), expected);
      const a = await simulateMore(failing, { paths: 16_384, seed: 1, report: [] }, pool);
      assert.match(await message(() => simulateMore(failing, opts, pool, a.soFar)), expected);
    } finally {
      await pool.close();
    }
  });

  test("a round summarised for survival only, then in full (fullResult), is the full round's bytes", async () => {
    const m = compileModel(model(NOISY));
    const opts = { seed: 4, levers: ["boost"] };
    const a = await simulateMore(m, { ...opts, paths: 16_384 }, inProcessRunner, undefined, "survival");
    assert.deepEqual(a.result.series, {}, "no series' quantiles yet");
    const b = await simulateMore(m, { ...opts, paths: 20_480, replicates: 20 }, inProcessRunner, a.soFar, "survival");
    const full = await simulateMore(
      m,
      { ...opts, paths: 20_480, replicates: 20 },
      inProcessRunner,
      (await simulateMore(m, { ...opts, paths: 16_384 })).soFar,
    );
    assert.deepEqual(b.result.survival, full.result.survival);
    assert.deepEqual(b.result.runway, full.result.runway);
    assert.equal(JSON.stringify(fullResult(b.soFar!)), JSON.stringify(full.result));
  });

  test("the next round: doublings up to half the paths the interval predicts, at least one", () => {
    const plan = (n: number, r?: number) => samplingPlan(n, "rqmc", r);
    const at16k = { paths: 16_384, points: 1024, replicates: 16 };
    // h = 2·target at n predicts 4n: one doubling (2n is half of it); h = 2.83·target predicts 8n: two.
    assert.deepEqual(nextPrecisionRound(at16k, 0.004, 0.002, plan), { paths: 32_768, replicates: 16 });
    assert.deepEqual(nextPrecisionRound(at16k, 0.00566, 0.002, plan), { paths: 65_536, replicates: 16 });
    // Just above the target: one doubling; far above (7.8n): up to half of it, rounded down.
    assert.deepEqual(nextPrecisionRound(at16k, 0.0021, 0.002, plan), { paths: 32_768, replicates: 16 });
    assert.deepEqual(nextPrecisionRound(at16k, 0.0079, 0.002, plan), { paths: 65_536, replicates: 16 });
    // Every path agreeing (SE 0): Wilson's half-width narrows as 1/n, so h = 3.8·target predicts 3.8n.
    const mc = (n: number) => samplingPlan(n, "mc");
    assert.deepEqual(
      nextPrecisionRound({ paths: 1000, points: 1000, replicates: null }, 0.0038, 0.001, mc, { falls: "linear" }),
      { paths: 2000 },
    );
    // A run that starts again each round (lhs) goes as far as the whole prediction: 7.8n → 4n.
    assert.deepEqual(nextPrecisionRound(at16k, 0.0079, 0.002, plan, { extends: false }), {
      paths: 65_536 * 2,
      replicates: 16,
    });
    // Capped at 10M paths (mc: doublings of the paths asked).
    assert.deepEqual(nextPrecisionRound({ paths: 1000, points: 1000, replicates: null }, 1, 0.001, mc), {
      paths: 8_192_000,
    });
  });

  test("the next round under rqmc: less than 1.5 times the paths needed adds replicates, never past the need by one", () => {
    const plan = (n: number, r?: number) => samplingPlan(n, "rqmc", r);
    const grow = { growReplicates: true };
    const at = { paths: 524_288, points: 32_768, replicates: 16 };
    // h = 1.1·target predicts 1.21n = 634,388 paths: 20 replicates of 32,768 (655,360), not 1,048,576.
    assert.deepEqual(nextPrecisionRound(at, 0.00022, 0.0002, plan, grow), { paths: 655_360, replicates: 20 });
    // Barely above the target: one more replicate.
    assert.deepEqual(nextPrecisionRound(at, 0.0002001, 0.0002, plan, grow), { paths: 557_056, replicates: 17 });
    // 1.5 times or more (1.56n, 2.1n): the points double (the replicates stay).
    assert.deepEqual(nextPrecisionRound(at, 0.00025, 0.0002, plan, grow), { paths: 1_048_576, replicates: 16 });
    assert.deepEqual(nextPrecisionRound(at, 0.00029, 0.0002, plan, grow), { paths: 1_048_576, replicates: 16 });
    // Without growReplicates (--replicates given, or lhs): doubling only.
    assert.deepEqual(nextPrecisionRound(at, 0.00022, 0.0002, plan), { paths: 1_048_576, replicates: 16 });
    // Wilson's 1/n regime (every replicate agrees) doubles too.
    assert.deepEqual(nextPrecisionRound(at, 0.00022, 0.0002, plan, { ...grow, falls: "linear" }), {
      paths: 1_048_576,
      replicates: 16,
    });
  });
});

describe("common random numbers", () => {
  for (const sampling of ["rqmc", "lhs", "mc"] as const) {
    test(`${sampling}: a lever that changes nothing gives exactly 0 difference; compare of a scenario with itself too`, async () => {
      const m = compileModel(model(NOISY));
      const levers = await analyzeLevers(m, { paths: 4096, seed: 3, sampling, target: "alive@24 >= 0.5" });
      const same = levers.effects.find((e) => e.levers.join() === "same")!;
      assert.equal(same.effect, 0);
      assert.equal(same.se, 0);
      const boost = levers.effects.find((e) => e.levers.join() === "boost")!;
      assert.ok(boost.effect > 0 && boost.se > 0, `boost ${boost.effect} ± ${boost.se}`);
      const plain = simulateInProcess(m, { paths: 4096, seed: 3, sampling });
      const withSame = simulateInProcess(m, { paths: 4096, seed: 3, sampling, levers: ["same"] });
      assert.deepEqual({ ...withSame, levers: [] }, plain);
      const c = await compareScenarios([m, m], { paths: 4096, seed: 3, sampling });
      for (const mth of c.differences[0]!.months) assert.equal(mth.diff, 0);
    });
  }
});

/** Coverage of 95% intervals over 200 seeds: the share that contain the exact value. */
function coverage(intervals: [number, number][], exact: number): number {
  return intervals.filter(([lo, hi]) => lo <= exact && exact <= hi).length / intervals.length;
}

const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i);

describe("coverage of the replicate intervals over 200 seeds (at least 92% for 95%)", () => {
  const HAZARD = `name: hazard
start: 2024-01
horizon: 36
params:
  h: uniform(0.01, 0.03)
series:
  hit: { start: 0, next: "max(prev(hit), bernoulli(h))" }
alive: hit == 0
`;
  for (const sampling of ["rqmc"] as Sampling[]) {
    test(`${sampling}: S(t) under a 2% monthly hazard, 0.98^t`, () => {
      const m = compileModel(model(HAZARD));
      for (const t of [6, 24, 36]) {
        const intervals: [number, number][] = [];
        let width = 0;
        for (const seed of SEEDS) {
          const r = simulateInProcess(m, { paths: 2048, seed, sampling, fixed: { h: 0.02 }, report: [] });
          const s = r.survival[t - 1]!;
          const half = studentT(15) * s.se;
          intervals.push([s.alive - half, s.alive + half]);
          width += (2 * half) / SEEDS.length;
        }
        const c = coverage(intervals, 0.98 ** t);
        assert.ok(c >= 0.92, `S(${t}): coverage ${c} (mean width ${width.toFixed(4)})`);
      }
    });
  }

  test("rqmc --precision: the interval where the rounds stop covers 0.98^36, and replicates added take fewer paths than doublings", async () => {
    // The rounds of `run --precision 0.01` (precision.ts), in process: stopping when the interval
    // first looks narrow enough must not make it dishonest.
    const m = compileModel(model(HAZARD));
    const H = 0.01;
    const toPrecision = async (seed: number, growReplicates: boolean) => {
      let round: { paths: number; replicates?: number } = { paths: 1024 };
      let soFar: RunSoFar | undefined;
      for (;;) {
        const r = await simulateMore(m, { seed, fixed: { h: 0.02 }, report: [], ...round }, inProcessRunner, soFar);
        soFar = r.soFar;
        const half = precisionHalfWidth(r.result);
        if (half <= H) return { alive: r.result.runway.aliveAtHorizon, half, paths: r.result.paths };
        const now = {
          paths: r.result.paths,
          points: r.result.paths / r.result.replicates!,
          replicates: r.result.replicates,
        };
        round = nextPrecisionRound(now, half, H, (n, rr) => samplingPlan(n, "rqmc", rr), { growReplicates });
      }
    };
    const grown = await Promise.all(SEEDS.map((seed) => toPrecision(seed, true)));
    const c = coverage(
      grown.map((g) => [g.alive - g.half, g.alive + g.half]),
      0.98 ** 36,
    );
    assert.ok(c >= 0.92, `coverage ${c}`);
    const mean = (xs: { paths: number }[]) => xs.reduce((a, x) => a + x.paths, 0) / xs.length;
    const doubled = await Promise.all(SEEDS.map((seed) => toPrecision(seed, false)));
    assert.ok(mean(grown) < mean(doubled), `${mean(grown)} paths on average, ${mean(doubled)} by doublings`);
  });

  /** Coverage of the replicate intervals for the mean of series v at month 4 over SEEDS. */
  function meanCoverage(formula: string, exact: number): number {
    const m = compileModel(
      model(`name: range
start: 2024-01
horizon: 6
params:
  x: 2 to 10
  y: -2 to 4
series:
  v: "${formula}"
alive: v > -1000
`),
    );
    const intervals: [number, number][] = [];
    for (const seed of SEEDS) {
      const r = simulateInProcess(m, {
        paths: 16384,
        seed,
        sampling: "rqmc",
        report: [],
        capture: [{ kind: "series", name: "v", month: 4 }],
      });
      const e = meanWithSe(r.captures![0]!, r.replicates!);
      const half = studentT(r.replicates! - 1) * e.se;
      intervals.push([e.value - half, e.value + half]);
    }
    return coverage(intervals, exact);
  }

  /** E[lognormal] = exp(μ + σ²/2), μ and σ from `a to b`'s 5th and 95th percentiles. */
  const lognormalMean = (a: number, b: number) => {
    const mu = (Math.log(a) + Math.log(b)) / 2;
    const sigma = (Math.log(b) - Math.log(a)) / (2 * 1.6448536269514722);
    return Math.exp(mu + (sigma * sigma) / 2);
  };

  test("rqmc: the mean of a normal `a to b` param times a monthly lognormal `a to b`, plus noise", () => {
    const c = meanCoverage("y * (1 to 3) + normal(0, 1)", 1 * lognormalMean(1, 3));
    assert.ok(c >= 0.92, `coverage ${c}`);
  });

  test("rqmc: a lognormal `a to b` mean alone undercovers a little (heavy tail, stated in the README)", () => {
    // With one point per stratum the error is dominated by the few points far in the right tail,
    // so the replicates' spread is skewed: measured 0.895 over 400 seeds at 16,384 paths.
    const c = meanCoverage("x", lognormalMean(2, 10));
    assert.ok(c >= 0.85, `coverage ${c}`);
  });

  test("rqmc: goal-seek's bracket around the greatest hazard with S(12) ≥ 0.8, 1 − 0.8^(1/12)", async () => {
    const m = compileModel(model(HAZARD));
    const exact = 1 - 0.8 ** (1 / 12);
    const intervals: [number, number][] = [];
    for (const seed of SEEDS) {
      const g = await goalSeek(m, {
        paths: 1024,
        seed,
        sampling: "rqmc",
        horizon: 12,
        target: "alive@12 >= 0.8",
        vary: "h",
        range: [0.001, 0.05],
        z: studentT(15),
      });
      assert.equal(g.direction, "greatest");
      intervals.push([g.low ?? -Infinity, g.high ?? Infinity]);
    }
    const c = coverage(intervals, exact);
    assert.ok(c >= 0.92, `coverage ${c}`);
  });
});
