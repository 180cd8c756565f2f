// Fuzz cases under a time bound of their own. Each case's check, compile and run happen in a
// worker thread (one, reused from case to case); a case that has not answered within the bound
// is stopped (piscina ends its thread and starts another) and reported as a hang with its input,
// so an endless loop shows as that failing case rather than as the whole test timing out. The
// bound only catches hangs: a case normally takes milliseconds, and no speed is asserted.

import { Piscina } from "piscina";
import { workerOptions } from "../../src/node/pool.js";

/**
 * Seconds a case may take before it counts as a hang: the command-line fuzz's bound (long.ts).
 * Cases normally take milliseconds; the slowest of npm test's seeds (a pert over ±1.8e308, whose
 * beta quantiles take 32 s of CPU on 768 draws) took 87 s on a 2-core machine under a load of 12.
 */
export const CASE_BOUND_S = 120;

export class BoundedCases {
  private readonly pool: Piscina;

  /** `worker`: a module whose default export maps a case's text to its problems (case-worker.ts). */
  constructor(
    worker: URL = new URL("./case-worker.ts", import.meta.url),
    readonly boundSeconds = CASE_BOUND_S,
  ) {
    this.pool = new Piscina({
      filename: worker.href,
      minThreads: 1,
      maxThreads: 1,
      ...workerOptions(process.execArgv),
    });
  }

  /** The case's problems, or one saying it did not finish within the bound. */
  async exercise(text: string): Promise<string[]> {
    try {
      return (await this.pool.run(text, { signal: AbortSignal.timeout(this.boundSeconds * 1000) })) as string[];
    } catch (e) {
      if ((e as Error).name === "AbortError" || (e as Error).name === "TimeoutError")
        return [`no answer within ${this.boundSeconds} s (a hang in check, compile or run)`];
      return [`the case's worker failed: ${(e as Error).stack ?? String(e)}`];
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
