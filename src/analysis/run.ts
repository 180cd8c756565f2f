// What every analysis shares: one compiled kernel for all its variants, a fixed seed (common
// random numbers), and checks of user-given names before any work starts.

import { compileModel, simulate, type CompiledModel } from "../engine/index.js";
import type { Capture, Sampling, SimulateOptions } from "../engine/options.js";
import { samplingPlan } from "../engine/simulate.js";
import type { RunResult } from "../engine/result.js";
import type { Model } from "../lang/model.js";
import { AnalysisError, listChoices } from "./errors.js";

/** Options every analysis takes. */
export interface AnalysisRunOptions {
  /** Paths per variant. */
  paths?: number;
  /** Seed shared by every variant (default 1). */
  seed?: number;
  /** Worker threads (default: the engine's choice). */
  threads?: number;
  /** Levers switched on in every variant (for levers: ignored). */
  levers?: readonly string[];
  /** Overrides the scenario's horizon. */
  horizon?: number;
  /** Params held at a value in every variant (e.g. {raise_closes: 1, raise_month: 6}). */
  fixed?: Readonly<Record<string, number>>;
  /** How every variant draws (default: the engine's) and its replicates (rqmc, lhs). */
  sampling?: Sampling;
  replicates?: number;
  /** Called after each variant: variants done, variants in all. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export function compiledOf(m: Model | CompiledModel): CompiledModel {
  return "kind" in m && m.kind === "compiled" ? m : compileModel(m as Model);
}

/** Throws a clear error for any lever the model does not define. */
export function checkLevers(model: Model, levers: readonly string[]): string[] {
  const known = model.levers.map((l) => l.name);
  for (const name of levers)
    if (!known.includes(name))
      throw new AnalysisError(
        "unknown_lever",
        `unknown lever '${name}'; ${known.length ? `expected one of ${listChoices(known)}` : "this scenario defines no levers"}`,
      );
  return [...new Set(levers)];
}

/** Throws a clear error for an unknown param. */
export function checkParam(model: Model, name: string, what = "param"): void {
  const known = model.params.map((p) => p.name);
  if (!known.includes(name))
    throw new AnalysisError("unknown_param", `unknown ${what} '${name}'; expected one of ${listChoices(known, 40)}`);
}

/** Throws a clear error for a held param that is unknown or not a finite number. */
export function checkFixed(model: Model, fixed: Readonly<Record<string, number>> | undefined): void {
  for (const [name, value] of Object.entries(fixed ?? {})) {
    checkParam(model, name, "param to hold");
    if (!Number.isFinite(value))
      throw new AnalysisError("bad_fixed", `param '${name}' cannot be held at ${value}; expected a finite number`);
  }
}

/**
 * The paths each variant takes: rqmc and lhs round them to whole replicates of a power of two
 * (see samplingPlan), and an analysis sizes its per-path arrays by this.
 */
export function variantPaths(options: AnalysisRunOptions, fallback: number): number {
  return samplingPlan(options.paths ?? fallback, options.sampling, options.replicates).paths;
}

/** One variant: a run that returns the per-path captures (and no series summaries). */
export async function runVariant(
  compiled: CompiledModel,
  base: AnalysisRunOptions & { paths: number; seed: number },
  variant: Partial<SimulateOptions> & { capture: readonly Capture[] },
): Promise<RunResult & { captures: Float64Array[] }> {
  const options: SimulateOptions = { paths: base.paths, seed: base.seed, report: [], ...variant };
  if (base.threads !== undefined) options.threads = base.threads;
  if (base.sampling !== undefined && variant.sampling === undefined) options.sampling = base.sampling;
  if (base.replicates !== undefined && variant.replicates === undefined) options.replicates = base.replicates;
  if (base.horizon !== undefined && options.horizon === undefined) options.horizon = base.horizon;
  if (base.signal !== undefined) options.signal = base.signal;
  if (options.levers === undefined && base.levers !== undefined) options.levers = base.levers;
  if (base.fixed !== undefined) options.fixed = { ...base.fixed, ...variant.fixed };
  const result = await simulate(compiled, options);
  const captures = result.captures;
  if (!captures || captures.length !== variant.capture.length)
    throw new Error(`internal: asked for ${variant.capture.length} captures, got ${captures?.length ?? 0}`);
  return { ...result, captures };
}
