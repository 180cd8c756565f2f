// A hand-made RunResult for the writers' tests, so they do not depend on the engine.

import type { RunResult, SeriesPoint } from "../../src/engine/result.js";

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
    horizon,
    levers: [],
    survival,
    runway: {
      p5: 3,
      p25: 10,
      median: 22.5,
      p75: horizon + 1,
      p95: horizon + 1,
      mean: 24.123456789012345,
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
