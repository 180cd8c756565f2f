// Node's ChunkRunner: a pool of worker threads (piscina) that run chunks of paths. The engine
// sees only the ChunkRunner interface, which a browser Web Worker implements too; results come
// back as transferable typed arrays and merge exactly, so the thread count never changes a bit.

import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { runChunk, type ChunkAccumulator, type ChunkError, type ChunkJob, type ChunkResult } from "../engine/chunk.js";
import type { ChunkRunner } from "../engine/simulate.js";
import { fromWire, type WireResult } from "./wire.js";

const here = import.meta.url;
// Under tsx (tests, dev) this file is pool.ts and the worker is worker.ts; built, both are .js.
const workerFile = new URL(here.endsWith(".ts") ? "./worker.ts" : "./worker.js", here).href;

export class ThreadPool implements ChunkRunner {
  readonly threads: number;
  private readonly pool: Piscina;

  constructor(threads = availableParallelism()) {
    this.threads = Math.max(1, Math.floor(threads));
    this.pool = new Piscina({
      filename: workerFile,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 1000,
      // Workers inherit tsx's loader in dev; built code needs nothing.
      execArgv: process.execArgv,
    });
  }

  async run(job: ChunkJob): Promise<ChunkResult | ChunkError> {
    const wire = (await this.pool.run(job)) as WireResult | ChunkError;
    return wire.type === "model-error" ? wire : fromWire(wire);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
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

  constructor(threads = availableParallelism()) {
    this.size = Math.max(1, Math.floor(threads));
    this.threads = 1 + 2 * (this.size - 1);
    this.pool = this.size > 1 ? new ThreadPool(this.size - 1) : undefined;
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

/** Stops the shared pool so the process can exit. */
export async function closeSharedPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
