// Planning a run: the sampling (rqmc and lhs replicates of a power of two of points), the
// options checked against the model, the kernel asked for, and the paths split into chunk jobs
// (a whole run, or what a longer run adds to a shorter one: more points, more replicates).

import type { Model } from "../lang/model.js";
import { ScenarioError } from "../lang/diagnostics.js";
import { BLOCK, MAX_REPLICATES, type ChunkJob } from "./chunk.js";
import { compileModel, type CompiledModel } from "./compile.js";
import { OptionsError, listChoices } from "./errors.js";
import { estimateRunBytes, memoryLimit, memoryRefusal } from "./memory.js";
import {
  DEFAULT_REPLICATES,
  DEFAULT_SAMPLING,
  MIN_REPLICATES,
  SAMPLINGS,
  type Sampling,
  type SimulateOptions,
} from "./options.js";
import type { ReplicateRange } from "./qmc/block.js";
import { SOBOL_MAX_DIMS } from "./qmc/sobol.js";

/** Largest number of paths one run accepts. */
export const MAX_PATHS = 100_000_000;

export function asCompiled(m: Model | CompiledModel): CompiledModel {
  return "kind" in m && m.kind === "compiled" ? m : compileModel(m as Model);
}

/** Most coordinates a QMC point gets (its block buffer holds 1,024 paths × this many doubles). */
export const QMC_MAX_DIMS = 4096;

/** A run's sampling: the method, its replicates (0 for mc) and points per replicate. */
export interface SamplingPlan {
  sampling: Sampling;
  replicates: number;
  /** Points per replicate (a power of two; the paths for mc). */
  points: number;
  /** Paths the run takes: replicates × points (the paths asked for, for mc). */
  paths: number;
}

/**
 * The sampling of a run asking for `paths` paths: for rqmc and lhs, R replicates of N points,
 * N the power of two nearest to paths/R on a log scale (at least 1, and R·N ≤ MAX_PATHS).
 */
export function samplingPlan(paths: number, sampling: Sampling = DEFAULT_SAMPLING, replicates?: number): SamplingPlan {
  if (!SAMPLINGS.includes(sampling))
    throw new OptionsError(`unknown sampling '${String(sampling)}'; expected one of ${listChoices(SAMPLINGS)}`);
  if (sampling === "mc") return { sampling, replicates: 0, points: paths, paths };
  const R = replicates ?? DEFAULT_REPLICATES;
  if (!Number.isInteger(R) || R < MIN_REPLICATES || R > MAX_REPLICATES)
    throw new OptionsError(`replicates must be a whole number from ${MIN_REPLICATES} to ${MAX_REPLICATES}, got ${R}`);
  let k = Math.max(0, Math.round(Math.log2(Math.max(1, paths / R))));
  while (R * 2 ** k > MAX_PATHS && k > 0) k--;
  // 1 << k, not 2 ** k: V8 keeps a shifted power of two (and every path number made from it) a
  // small integer, where 2 ** k is a heap number, which the chunk code optimised for small
  // integers is thrown away for (k ≤ 23: R ≥ 8 and R·N ≤ MAX_PATHS).
  const N = 1 << k;
  return { sampling, replicates: R, points: N, paths: R * N };
}

/** How many of a run's draw dimensions read QMC coordinates, and how many fall back to the counter streams. */
export function qmcDimensions(compiled: CompiledModel, horizon: number): { qmc: number; fallback: number } {
  const { pathKinds, monthKinds } = compiled.qmcLayout();
  const all = pathKinds.length + horizon * monthKinds.length;
  const months = monthsCovered(pathKinds.length, monthKinds.length, horizon);
  const qmc = pathKinds.length + months * monthKinds.length;
  return { qmc, fallback: all - qmc };
}

/** The scramble key of a month site's draw in month t. */
function monthKey(site: number, t: number): number {
  let x = (site + Math.imul(t, 0x9e3779b9)) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  return Math.imul(x, 0x846ca68b | 0) ^ (x >>> 16);
}

function monthsCovered(pathDims: number, monthSites: number, horizon: number): number {
  const cap = Math.min(QMC_MAX_DIMS, SOBOL_MAX_DIMS);
  if (monthSites === 0) return horizon;
  return Math.max(0, Math.min(horizon, Math.floor((cap - pathDims) / monthSites)));
}

export interface Plan {
  compiled: CompiledModel;
  options: SimulateOptions;
  sampling: SamplingPlan;
  horizon: number;
  jobs: ChunkJob[];
  levers: string[];
  reported: string[];
}

/**
 * What a run already holds when a longer one extends it: its paths (mc), or its points per
 * replicate and its replicate groups (rqmc: the first R replicates, then each group --precision
 * added).
 */
export interface RunExtent {
  paths: number;
  points: number;
  groups: readonly ReplicateRange[];
}

/**
 * The positions a plan runs, range by range: [from, to) of a replicate group (qmc), or of the
 * run's paths (mc, group null). A whole run is one range; an extended run runs each old group's
 * new points and, when replicates were added, the new group's.
 */
function rangesToRun(
  paths: number,
  sampling: SamplingPlan,
  from: RunExtent | undefined,
): { group: ReplicateRange | null; from: number; to: number }[] {
  if (sampling.sampling === "mc") {
    const start = from?.paths ?? 0;
    if (!(start % BLOCK === 0 && start >= 0 && start <= paths))
      throw new Error(`internal: a run can only start at a whole block, not path ${start}`);
    return [{ group: null, from: start, to: paths }];
  }
  const N = sampling.points;
  if (from === undefined) return [{ group: { first: 0, count: sampling.replicates }, from: 0, to: paths }];
  const had = from.groups.reduce((n, g) => n + g.count, 0);
  if (!(from.points <= N && had <= sampling.replicates))
    throw new Error(`internal: a run of ${N} points × ${sampling.replicates} cannot extend ${from.points} × ${had}`);
  const ranges = from.groups.map((g) => ({ group: g, from: g.count * from.points, to: g.count * N }));
  if (had < sampling.replicates) {
    const count = sampling.replicates - had;
    ranges.push({ group: { first: had, count }, from: 0, to: count * N });
  }
  return ranges.filter((r) => r.to > r.from);
}

/** Validates options against the model and splits the paths into chunk jobs. */
export function planRun(m: Model | CompiledModel, options: SimulateOptions, threads = 1, from?: RunExtent): Plan {
  const compiled = asCompiled(m);
  const model = compiled.model;
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new ScenarioError(errors);
  if (!Number.isInteger(options.paths) || options.paths < 1 || options.paths > MAX_PATHS)
    throw new OptionsError(`paths must be a whole number from 1 to ${MAX_PATHS}, got ${options.paths}`);
  const sampling = samplingPlan(options.paths, options.sampling, options.replicates);
  const paths = sampling.paths;
  if (!Number.isSafeInteger(options.seed) || options.seed < 0)
    throw new OptionsError(`seed must be a whole number from 0 to 2^53 − 1, got ${options.seed}`);
  const horizon = options.horizon ?? model.horizon;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1200)
    throw new OptionsError(`horizon must be a whole number of months from 1 to 1200, got ${horizon}`);

  let mask = 0;
  const levers = [...(options.levers ?? [])];
  for (const name of levers) {
    const i = compiled.leverNames.indexOf(name);
    if (i < 0) throw new OptionsError(`unknown lever '${name}'; levers are: ${listChoices(compiled.leverNames)}`);
    mask |= 1 << i;
  }
  const paramIndex = (name: string) => {
    const i = compiled.paramNames.indexOf(name);
    if (i < 0) throw new OptionsError(`unknown param '${name}'; params are: ${listChoices(compiled.paramNames)}`);
    return i;
  };
  const seriesIndex = (name: string) => {
    const i = compiled.seriesNames.indexOf(name);
    if (i < 0) throw new OptionsError(`unknown series '${name}'; series are: ${listChoices(compiled.seriesNames)}`);
    return i;
  };
  const fixed = new Float64Array(compiled.paramNames.length).fill(NaN);
  for (const [name, value] of Object.entries(options.fixed ?? {})) {
    if (!Number.isFinite(value)) throw new OptionsError(`param '${name}' cannot be held at ${value}`);
    fixed[paramIndex(name)] = value;
  }
  const values: (Float64Array | null)[] = compiled.paramNames.map(() => null);
  for (const [name, arr] of Object.entries(options.paramValues ?? {})) {
    if (arr.length !== paths) throw new OptionsError(`paramValues.${name} has ${arr.length} values for ${paths} paths`);
    values[paramIndex(name)] = arr;
  }
  const scale = new Float64Array(compiled.seriesNames.length).fill(1);
  for (const [name, value] of Object.entries(options.seriesScale ?? {})) {
    if (!Number.isFinite(value)) throw new OptionsError(`series '${name}' cannot be scaled by ${value}`);
    scale[seriesIndex(name)] = value;
  }
  const reported = [...(options.report ?? model.reported)];
  const reportedIdx = reported.map(seriesIndex);
  const seriesCaptures: { series: number; month: number }[] = [];
  const paramCaptures: number[] = [];
  let perPath = false;
  for (const c of options.capture ?? []) {
    if (c.kind === "series") {
      if (!Number.isInteger(c.month) || c.month < 1 || c.month > horizon)
        throw new OptionsError(`capture month must be 1..${horizon}, got ${c.month}`);
      seriesCaptures.push({ series: seriesIndex(c.name), month: c.month });
    } else if (c.kind === "param") {
      paramCaptures.push(paramIndex(c.name));
    } else {
      perPath = true;
      if (c.kind === "shortfall" && model.shortfall === undefined)
        throw new OptionsError("the scenario has no shortfall series (name one with `shortfall:` or call it cash)");
      if (c.kind === "alive" && (!Number.isInteger(c.month) || c.month < 0 || c.month > horizon))
        throw new OptionsError(`alive@month must be 0..${horizon}, got ${c.month}`);
    }
  }

  const memoryPlan = {
    paths,
    horizon,
    reportedSeries: reportedIdx.length,
    seriesCaptures: seriesCaptures.length + paramCaptures.length,
    perPath,
    chunksInFlight: Math.max(1, threads) * 2,
  };
  const need = estimateRunBytes(memoryPlan);
  if (need > memoryLimit()) throw new OptionsError(memoryRefusal(memoryPlan, need));

  const source = compiled.kernelSource({
    scaled: Object.values(options.seriesScale ?? {}).some((x) => x !== 1),
    reported: reportedIdx,
    captures: seriesCaptures.length > 0,
    // Every run with per-path outputs (an analysis' variant) gets the kernel that can return its
    // params too, so a lever analysis' first combination (which does) and the others (which do
    // not) share one kernel: each compilation of a large kernel costs a few unoptimised blocks.
    paramCaptures: paramCaptures.length > 0 || seriesCaptures.length > 0 || perPath,
    qmc: sampling.sampling !== "mc",
  });
  let qmc: ChunkJob["qmc"] = null;
  if (sampling.sampling !== "mc") {
    const { pathKinds, monthKinds, pathKeys, monthKeys } = compiled.qmcLayout();
    if (pathKinds.length > QMC_MAX_DIMS)
      throw new OptionsError(
        `the scenario has ${pathKinds.length} draws per path; rqmc and lhs take at most ${QMC_MAX_DIMS}: use --sampling mc`,
      );
    const months = monthsCovered(pathKinds.length, monthKinds.length, horizon);
    const kinds = new Uint8Array(pathKinds.length + months * monthKinds.length);
    kinds.set(pathKinds);
    for (let t = 0; t < months; t++) kinds.set(monthKinds, pathKinds.length + t * monthKinds.length);
    // A month site's key differs month by month: its draws in two months are independent.
    const keys = new Int32Array(kinds.length);
    keys.set(pathKeys);
    for (let t = 0; t < months; t++)
      monthKeys.forEach((k, m) => (keys[pathKinds.length + t * monthKeys.length + m] = monthKey(k, t + 1)));
    qmc = {
      method: sampling.sampling,
      replicates: sampling.replicates,
      group: { first: 0, count: sampling.replicates },
      points: sampling.points,
      kinds,
      keys,
      monthsCovered: months,
    };
  }
  const ranges = rangesToRun(paths, sampling, from);
  // Blocks run from each range's start, so which paths share a block is the plan's, never the threads'.
  const blocks = ranges.reduce((n, r) => n + Math.ceil((r.to - r.from) / BLOCK), 0);
  let chunkBlocks: number;
  if (options.chunkPaths !== undefined) {
    if (!(options.chunkPaths >= 1)) throw new OptionsError(`chunkPaths must be ≥ 1, got ${options.chunkPaths}`);
    chunkBlocks = Math.ceil(options.chunkPaths / BLOCK);
  } else {
    // Enough chunks to balance the threads and show progress, few enough to keep overhead low;
    // large sketches (many reported cells) favour fewer chunks in flight.
    chunkBlocks = Math.max(1, Math.min(256, Math.ceil(blocks / Math.max(8, threads * 8))));
  }
  const jobs: ChunkJob[] = [];
  let left = blocks;
  for (const range of ranges)
    for (let firstPath = range.from; firstPath < range.to;) {
      // Guided self-scheduling: near the end chunks shrink (⌈remaining / 4·threads⌉ blocks), so
      // the threads finish together instead of one waiting for another's last large chunk.
      const size =
        options.chunkPaths !== undefined || threads <= 1
          ? chunkBlocks
          : Math.max(1, Math.min(chunkBlocks, Math.ceil(left / (4 * threads))));
      const pathCount = Math.min(size * BLOCK, range.to - firstPath);
      left -= Math.ceil(pathCount / BLOCK);
      jobs.push(chunkJob(firstPath, pathCount, range.group));
      firstPath += pathCount;
    }
  return { compiled, options: { ...options, paths }, sampling, horizon, jobs, levers, reported };

  function chunkJob(firstPath: number, pathCount: number, group: ReplicateRange | null): ChunkJob {
    return {
      source,
      seed: options.seed,
      horizon,
      mask,
      levers: compiled.leverNames.length,
      firstPath,
      pathCount,
      fixed,
      paramValues: values.map((v) => (v === null ? null : v.subarray(firstPath, firstPath + pathCount))),
      scale,
      reported: reportedIdx,
      shortfall: model.shortfall !== undefined,
      captures: seriesCaptures,
      paramCaptures,
      perPath,
      qmc: qmc === null || group === null ? qmc : qmcWith(qmc, group),
      seq: jobs.length,
    };
  }
}

/**
 * A plan's QMC job for one replicate group: the properties in the order planRun's literal has
 * them, so every job's object has one shape (a spread, `{ ...qmc, group }`, gave a second one, and
 * V8 threw away the optimised code that reads it when a run's later rounds brought it).
 */
function qmcWith(q: NonNullable<ChunkJob["qmc"]>, group: ReplicateRange): NonNullable<ChunkJob["qmc"]> {
  const { method, replicates, points, kinds, keys, monthsCovered } = q;
  return { method, replicates, group, points, kinds, keys, monthsCovered };
}
