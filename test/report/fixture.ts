// Hand-made results (a RunResult, a lever analysis, a goal-seek, a tornado) for the writers' tests, so they do not depend on the engine.

import type { LeversResult } from "../../src/analysis/index.js";
import type { RunResult, SeriesPoint } from "../../src/engine/result.js";
import type { Model } from "../../src/lang/model.js";
import type { FundingGoal, TornadoChart } from "../../src/report/report-data.js";

export function fixtureResult(horizon = 36): RunResult {
  const paths = 1000;
  const survival = Array.from({ length: horizon }, (_, k) => {
    const alive = Math.max(0, 1 - (k + 1) / (horizon + 4));
    const se = Math.sqrt((alive * (1 - alive)) / paths);
    return { month: k + 1, alive, low: Math.max(0, alive - 2 * se), high: Math.min(1, alive + 2 * se), se };
  });
  const fan = (scale: number): SeriesPoint[] =>
    Array.from({ length: horizon }, (_, k) => {
      const mid = scale * (1 - k / 10) + 1 / 3;
      return {
        month: k + 1,
        mean: mid,
        p5: mid - 2 * scale,
        p25: mid - scale,
        p50: mid,
        p75: mid + scale,
        p95: mid + 2 * scale,
      };
    });
  const counts = Array.from({ length: horizon + 1 }, (_, k) => (k < horizon ? 20 : paths - 20 * horizon));
  return {
    scenario: "Fixture, mid-2024",
    file: "fixture.yaml",
    start: "2024-07",
    paths,
    seed: 7,
    sampling: "mc",
    replicates: null,
    horizon,
    levers: [],
    survival,
    runway: {
      p5: 3,
      p25: 10,
      median: 22.5,
      p75: horizon + 1,
      p95: horizon + 1,
      mean: 24.12345678901234,
      aliveAtHorizon: survival.at(-1)!.alive,
      aliveAtHorizonSe: survival.at(-1)!.se,
      counts,
    },
    shortfall: { series: "cash", mean: 4.2e9, p50: 3.1e9, p75: 6e9, p90: 9.87654321e9, p95: 1.2e10, shareShort: 0.6 },
    breakEven: null,
    series: { cash: fan(2e9), revenue: fan(3e8) },
    quantileMethod: "P2 streaming, relative error ≤ 1e-3",
  };
}

/** A hand-made lever analysis of two levers (a 2^2 factorial), for the conditions table. */
export function fixtureLevers(): LeversResult {
  const survival = (alive: number) => [{ month: 24, alive, low: alive - 0.01, high: alive + 0.01, se: 0.005 }];
  const combination = (levers: string[], value: number) => ({
    levers,
    survival: survival(value),
    runway: 20,
    value,
    se: 0.005,
    reached: value >= 0.9,
  });
  const effect = (levers: string[], value: number, se: number) => ({
    levers,
    kind: levers.length === 1 ? ("main" as const) : ("interaction" as const),
    output: "alive@24",
    effect: value,
    se,
    low: value - 1.96 * se,
    high: value + 1.96 * se,
    clear: Math.abs(value) > 1.96 * se,
  });
  return {
    scenario: "Fixture",
    paths: 1000,
    seed: 1,
    horizon: 36,
    target: "alive@24 >= 0.9",
    combinations: [
      combination([], 0.02),
      combination(["funding"], 0.3),
      combination(["apps"], 0.021),
      combination(["funding", "apps"], 0.32),
    ],
    effects: [
      effect(["funding"], 0.29, 0.004),
      effect(["apps"], 0.0105, 0.01),
      effect(["funding", "apps"], 0.019, 0.002),
    ],
    minimalSets: [],
    best: { levers: ["funding", "apps"], value: 0.32, se: 0.005 },
    z95: 1.96,
    summary: [],
  };
}

export const fixtureLeverDefs = {
  levers: [
    { name: "funding", label: "Raise money" },
    { name: "apps", label: "New apps" },
  ],
} as unknown as Pick<Model, "levers">;

export function fixtureFundingGoal(): FundingGoal {
  return {
    target: "alive@24 >= 0.9",
    param: "raise_amount",
    monthParam: "raise_month",
    closesParam: "raise_closes",
    closesDistribution: "bernoulli(0.8)",
    levers: ["funding"],
    range: [0, 100e9],
    z95: 1.96,
    z: 2,
    paths: 500,
    seed: 1,
    rows: [
      {
        month: 3,
        reached: true,
        value: 12.1e9,
        low: 11.9e9,
        high: 12.4e9,
        achieved: 0.901,
        achievedSe: 0.004,
        uncertain: { alive: 0.72, se: 0.006 },
      },
      { month: 12, reached: false, value: 100e9, low: null, high: null, achieved: 0.37, achievedSe: 0.006 },
    ],
  };
}

export function fixtureTornado(): TornadoChart {
  const bar = (param: string, low: number, high: number, unit?: string, given: string[] = []) => ({
    param,
    ...(unit ? { unit } : {}),
    low,
    high,
    lowValue: 1,
    highValue: 2,
    swing: high - low,
    swingSe: 0.003,
    given,
  });
  return {
    output: "alive@24",
    month: 24,
    base: 0.02,
    baseSe: 0.002,
    paths: 500,
    seed: 1,
    varied: 12,
    z95: 1.96,
    bars: [
      bar("opening_cash", 0, 0.05, "USD"),
      bar("revenue_growth", 0.004, 0.048, "per month", ["price_erosion"]),
      bar("inference_elasticity", 0.038, 0.005),
      bar("training_growth", 0.033, 0.005),
      bar("legal_size", 0.02, 0.018),
    ],
  };
}
