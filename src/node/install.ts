// Node's choice of runner: worker threads on every core for runs large enough to repay
// starting them (about 50 ms), the calling thread otherwise. `threads` overrides.

import { availableParallelism, totalmem } from "node:os";
import { setFlagsFromString } from "node:v8";
import {
  inProcessRunner,
  setMemoryLimit,
  setRunnerFactory,
  type ChunkRunner,
  type SimulateOptions,
} from "../engine/index.js";
import { BLOCK } from "../engine/chunk.js";
import { poolRunning, sharedPool } from "./pool.js";

/** Paths below which a run stays in the calling thread unless threads are asked for. */
export const POOL_THRESHOLD = 50_000;

export function chooseRunner(options: SimulateOptions): ChunkRunner | Promise<ChunkRunner> {
  const threads = threadsFor(options.paths, options.threads);
  return threads <= 1 ? inProcessRunner : sharedPool(threads);
}

function threadsFor(paths: number, threads: number | undefined): number {
  if (threads !== undefined) return threads;
  if (paths >= POOL_THRESHOLD) return availableParallelism();
  // Once the pool is running (a report, an analysis, the server after a large run), smaller runs
  // use it too: its start-up is already paid, and the 20k-path lever variants of a report and
  // the 5k-path goal-seek steps otherwise ran on one core while the other waited.
  return poolRunning(availableParallelism()) && paths >= 2 * BLOCK ? availableParallelism() : 1;
}

/**
 * Path-months below which a single run (`outlast run`) stays in the calling thread by default.
 * A worker needs about 0.3 s (start, load the engine, compile and warm up the kernel) before it
 * helps, and two busy threads slow each other on a small machine: measured on the benchmark
 * model, 300k paths × 36 months took 0.48 s on one thread and 0.53 s on two, 1M × 36 months
 * 1.22 s and 1.0 s. Analyses, which run many variants on one pool, keep POOL_THRESHOLD.
 */
export const RUN_POOL_PATH_MONTHS = 16e6;

/** The threads a single run uses when none are asked for. */
export function defaultRunThreads(paths: number, horizon: number): number {
  return paths * horizon >= RUN_POOL_PATH_MONTHS ? availableParallelism() : 1;
}

/**
 * The threads of `run --precision`'s rounds after the first, when none are asked for: every core.
 * Their workers start now, before the scenario is read, so they load while the calling thread
 * reads it and runs the first round alone, and the rounds that follow (most of the paths) share
 * them. The first round stays on the calling thread: a worker that took one of its chunks cold
 * made the round wait for it. Measured on the benchmark to SE 0.0002 (seeds 1–5 twice,
 * interleaved, two cores): 1.21 → 1.11 s on average; a round's workers started only when the
 * round began were slower than one thread up to about 750k paths (RUN_POOL_PATH_MONTHS).
 */
export function precisionRoundThreads(): number {
  const cores = availableParallelism();
  if (cores > 1) void sharedPool(cores);
  return cores;
}

/**
 * Starts the worker threads a run of `paths` paths will use, so they load the engine while this
 * thread reads and checks the scenario (workers take about 100 ms to start).
 */
export function prewarm(paths: number, threads?: number): void {
  if (threadsFor(paths, threads) > 1) void sharedPool(threadsFor(paths, threads));
}

export function installNodeRunner(): void {
  tuneV8();
  // Leave a quarter of the machine for the process itself, the OS and everything else.
  setMemoryLimit(totalmem() * 0.75);
  setRunnerFactory(chooseRunner);
}

let tuned = false;

/**
 * V8's inlining budget is left at its default (920 bytes of bytecode inlined per function). It
 * was raised to 3,000 when a kernel lost calls to the samplers past the budget; since the chunk
 * code stopped being thrown away and compiled again (chunk.ts, plan.ts), the larger budget only
 * made each compile of runChunk and the kernels longer, on the core the workers need. Measured
 * interleaved against 3,000: the benchmark to SE 0.0002 0.95 → 0.90 s (11 of 12 runs faster),
 * the openai-2024 report 3.7 → 3.4 s, levers 7.9 → 7.6 s, 1M paths on one thread unchanged.
 *
 * On-stack replacement is turned off. A kernel is called once per block of 1,024 paths, so a
 * call boundary comes soon enough to switch to optimised code; with OSR, V8 compiled each new
 * kernel twice per thread (once to enter mid-loop, once for the next call), and with every core
 * running a kernel those background compilations of a large kernel took 0.3–0.6 s each while
 * the blocks ran unoptimised (openai-2024: 25–60 ms a block instead of 2). Measured without
 * OSR: the report 3.1 → 2.7 s, hindsight 2.0 → 1.1–1.3 s, goal-seek 1.4 → 1.1–1.2 s, the
 * benchmark on two threads 1.10 → 1.02 s, nothing slower.
 *
 * Flags are process-wide, so worker threads share them; set before any kernel is compiled.
 */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString("--no-use-osr");
}
