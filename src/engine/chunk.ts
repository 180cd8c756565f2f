// Running one chunk of paths: the unit of work a worker thread (or a browser Web Worker, or
// the main thread) executes. A chunk is a whole number of blocks of BLOCK paths, and a block
// always covers paths [s + b·BLOCK, s + (b+1)·BLOCK) of the range the plan runs from s (path 0
// for a whole run; a replicate group's first new position for --precision's rounds): the
// kernel runs one block at a time into a reusable buffer, then each (series, month) column of
// the block is added to the chunk's quantile sketch and exact sums. Block sums are exact-summed
// and sketches merge by integer addition, so a run's statistics do not depend on how blocks were
// grouped into chunks or on the order chunks finished: the same seed gives the same bytes for
// any thread count.

import { Stream, keyAll, pathKey } from "./rng.js";
import { pw, pwf, powInt, rnd, clamp, scurve } from "./semantics.js";
import { DISTRIBUTIONS, normalFromWord, sampleStdNormal, stdNormalFromWord } from "./distributions/index.js";
import { blockWords, wordStride } from "./words.js";
import { normalCdf } from "./special.js";
import { ExactSums, SketchSet } from "./stats/index.js";
import { fillQmcBlock, quotient, type ReplicateRange } from "./qmc/block.js";
import * as inverse from "./qmc/invert.js";
import { fillLhsBlock } from "./qmc/lhs.js";
import { detachOnce } from "./wasm.js";

/** Paths per block: the unit of deterministic summation. */
export const BLOCK = 1024;

/**
 * Doubles per (series, month) row of the block output buffer: a block plus one cache line. With
 * exactly 1,024 (8 KB) every row of a path would fall in the same L1 cache set, and a kernel
 * storing 20 series × 120 months per path would evict its own lines at every store.
 */
const ROW = BLOCK + 8;

/**
 * The output buffer's shape for a chunk. Usually the kernel runs a whole block at a time and
 * the buffer is [series][month][path] in rows of ROW. With many reported cells (thousands of
 * series) that buffer is gigabytes and each path's stores land one per series on different
 * pages: the kernel then runs the block in parts of `part` paths into a buffer laid out
 * [month][series][path], so one path-month's stores fill a few hundred kilobytes in order. The
 * statistics are the same: each cell's column is added in the same order, its plain sum carried
 * from part to part.
 */
interface OutputShape {
  part: number;
  row: number;
  /** Where (series slot, month index t − 1) starts in the buffer; the kernel's stride between months. */
  base: (slot: number, t: number) => number;
  stride: number;
}

/** Output doubles above which a block runs in parts (128 MB). */
const OUTPUT_BUDGET = 16 << 20;

function outputShape(R: number, T: number): OutputShape {
  if (R * T * ROW <= OUTPUT_BUDGET)
    return { part: BLOCK, row: ROW, base: (slot, t) => (slot * T + t) * ROW, stride: ROW };
  let part = BLOCK;
  while (part > 16 && R * T * (part + 8) > OUTPUT_BUDGET) part /= 2;
  const row = part + 8;
  return { part, row, base: (slot, t) => (t * R + slot) * row, stride: R * row };
}

/** Everything a worker needs to run a chunk; structured-clonable. */
export interface ChunkJob {
  /** Kernel source from compileModel (compiled once per worker and cached). */
  source: string;
  seed: number;
  horizon: number;
  /** Bit i set: lever i on. */
  mask: number;
  /** Levers the model has (the kernel is warmed up with each one on: see warmUp). */
  levers: number;
  /**
   * First path: a multiple of BLOCK, or for a qmc job its first position in its replicate group
   * (QmcJob.group), counted from the group's first position the plan runs.
   */
  firstPath: number;
  pathCount: number;
  /** Per param: the value it is held at, or NaN. */
  fixed: Float64Array;
  /** Per param: per-path values for the paths of this chunk, or null. */
  paramValues: (Float64Array | null)[];
  /** Per series: a multiplier (1 = none). */
  scale: Float64Array;
  /** Indices of the series summarised per month, in report order. */
  reported: number[];
  /** Whether the model has a shortfall series (its per-path value gets sketch cell R·T). */
  shortfall: boolean;
  /** Series captures: the value of series `series` at `month` on every path. */
  captures: { series: number; month: number }[];
  /** Param captures: the value of these params (indices) on every path. */
  paramCaptures: number[];
  /** Return per-path death months and shortfalls (for alive/runway/shortfall captures). */
  perPath: boolean;
  /** Quasi-Monte Carlo or Latin hypercube sampling; null for the counter streams (mc). */
  qmc: QmcJob | null;
  /** The job's place in its run's plan (a model error is the one of the earliest job). */
  seq: number;
}

/** How a chunk makes its draws' coordinates (see qmc/block.ts and compile.ts's QmcLayout). */
export interface QmcJob {
  method: "rqmc" | "lhs";
  /** Independent replicates in the whole run (repDeathCounts has a row for each). */
  replicates: number;
  /**
   * The replicates this job's paths belong to: position p is point ⌊p/count⌋ of replicate
   * first + p mod count (a whole run: replicates 0..R − 1; a group added by --precision: its own).
   */
  group: ReplicateRange;
  /** Points per replicate (a power of two). */
  points: number;
  /** Kind of each dimension (1: the kernel reads Φ⁻¹(u)), path dimensions then months 1..monthsCovered. */
  kinds: Uint8Array;
  /** The scramble key of each dimension: its draw site's (and month's), so sites named alike share coordinates. */
  keys: Int32Array;
  /** Months whose draws have dimensions; later months draw from the counter streams. */
  monthsCovered: number;
}

/** What a chunk gives back; every field merges exactly. */
export interface ChunkResult {
  type: "result";
  firstPath: number;
  pathCount: number;
  sketch: SketchSet;
  sums: ExactSums;
  /** deathCounts[m] = paths whose death month is m (1..T+1). */
  deathCounts: Float64Array;
  /** breakEvenCounts[m] = paths that first broke even in month m (0 = never). */
  breakEvenCounts: Float64Array;
  /** Paths with a positive shortfall. */
  shortCount: number;
  captures: Float64Array[];
  /** One per job.paramCaptures, in that order. */
  paramCaptures: Float64Array[];
  death: Int32Array | null;
  shortfall: Float64Array | null;
  /** Per replicate r, repDeathCounts[r·(T + 2) + m] = its paths whose death month is m (qmc runs). */
  repDeathCounts: Float64Array | null;
}

/**
 * A NaN or infinity met in the model: [kind 1 param | 2 series, index, month, path, value]. The
 * path is the run's path number under mc, and pathId(point, replicate) under rqmc and lhs.
 */
export interface ChunkError {
  type: "model-error";
  at: [number, number, number, number, number];
  /** The job's seq. */
  seq: number;
}

/** Replicates a run may have at most. */
export const MAX_REPLICATES = 1024;

/**
 * A qmc path's number for its counter streams (draws past the Sobol' table) and its errors: the
 * point and the replicate, not where the path sits in the run, so a replicate added to a run
 * later draws as it would have in the first place, independent of every other.
 */
export function pathId(point: number, replicate: number): number {
  return point * MAX_REPLICATES + replicate;
}

type Kernel = (ctx: Record<string, unknown>) => void;
const kernels = new Map<string, Kernel>();

const SAMPLERS = Object.fromEntries(Object.entries(DISTRIBUTIONS).map(([name, d]) => [name, d.sample]));
const QUANTILES = Object.fromEntries(Object.entries(DISTRIBUTIONS).map(([name, d]) => [name, d.quantile]));
const LIB = {
  Stream,
  pathKey,
  keyAll,
  sample: SAMPLERS,
  quantile: QUANTILES,
  inverse,
  normalCdf,
  stdNormal: sampleStdNormal,
  normalW: normalFromWord,
  stdNormalW: stdNormalFromWord,
  blockWords,
  wordStride,
  pw,
  pwf,
  powInt,
  rnd,
  clamp,
  scurve,
};

/** Builds (once per source) the kernel function from compiled source. */
export function kernelFor(source: string): Kernel {
  let k = kernels.get(source);
  if (k === undefined) {
    detachOnce();
    // The source is generated by compile.ts from a checked AST, never from user text.
    k = new Function("lib", source)(LIB) as Kernel;
    if (kernels.size > 64) kernels.clear();
    kernels.set(source, k);
  }
  return k;
}

/** Number of sketch cells for a job: one per reported (series, month), plus one for shortfall. */
export function cellCount(reported: number, horizon: number, shortfall: boolean): number {
  return reported * horizon + (shortfall ? 1 : 0);
}

/**
 * Statistics a chunk adds into instead of fresh ones: a single-threaded run passes one for the
 * whole run, so there is nothing to allocate or merge per chunk. Adding is exact, so the result is
 * the same bytes as merging per-chunk statistics.
 */
export interface ChunkAccumulator {
  sketch: SketchSet;
  sums: ExactSums;
}

let lastOutput = new Float64Array(1);

/**
 * The block output buffer, reused from chunk to chunk (runChunk is synchronous and nothing keeps
 * the buffer): 20 series × 120 months is 20 MB, which a run would otherwise allocate and drop
 * once per chunk.
 */
function outputBuffer(doubles: number): Float64Array {
  if (lastOutput.length < doubles) lastOutput = new Float64Array(doubles);
  return lastOutput;
}

/** Where a kernel call writes: the block's output rows and per-path results. */
interface BlockBuffers {
  out: Float64Array;
  outBase: Float64Array;
  /** Doubles between a series' rows of consecutive months (OutputShape.stride). */
  stride: number;
  death: Int32Array;
  short: Float64Array;
  breakEven: Int32Array;
  caps: { series: number; month: number; values: Float64Array }[];
  /** Every param's value per path (path-major, P a path), or null when no param is captured. */
  paramOut: Float64Array | null;
}

let lastQmc = new Float64Array(1);

/** The block's QMC coordinates for paths [first, first + count) of a job (a reused buffer). */
function qmcBlock(q: QmcJob, seed: number, first: number, count: number): Float64Array {
  const need = q.kinds.length * count;
  if (lastQmc.length < need) lastQmc = new Float64Array(need);
  const seedLo = seed >>> 0;
  const seedHi = Math.floor(seed / 4294967296) >>> 0;
  if (q.method === "rqmc") return fillQmcBlock(lastQmc, q.kinds, seedLo, seedHi, q.group, first, count, q.keys);
  fillLhsBlock(lastQmc, q.kinds, seedLo, seedHi, q.replicates, q.points, first, count, q.keys);
  return lastQmc;
}

let lastIds = new Float64Array(BLOCK);

/** pathId of each of positions [first, first + count) of a qmc job's group (a reused buffer). */
function pathIds(q: QmcJob, first: number, count: number): Float64Array {
  if (lastIds.length < count) lastIds = new Float64Array(count);
  const G = q.group.count;
  let point = quotient(first, G);
  let r = first - point * G;
  for (let i = 0; i < count; i++) {
    lastIds[i] = pathId(point, q.group.first + r);
    if (++r === G) {
      r = 0;
      point++;
    }
  }
  return lastIds;
}

/** The kernel's argument for paths [from, from + count) of a job, with levers `mask` on. */
function blockContext(
  job: ChunkJob,
  from: number,
  count: number,
  mask: number,
  b: BlockBuffers,
): Record<string, unknown> {
  const q = job.qmc;
  return {
    qu: q === null ? null : qmcBlock(q, job.seed, job.firstPath + from, count),
    pid: q === null ? null : pathIds(q, job.firstPath + from, count),
    qd: q === null ? 0 : q.kinds.length,
    qt: q === null ? 0 : q.monthsCovered,
    seedLo: job.seed >>> 0,
    seedHi: Math.floor(job.seed / 4294967296) >>> 0,
    first: job.firstPath + from,
    count,
    horizon: job.horizon,
    mask,
    fixed: job.fixed,
    paramValues: job.paramValues,
    pvOffset: from,
    scale: job.scale,
    out: b.out,
    stride: b.stride,
    outBase: b.outBase,
    death: b.death,
    short: b.short,
    breakEven: b.breakEven,
    caps: b.caps,
    paramOut: b.paramOut,
    err: null,
  };
}

/**
 * The captures of a block that captures nothing: one array for every block, so the kernel's
 * context always holds the same kind of array (a new empty one per block let V8 see arrays of
 * two shapes there, and throw away runChunk's optimised code mid-run to compile it again).
 */
const NO_CAPTURES: BlockBuffers["caps"] = [];

/** Kernels already warmed up in this thread. */
const warmed = new WeakSet<Kernel>();

/**
 * Runs a new kernel once on two paths with no lever on and with each lever on alone, and for an
 * analysis' runs (those with per-path outputs) also with every param's value given per path and
 * the params' values asked back, so each of those branches has run before V8 optimises the
 * kernel. Otherwise V8 compiles the branches it has not seen as deoptimisation exits, and an
 * analysis that takes one later throws the optimised kernel away and runs blocks unoptimised
 * until it is recompiled: the 32 lever combinations of `levers` (measured: 24 optimisations of
 * the openai-2024 kernel in one run), and the Sobol runs of `sensitivity`, which pass the params'
 * values (7 blocks at 20–40 ms instead of 2.5 ms). The warm-up's output goes to the same scratch
 * buffers the chunk then overwrites; a model error in it just ends that warm-up run (the run
 * itself reports it).
 */
function warmUp(kernel: Kernel, job: ChunkJob, out: Float64Array, outBase: Float64Array, stride: number): void {
  if (warmed.has(kernel)) return;
  warmed.add(kernel);
  const count = Math.min(2, job.pathCount);
  const buffers: BlockBuffers = {
    out,
    outBase,
    stride,
    death: new Int32Array(count),
    short: new Float64Array(count),
    breakEven: new Int32Array(count),
    caps: job.captures.map((c) => ({ series: c.series, month: c.month, values: new Float64Array(count) })),
    paramOut: null,
  };
  for (let lever = -1; lever < job.levers; lever++)
    kernel(blockContext(job, 0, count, lever < 0 ? 0 : 1 << lever, buffers));
  if (!isVariant(job)) return;
  const given = job.paramValues.map(() => new Float64Array(count).fill(1));
  const paramOut = new Float64Array(count * Math.max(1, job.paramValues.length));
  kernel(blockContext({ ...job, paramValues: given }, 0, count, 0, { ...buffers, paramOut }));
}

/** A run of an analysis: it asks for per-path outputs, and more runs of other variants follow. */
function isVariant(job: ChunkJob): boolean {
  return job.perPath || job.captures.length > 0;
}

/** Runs a chunk; with `into`, its sketch and sums are added there (and the result refers to them). */
export function runChunk(job: ChunkJob, into?: ChunkAccumulator): ChunkResult | ChunkError {
  const T = job.horizon;
  const R = job.reported.length;
  const kernel = kernelFor(job.source);
  const seriesCount = job.scale.length;
  const cells = cellCount(R, T, job.shortfall);
  if (into !== undefined && (into.sketch.cells !== cells || into.sums.cells !== cells))
    throw new Error("internal: chunk accumulator has the wrong number of cells");
  const sketch = into?.sketch ?? new SketchSet(cells);
  const sums = into?.sums ?? new ExactSums(cells);
  const shape = outputShape(R, T);
  const out = outputBuffer(R * T * shape.row);
  const outWords = new Uint32Array(out.buffer);
  const outBase = new Float64Array(seriesCount).fill(-1);
  job.reported.forEach((k, slot) => (outBase[k] = shape.base(slot, 0)));
  if (job.levers > 0 || isVariant(job)) warmUp(kernel, job, out, outBase, shape.stride);
  // Each cell's plain column sum over the block, carried from part to part.
  const columnSums = new Float64Array(R * T);
  const death = new Int32Array(BLOCK);
  const short = new Float64Array(BLOCK);
  const be = new Int32Array(BLOCK);
  const deathCounts = new Float64Array(T + 2);
  const breakEvenCounts = new Float64Array(T + 1);
  const captures = job.captures.map(() => new Float64Array(job.pathCount));
  const paramCaptures = job.paramCaptures.map(() => new Float64Array(job.pathCount));
  const P = job.paramValues.length;
  const paramOut = job.paramCaptures.length > 0 ? new Float64Array(BLOCK * P) : null;
  const deathAll = job.perPath ? new Int32Array(job.pathCount) : null;
  const reps = job.qmc === null ? 0 : job.qmc.replicates;
  const repDeathCounts = reps > 0 ? new Float64Array(reps * (T + 2)) : null;
  const group = job.qmc?.group ?? { first: 0, count: 1 };
  const shortAll = job.perPath ? new Float64Array(job.pathCount) : null;
  const shortCell = R * T;
  let shortCount = 0;

  for (let from = 0; from < job.pathCount; from += BLOCK) {
    const count = Math.min(BLOCK, job.pathCount - from);
    const caps =
      job.captures.length === 0
        ? NO_CAPTURES
        : job.captures.map((c, j) => ({
            series: c.series,
            month: c.month,
            values: captures[j]!.subarray(from, from + count),
          }));
    columnSums.fill(0);
    for (let at = 0; at < count; at += shape.part) {
      const n = Math.min(shape.part, count - at);
      const ctx = blockContext(job, from + at, n, job.mask, {
        out,
        outBase,
        stride: shape.stride,
        death: death.subarray(at),
        short: short.subarray(at),
        breakEven: be.subarray(at),
        caps: caps === NO_CAPTURES ? NO_CAPTURES : caps.map((c) => ({ ...c, values: c.values.subarray(at) })),
        paramOut: paramOut === null ? null : paramOut.subarray(at * P),
      });
      kernel(ctx);
      if (ctx.err) return { type: "model-error", at: ctx.err as ChunkError["at"], seq: job.seq };
      for (let slot = 0; slot < R; slot++)
        for (let t = 0; t < T; t++) {
          const cell = slot * T + t;
          const base = shape.base(slot, t);
          columnSums[cell] = sketch.addColumnSum(cell, out, outWords, base, base + n, columnSums[cell]);
        }
    }
    for (let cell = 0; cell < R * T; cell++) sums.add(cell, columnSums[cell]!);
    job.paramCaptures.forEach((param, j) => copyParam(paramCaptures[j]!, from, paramOut!, P, param, count));
    if (job.shortfall) {
      sketch.addColumn(shortCell, short, 0, count);
      sums.add(shortCell, columnSum(short, count));
      shortCount += positives(short, count);
    }
    tallyMonths(deathCounts, death, count);
    tallyMonths(breakEvenCounts, be, count);
    if (repDeathCounts !== null) tallyReplicateDeaths(repDeathCounts, T + 2, death, count, job.firstPath + from, group);
    if (deathAll) deathAll.set(death.subarray(0, count), from);
    if (shortAll) shortAll.set(short.subarray(0, count), from);
  }
  return {
    type: "result",
    firstPath: job.firstPath,
    pathCount: job.pathCount,
    sketch,
    sums,
    deathCounts,
    breakEvenCounts,
    shortCount,
    captures,
    paramCaptures,
    death: deathAll,
    shortfall: shortAll,
    repDeathCounts,
  };
}

// A block's per-path tallies, each its own small function: V8 optimises them apart from runChunk,
// quickly and once, so they run optimised even while runChunk (large, and compiled again whenever
// a run brings it new types) waits for its optimised code.

/** counts[months[i]] += 1 for the block's paths. */
function tallyMonths(counts: Float64Array, months: Int32Array, count: number): void {
  for (let i = 0; i < count; i++) counts[months[i]!]!++;
}

/**
 * Each path's death month, counted for its replicate: the block's paths are positions
 * first.. of the job's group, whose replicates interleave (position p is replicate p mod count).
 */
function tallyReplicateDeaths(
  counts: Float64Array,
  row: number,
  death: Int32Array,
  count: number,
  first: number,
  group: ReplicateRange,
): void {
  let r = first % group.count;
  for (let i = 0; i < count; i++) {
    counts[(group.first + r) * row + death[i]!]!++;
    if (++r === group.count) r = 0;
  }
}

/** The plain sum of values[0, count). */
function columnSum(values: Float64Array, count: number): number {
  let s = 0;
  for (let i = 0; i < count; i++) s += values[i]!;
  return s;
}

/** How many of values[0, count) are positive. */
function positives(values: Float64Array, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (values[i]! > 0) n++;
  return n;
}

/** Param `param`'s values of a block (P params a path in `from`) into `to` from position `at`. */
function copyParam(to: Float64Array, at: number, from: Float64Array, P: number, param: number, count: number): void {
  for (let i = 0; i < count; i++) to[at + i] = from[i * P + param]!;
}
