// Node's choice of runner: worker threads on every core for runs large enough to repay
// starting them (about 50 ms), the calling thread otherwise. `threads` overrides.

import { availableParallelism } from "node:os";
import { inProcessRunner, setRunnerFactory, type ChunkRunner, type SimulateOptions } from "../engine/index.js";
import { sharedPool } from "./pool.js";

/** Paths below which a run stays in the calling thread unless threads are asked for. */
export const POOL_THRESHOLD = 50_000;

export function chooseRunner(options: SimulateOptions): ChunkRunner | Promise<ChunkRunner> {
  const threads = options.threads ?? (options.paths >= POOL_THRESHOLD ? availableParallelism() : 1);
  return threads <= 1 ? inProcessRunner : sharedPool(threads);
}

export function installNodeRunner(): void {
  setRunnerFactory(chooseRunner);
}
