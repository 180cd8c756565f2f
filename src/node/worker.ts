// A worker thread of the pool: runs one chunk and sends back its statistics as plain typed
// arrays, which the main thread turns back into sketches and sums. The arrays are fresh
// (runChunk and toWire allocate them), so they are transferred, not cloned.

import { move, transferableSymbol, valueSymbol } from "piscina";
import { cellCount, runChunk, type ChunkJob } from "../engine/chunk.js";
import { ExactSums, SketchSet } from "../engine/stats/index.js";
import { toWire, wireBuffers } from "./wire.js";

/**
 * One sketch per worker, emptied before each chunk: its state is copied out (toWire) before the
 * next chunk starts, and reusing it spares a fresh page index and WebAssembly memory per chunk
 * (for 20 series × 120 months that is megabytes a chunk, freed only when the collector runs).
 */
let sketch: SketchSet | undefined;

/** A ChunkError, or a WireResult wrapped by piscina's move() so its buffers are transferred. */
export default function runJob(job: ChunkJob): unknown {
  const cells = cellCount(job.reported.length, job.horizon, job.shortfall);
  if (sketch?.cells === cells) sketch.clear();
  else sketch = new SketchSet(cells);
  const r = runChunk(job, { sketch, sums: new ExactSums(cells) });
  if (r.type === "model-error") return r;
  const wire = toWire(r);
  return move({
    get [transferableSymbol]() {
      return wireBuffers(wire);
    },
    get [valueSymbol]() {
      return wire;
    },
  });
}
