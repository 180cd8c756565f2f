// What a run reports. This is also the `--json` format (see the README); it holds no
// timings, so the same seed gives byte-identical JSON whatever the thread count.

/**
 * S(t): the share of paths alive at the end of month t, with a 95% interval: Wilson's for mc; for
 * rqmc and lhs, the mean of the replicates' S(t) ± Student's t (R − 1 degrees of freedom) times
 * their standard deviation over √R, clipped to [0, 1].
 */
export interface SurvivalPoint {
  month: number;
  alive: number;
  low: number;
  high: number;
  /** Standard error: √(S(1 − S)/n) for mc, the replicates' sd/√R for rqmc and lhs. */
  se: number;
}

/** Per-month summary of one reported series over all paths. */
export interface SeriesPoint {
  month: number;
  mean: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

/** Death month over paths; a path alive at the horizon counts as horizon + 1. */
export interface RunwaySummary {
  p5: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
  mean: number;
  /** Share of paths alive at the horizon, and its standard error. */
  aliveAtHorizon: number;
  aliveAtHorizonSe: number;
  /** counts[k] = paths whose death month is k + 1 (k = horizon means alive at the horizon). */
  counts: number[];
}

/** The extra money each path would have needed to stay alive to the horizon (0 for survivors). */
export interface ShortfallSummary {
  series: string;
  mean: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  /** Share of paths with a positive shortfall. */
  shareShort: number;
}

export interface RunResult {
  scenario: string;
  file: string;
  /** First simulated month, "YYYY-MM". */
  start: string;
  paths: number;
  seed: number;
  /** How draws were made: rqmc, lhs or mc. */
  sampling: "rqmc" | "lhs" | "mc";
  /** Independent replicates whose spread gives the standard errors (null for mc). */
  replicates: number | null;
  horizon: number;
  /** Levers switched on for this run. */
  levers: string[];
  survival: SurvivalPoint[];
  runway: RunwaySummary;
  shortfall: ShortfallSummary | null;
  /** First month the break-even condition held, over paths that reached it (null when not defined). */
  breakEven: { reachedShare: number; median: number | null } | null;
  series: Record<string, SeriesPoint[]>;
  /** How quantiles were computed and their bound on relative error. */
  quantileMethod: string;
  /** Set when the run was stopped before all paths ran (Ctrl-C). */
  partial?: boolean;
}
