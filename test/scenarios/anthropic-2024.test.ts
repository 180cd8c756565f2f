// Calibration of anthropic-2024 against what was reported in July 2024 (scenarios/facts/
// anthropic-2024.md §1): a 2024 cash burn of about $2.7B (The Information, re-reported by PANews
// and NewsBytes). Calendar 2024 = an assumed H1 burn (burn_h1_2024) + the mean of the simulated
// months Jul–Dec; the mean of a sum is the sum of the means. Tolerances as in calibration.test.ts:
// SE of a mean = sd/√n with sd from the 5th–95th spread, and the estimate must sit Z = 5 SE inside
// its band.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/index.js";
import { B, expectInsideBand, loadBuiltin, param, seOfMean, Z } from "./helpers.js";

const PATHS = 20_000;
const SEED = 1;
const model = loadBuiltin("anthropic-2024");
const base = simulate(model, { paths: PATHS, seed: SEED, threads: 1 });

test("anthropic-2024 calibration: calendar-2024 burn lands on the reported $2.7B (band $2.3–3.1B)", async () => {
  // ±15%: a projection rounded to $0.1B, made mid-year (the second half was still a plan).
  const r = await base;
  const months = r.series["burn"]!.slice(0, 6).reduce((s, p) => s + p.mean, 0);
  const total = param(model, "burn_h1_2024") + months;
  assert.ok(Math.abs(total - r.series["burn_cy2024"]![5]!.mean) < 1e-6 * total, "burn_cy2024 = H1 + Σ burn");
  expectInsideBand(total, 2.3 * B, 3.1 * B, seOfMean(r, "burn_cy2024", 6), "burn 2024");
});

test("anthropic-2024 calibration: the run rate starts where the facts put it and grows", async () => {
  // run_rate_0 is a 90% interval of $0.3–0.55B (facts §5); its month-1 value adds one month of
  // growth (about 8%) and noise (5%), so the median must sit between the interval's ends.
  const r = await base;
  const first = r.series["run_rate"]![0]!;
  assert.ok(first.p50 > 0.3 * B && first.p50 < 0.6 * B, `median run rate in July 2024: ${first.p50 / B}B`);
  const dec = r.series["run_rate"]![5]!;
  assert.ok(dec.p50 > first.p50, "the run rate grows by December 2024");
});

test("anthropic-2024: the forecast view (amazon, google, venture) raises S(24) above committed money only", async () => {
  // Common random numbers: the same seed gives both runs the same draws, so the effect is a paired
  // difference d = alive_with − alive_without ∈ {−1, 0, 1}; SE = sd(d)/√n from the captured values
  // (mc: paths independent, as that SE assumes).
  const capture = [{ kind: "alive" as const, month: 24 }];
  const without = (await simulate(model, { paths: PATHS, seed: SEED, threads: 1, sampling: "mc", capture, report: [] }))
    .captures![0]!;
  const levers = ["amazon", "google", "venture"];
  const withThem = (
    await simulate(model, { paths: PATHS, seed: SEED, threads: 1, sampling: "mc", capture, report: [], levers })
  ).captures![0]!;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < PATHS; i++) {
    const d = withThem[i]! - without[i]!;
    sum += d;
    sumSq += d * d;
  }
  const mean = sum / PATHS;
  const se = Math.sqrt((sumSq / PATHS - mean * mean) / (PATHS - 1));
  assert.ok(mean > Z * se, `S(24) rises by ${mean.toFixed(4)} (se ${se.toFixed(4)}), need > ${Z} SE`);
  // Money only helps: no path that lived without the rounds dies with them.
  for (let i = 0; i < PATHS; i++) assert.ok(withThem[i]! >= without[i]!, `path ${i} dies only with more money`);
});

test("anthropic-2024: a venture round is tried only over its hurdle, closes at its earliest month with p = 1, and its size follows the run rate", async () => {
  // Deterministic: one path, venture_p = 1 and a multiple of 3. With no hurdle the first round
  // closes at its earliest month, Dec 2024 (t = 6), for 3 × that month's run rate; the second
  // waits 6 months after it and (hurdle 0) closes then, June 2025 (t = 12). With an unreachable
  // hurdle no round is ever tried.
  for (const [hurdle, pays] of [
    [0, true],
    [1e9, false],
  ] as const) {
    const r = await simulate(model, {
      paths: 1,
      seed: 3,
      threads: 1,
      fixed: { venture_p: 1, round_multiple: 3, round1_hurdle: hurdle, round2_hurdle: hurdle },
      report: ["venture_1", "venture_2", "run_rate"],
    });
    const at = (series: string, month: number) => r.series[series]![month - 1]!.mean;
    for (let m = 1; m <= 36; m++) {
      const expected1 = pays && m === 6 ? 3 * at("run_rate", 6) : 0;
      const expected2 = pays && m === 12 ? 3 * at("run_rate", 12) : 0;
      assert.ok(Math.abs(at("venture_1", m) - expected1) <= 1e-9 * (expected1 || 1), `venture_1 in month ${m}`);
      assert.ok(Math.abs(at("venture_2", m) - expected2) <= 1e-9 * (expected2 || 1), `venture_2 in month ${m}`);
    }
  }
});
