// The run queue between the API and the engine: one interface, two back ends. `EmbeddedQueue`
// (the default) keeps its queue in the process and its state in the SQLite store: a run is saved
// "queued" when admitted, "running" when a job thread takes it, and a server that stops leaves
// it to be marked "interrupted" at the next start, never silently lost. `RedisQueue`
// (redis-queue.ts) hands runs to `outlast worker` processes through BullMQ.

import type { RunProgress } from "../records.js";
import type { RunRecord, Store } from "../store.js";
import type { JobExecutor, RunJob } from "./executor.js";
import type { Ticket } from "./admission.js";
import type { RunOutcome, RunRequest } from "./tasks.js";

export interface RunQueue {
  readonly kind: "embedded" | "redis";
  /** Queues an admitted, checked run whose record the store holds as "queued". */
  submit(record: RunRecord, text: string, request: RunRequest, ticket: Ticket): void;
  /** Progress of a queued or running run; undefined once it has finished (or is unknown). */
  progress(id: string): RunProgress | undefined;
  /** Stops a queued or running run; resolves once the store says so. False when not found. */
  cancel(id: string): Promise<boolean>;
  /** Resolves when the run has finished. */
  wait(id: string): Promise<void>;
  /** Stops taking work; runs still in this process are recorded as interrupted. */
  close(): Promise<void>;
}

export interface EmbeddedQueueOptions {
  store: Store;
  executor: JobExecutor;
  /** Runs at once. */
  maxActive: number;
  /** A run's time limit, in ms. */
  timeoutMs: number;
  log: (message: string) => void;
}

interface Waiting {
  record: RunRecord;
  text: string;
  request: RunRequest;
  ticket: Ticket;
  progress: RunProgress;
  job?: RunJob;
  settled: Promise<void>;
  settle: () => void;
}

/** Saves a run's outcome; a storage failure is logged (the run is then left for the next start). */
export function recordOutcome(store: Store, id: string, outcome: RunOutcome, log: (m: string) => void): void {
  try {
    if (outcome.status === "failed") store.finishRun(id, "failed", outcome.summaryJson ?? undefined, outcome.error);
    else store.finishRun(id, outcome.status, outcome.summaryJson ?? undefined);
  } catch (err) {
    log(`outlast serve: could not save the end of run ${id}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export class EmbeddedQueue implements RunQueue {
  readonly kind = "embedded";
  private readonly waiting: Waiting[] = [];
  private readonly active = new Map<string, Waiting>();
  private closing = false;

  constructor(private readonly options: EmbeddedQueueOptions) {}

  submit(record: RunRecord, text: string, request: RunRequest, ticket: Ticket): void {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.waiting.push({
      record,
      text,
      request,
      ticket,
      progress: { pathsDone: 0, pathsTotal: request.paths },
      settled,
      settle,
    });
    this.pump();
  }

  private pump(): void {
    while (!this.closing && this.active.size < this.options.maxActive && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      this.active.set(entry.record.id, entry);
      this.start(entry);
    }
  }

  private start(entry: Waiting): void {
    const { store, executor, log } = this.options;
    const id = entry.record.id;
    try {
      store.markRunning(id);
    } catch (err) {
      log(`outlast serve: could not mark run ${id} running: ${err instanceof Error ? err.message : String(err)}`);
    }
    entry.job = executor.run(entry.text, entry.request, {
      timeoutMs: this.options.timeoutMs,
      onProgress: (p) => (entry.progress = p),
      // The job's thread writes the summary (megabytes for a long run); this thread the status.
      ...(store.onDisk ? { saveTo: { dbPath: store.dbPath, runId: id } } : {}),
    });
    void entry.job.done.then((outcome) => {
      if (this.closing) {
        store.markInterruptedRuns([id]);
      } else {
        if (outcome.status === "done")
          entry.progress = { pathsDone: entry.request.paths, pathsTotal: entry.request.paths };
        recordOutcome(store, id, outcome, log);
      }
      this.active.delete(id);
      entry.ticket.release();
      entry.settle();
      this.pump();
    });
  }

  progress(id: string): RunProgress | undefined {
    return (this.active.get(id) ?? this.waiting.find((w) => w.record.id === id))?.progress;
  }

  async cancel(id: string): Promise<boolean> {
    const i = this.waiting.findIndex((w) => w.record.id === id);
    if (i >= 0) {
      const [entry] = this.waiting.splice(i, 1);
      this.options.store.finishRun(id, "cancelled", undefined);
      entry!.ticket.release();
      entry!.settle();
      return true;
    }
    const entry = this.active.get(id);
    if (!entry?.job) return false;
    await entry.job.cancel();
    await entry.settled;
    return true;
  }

  async wait(id: string): Promise<void> {
    await (this.active.get(id) ?? this.waiting.find((w) => w.record.id === id))?.settled;
  }

  async close(): Promise<void> {
    this.closing = true;
    // Queued runs stay "queued" in the store; the next start marks them interrupted.
    await Promise.all(
      [...this.active.values()].map(async (e) => {
        await e.job?.cancel();
        await e.settled;
      }),
    );
  }
}
