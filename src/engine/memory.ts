// An estimate of the memory a run needs, so a run that cannot fit is refused up front with the
// figure instead of failing half way (or swapping the machine to a halt).

import { BLOCK } from "./chunk.js";

/** Upper estimate of a quantile sketch cell's bytes (pages of 64 buckets allocated on use). */
export const SKETCH_BYTES_PER_CELL = 16 * 1024;

export interface MemoryPlan {
  paths: number;
  horizon: number;
  reportedSeries: number;
  seriesCaptures: number;
  perPath: boolean;
  /** Chunks that can be in flight at once (threads × 2, plus the merged result). */
  chunksInFlight: number;
}

/** Bytes a run is expected to need beyond the process itself. */
export function estimateRunBytes(p: MemoryPlan): number {
  const cells = p.reportedSeries * p.horizon + 1;
  const sketches = cells * SKETCH_BYTES_PER_CELL * (p.chunksInFlight + 1);
  const kernelBuffers = p.reportedSeries * p.horizon * BLOCK * 8 * p.chunksInFlight;
  const captures = p.paths * 8 * p.seriesCaptures * 2; // per chunk, then assembled
  const perPath = p.perPath ? p.paths * 12 * 2 : 0;
  return sketches + kernelBuffers + captures + perPath;
}

let limitBytes = Infinity;

/** Sets the memory a run may use (Node sets it from the machine's total memory). */
export function setMemoryLimit(bytes: number): void {
  limitBytes = bytes;
}

export function memoryLimit(): number {
  return limitBytes;
}

/** "1.2 GB" */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.ceil(bytes / 1e6)} MB`;
}
