// An estimate of the memory a run needs, so a run that cannot fit is refused up front with the
// figure instead of failing half way (or swapping the machine to a halt), and `check` can warn
// that the scenario's default run would be refused, with the same figure and its cause.

import { BLOCK } from "./chunk.js";
import type { Diagnostic, Span } from "../lang/diagnostics.js";
import type { Model } from "../lang/model.js";

/**
 * Estimate of a quantile sketch cell's bytes: a cell whose values span 12 octaves (a lognormal
 * of σ = 1) holds 12 pages of 64 counts (256 bytes each), their table slots and the heap's spare
 * room (measured 5.8 KB a cell at 2,000 values; one that stays within an octave takes 0.5 KB).
 */
export const SKETCH_BYTES_PER_CELL = 6 * 1024;

/** Bytes of a cell's exact sum (an object and its few partials). */
export const SUM_BYTES_PER_CELL = 200;

/** Bytes of a cell in a thread's kernel output buffer: a row of BLOCK values and its padding. */
export const KERNEL_BYTES_PER_CELL = (BLOCK + 8) * 8;

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
  // A sketch and sums per thread, one per chunk result in flight, and the merged one.
  const statistics = cells * (SKETCH_BYTES_PER_CELL + SUM_BYTES_PER_CELL) * (p.chunksInFlight + 1);
  // Each thread's kernel writes a block of paths for every reported cell into one buffer.
  const threads = Math.max(1, Math.ceil(p.chunksInFlight / 2));
  const kernelBuffers = p.reportedSeries * p.horizon * KERNEL_BYTES_PER_CELL * threads;
  const captures = p.paths * 8 * p.seriesCaptures * 2; // per chunk, then assembled
  const perPath = p.perPath ? p.paths * 12 * 2 : 0;
  return statistics + kernelBuffers + captures + perPath;
}

/** What the estimate is mostly made of, e.g. "10,000 reported series × 1,200 months". */
export function memoryCause(p: MemoryPlan): string {
  const count = (n: number) => n.toLocaleString("en-US");
  let cause = `${count(p.reportedSeries)} reported series × ${count(p.horizon)} months`;
  if (p.seriesCaptures > 0 || p.perPath) cause += `, per-path outputs of ${count(p.paths)} paths`;
  return cause;
}

/** The refusal of a run that would not fit: its estimate, the cause, and what to do. */
export function memoryRefusal(p: MemoryPlan, bytes = estimateRunBytes(p)): string {
  return (
    `this run needs about ${formatBytes(bytes)} of memory (${memoryCause(p)}), ` +
    `more than the ${formatBytes(memoryLimit())} available; ` +
    `report fewer series (report: in the scenario, or run --report a,b), use a shorter horizon, ` +
    (p.seriesCaptures > 0 || p.perPath ? "fewer paths, " : "") +
    `or fewer threads`
  );
}

/**
 * A warning for `check` when the scenario's default run (`paths` paths over its own horizon,
 * every reported series, with the runner's `threads` — the threads planRun is given) would not
 * fit: the run would refuse it with the same estimate. undefined when it fits.
 */
export function defaultRunMemoryWarning(model: Model, paths: number, threads: number): Diagnostic | undefined {
  const plan: MemoryPlan = {
    paths,
    horizon: model.horizon,
    reportedSeries: model.reported.length,
    seriesCaptures: 0,
    perPath: false,
    chunksInFlight: 2 * Math.max(1, threads),
  };
  const bytes = estimateRunBytes(plan);
  if (!(bytes > memoryLimit())) return undefined;
  const s = model.scenario;
  const span: Span = s.report?.[0]?.span ??
    model.series.find((d) => d.name === model.reported[0])?.nameSpan ?? {
      file: s.file,
      start: { line: 1, column: 1, offset: 0 },
      end: { line: 1, column: 1, offset: 0 },
    };
  const listed = s.report === undefined ? "every series is reported (there is no report: list)" : "the report: list";
  return {
    code: "run_too_large",
    severity: "warning",
    message:
      `a run of ${paths.toLocaleString("en-US")} paths would need about ${formatBytes(bytes)} of memory ` +
      `(${memoryCause(plan)}), more than the ${formatBytes(memoryLimit())} available, and would be refused`,
    span,
    hint:
      `${listed}: name only the series you need in report: (or run with --report a,b), ` +
      `or shorten the horizon (horizon:, or run --horizon); ` +
      `each reported series costs about ${formatBytes(plan.horizon * perSeriesBytes(plan))} over ${plan.horizon.toLocaleString("en-US")} months`,
  };
}

/** Bytes one more reported series adds per month. */
function perSeriesBytes(p: MemoryPlan): number {
  const threads = Math.max(1, Math.ceil(p.chunksInFlight / 2));
  return (SKETCH_BYTES_PER_CELL + SUM_BYTES_PER_CELL) * (p.chunksInFlight + 1) + KERNEL_BYTES_PER_CELL * threads;
}

let limitBytes = Infinity;

/** Sets the memory a run may use (Node sets it from the machine's total memory). */
export function setMemoryLimit(bytes: number): void {
  limitBytes = bytes;
}

export function memoryLimit(): number {
  return limitBytes;
}

/** "1.2 GB", "340 MB", "12 KB" */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.ceil(bytes / 1e6)} MB`;
  return `${Math.ceil(bytes / 1e3)} KB`;
}
