// A worker thread of the pool: runs one chunk, or its share of a claimed batch (claims.ts), and
// sends back the statistics as plain typed arrays, which the main thread turns back into
// sketches and sums. The arrays are fresh (runChunk and toWire allocate them), so they are
// transferred, not cloned.

import { move, transferableSymbol, valueSymbol } from "piscina";
import { cellCount, runChunk, type ChunkJob } from "../engine/chunk.js";
import { enterBatch, runClaims, type ChunkBatch } from "../engine/claims.js";
import { ExactSums, SketchSet } from "../engine/stats/index.js";
import { batchToWire, toWire, wireBuffers, type SkippedBatch, type WireBatch, type WireResult } from "./wire.js";

/**
 * One sketch per worker, emptied before each task: its state is copied out (toWire) before the
 * next task starts, and reusing it spares a fresh page index and WebAssembly memory per chunk
 * (for 20 series × 120 months that is megabytes a chunk, freed only when the collector runs).
 */
let sketch: SketchSet | undefined;

function emptySketch(cells: number): SketchSet {
  if (sketch?.cells === cells) sketch.clear();
  else sketch = new SketchSet(cells);
  return sketch;
}

/** A task: one chunk, or a batch to claim chunks from as its helper `helper`. */
export type WorkerTask = ChunkJob | { batch: ChunkBatch; helper: number };

/**
 * A ChunkError, a SkippedBatch (the batch was done before this worker got to it), or a WireResult
 * or WireBatch wrapped by piscina's move() so its buffers are transferred.
 */
export default function runJob(task: WorkerTask): unknown {
  let wire: WireResult | WireBatch;
  if ("batch" in task) {
    if (!enterBatch(task.batch, task.helper)) return { type: "skipped" } satisfies SkippedBatch;
    const job = task.batch.jobs[0]!;
    const cells = cellCount(job.reported.length, job.horizon, job.shortfall);
    const into = { sketch: emptySketch(cells), sums: new ExactSums(cells) };
    wire = batchToWire(runClaims(task.batch, into), into.sketch, into.sums);
  } else {
    const cells = cellCount(task.reported.length, task.horizon, task.shortfall);
    const r = runChunk(task, { sketch: emptySketch(cells), sums: new ExactSums(cells) });
    if (r.type === "model-error") return r;
    wire = toWire(r);
  }
  return move({
    get [transferableSymbol]() {
      return wireBuffers(wire);
    },
    get [valueSymbol]() {
      return wire;
    },
  });
}
