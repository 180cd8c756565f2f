// Chunks that threads claim for themselves. A run's chunk list is fixed before it starts; every
// thread (the calling one and each worker) takes the next unclaimed chunk from a counter in
// shared memory, so a worker never waits for another thread to hand it work. Each thread adds
// its chunks' statistics into statistics of its own, which merge exactly, so which thread ran
// which chunk changes no bit of the result. Works with any threads that share memory: Node's
// worker threads, or browser Web Workers on a cross-origin-isolated page.
//
// A helper thread (a worker handed the batch) may still be starting when the calling thread has
// claimed every chunk. Each helper has a gate slot: on entry the helper turns it from OPEN to
// ENTERED, and the calling thread, once it finds nothing left, turns every still-OPEN gate to
// SHUT (both compare-and-swap, so exactly one of them wins). A helper that finds its gate shut
// claims nothing and returns at once; the caller waits only for helpers that entered.

import { runChunk, type ChunkAccumulator, type ChunkError, type ChunkJob, type ChunkResult } from "./chunk.js";

/** Slots of a batch's shared Int32Array. */
const NEXT = 0; // index of the next unclaimed chunk
const STOP = 1; // 1: claim nothing more (stopped, or a chunk met a model error)
const DONE = 2; // paths finished so far, by every thread
const GATES = 3; // GATES + k: helper k's gate (OPEN, ENTERED or SHUT)
const OPEN = 0;
const ENTERED = 1;
const SHUT = 2;

/** A run's chunks, shared by the threads that claim them; structured-clonable. */
export interface ChunkBatch {
  /** The kernel source, once for every job. */
  source: string;
  jobs: Omit<ChunkJob, "source">[];
  /** [next chunk, stop, paths done, one gate per helper], on a SharedArrayBuffer. */
  claims: Int32Array;
}

/**
 * A batch of `jobs` (which all run one kernel) with fresh claim counters, and a gate for each of
 * `helpers` helper threads (numbered 0..helpers − 1).
 */
export function newBatch(jobs: readonly ChunkJob[], helpers = 0): ChunkBatch {
  const source = jobs[0]?.source ?? "";
  if (jobs.some((j) => j.source !== source)) throw new Error("internal: a batch runs one kernel");
  return {
    source,
    jobs: jobs.map((job) => {
      const { source: _, ...rest } = job;
      return rest;
    }),
    claims: new Int32Array(new SharedArrayBuffer((GATES + helpers) * Int32Array.BYTES_PER_ELEMENT)),
  };
}

/** Helper `k` enters the batch: true, unless the calling thread shut its gate (then it claims nothing). */
export function enterBatch(batch: ChunkBatch, k: number): boolean {
  if (!(Number.isInteger(k) && k >= 0 && GATES + k < batch.claims.length))
    throw new Error(`internal: no helper ${k} in this batch`);
  return Atomics.compareExchange(batch.claims, GATES + k, OPEN, ENTERED) === OPEN;
}

/**
 * The calling thread has found no chunk left: shuts the gate of every helper that has not entered,
 * and returns, for each helper, whether it entered (its share must be awaited) or not (it never will).
 */
export function shutGates(batch: ChunkBatch): boolean[] {
  const entered: boolean[] = [];
  for (let i = GATES; i < batch.claims.length; i++)
    entered.push(Atomics.compareExchange(batch.claims, i, OPEN, SHUT) === ENTERED);
  return entered;
}

/**
 * Claims the next chunk and runs it into `into`; undefined when none is left or the batch was
 * stopped. A model error stops the batch: chunks already claimed still finish, and as chunks are
 * claimed in path order, every chunk before the failing one is among them.
 */
export function runNextClaim(batch: ChunkBatch, into: ChunkAccumulator): ChunkResult | ChunkError | undefined {
  const claims = batch.claims;
  if (Atomics.load(claims, STOP) !== 0) return undefined;
  const i = Atomics.add(claims, NEXT, 1);
  const job = batch.jobs[i];
  if (job === undefined) return undefined;
  const r = runChunk({ ...job, source: batch.source }, into);
  if (r.type === "model-error") Atomics.store(claims, STOP, 1);
  else Atomics.add(claims, DONE, job.pathCount);
  return r;
}

/** Runs claims until the batch is exhausted or stopped (a worker's whole share of a run). */
export function runClaims(batch: ChunkBatch, into: ChunkAccumulator): (ChunkResult | ChunkError)[] {
  const results: (ChunkResult | ChunkError)[] = [];
  for (let r = runNextClaim(batch, into); r !== undefined; r = runNextClaim(batch, into)) {
    results.push(r);
    if (r.type === "model-error") break;
  }
  return results;
}

/** Asks every thread to claim nothing more (Ctrl-C, a cancelled request). */
export function stopBatch(batch: ChunkBatch): void {
  Atomics.store(batch.claims, STOP, 1);
}

/** Paths finished so far by all threads. */
export function pathsDone(batch: ChunkBatch): number {
  return Atomics.load(batch.claims, DONE);
}
