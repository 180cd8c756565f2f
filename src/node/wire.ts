// Chunk results as plain typed arrays, for crossing a thread boundary, and back.

import type { ChunkResult } from "../engine/chunk.js";
import { ExactSums, SketchSet } from "../engine/stats/index.js";

export interface WireResult extends Omit<ChunkResult, "sketch" | "sums"> {
  sketch: { cells: number; counts: Uint32Array; min: Float64Array; max: Float64Array; n: Float64Array };
  sums: Float64Array;
}

export function toWire(r: ChunkResult): WireResult {
  const s = r.sketch;
  return {
    ...r,
    sketch: { cells: s.cells, counts: s.counts, min: s.min, max: s.max, n: s.n },
    sums: r.sums.toArray(),
  };
}

export function fromWire(w: WireResult): ChunkResult {
  const s = w.sketch;
  return {
    ...w,
    sketch: new SketchSet(s.cells, s.counts, s.min, s.max, s.n),
    sums: ExactSums.fromArray(w.sums),
  };
}
