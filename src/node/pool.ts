// Node's ChunkRunner: a pool of worker threads (piscina) that run chunks of paths. The engine
// sees only the ChunkRunner interface, which a browser Web Worker implements too; results come
// back as transferable typed arrays and merge exactly, so the thread count never changes a bit.

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { Piscina } from "piscina";
import { runChunk, type ChunkAccumulator, type ChunkError, type ChunkJob, type ChunkResult } from "../engine/chunk.js";
import { newBatch, pathsDone, runNextClaim, shutGates, stopBatch, type ChunkBatch } from "../engine/claims.js";
import type { ChunkRunner, RunHooks } from "../engine/simulate.js";
import { SketchSet, ExactSums } from "../engine/stats/index.js";
import { fromWire, type SkippedBatch, type WireBatch, type WireResult } from "./wire.js";
import type { WorkerTask } from "./worker.js";

const here = import.meta.url;
// Under tsx (tests, dev) this file is pool.ts and the worker is worker.ts; built, both are .js.
const workerFile = new URL(here.endsWith(".ts") ? "./worker.ts" : "./worker.js", here).href;

/**
 * piscina, loaded when the first pool is made: its modules and the Node built-ins they pull in
 * cost about 20 ms, which a run on one thread (or `outlast --version`) need not pay. It is a
 * CommonJS package, so it loads synchronously.
 */
let piscinaClass: typeof Piscina | undefined;
function loadPiscina(): typeof Piscina {
  piscinaClass ??= (createRequire(here)("piscina") as typeof import("piscina")).Piscina;
  return piscinaClass;
}

/** Flags that change how modules load, which a worker needs too (tsx's loader in dev and tests). */
const LOADER_FLAGS = new Set([
  "--import",
  "--require",
  "-r",
  "--loader",
  "--experimental-loader",
  "--conditions",
  "-C",
]);
const PLAIN_FLAGS = new Set(["--enable-source-maps", "--no-warnings", "--trace-warnings", "--no-deprecation"]);

/**
 * What a worker takes of this process's flags. Node refuses V8 and per-process flags in a
 * worker's execArgv (`node --max-old-space-size=8192 …` made every pooled run fail), and V8
 * flags apply to the whole process anyway; so workers get the module-loading flags, and the
 * old-generation size as a resource limit of their own.
 */
export function workerOptions(execArgv: readonly string[]): {
  execArgv: string[];
  resourceLimits?: { maxOldGenerationSizeMb: number };
} {
  const kept: string[] = [];
  let heapMb: number | undefined;
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = () => (eq < 0 ? execArgv[++i] : arg.slice(eq + 1));
    if (LOADER_FLAGS.has(name)) {
      kept.push(arg);
      if (eq < 0 && i + 1 < execArgv.length) kept.push(execArgv[++i]!);
    } else if (PLAIN_FLAGS.has(name)) kept.push(arg);
    else if (name === "--max-old-space-size" || name === "--max_old_space_size") {
      const mb = Number(value());
      if (mb > 0) heapMb = mb;
    }
  }
  return heapMb === undefined
    ? { execArgv: kept }
    : { execArgv: kept, resourceLimits: { maxOldGenerationSizeMb: heapMb } };
}

export class ThreadPool implements ChunkRunner {
  readonly threads: number;
  private readonly pool: Piscina;
  private closed = false;

  constructor(threads = availableParallelism()) {
    this.threads = Math.max(1, Math.floor(threads));
    this.pool = new (loadPiscina())({
      filename: workerFile,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 1000,
      ...workerOptions(process.execArgv),
    });
    // Answered once a worker has loaded, so that settle() (and close()) also wait for a worker
    // that no run has used yet (the process ending right after a pool was started for a run).
    for (let i = 0; i < this.threads; i++) this.task({ ping: true }).catch(() => {});
  }

  async run(job: ChunkJob): Promise<ChunkResult | ChunkError> {
    const wire = (await this.task(job)) as WireResult | ChunkError;
    return wire.type === "model-error" ? wire : fromWire(wire);
  }

  /**
   * One worker's share of a batch, as its helper `helper`: it claims chunks until none is left,
   * or claims nothing if the batch's caller shut its gate before it got there.
   */
  async runBatch(batch: ChunkBatch, helper: number): Promise<WireBatch | SkippedBatch> {
    return (await this.task({ batch, helper })) as WireBatch | SkippedBatch;
  }

  /** Tasks handed to piscina and not yet answered. */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Tasks not yet answered (a shut-out worker's late reply among them). */
  get pending(): number {
    return this.inFlight.size;
  }

  /** A task for a worker; refused after close() (piscina would start a new worker for it). */
  private task(task: WorkerTask): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("internal: a task for a closed thread pool"));
    const reply = this.pool.run(task);
    this.inFlight.add(reply);
    const done = () => this.inFlight.delete(reply);
    reply.then(done, done);
    return reply;
  }

  /**
   * Waits until every task has been answered. A worker shut out of a run while still starting
   * answers as soon as it has loaded; until then it must not be terminated: Node 20 aborts the
   * whole process (a fatal V8 error) when a worker is terminated while piscina's require() is
   * instantiating its module, which `process.exit` and `close` both do.
   */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settle();
    await this.pool.destroy();
  }
}

/** How often progress is reported while this thread waits for the workers' last chunks. */
const PROGRESS_MS = 100;

/** A HybridRunner's `threads` (chunks it keeps in flight) for `size` threads of work. */
export function hybridSlots(size: number): number {
  return 1 + 2 * (size - 1);
}

/**
 * `threads` threads of work: the calling thread plus threads − 1 workers. The calling thread
 * would otherwise sit idle waiting for results, and each worker costs a start-up (loading the
 * engine, then compiling the kernel); on a two-core machine this keeps both cores busy from the
 * first millisecond. While the calling thread runs a chunk its event loop waits, so progress and
 * Ctrl-C are seen between chunks.
 */
export class HybridRunner implements ChunkRunner {
  /** Chunks kept in flight: one on this thread, and two per worker so a worker never waits for
   * this thread's event loop (busy with its own chunk) to hand it the next one. */
  readonly threads: number;
  /** Threads doing the work. */
  readonly size: number;
  private readonly pool: ThreadPool | undefined;
  private mainBusy = false;

  /** `pool` (threads − 1 workers) is made here unless given. */
  constructor(threads = availableParallelism(), pool?: ThreadPool) {
    this.size = Math.max(1, Math.floor(threads));
    this.threads = hybridSlots(this.size);
    if (pool !== undefined && pool.threads !== this.size - 1)
      throw new Error(`internal: ${this.size} threads need a pool of ${this.size - 1} workers, not ${pool.threads}`);
    this.pool = this.size > 1 ? (pool ?? new ThreadPool(this.size - 1)) : undefined;
  }

  async run(job: ChunkJob, into?: ChunkAccumulator): Promise<ChunkResult | ChunkError> {
    if (this.mainBusy && this.pool) return this.pool.run(job);
    this.mainBusy = true;
    try {
      // Let the other dispatch loops hand their chunks to the workers before this thread blocks.
      await new Promise((resolve) => setImmediate(resolve));
      return runChunk(job, into);
    } finally {
      this.mainBusy = false;
    }
  }

  /**
   * Every thread claims chunks for itself (claims.ts): each worker gets the batch once and runs
   * until no chunk is left, adding into statistics of its own that come back merged, so it never
   * waits for this thread's event loop, busy with its own chunks, to hand it the next one. This
   * thread yields to events between its chunks, for progress and Ctrl-C. A worker still starting
   * when this thread finds no chunk left is shut out of the batch and not waited for: a small run
   * ends when its chunks do, not when a worker it never needed has loaded the engine.
   */
  async runAll(
    jobs: readonly ChunkJob[],
    into: ChunkAccumulator,
    hooks: RunHooks,
  ): Promise<(ChunkResult | ChunkError)[]> {
    if (jobs.length === 0) return [];
    const pool = this.pool;
    const helpers = pool ? this.size - 1 : 0;
    const batch = newBatch(jobs, helpers);
    const total = jobs.reduce((n, j) => n + j.pathCount, 0);
    const progress = () => hooks.onProgress?.(pathsDone(batch), total);
    const stop = () => stopBatch(batch);
    if (hooks.signal?.aborted) stop();
    hooks.signal?.addEventListener("abort", stop);
    const remote = pool ? Array.from({ length: helpers }, (_, k) => pool.runBatch(batch, k)) : [];
    // A shut-out worker's late reply (it skipped the batch) is not needed, and if the pool is
    // destroyed first (the process exits) its task is rejected: neither is an error of this run.
    // A worker that entered is awaited below, where a failure of its task is seen.
    for (const p of remote) p.catch(() => {});
    // Which workers entered the batch, known once this thread has found no chunk left.
    let joined: boolean[] = [];
    const entered = () => remote.filter((_, k) => joined[k]);
    const results: (ChunkResult | ChunkError)[] = [];
    const ticker = setInterval(progress, PROGRESS_MS);
    try {
      for (;;) {
        // Lets the pool post the batch before this thread blocks, and Ctrl-C be seen between chunks.
        await new Promise((resolve) => setImmediate(resolve));
        const r = runNextClaim(batch, into);
        if (r === undefined) break;
        results.push(r);
        progress();
      }
      joined = shutGates(batch);
      for (const w of await Promise.all(entered())) {
        if (w.type !== "batch") throw new Error("internal: a worker that entered a batch skipped it");
        const sketch = SketchSet.fromState(w.sketch);
        const sums = ExactSums.fromArray(w.sums);
        into.sketch.merge(sketch);
        into.sums.merge(sums);
        for (const r of w.results)
          results.push(r.type === "result" ? { ...r, sketch: into.sketch, sums: into.sums } : r);
      }
    } catch (e) {
      // Not a model error (those are results) but a fault: let the workers stop before reporting it.
      stop();
      if (joined.length === 0) joined = shutGates(batch);
      await Promise.allSettled(entered());
      throw e;
    } finally {
      clearInterval(ticker);
      hooks.signal?.removeEventListener("abort", stop);
    }
    progress();
    return results;
  }

  /** Waits for every worker's task to be answered (see ThreadPool.settle). */
  async settle(): Promise<void> {
    await this.pool?.settle();
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

let shared: HybridRunner | undefined;

/** A process-wide runner, created on first use with `threads` threads (recreated if that changes). */
export async function sharedPool(threads?: number): Promise<HybridRunner> {
  const want = threads ?? availableParallelism();
  if (shared && shared.size !== want) {
    await shared.close();
    shared = undefined;
  }
  shared ??= new HybridRunner(want);
  return shared;
}

/** Whether the process-wide runner exists with `threads` threads. */
export function poolRunning(threads: number): boolean {
  return shared !== undefined && shared.size === threads;
}

/** Waits until the shared pool's workers have answered every task, so the process can exit safely. */
export async function settleSharedPool(): Promise<void> {
  await shared?.settle();
}

/** Stops the shared pool so the process can exit. */
export async function closeSharedPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
