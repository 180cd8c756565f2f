// Chunk results as plain typed arrays, for crossing a thread boundary, and back. The sketch goes
// as its compact state (touched pages only); every array in a wire result owns its buffer, so the
// worker can transfer them instead of copying (transferables).

import type { ChunkError, ChunkResult } from "../engine/chunk.js";
import { ExactSums, SketchSet, type SketchState } from "../engine/stats/index.js";

export interface WireResult extends Omit<ChunkResult, "sketch" | "sums"> {
  sketch: SketchState;
  sums: Float64Array;
}

/** A worker's share of a claimed batch: its chunks, and the statistics of all of them together. */
export interface WireBatch {
  type: "batch";
  sketch: SketchState;
  sums: Float64Array;
  results: (Omit<ChunkResult, "sketch" | "sums"> | ChunkError)[];
}

/** The reply of a helper that found its gate shut (claims.ts): the batch ran without it. */
export interface SkippedBatch {
  type: "skipped";
}

export function toWire(r: ChunkResult): WireResult {
  return { ...r, sketch: r.sketch.toState(), sums: r.sums.toArray() };
}

export function fromWire(w: WireResult): ChunkResult {
  return { ...w, sketch: SketchSet.fromState(w.sketch), sums: ExactSums.fromArray(w.sums) };
}

/** A batch's results for the wire; every result's statistics are those of `sketch` and `sums`. */
export function batchToWire(
  results: readonly (ChunkResult | ChunkError)[],
  sketch: SketchSet,
  sums: ExactSums,
): WireBatch {
  return {
    type: "batch",
    sketch: sketch.toState(),
    sums: sums.toArray(),
    results: results.map((r) => {
      if (r.type === "model-error") return r;
      const { sketch: _s, sums: _u, ...rest } = r;
      return rest;
    }),
  };
}

/** The distinct ArrayBuffers of a wire result or batch, for a postMessage transfer list. */
export function wireBuffers(w: WireResult | WireBatch): ArrayBuffer[] {
  const s = w.sketch;
  const arrays: (ArrayBufferView | null)[] = [s.keys, s.pages, s.center, s.integer, s.min, s.max, s.n, w.sums];
  for (const r of w.type === "batch" ? w.results : [w])
    if (r.type === "result")
      arrays.push(r.deathCounts, r.breakEvenCounts, r.death, r.shortfall, ...r.captures, ...r.paramCaptures);
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a !== null && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}
