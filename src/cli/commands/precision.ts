// `outlast run --precision H`: how far each round goes. A round adds paths to the last (the
// engine's simulateExtending), so the only question is how many: too few costs one more round,
// too many is work the answer did not need.

import { wilson } from "../../engine/index.js";
import { MAX_REPLICATES } from "../../engine/chunk.js";
import type { RunResult } from "../../engine/result.js";
import type { SamplingPlan } from "../../engine/simulate.js";
import { studentT } from "../../engine/stats/index.js";
import { MAX_PRECISION_PATHS } from "../options.js";

/**
 * Under rqmc, a round predicted to need less than this many times the paths adds replicates;
 * more, and the points per replicate double (more points per replicate are worth more than as
 * many new replicates: the variance of a scrambled net falls faster than 1/n).
 */
const GROW_BELOW = 1.5;

/** A round's size: its paths, and for rqmc its replicates (each of the same points). */
export interface PrecisionRound {
  paths: number;
  replicates?: number;
}

/**
 * The next round under --precision. A half-width `half` at n paths predicts about
 * n·(half/target)² paths for the target (variance falling as 1/n, which randomized QMC beats).
 *
 * - Predicted at least twice the paths: the points per replicate double, as many times as
 *   reach half the prediction, and at least once (`plan` gives the paths a run of n really
 *   takes: whole replicates of a power of two). Half, because a prediction from a small round
 *   is rough, and under rqmc pessimistic (the variance falls faster than 1/n): the next round,
 *   from many more paths, predicts the rest far better. A run that cannot be extended (lhs,
 *   whose every round starts again) goes as far as the whole prediction instead: there, each
 *   round more costs all its paths again.
 * - Predicted less than 1.5 times, under rqmc with `growReplicates`: replicates are added to
 *   reach the prediction (independent scrambles of the same points, so the interval stays
 *   Student's t, with more degrees of freedom), instead of doubling the work for a few percent
 *   more paths. Between 1.5 and 2 times, the points double: a replicate of more points is worth
 *   more than its share of paths (measured on the benchmark to SE 0.0002 over 11 seeds: 745k
 *   paths on average against 1,049k when rounds only doubled; adding replicates from 2 times
 *   down added small ones, of half the points, and took more).
 * - When every path (or every replicate) agrees, the standard error is 0 and Wilson's interval on
 *   all the paths, which narrows as 1/n, decides (`falls: "linear"`); rounds then double.
 *
 * A round adds to the last, so an estimate that falls short costs one more round, while one past
 * the need could double the work: rounds aim below the prediction, except a replicate count,
 * which is rounded up (one replicate is a small part of the run).
 */
export function nextPrecisionRound(
  now: { paths: number; points: number; replicates: number | null },
  half: number,
  target: number,
  plan: (n: number, replicates?: number) => SamplingPlan,
  {
    falls = "sqrt",
    growReplicates = false,
    extends: extendable = true,
  }: { falls?: "sqrt" | "linear"; growReplicates?: boolean; extends?: boolean } = {},
): PrecisionRound {
  const want = now.paths * (half / target) ** (falls === "sqrt" ? 2 : 1);
  const R = now.replicates;
  if (growReplicates && falls === "sqrt" && R !== null && want < GROW_BELOW * now.paths && R < MAX_REPLICATES) {
    const cap = Math.min(MAX_REPLICATES, Math.floor(MAX_PRECISION_PATHS / now.points));
    const more = Math.min(cap, Math.max(R + 1, Math.ceil(want / now.points)));
    if (more > R) return { paths: more * now.points, replicates: more };
  }
  const replicates = R ?? undefined;
  const paths = (n: number) => plan(n, replicates).paths;
  let next = paths(Math.min(now.paths * 2, MAX_PRECISION_PATHS));
  const aim = extendable ? want / 2 : want;
  while (next * 2 <= aim && next * 2 <= MAX_PRECISION_PATHS) next = paths(next * 2);
  return replicates === undefined ? { paths: next } : { paths: next, replicates };
}

/**
 * How far the 95% interval of S(horizon) reaches from the estimate. mc: Wilson's (1.96 SE in the
 * middle, but not 0 when no path or every path dies, where the standard error is 0). rqmc and lhs:
 * Student's t over the replicates; when every replicate gives the same value (SE 0), Wilson's on
 * all the paths, so a run never stops claiming ±0.
 */
export function precisionHalfWidth(result: RunResult): number {
  const alive = result.runway.aliveAtHorizon;
  const interval = wilson(Math.round(alive * result.paths), result.paths);
  const wilsonHalf = Math.max(alive - interval.low, interval.high - alive);
  if (result.replicates === null || result.runway.aliveAtHorizonSe === 0) return wilsonHalf;
  return studentT(result.replicates - 1) * result.runway.aliveAtHorizonSe;
}
