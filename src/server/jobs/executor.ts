// Where the server's jobs run. `ThreadExecutor` runs them on worker threads (piscina), never on
// the HTTP thread: runs on a pool of their own, checks and exports on another, so a long run never
// delays a check. A job is stopped by terminating its thread, so a time limit or a cancel holds
// even in the middle of a chunk: a run is first asked to stop (it then keeps the paths finished
// so far, a partial result) and its thread is terminated if it has not within STOP_GRACE_MS.

import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { workerOptions } from "../../node/pool.js";
import type { RemoteChunkTask } from "../../node/remote-chunk.js";
import type { RunProgress } from "../records.js";
import type { CheckOutcome, RunOutcome, RunPortMessage, RunRequest, SummaryTarget } from "./tasks.js";

/** How long a run asked to stop may take before its thread is terminated. */
export const STOP_GRACE_MS = 400;

export interface RunJob {
  /** Settles with the outcome; never rejects. */
  readonly done: Promise<RunOutcome>;
  /** Stops the run (cancelled); resolves once it has stopped. */
  cancel(): Promise<void>;
}

export interface RunJobOptions {
  timeoutMs: number;
  onProgress: (progress: RunProgress) => void;
  /**
   * The run's row in a store on disk: the job's thread writes the summary there itself, so its
   * megabytes never reach the HTTP thread (executors that cannot, ignore it and return the JSON).
   */
  saveTo?: SummaryTarget;
}

export interface JobExecutor {
  /** Checks a scenario; rejects with JobTimeoutError past `timeoutMs`. */
  check(text: string, file: string, limits: { maxSeries: number; timeoutMs: number }): Promise<CheckOutcome>;
  run(text: string, request: RunRequest, options: RunJobOptions): RunJob;
  /** The workbook of a result; rejects with JobTimeoutError past `timeoutMs`. */
  xlsx(result: unknown, text: string | undefined, timeoutMs: number): Promise<Uint8Array>;
  /** Stores a run's summary (JSON text) in a store on disk, off the HTTP thread. */
  saveSummary(target: SummaryTarget, json: string): Promise<void>;
  close(): Promise<void>;
}

export class JobTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms / 1000} s (the server's limit) and was stopped`);
    this.name = "JobTimeoutError";
  }
}

export class JobsBusyError extends Error {
  constructor() {
    super("the server is busy with other checks and exports; try again in a moment");
    this.name = "JobsBusyError";
  }
}

const here = import.meta.url;
const workerFile = new URL(here.endsWith(".ts") ? "./job-worker.ts" : "./job-worker.js", here).href;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ThreadExecutor implements JobExecutor {
  private readonly runs: Piscina;
  private readonly quick: Piscina;

  /** `runThreads`: runs at once; `quickThreads`: checks and exports at once. */
  constructor(runThreads: number, quickThreads = 2) {
    const options = { filename: workerFile, idleTimeout: 60_000, ...workerOptions(process.execArgv) };
    this.runs = new Piscina({ ...options, minThreads: 0, maxThreads: Math.max(1, runThreads) });
    this.quick = new Piscina({ ...options, minThreads: 1, maxThreads: Math.max(1, quickThreads), maxQueue: 64 });
  }

  private async timed<T>(what: string, timeoutMs: number, start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await start(controller.signal);
    } catch (err) {
      if (controller.signal.aborted) throw new JobTimeoutError(what, timeoutMs);
      if (/queue is at limit/i.test(describe(err))) throw new JobsBusyError();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  check(text: string, file: string, limits: { maxSeries: number; timeoutMs: number }): Promise<CheckOutcome> {
    return this.timed("checking the scenario", limits.timeoutMs, (signal) =>
      this.quick.run({ kind: "check", text, file, maxSeries: limits.maxSeries }, { signal }),
    );
  }

  xlsx(result: unknown, text: string | undefined, timeoutMs: number): Promise<Uint8Array> {
    return this.timed("building the workbook", timeoutMs, (signal) =>
      this.quick.run({ kind: "xlsx", result, text }, { signal }),
    );
  }

  async saveSummary(target: SummaryTarget, json: string): Promise<void> {
    await this.quick.run({ kind: "save", target, json });
  }

  /** One chunk of a fanned-out run (typed-array JSON of its wire result), on the run threads. */
  chunk(task: RemoteChunkTask, signal?: AbortSignal): Promise<string> {
    return this.runs.run({ kind: "chunk", task }, signal ? { signal } : {}) as Promise<string>;
  }

  run(text: string, request: RunRequest, options: RunJobOptions): RunJob {
    const { port1, port2 } = new MessageChannel();
    const kill = new AbortController();
    let reason: "cancelled" | "timeout" | null = null;
    let stopped: Promise<void> | undefined;
    port1.on("message", (m: RunPortMessage) => {
      if (m.type === "progress") options.onProgress(m.progress);
    });
    const task = this.runs.run(
      {
        kind: "run",
        text,
        file: "scenario.yaml",
        request,
        ...(options.saveTo ? { save: options.saveTo } : {}),
        port: port2,
      },
      { signal: kill.signal, transferList: [port2] },
    ) as Promise<RunOutcome>;
    const stop = (why: "cancelled" | "timeout"): Promise<void> => {
      reason ??= why;
      stopped ??= (async () => {
        port1.postMessage({ type: "stop" } satisfies RunPortMessage);
        const grace = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
        await Promise.race([task.catch(() => undefined), grace]);
        kill.abort();
        await done;
      })();
      return stopped;
    };
    const timer = setTimeout(() => void stop("timeout"), options.timeoutMs);
    const limitMessage = `stopped after ${options.timeoutMs / 1000} s (the server's time limit for a run)`;
    const done: Promise<RunOutcome> = task.then(
      (outcome): RunOutcome => {
        if (reason === "timeout") return { status: "failed", error: limitMessage, summaryJson: outcome.summaryJson };
        if (reason === "cancelled" && outcome.status === "done") return { ...outcome, status: "cancelled" };
        return outcome;
      },
      (err: unknown): RunOutcome => {
        if (reason === "timeout") return { status: "failed", error: limitMessage, summaryJson: null };
        if (reason === "cancelled") return { status: "cancelled", summaryJson: null };
        return { status: "failed", error: `the run failed: ${describe(err)}`, summaryJson: null };
      },
    );
    void done.finally(() => {
      clearTimeout(timer);
      port1.close();
    });
    return { done, cancel: () => stop("cancelled") };
  }

  async close(): Promise<void> {
    await Promise.all([this.runs.destroy(), this.quick.destroy()]);
  }
}
