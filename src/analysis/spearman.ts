// The rank correlations a run achieved between the params the scenario correlates: Spearman's
// ρ with mid-ranks for ties, from the params each path drew. A discrete param's ties keep it
// below what was asked (`check` warns with the attainable range); this shows by how much.

import type { Sampling } from "../engine/options.js";
import type { Model } from "../lang/model.js";
import { compileModel, simulateInProcess } from "../engine/index.js";

export interface AchievedCorrelation {
  a: string;
  b: string;
  asked: number;
  achieved: number;
  paths: number;
}

/** Achieved Spearman correlations of the scenario's correlated pairs on `paths` paths of `seed`. */
export function achievedCorrelations(
  model: Model,
  options: { seed: number; paths: number; levers?: readonly string[]; sampling?: Sampling; replicates?: number },
): AchievedCorrelation[] {
  const pairs = model.scenario.correlations;
  if (pairs.length === 0) return [];
  const names = [...new Set(pairs.flatMap((c) => [c.a, c.b]))];
  const run = simulateInProcess(compileModel(model), {
    paths: options.paths,
    seed: options.seed,
    report: [],
    ...(options.levers ? { levers: options.levers } : {}),
    ...(options.sampling ? { sampling: options.sampling } : {}),
    ...(options.replicates ? { replicates: options.replicates } : {}),
    capture: names.map((name) => ({ kind: "param" as const, name })),
  });
  const ranks = new Map(names.map((n, i) => [n, midRanks(run.captures![i]!)]));
  return pairs.map((c) => ({
    a: c.a,
    b: c.b,
    asked: c.rho,
    achieved: pearson(ranks.get(c.a)!, ranks.get(c.b)!),
    paths: run.paths,
  }));
}

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function midRanks(xs: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: xs.length }, (_, i) => i).sort((i, j) => xs[i]! - xs[j]!);
  const ranks = new Float64Array(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = mid;
    i = j + 1;
  }
  return ranks;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) [mx, my] = [mx + x[i]!, my + y[i]!];
  [mx, my] = [mx / n, my / n];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const [dx, dy] = [x[i]! - mx, y[i]! - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
