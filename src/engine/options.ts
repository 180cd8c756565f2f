// Options of a run. Every variant an analysis runs (levers on or off, a param held fixed,
// a series scaled) uses the same compiled kernel and the same seed, so variants see the
// same draws for the same (path, site, month): differences between them are not noise.

/** A per-path output an analysis wants back (one value per path, in path order). */
export type Capture =
  | { kind: "alive"; month: number } // 1 if the path is alive at the end of month, else 0
  | { kind: "runway" } // death month, horizon + 1 if alive at the horizon
  | { kind: "shortfall" } // max(0, −min over months of the shortfall series)
  | { kind: "series"; name: string; month: number } // the series' value at that month
  | { kind: "param"; name: string }; // the param's value on the path (as drawn, or held)

/**
 * How a run draws: `rqmc` scrambled Sobol' points (randomized quasi-Monte Carlo) in independent
 * replicates, `lhs` Latin hypercube points in replicates, `mc` the counter-based streams (plain
 * Monte Carlo).
 */
export type Sampling = "rqmc" | "lhs" | "mc";

export const SAMPLINGS: readonly Sampling[] = ["rqmc", "lhs", "mc"];

/** The sampling a run uses when none is given. */
export const DEFAULT_SAMPLING: Sampling = "rqmc";

/** Replicates of an rqmc or lhs run when none are given, and the fewest allowed. */
export const DEFAULT_REPLICATES = 16;
export const MIN_REPLICATES = 8;

export interface SimulateOptions {
  /**
   * Number of paths (≥ 1). With rqmc or lhs sampling the run takes R·N paths, N the power of two
   * nearest to paths/R (on a log scale): every replicate gets the same whole number of points.
   */
  paths: number;
  /** How draws are made (default DEFAULT_SAMPLING). */
  sampling?: Sampling;
  /** Independent replicates of an rqmc or lhs run (default 16, at least 8). */
  replicates?: number;
  /** Non-negative integer below 2^53. */
  seed: number;
  /** Overrides the scenario's horizon (months). */
  horizon?: number;
  /** Levers switched on, by name. */
  levers?: readonly string[];
  /** Params held at a value on every path (tornado, goal-seek). */
  fixed?: Readonly<Record<string, number>>;
  /** Per-path param values (Sobol sample matrices); each array has one value per path. */
  paramValues?: Readonly<Record<string, Float64Array>>;
  /** A multiplier applied to a series every month (to its change, for a stock). */
  seriesScale?: Readonly<Record<string, number>>;
  /** Per-path outputs to return in `captures`, in this order. */
  capture?: readonly Capture[];
  /** Series to summarise per month (default: the model's reported series). [] for none (faster). */
  report?: readonly string[];
  /** Worker threads; default: every core for large runs, in-process for small ones. */
  threads?: number;
  /** Paths per chunk handed to a worker (rounded up to a multiple of the block size). */
  chunkPaths?: number;
  /** Called as chunks finish. */
  onProgress?: (pathsDone: number, pathsTotal: number) => void;
  /** Stops the run; the result then covers the paths finished so far (partial: true). */
  signal?: AbortSignal;
}
