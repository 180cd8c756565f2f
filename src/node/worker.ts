// A worker thread of the pool: runs one chunk and sends back its statistics as plain typed
// arrays (structured clone), which the main thread turns back into sketches and sums.

import { runChunk, type ChunkJob } from "../engine/chunk.js";
import { toWire } from "./wire.js";

export default function runJob(job: ChunkJob) {
  const r = runChunk(job);
  return r.type === "model-error" ? r : toWire(r);
}
