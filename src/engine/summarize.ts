// Merged chunk statistics → the RunResult users read: survival with Wilson intervals, the
// runway distribution, shortfall and series percentiles. No timings go in, so the same seed
// gives the same JSON whatever the thread count.

import type { Model } from "../lang/model.js";
import type { SimulateOptions } from "./options.js";
import type { RunResult, SeriesPoint, SurvivalPoint } from "./result.js";
import type { Sampling } from "./options.js";
import { ExactSums, SketchSet, quantileOfCounts, replicateEstimate, wilson, SKETCH_METHOD } from "./stats/index.js";

export interface Merged {
  paths: number;
  sketch: SketchSet;
  sums: ExactSums;
  deathCounts: Float64Array;
  breakEvenCounts: Float64Array;
  shortCount: number;
  /** Replicates of an rqmc or lhs run (0 for mc), and their death counts (see ChunkResult). */
  replicates: number;
  repDeathCounts: Float64Array | null;
}

/** The percentiles reported per series and month: p5, p25, p50, p75, p95. */
const SERIES_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
type Quintet = [number, number, number, number, number];

export function summarize(
  model: Model,
  options: SimulateOptions,
  sampling: Sampling,
  horizon: number,
  levers: string[],
  reported: string[],
  m: Merged,
  survivalOnly = false,
): RunResult {
  const n = m.paths;
  const T = horizon;
  // counts indexed by death month 1..T+1 → shifted to 0-based for quantileOfCounts.
  const runwayCounts = Array.from(m.deathCounts.subarray(1));
  const survival: SurvivalPoint[] = [];
  let dead = 0;
  const R = m.replicates;
  const repDead = new Float64Array(R);
  const repAlive = new Float64Array(R);
  // Each replicate's paths (equal in a whole run; a run stopped by Ctrl-C may hold unequal parts).
  const repPaths = new Float64Array(R);
  if (m.repDeathCounts !== null)
    for (let r = 0; r < R; r++) for (let k = 0; k < T + 2; k++) repPaths[r] += m.repDeathCounts[r * (T + 2) + k]!;
  for (let t = 1; t <= T; t++) {
    dead += m.deathCounts[t]!;
    if (R > 0 && m.repDeathCounts !== null) {
      for (let r = 0; r < R; r++) {
        repDead[r] += m.repDeathCounts[r * (T + 2) + t]!;
        repAlive[r] = (repPaths[r]! - repDead[r]!) / repPaths[r]!;
      }
      survival.push(replicateSurvivalPoint(t, repAlive, n));
    } else survival.push(survivalPoint(t, n - dead, n));
  }
  const aliveAtT = n - dead;
  let runwaySum = 0;
  for (let month = 1; month <= T + 1; month++) runwaySum += month * m.deathCounts[month]!;
  const runwayQ = (q: number) => quantileOfCounts(runwayCounts, q) + 1;
  const sAliveT = aliveAtT / n;

  const series: Record<string, SeriesPoint[]> = {};
  const q = [0, 0, 0, 0, 0];
  if (!survivalOnly)
    reported.forEach((name, slot) => {
      const points: SeriesPoint[] = [];
      for (let t = 1; t <= T; t++) {
        const cell = slot * T + t - 1;
        const [p5, p25, p50, p75, p95] = m.sketch.quantiles(cell, SERIES_QUANTILES, q) as Quintet;
        points.push({ month: t, mean: m.sums.value(cell) / n, p5, p25, p50, p75, p95 });
      }
      series[name] = points;
    });

  let shortfall: RunResult["shortfall"] = null;
  if (model.shortfall !== undefined && !survivalOnly) {
    const cell = reported.length * T;
    const [p50, p75, p90, p95] = m.sketch.quantiles(cell, [0.5, 0.75, 0.9, 0.95]) as [number, number, number, number];
    shortfall = {
      series: model.shortfall,
      mean: m.sums.value(cell) / n,
      p50,
      p75,
      p90,
      p95,
      shareShort: m.shortCount / n,
    };
  }

  let breakEven: RunResult["breakEven"] = null;
  if (model.scenario.breakEven !== undefined) {
    const reached = n - m.breakEvenCounts[0]!;
    let median: number | null = null;
    if (reached > 0) {
      const counts = Array.from(m.breakEvenCounts.subarray(1));
      median = quantileOfCounts(counts, 0.5) + 1;
    }
    breakEven = { reachedShare: reached / n, median };
  }

  const start = model.scenario.start;
  return {
    scenario: model.scenario.name,
    file: model.scenario.file,
    start: `${start.year}-${String(start.month).padStart(2, "0")}`,
    paths: n,
    seed: options.seed,
    sampling,
    replicates: R > 0 ? R : null,
    horizon: T,
    levers,
    survival,
    runway: {
      p5: runwayQ(0.05),
      p25: runwayQ(0.25),
      median: runwayQ(0.5),
      p75: runwayQ(0.75),
      p95: runwayQ(0.95),
      mean: runwaySum / n,
      aliveAtHorizon: sAliveT,
      aliveAtHorizonSe: R > 0 ? survival[T - 1]!.se : Math.sqrt((sAliveT * (1 - sAliveT)) / n),
      counts: runwayCounts,
    },
    shortfall,
    breakEven,
    series,
    quantileMethod: SKETCH_METHOD,
  };
}

export function survivalPoint(month: number, alive: number, n: number): SurvivalPoint {
  const s = alive / n;
  const { low, high } = wilson(alive, n);
  return { month, alive: s, low, high, se: Math.sqrt((s * (1 - s)) / n) };
}

/**
 * S(t) from R replicate estimates: their mean, sd/√R, and the Student-t interval clipped to
 * [0, 1]. The paths are the same in number in every replicate, so the mean is the share over all.
 */
export function replicateSurvivalPoint(month: number, perReplicate: Float64Array, paths: number): SurvivalPoint {
  const e = replicateEstimate(perReplicate);
  if (e.se === 0) {
    // Every replicate agrees (all paths alive, or none): no spread to measure, so Wilson's
    // interval on all the paths rather than a claim of ±0.
    const w = wilson(Math.round(e.mean * paths), paths);
    return { month, alive: e.mean, low: w.low, high: w.high, se: 0 };
  }
  return { month, alive: e.mean, low: Math.max(0, e.low), high: Math.min(1, e.high), se: e.se };
}
