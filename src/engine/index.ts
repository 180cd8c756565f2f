// The engine's public surface. Imports nothing from Node: the same code runs in worker threads
// and in a browser Web Worker.
export { cholesky, compileModel, copulaCorrelation, copulaFactor, type CompiledModel } from "./compile.js";
export { applyBinary, applyFunction, evaluateConstant } from "./semantics.js";
export {
  simulateWith,
  simulateMore,
  simulateInProcess,
  planRun,
  finishRun,
  inProcessRunner,
  MAX_PATHS,
  type ChunkRunner,
  type RunHooks,
  type SimulationResult,
  type RunSoFar,
  type Summary,
  fullResult,
} from "./simulate.js";
export {
  newBatch,
  enterBatch,
  shutGates,
  runNextClaim,
  runClaims,
  stopBatch,
  pathsDone,
  type ChunkBatch,
} from "./claims.js";
export { runChunk, BLOCK, type ChunkJob, type ChunkResult, type ChunkError } from "./chunk.js";
export { interpret, type Interpreted, type InterpretOptions } from "./interpret.js";
export { ModelRuntimeError, OptionsError } from "./errors.js";
export { estimateRunBytes, setMemoryLimit, memoryLimit } from "./memory.js";
export { Stream, siteId, seedWords, hashString } from "./rng.js";
export type { Capture, SimulateOptions } from "./options.js";
export type { RunResult, SeriesPoint, SurvivalPoint, RunwaySummary, ShortfallSummary } from "./result.js";
export { DISTRIBUTIONS, type Distribution, type DistributionName } from "./distributions/index.js";
export { normalCdf, normalQuantile } from "./special.js";
export { provideJoeKuoTable } from "./qmc/sobol.js";
export { wilson, quantileOfCounts, SketchSet, ExactSums, SKETCH_METHOD } from "./stats/index.js";

import type { Model } from "../lang/model.js";
import type { CompiledModel } from "./compile.js";
import type { SimulateOptions } from "./options.js";
import {
  simulateMore,
  simulateWith,
  type ChunkRunner,
  type RunSoFar,
  type SimulationResult,
  type Summary,
} from "./simulate.js";

let runnerFor: ((options: SimulateOptions) => ChunkRunner | Promise<ChunkRunner>) | undefined;

/**
 * Sets how `simulate` picks a runner when none is given (Node installs its worker-thread pool
 * for large runs; a browser may install a Web Worker runner). Without one, runs happen in
 * this thread.
 */
export function setRunnerFactory(factory: typeof runnerFor): void {
  runnerFor = factory;
}

/** Runs a simulation on the given runner, or the one the installed factory picks. */
export async function simulate(
  m: Model | CompiledModel,
  options: SimulateOptions,
  runner?: ChunkRunner,
): Promise<SimulationResult> {
  return simulateWith(m, options, runner ?? (runnerFor ? await runnerFor(options) : undefined));
}

/** simulateMore (a run that extends a shorter one) on the given runner, or the installed factory's. */
export async function simulateExtending(
  m: Model | CompiledModel,
  options: SimulateOptions,
  soFar: RunSoFar | undefined,
  runner?: ChunkRunner,
  summary: Summary = "full",
): Promise<{ result: SimulationResult; soFar: RunSoFar | undefined; ran: number }> {
  return simulateMore(m, options, runner ?? (runnerFor ? await runnerFor(options) : undefined), soFar, summary);
}
