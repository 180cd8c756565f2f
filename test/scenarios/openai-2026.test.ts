// Calibration of openai-2026 against the plans public in early 2026 (scenarios/facts/openai-2026.md
// §2): about $30B of revenue in 2026 (the company's target), a 2026 burn of $17B (Sep-2025 plan)
// or a $14–17B loss (Jan-2026 plan), and about $121B of compute in 2028 (WSJ). The bands are wide
// because these are plans, not outcomes; the baseline's revenue growth is deliberately neutral,
// not the plan's. Tolerances as in calibration.test.ts: the year's mean must sit Z = 5 SE inside.
// The contract schedules are checked exactly against the yearly amounts the scenario states.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/index.js";
import { B, expectInsideBand, loadBuiltin, seOfMean } from "./helpers.js";

const PATHS = 20_000;
const SEED = 1;
const model = loadBuiltin("openai-2026");
const base = simulate(model, { paths: PATHS, seed: SEED, threads: 1 });

test("openai-2026 calibration: 2026 revenue within ±20% of the ≈ $30B target (band $24–36B)", async () => {
  const r = await base;
  expectInsideBand(
    r.series["revenue_cy2026"]![11]!.mean,
    24 * B,
    36 * B,
    seOfMean(r, "revenue_cy2026", 12),
    "revenue 2026",
  );
});

test("openai-2026 calibration: 2026 cash burn near the $14–17B plans (band $12–25B)", async () => {
  // Low end below the $14B loss (Jan 2026); high end the $17B burn (Sep 2025) plus the $7B by which
  // the 2026 plan had already risen within 2025 (from $10B, techspot-2025-09).
  const r = await base;
  expectInsideBand(r.series["burn_cy2026"]![11]!.mean, 12 * B, 25 * B, seOfMean(r, "burn_cy2026", 12), "burn 2026");
});

test("openai-2026 calibration: 2028 compute near the WSJ's $121B (band $90–150B)", async () => {
  const r = await base;
  expectInsideBand(
    r.series["compute_cy2028"]![35]!.mean,
    90 * B,
    150 * B,
    seOfMean(r, "compute_cy2028", 36),
    "compute 2028",
  );
});

test("openai-2026: the contract schedules pay the yearly amounts the scenario states, month by month", async () => {
  // The schedules are deterministic: every path has the same value, so the mean is exact.
  const r = await simulate(model, {
    paths: 2,
    seed: SEED,
    threads: 1,
    report: ["oracle", "azure", "aws", "coreweave"],
  });
  const year = (series: string, y: number) =>
    r.series[series]!.slice(12 * (y - 2026), 12 * (y - 2025)).reduce((s, p) => s + p.mean, 0);
  const expected: Record<string, number[]> = {
    // 2026, 2027, 2028, 2029, 2030
    oracle: [0, 30, 60, 70, 70], // $300B over five years from 2027: the fifth year ($70B) is 2031
    azure: [10, 25, 43, 43, 43], // the $250B to 2032: $10B + $25B + 5 × $43B
    aws: [5.4, 17.9, 17.9, 17.9, 17.9], // $38B over seven years, + $100B over eight from 2027
    coreweave: [4.5, 4.5, 4.5, 4.5, 1.125], // $22.4B of five-year contracts, to March 2030
  };
  for (const [series, amounts] of Object.entries(expected))
    amounts.forEach((amount, i) => {
      const got = year(series, 2026 + i);
      assert.ok(Math.abs(got - amount * B) < 1e-6 * B, `${series} ${2026 + i}: ${got / B}B, expected ${amount}B`);
    });
  assert.ok(
    Math.abs(year("oracle", 2027) + year("oracle", 2028) + 3 * 70 * B - 300 * B) < 1e-6 * B,
    "Oracle totals $300B",
  );
});

test("openai-2026: the 2026 round is paid in March 2026 and nowhere else in the baseline", async () => {
  // round_2026_closes and round_2026 are fixed so every path gets the same round; no later money
  // without levers (the rounds' p is 0 in the baseline).
  const r = await simulate(model, {
    paths: 100,
    seed: SEED,
    threads: 1,
    fixed: { round_2026_closes: 1, round_2026: 80 * B },
    report: ["funding"],
  });
  r.series["funding"]!.forEach((p, m) => assert.equal(p.mean, m === 2 ? 80 * B : 0, `funding in month ${m + 1}`));
});
