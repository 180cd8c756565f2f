// Runs on the server: larger path counts than the page runs in its Web Worker.
//
// Each run is bounded: its path count is capped when it is requested (see http.ts), it is
// aborted after `timeoutMs`, and at most `maxActive` run at once (the engine streams its
// statistics, so memory grows with the number of runs and reported series, not with paths).
// A run is cancelled through its AbortSignal; the engine then returns the paths finished so
// far (partial: true), which are saved like any other result.

import type { Model } from "../lang/model.js";
import type { SimulateOptions } from "../engine/options.js";
import type { RunResult } from "../engine/result.js";
import type { RunProgress } from "./records.js";
import type { NewRun, RunRecord, Store } from "./store.js";

/** How a run draws (the API's `sampling` and `replicates`; the engine's defaults when absent). */
export type DrawOptions = Pick<SimulateOptions, "sampling" | "replicates">;

/** The engine's `simulate` (injected so the server can be tested without it). */
export type SimulateFn = (model: Model, options: SimulateOptions) => Promise<RunResult>;

export type { RunProgress } from "./records.js";

interface ActiveRun {
  controller: AbortController;
  progress: RunProgress;
  reason: "cancelled" | "timeout" | null;
  finished: Promise<void>;
}

export interface RunManagerOptions {
  store: Store;
  simulate: SimulateFn;
  /** Milliseconds before a run is stopped. Default 10 minutes. */
  timeoutMs?: number;
  /** Runs at once. Default 2. */
  maxActive?: number;
}

export class TooManyRunsError extends Error {
  constructor(max: number) {
    super(`${max} runs are already running; wait for one to finish or cancel one`);
    this.name = "TooManyRunsError";
  }
}

export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private readonly store: Store;
  private readonly simulate: SimulateFn;
  private readonly timeoutMs: number;
  readonly maxActive: number;

  constructor(options: RunManagerOptions) {
    this.store = options.store;
    this.simulate = options.simulate;
    this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
    this.maxActive = options.maxActive ?? 2;
  }

  /** Saves the run as "running" and starts it; returns at once. */
  start(model: Model, run: NewRun, report?: readonly string[], draws: DrawOptions = {}): RunRecord {
    if (this.active.size >= this.maxActive) throw new TooManyRunsError(this.maxActive);
    const record = this.store.createRun(run);
    const controller = new AbortController();
    const entry: ActiveRun = {
      controller,
      progress: { pathsDone: 0, pathsTotal: run.paths },
      reason: null,
      finished: Promise.resolve(),
    };
    const timer = setTimeout(() => {
      entry.reason = "timeout";
      controller.abort();
    }, this.timeoutMs);
    const options: SimulateOptions = {
      paths: run.paths,
      seed: run.seed,
      levers: [...run.levers],
      fixed: { ...run.fixed },
      signal: controller.signal,
      onProgress: (pathsDone, pathsTotal) => {
        entry.progress = { pathsDone, pathsTotal };
      },
      ...(report ? { report } : {}),
      ...draws,
    };
    entry.finished = (async () => {
      try {
        // A rejected or throwing engine must not take the server down: the run is marked failed.
        const result = await this.simulate(model, options);
        const status = entry.reason === "cancelled" ? "cancelled" : entry.reason === "timeout" ? "failed" : "done";
        const error = entry.reason === "timeout" ? `stopped after ${this.timeoutMs} ms (time limit)` : null;
        this.store.finishRun(record.id, status, stripCaptures(result), error);
      } catch (err) {
        const status = entry.reason === "cancelled" ? "cancelled" : "failed";
        this.store.finishRun(record.id, status, undefined, err instanceof Error ? err.message : String(err));
      } finally {
        clearTimeout(timer);
        this.active.delete(record.id);
      }
    })();
    this.active.set(record.id, entry);
    return record;
  }

  /** Progress of a running run, or undefined when it is not running. */
  progress(id: string): RunProgress | undefined {
    return this.active.get(id)?.progress;
  }

  /** Stops a running run; resolves once its partial result is saved. False when not running. */
  async cancel(id: string): Promise<boolean> {
    const entry = this.active.get(id);
    if (!entry) return false;
    entry.reason = "cancelled";
    entry.controller.abort();
    await entry.finished;
    return true;
  }

  /** Resolves when the run is no longer running. */
  async wait(id: string): Promise<void> {
    await this.active.get(id)?.finished;
  }

  /** Cancels every run (server shutdown). */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.cancel(id)));
  }
}

function stripCaptures(result: RunResult & { captures?: unknown }): RunResult {
  const { captures: _captures, ...summary } = result;
  return summary;
}
