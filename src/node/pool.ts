// Node's ChunkRunner: a pool of worker threads (piscina) that run chunks of paths. The engine
// sees only the ChunkRunner interface, which a browser Web Worker implements too; results come
// back as transferable typed arrays and merge exactly, so the thread count never changes a bit.

import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { ChunkError, ChunkJob, ChunkResult } from "../engine/chunk.js";
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

let shared: ThreadPool | undefined;

/** A process-wide pool, created on first use with `threads` workers (recreated if that changes). */
export async function sharedPool(threads?: number): Promise<ThreadPool> {
  const want = threads ?? availableParallelism();
  if (shared && shared.threads !== want) {
    await shared.close();
    shared = undefined;
  }
  shared ??= new ThreadPool(want);
  return shared;
}

/** Stops the shared pool so the process can exit. */
export async function closeSharedPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
