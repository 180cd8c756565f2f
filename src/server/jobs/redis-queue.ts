// The distributed run queue: BullMQ on Redis. The server saves each admitted run in its store
// ("queued") and adds it to the outlast-runs queue under the run's id; `outlast worker`
// processes on any machine take runs from there, run them on their own job threads, report
// progress, and return the summary, which the server saves from a job thread (the HTTP thread
// writes the run's status only). A cancel sets a key the worker
// polls (a waiting run is just removed). A server restarted while its runs are on the workers
// picks them up again by id; a run Redis no longer knows is marked "interrupted".

import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { cancelKey, connectRedis, RUNS_QUEUE } from "../../node/redis.js";
import type { RunProgress } from "../records.js";
import type { RunRecord, Store } from "../store.js";
import type { Ticket } from "./admission.js";
import type { JobExecutor } from "./executor.js";
import { recordOutcome, type RunQueue } from "./queue.js";
import type { RunOutcome, RunRequest } from "./tasks.js";

/** What a run job carries to the workers. */
export interface RedisRunData {
  text: string;
  request: RunRequest;
  timeoutMs: number;
}

interface Tracked {
  progress: RunProgress;
  ticket: Ticket | undefined;
  settled: Promise<void>;
  settle: () => void;
}

export type RedisQueueFactory = (context: {
  store: Store;
  executor: JobExecutor;
  log: (m: string) => void;
}) => RunQueue;

/** Connects to Redis at `url`; the server then builds its queue with the store it opened. */
export async function openRedisQueue(url: string, timeoutMs = 10 * 60_000): Promise<RedisQueueFactory> {
  const a = await connectRedis(url);
  const b = await connectRedis(url);
  const queue = new Queue(RUNS_QUEUE, { connection: a });
  const events = new QueueEvents(RUNS_QUEUE, { connection: b });
  await events.waitUntilReady();
  return ({ store, executor, log }) => new RedisQueue([a, b], queue, events, store, executor, log, timeoutMs);
}

export class RedisQueue implements RunQueue {
  readonly kind = "redis";
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly connections: Redis[],
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly store: Store,
    private readonly executor: JobExecutor,
    private readonly log: (m: string) => void,
    private readonly timeoutMs: number,
  ) {
    events.on("active", ({ jobId }) => {
      if (this.tracked.has(jobId)) this.store.markRunning(jobId);
    });
    events.on("progress", ({ jobId, data }) => {
      const t = this.tracked.get(jobId);
      if (t && typeof data === "object" && data !== null) t.progress = data as RunProgress;
    });
    events.on("completed", ({ jobId, returnvalue }) => this.finish(jobId, returnvalue as unknown as RunOutcome));
    events.on("failed", ({ jobId, failedReason }) =>
      this.finish(jobId, { status: "failed", error: failedReason, summaryJson: null }),
    );
    void this.reattach();
  }

  private track(id: string, paths: number, ticket: Ticket | undefined): Tracked {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const t: Tracked = { progress: { pathsDone: 0, pathsTotal: paths }, ticket, settled, settle };
    this.tracked.set(id, t);
    return t;
  }

  private finish(id: string, outcome: RunOutcome): void {
    const t = this.tracked.get(id);
    if (!t) return;
    this.tracked.delete(id);
    void this.saveSummary(id, outcome).then((rest) => {
      recordOutcome(this.store, id, rest, this.log);
      t.ticket?.release();
      t.settle();
    });
  }

  /** Stores a returned summary from a job thread; what is left for the status write. */
  private async saveSummary(id: string, outcome: RunOutcome): Promise<RunOutcome> {
    if (!outcome.summaryJson || !this.store.onDisk) return outcome;
    try {
      await this.executor.saveSummary({ dbPath: this.store.dbPath, runId: id }, outcome.summaryJson);
      return { ...outcome, summaryJson: null };
    } catch {
      return outcome; // the status write stores it then, and logs a storage error such as a full disk
    }
  }

  /** Runs this store left queued or running: follow those Redis still has, close the others. */
  private async reattach(): Promise<void> {
    for (const run of this.store.unfinishedRuns()) {
      if (this.tracked.has(run.id)) continue;
      try {
        const job = await Job.fromId(this.queue, run.id);
        const state = job ? await job.getState() : "unknown";
        if (!job || state === "unknown") this.store.markInterruptedRuns([run.id]);
        else if (state === "completed") {
          this.track(run.id, run.paths, undefined);
          this.finish(run.id, job.returnvalue as RunOutcome);
        } else if (state === "failed") {
          this.track(run.id, run.paths, undefined);
          this.finish(run.id, { status: "failed", error: job.failedReason, summaryJson: null });
        } else this.track(run.id, run.paths, undefined);
      } catch (err) {
        this.log(
          `outlast serve: could not look up run ${run.id} on Redis: ${err instanceof Error ? err.message : err}`,
        );
      }
    }
  }

  submit(record: RunRecord, text: string, request: RunRequest, ticket: Ticket): void {
    this.track(record.id, request.paths, ticket);
    const data: RedisRunData = { text, request, timeoutMs: this.timeoutMs };
    this.queue
      .add("run", data, { jobId: record.id, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } })
      .catch((err: unknown) =>
        this.finish(record.id, {
          status: "failed",
          error: `could not queue the run on Redis: ${err instanceof Error ? err.message : String(err)}`,
          summaryJson: null,
        }),
      );
  }

  progress(id: string): RunProgress | undefined {
    return this.tracked.get(id)?.progress;
  }

  async cancel(id: string): Promise<boolean> {
    const t = this.tracked.get(id);
    if (!t) return false;
    const job = await Job.fromId(this.queue, id);
    const state = job ? await job.getState() : "unknown";
    if (job && (state === "waiting" || state === "delayed" || state === "prioritized")) {
      await job.remove();
      this.finish(id, { status: "cancelled", summaryJson: null });
      return true;
    }
    // Running on a worker: it polls this key and stops the run (terminating its thread).
    await this.connections[0]!.set(cancelKey(id), "1", "EX", 3600);
    await t.settled;
    return true;
  }

  async wait(id: string): Promise<void> {
    await this.tracked.get(id)?.settled;
  }

  async close(): Promise<void> {
    // Runs on the workers go on; a restarted server picks them up by id.
    await this.events.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
  }
}
