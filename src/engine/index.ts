// The engine's public surface. Imports nothing from Node: the same code runs in worker threads
// and in a browser Web Worker.
export { compileModel, type CompiledModel } from "./compile.js";
export {
  simulateWith,
  simulateInProcess,
  planRun,
  finishRun,
  inProcessRunner,
  MAX_PATHS,
  type ChunkRunner,
  type SimulationResult,
} from "./simulate.js";
export { runChunk, BLOCK, type ChunkJob, type ChunkResult, type ChunkError } from "./chunk.js";
export { interpret, type Interpreted, type InterpretOptions } from "./interpret.js";
export { ModelRuntimeError, OptionsError } from "./errors.js";
export { Stream, siteId, seedWords, hashString } from "./rng.js";
export type { Capture, SimulateOptions } from "./options.js";
export type { RunResult, SeriesPoint, SurvivalPoint, RunwaySummary, ShortfallSummary } from "./result.js";
export { DISTRIBUTIONS, type Distribution, type DistributionName } from "./distributions/index.js";
export { wilson, quantileOfCounts, SketchSet, ExactSums, SKETCH_METHOD } from "./stats/index.js";

import type { Model } from "../lang/model.js";
import type { CompiledModel } from "./compile.js";
import type { SimulateOptions } from "./options.js";
import { simulateWith, type ChunkRunner, type SimulationResult } from "./simulate.js";

let defaultRunner: ChunkRunner | undefined;

/**
 * Sets the runner `simulate` uses when none is given (Node installs its worker-thread pool;
 * a browser may install a Web Worker runner). Without one, runs happen in this thread.
 */
export function setDefaultRunner(runner: ChunkRunner | undefined): void {
  defaultRunner = runner;
}

/** Runs a simulation on the default runner. */
export function simulate(
  m: Model | CompiledModel,
  options: SimulateOptions,
  runner?: ChunkRunner,
): Promise<SimulationResult> {
  return simulateWith(m, options, runner ?? defaultRunner);
}
