// Chunk results as plain typed arrays, for crossing a thread boundary, and back. The sketch goes
// as its compact state (touched pages only); every array in a wire result owns its buffer, so the
// worker can transfer them instead of copying (transferables).

import type { ChunkResult } from "../engine/chunk.js";
import { ExactSums, SketchSet, type SketchState } from "../engine/stats/index.js";

export interface WireResult extends Omit<ChunkResult, "sketch" | "sums"> {
  sketch: SketchState;
  sums: Float64Array;
}

export function toWire(r: ChunkResult): WireResult {
  return { ...r, sketch: r.sketch.toState(), sums: r.sums.toArray() };
}

export function fromWire(w: WireResult): ChunkResult {
  return { ...w, sketch: SketchSet.fromState(w.sketch), sums: ExactSums.fromArray(w.sums) };
}

/** The distinct ArrayBuffers of a wire result, for a postMessage transfer list. */
export function wireBuffers(w: WireResult): ArrayBuffer[] {
  const s = w.sketch;
  const arrays: (ArrayBufferView | null)[] = [
    s.keys,
    s.pages,
    s.center,
    s.min,
    s.max,
    s.n,
    w.sums,
    w.deathCounts,
    w.breakEvenCounts,
    w.death,
    w.shortfall,
    ...w.captures,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a !== null && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}
