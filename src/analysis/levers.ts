// The lever analysis: every one of the 2^k combinations of a scenario's levers, run on the
// same seed, so the difference between two combinations is the levers' doing and not noise.
//
// Per combination: S(12), S(24), S(horizon) with their Wilson intervals and the median runway.
// Across combinations: each lever's main effect and each pair's interaction on the target's
// output (see paired.ts for the contrasts), with paired standard errors from per-path
// captures, and the minimal sets of levers (no proper subset also reaches) that meet the
// target. For openai-2024 the levers are the essay's five conditions, and this answers
// "which of the five matter, and is any one enough?".

import type { Capture, CompiledModel } from "../engine/index.js";
import type { Model } from "../lang/model.js";
import { intervalLabel, intervalZ } from "../engine/stats/index.js";
import { AnalysisError } from "./errors.js";
import { formatAmount } from "./format.js";
import { FactorialAccumulator, meanWithSe } from "./paired.js";
import { checkFixed, compiledOf, runVariant, variantPaths, type AnalysisRunOptions } from "./run.js";
import {
  defaultSurvivalOutput,
  formatOutput,
  formatTarget,
  meets,
  parseTarget,
  targetSense,
  type Target,
} from "./targets.js";

/** At most this many levers: 2^8 = 256 runs. */
export const MAX_LEVERS = 8;

/** Most param draws (paths × params) the lever analysis keeps to reuse across combinations: 64 MB. */
const MAX_REUSED_DRAWS = 8_000_000;
/** Standard errors either side that make a difference or a reached target "clear". */

export interface LeversOptions extends AnalysisRunOptions {
  /** Default "alive@24 >= 0.9" (alive@horizon when the horizon is shorter). */
  target?: Target | string;
  /**
   * Draw the params no lever changes once, in the first combination, and pass them to the
   * others (default true): the same numbers, since every combination draws them identically.
   * false draws them in every combination; the result is the same, slower.
   */
  reuseDraws?: boolean;
}

export interface LeverSurvival {
  month: number;
  alive: number;
  low: number;
  high: number;
  se: number;
}

export interface LeverCombination {
  /** Names of the levers switched on, in the scenario's order. */
  levers: string[];
  survival: LeverSurvival[];
  /** Median runway in months (horizon + 1 when most paths survive). */
  runway: number;
  /** The target's statistic (the mean of its output over paths) and its standard error. */
  value: number;
  se: number;
  reached: boolean;
}

export interface LeverEffect {
  /** One lever (a main effect) or two (their interaction). */
  levers: string[];
  kind: "main" | "interaction";
  /** The output the effect is measured on, e.g. "alive@24". */
  output: string;
  effect: number;
  /** Paired standard error (common random numbers). */
  se: number;
  /** 95% interval effect ± z95 se. */
  low: number;
  high: number;
  /** |effect| > z95 se. */
  clear: boolean;
}

export interface MinimalSet {
  levers: string[];
  value: number;
  se: number;
  /** The target is met even at value ∓ z95 se. */
  clear: boolean;
}

export interface LeversResult {
  scenario: string;
  paths: number;
  seed: number;
  horizon: number;
  target: string;
  /** Every combination, in order of the bit mask (lever i is bit i): none first, all last. */
  combinations: LeverCombination[];
  /** Main effects (in lever order) then two-way interactions. */
  effects: LeverEffect[];
  /** Minimal sets reaching the target, smallest first; empty when none does. */
  minimalSets: MinimalSet[];
  /** The combination with the best statistic. */
  best: { levers: string[]; value: number; se: number };
  /** The 95% intervals' half-width in standard errors (intervalZ: Student's t over the replicates, or 1.96). */
  z95: number;
  /** A few plain sentences answering "which levers matter, and is any one enough?". */
  summary: string[];
}

function survivalMonths(horizon: number): number[] {
  return [...new Set([12, 24, horizon])].filter((m) => m <= horizon).sort((a, b) => a - b);
}

const setName = (levers: readonly string[]): string => (levers.length ? `{${levers.join(", ")}}` : "no levers");

/**
 * A copy in shared memory where there is any (Node, cross-origin-isolated pages): worker threads
 * then read it in place instead of receiving a copy of every param's draws with each run.
 */
function shareable(values: Float64Array): Float64Array {
  if (typeof SharedArrayBuffer !== "function") return values;
  const out = new Float64Array(new SharedArrayBuffer(values.byteLength));
  out.set(values);
  return out;
}

/** Runs all 2^k lever combinations on common random numbers. */
export async function analyzeLevers(m: Model | CompiledModel, options: LeversOptions = {}): Promise<LeversResult> {
  const compiled = compiledOf(m);
  const model = compiled.model;
  const names = model.levers.map((l) => l.name);
  const k = names.length;
  if (k === 0) throw new AnalysisError("no_levers", `scenario '${model.scenario.name}' defines no levers`);
  if (k > MAX_LEVERS)
    throw new AnalysisError(
      "too_many_levers",
      `scenario '${model.scenario.name}' has ${k} levers; the lever analysis runs all 2^k combinations and allows at most ${MAX_LEVERS} (256 runs)`,
      "merge related levers, or compare a few combinations with `outlast run --levers a,b`",
    );
  checkFixed(model, options.fixed);
  const horizon = options.horizon ?? model.horizon;
  const target =
    typeof options.target === "string"
      ? parseTarget(options.target, model, horizon)
      : (options.target ?? { output: defaultSurvivalOutput(horizon), op: ">=", value: 0.9 });
  const paths = variantPaths(options, 100_000);
  const seed = options.seed ?? 1;
  const months = survivalMonths(horizon);
  const acc = new FactorialAccumulator(k, paths);
  let replicates = 0;
  const combinations: LeverCombination[] = [];
  const total = 2 ** k;

  // The first combination (no lever) also returns the draws of the params no lever changes;
  // the other combinations take those instead of drawing them again (same numbers: common
  // random numbers make every combination draw them identically). Up to 64 MB of them.
  const held = new Set(Object.keys(options.fixed ?? {}));
  const reused = compiled.leverFreeParams.filter((p) => !held.has(p));
  const reuse = options.reuseDraws !== false && reused.length > 0 && reused.length * paths <= MAX_REUSED_DRAWS;
  let paramValues: Record<string, Float64Array> | undefined;

  for (let mask = 0; mask < total; mask++) {
    const on = names.filter((_, j) => mask & (1 << j));
    const capture: Capture[] = [target.output];
    if (reuse && paramValues === undefined) capture.push(...reused.map((name) => ({ kind: "param" as const, name })));
    const run = await runVariant(
      compiled,
      { ...options, paths, seed },
      { levers: on, capture, ...(paramValues === undefined ? {} : { paramValues }) },
    );
    if (reuse && paramValues === undefined)
      paramValues = Object.fromEntries(reused.map((name, j) => [name, shareable(run.captures[1 + j]!)]));
    const y = run.captures[0]!;
    acc.add(mask, y);
    const stat = meanWithSe(y, run.replicates ?? 0);
    replicates = run.replicates ?? 0;
    combinations.push({
      levers: on,
      survival: months.map((month) => {
        const p = run.survival.find((q) => q.month === month);
        if (!p) throw new Error(`internal: no survival point for month ${month}`);
        return { month, alive: p.alive, low: p.low, high: p.high, se: p.se };
      }),
      runway: run.runway.median,
      value: stat.value,
      se: stat.se,
      reached: meets(target, stat.value),
    });
    options.onProgress?.(mask + 1, total);
  }

  const output = formatOutput(target.output);
  const Z = intervalZ(replicates);
  const effects: LeverEffect[] = acc.finish(replicates).map((e) => ({
    levers: e.factors.map((j) => names[j]!),
    kind: e.factors.length === 1 ? "main" : "interaction",
    output,
    effect: e.value,
    se: e.se,
    low: e.value - Z * e.se,
    high: e.value + Z * e.se,
    clear: Math.abs(e.value) > Z * e.se,
  }));

  const sense = targetSense(target);
  const reached = combinations.map((c, mask) => ({ c, mask })).filter(({ c }) => c.reached);
  const minimalSets: MinimalSet[] = reached
    .filter(({ mask }) => !reached.some((r) => r.mask !== mask && (r.mask & mask) === r.mask))
    .sort((a, b) => a.c.levers.length - b.c.levers.length || sense * (b.c.value - a.c.value))
    .map(({ c }) => ({
      levers: c.levers,
      value: c.value,
      se: c.se,
      clear: meets(target, c.value - sense * Z * c.se),
    }));
  const bestCombination = combinations.reduce((a, b) => (sense * (b.value - a.value) > 0 ? b : a));
  const best = { levers: bestCombination.levers, value: bestCombination.value, se: bestCombination.se };

  return {
    scenario: model.scenario.name,
    paths,
    seed,
    horizon,
    target: formatTarget(target),
    combinations,
    effects,
    minimalSets,
    best,
    z95: Z,
    summary: summarize(target, combinations, effects, minimalSets, best, Z),
  };
}

function summarize(
  target: Target,
  combinations: readonly LeverCombination[],
  effects: readonly LeverEffect[],
  minimalSets: readonly MinimalSet[],
  best: { levers: string[]; value: number; se: number },
  z: number,
): string[] {
  const out: string[] = [];
  const output = formatOutput(target.output);
  // Survival shares read as percentages, differences as percentage points.
  const share = target.output.kind === "alive";
  const fmt = (x: number): string => (share ? `${+(x * 100).toFixed(1)}%` : formatAmount(x, 3));
  const err = (x: number): string => (share ? `${+(x * 100).toPrecision(2)} pp` : formatAmount(x, 2));
  const signed = (x: number): string =>
    (x >= 0 ? "+" : "−") + (share ? `${+Math.abs(x * 100).toFixed(1)} pp` : fmt(Math.abs(x)));
  const none = combinations[0]!;
  out.push(`With no lever on, ${output} is ${fmt(none.value)} ± ${err(none.se)}.`);
  const mains = effects.filter((e) => e.kind === "main").sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const clear = mains.filter((e) => e.clear);
  const unclear = mains.filter((e) => !e.clear);
  if (clear.length)
    out.push(
      `Main effects on ${output}, averaged over the other levers: ` +
        clear.map((e) => `${e.levers[0]} ${signed(e.effect)} ± ${err(e.se)}`).join("; ") +
        ".",
    );
  if (unclear.length)
    out.push(
      `No effect distinguishable from zero (within ${intervalLabel(z)}): ${unclear.map((e) => e.levers[0]).join(", ")}.`,
    );
  const pairs = effects
    .filter((e) => e.kind === "interaction" && e.clear)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, 3);
  if (pairs.length)
    out.push(
      "Strongest interactions (beyond the sum of the separate effects): " +
        pairs.map((e) => `${e.levers.join(" × ")} ${signed(e.effect)} ± ${err(e.se)}`).join("; ") +
        ".",
    );
  const goal = formatTarget(target);
  if (minimalSets.length === 0) {
    out.push(
      `No combination reaches ${goal}; the best, ${setName(best.levers)}, reaches ${fmt(best.value)} ± ${err(best.se)}.`,
    );
  } else {
    const smallest = minimalSets[0]!.levers.length;
    if (smallest === 0) out.push(`${goal} holds with no lever on.`);
    else if (smallest === 1)
      out.push(
        `One lever is enough for ${goal}: ` +
          minimalSets
            .filter((s) => s.levers.length === 1)
            .map((s) => `${s.levers[0]} (${fmt(s.value)} ± ${err(s.se)}${s.clear ? "" : ", within the error"})`)
            .join(", ") +
          ".",
      );
    else out.push(`No single lever is enough for ${goal}; it takes at least ${smallest}.`);
    out.push(
      "Smallest sets that reach it: " +
        minimalSets
          .slice(0, 6)
          .map((s) => `${setName(s.levers)} ${fmt(s.value)} ± ${err(s.se)}${s.clear ? "" : " (within the error)"}`)
          .join("; ") +
        (minimalSets.length > 6 ? `; and ${minimalSets.length - 6} more` : "") +
        ".",
    );
  }
  return out;
}
