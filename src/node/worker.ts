// A worker thread of the pool: runs one chunk and sends back its statistics as plain typed
// arrays, which the main thread turns back into sketches and sums. The arrays are fresh
// (runChunk and toWire allocate them), so they are transferred, not cloned.

import { move, transferableSymbol, valueSymbol } from "piscina";
import { runChunk, type ChunkJob } from "../engine/chunk.js";
import { toWire, wireBuffers } from "./wire.js";

/** A ChunkError, or a WireResult wrapped by piscina's move() so its buffers are transferred. */
export default function runJob(job: ChunkJob): unknown {
  const r = runChunk(job);
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
