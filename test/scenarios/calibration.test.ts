// Calibration of the flagship scenario against the figures it was built from
// (scenarios/facts/openai-2024.md §1, The Information, ~24 Jul 2024): for calendar 2024,
// revenue $3.5–4.5B, costs ≈ $8.5B (inference 4 + training 3 + staff 1.5), loss up to ≈ $5B,
// and "could run out of cash within 12 months" without new money.
//
// Calendar 2024 = H1 (the constant params h1_2024_revenue / h1_2024_costs, assumptions derived
// from the run rates) + the sum over months 1–6 (Jul–Dec 2024) of the per-month mean. The mean of
// a sum is the sum of the means, so this estimates the expected full-year figure.
//
// Tolerances: an estimate of a mean over n paths has SE = sd/√n. The run reports percentiles, not
// sd, so sd is estimated from the calendar-to-date series at Dec 2024 as (p95 − p5)/3.29 (exact for
// a normal; the totals are sums of six months and close to normal). Each check asserts the
// estimate sits inside its band by at least z = 5 SE, so a pass means the band holds the model's
// true mean, not just this seed's estimate (two-sided false alarm ≈ 6e-7 per check).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { simulate, type RunResult } from "../../src/engine/index.js";
import { checkText, constValue, type Model } from "../../src/lang/index.js";

const PATHS = 20_000;
const SEED = 1;
const Z = 5;
const B = 1e9;

function openai(): Model {
  const text = readFileSync(new URL("../../scenarios/openai-2024.yaml", import.meta.url), "utf8");
  const { model, diagnostics } = checkText(text, "openai-2024.yaml");
  assert.ok(model, diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    [],
    "the flagship scenario checks without warnings",
  );
  return model;
}

function param(model: Model, name: string): number {
  const p = model.params.find((q) => q.name === name);
  assert.ok(p, `param ${name}`);
  const v = constValue(p.expr);
  assert.ok(v !== undefined, `param ${name} is a constant`);
  return v;
}

const sumMeans = (r: RunResult, series: string, months: number) =>
  r.series[series]!.slice(0, months).reduce((s, p) => s + p.mean, 0);

/** SE of a mean over the run's paths, sd estimated from the 5th–95th percentile spread at `month`. */
function seOfMean(r: RunResult, series: string, month: number): number {
  const p = r.series[series]![month - 1]!;
  return (p.p95 - p.p5) / (2 * 1.6448536269514722) / Math.sqrt(r.paths);
}

/** Asserts lo + z·se ≤ x ≤ hi − z·se, saying how many SEs inside or outside the band x is. */
function expectInsideBand(x: number, lo: number, hi: number, se: number, what: string): void {
  const margin = Math.min(x - lo, hi - x) / se;
  assert.ok(
    margin >= Z,
    `${what}: ${(x / B).toFixed(3)}B is ${margin.toFixed(1)} SE inside [${lo / B}B, ${hi / B}B] (se ${(se / B).toFixed(4)}B, need z = ${Z})`,
  );
}

const model = openai();
const base = simulate(model, { paths: PATHS, seed: SEED, threads: 1 });

test("calibration: calendar-2024 revenue lands in The Information's $3.5–4.5B", async () => {
  const r = await base;
  const h1 = param(model, "h1_2024_revenue"); // assumption: $1.33B, run rate $1.6B → $3.4B interpolated
  const total = h1 + sumMeans(r, "revenue", 6);
  // The cumulative series encodes the same sum; the two must agree up to rounding.
  assert.ok(Math.abs(total - r.series["revenue_cy2024"]![5]!.mean) < 1e-6 * total, "revenue_cy2024 = H1 + Σ revenue");
  expectInsideBand(total, 3.5 * B, 4.5 * B, seOfMean(r, "revenue_cy2024", 6), "revenue 2024");
});

test("calibration: calendar-2024 costs are about $8.5B (band 7.5–9.5B)", async () => {
  // $8.5B = 4 + 3 + 1.5, each line a rounded estimate (to $0.5–1B); ±$1B covers that rounding.
  const r = await base;
  const total = param(model, "h1_2024_costs") + sumMeans(r, "costs", 6);
  assert.ok(Math.abs(total - r.series["costs_cy2024"]![5]!.mean) < 1e-6 * total, "costs_cy2024 = H1 + Σ costs");
  expectInsideBand(total, 7.5 * B, 9.5 * B, seOfMean(r, "costs_cy2024", 6), "costs 2024");
});

test("calibration: calendar-2024 loss is near $5B (band 4–6B), with and without the revenue share", async () => {
  const r = await base;
  const h1Revenue = param(model, "h1_2024_revenue");
  const h1Costs = param(model, "h1_2024_costs");
  // The Information's loss: costs − revenue (8.5 − 3.5 ≈ 5), no revenue share, no legal costs.
  const operatingLoss = h1Costs - h1Revenue + sumMeans(r, "costs", 6) - sumMeans(r, "revenue", 6);
  const se = Math.hypot(seOfMean(r, "costs_cy2024", 6), seOfMean(r, "revenue_cy2024", 6)); // ignores their positive correlation: conservative
  expectInsideBand(operatingLoss, 4 * B, 6 * B, se, "operating loss 2024 (costs − revenue)");
  // The cash loss the model burns: adds Microsoft's net revenue share and legal shocks (≈ $0.6B more).
  const cashLoss = r.series["loss_cy2024"]![5]!.mean;
  expectInsideBand(cashLoss, 4 * B, 6 * B, seOfMean(r, "loss_cy2024", 6), "cash loss 2024 (burn)");
  assert.ok(cashLoss > operatingLoss, "the revenue share makes the cash loss larger than costs − revenue");
});

test("calibration: without new money, survival to 12 months is low to moderate and to 24 months low", async () => {
  // "could run out of cash within 12 months" (The Information). SE of S(t) = √(S(1 − S)/n).
  const r = await base;
  const s12 = r.survival[11]!;
  const s24 = r.survival[23]!;
  assert.ok(s12.alive - Z * s12.se >= 0.1 && s12.alive + Z * s12.se <= 0.5, `S(12) = ${s12.alive} in [0.1, 0.5]`);
  assert.ok(s24.alive + Z * s24.se <= 0.1, `S(24) = ${s24.alive} below 0.1`);
});

test("calibration: each of the five levers raises S(24); funding raises it most", async () => {
  // Common random numbers: the same seed gives every variant the same draws, so a lever's effect
  // is a paired difference. Per path d = alive_with − alive_without ∈ {−1, 0, 1};
  // SE of the mean difference = sd(d)/√n, computed from the captured per-path values (mc: paths
  // independent, as that SE assumes).
  const capture = [{ kind: "alive" as const, month: 24 }];
  const without = (await simulate(model, { paths: PATHS, seed: SEED, threads: 1, sampling: "mc", capture, report: [] }))
    .captures![0]!;
  const effects: Record<string, number> = {};
  for (const lever of ["microsoft", "funding", "breakthrough", "applications", "automation"]) {
    const r = await simulate(model, {
      paths: PATHS,
      seed: SEED,
      threads: 1,
      sampling: "mc",
      capture,
      report: [],
      levers: [lever],
    });
    const withLever = r.captures![0]!;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < PATHS; i++) {
      const d = withLever[i]! - without[i]!;
      sum += d;
      sumSq += d * d;
    }
    const mean = sum / PATHS;
    const se = Math.sqrt((sumSq / PATHS - mean * mean) / (PATHS - 1));
    assert.ok(mean > Z * se, `${lever}: S(24) rises by ${mean.toFixed(4)} (se ${se.toFixed(4)}), need > ${Z} SE`);
    effects[lever] = mean;
  }
  const [best] = Object.entries(effects).sort((a, b) => b[1] - a[1]);
  assert.equal(best![0], "funding", `effects on S(24): ${JSON.stringify(effects)}`);
});
