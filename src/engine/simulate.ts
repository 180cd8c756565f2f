// A run: split paths into chunks, hand them to a runner (in-process, Node worker threads, or a
// browser Web Worker), merge what comes back, summarise. Chunks are whole blocks (chunk.ts),
// so the result is the same for any chunk size and thread count.

import type { Model } from "../lang/model.js";
import { ScenarioError } from "../lang/diagnostics.js";
import {
  BLOCK,
  MAX_REPLICATES,
  cellCount,
  runChunk,
  type ChunkAccumulator,
  type ChunkError,
  type ChunkJob,
  type ChunkResult,
} from "./chunk.js";
import { compileModel, type CompiledModel } from "./compile.js";
import { ModelRuntimeError, OptionsError, listChoices } from "./errors.js";
import { estimateRunBytes, memoryLimit, memoryRefusal } from "./memory.js";
import {
  DEFAULT_REPLICATES,
  DEFAULT_SAMPLING,
  MIN_REPLICATES,
  SAMPLINGS,
  type Capture,
  type Sampling,
  type SimulateOptions,
} from "./options.js";
import { SOBOL_MAX_DIMS } from "./qmc/sobol.js";
import type { RunResult } from "./result.js";
import { summarize, type Merged } from "./summarize.js";
import { ExactSums, SketchSet } from "./stats/index.js";

/** Runs chunks somewhere: in this thread, in worker threads, or in a Web Worker. */
export interface ChunkRunner {
  /** How many chunks it runs at once. */
  readonly threads: number;
  /**
   * Runs a chunk. A runner that runs it in the calling thread may add its statistics straight
   * into `into` (runChunk's accumulator), and then returns a result whose sketch is into's;
   * others ignore it and return statistics of their own, which the caller merges.
   */
  run(job: ChunkJob, into?: ChunkAccumulator): Promise<ChunkResult | ChunkError>;
  /**
   * Optional: runs all of a run's chunks at once, its threads claiming them for themselves
   * (claims.ts), so none waits to be handed work. Returns what finished; statistics are added
   * into `into` (each result's sketch and sums are into's). Stops claiming once `signal` aborts.
   */
  runAll?(jobs: readonly ChunkJob[], into: ChunkAccumulator, hooks: RunHooks): Promise<(ChunkResult | ChunkError)[]>;
}

/** What a runner reports to, and is stopped by, while it runs. */
export interface RunHooks {
  signal?: AbortSignal | undefined;
  onProgress?: ((pathsDone: number, pathsTotal: number) => void) | undefined;
}

/** Runs chunks in the calling thread. */
export const inProcessRunner: ChunkRunner = {
  threads: 1,
  run: async (job, into) => {
    // A chunk blocks this thread; letting pending events run first keeps a progress bar moving
    // and lets Ctrl-C (or a browser's cancel message) be seen between chunks.
    await yieldToEvents();
    return runChunk(job, into);
  },
};

const setImmediateIfAny = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;

/** Resolves after the events already queued have run (setImmediate in Node, a zero timeout elsewhere). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => (setImmediateIfAny ? setImmediateIfAny(resolve) : setTimeout(resolve, 0)));
}

/** A run's summary, plus the per-path captures an analysis asked for (in `capture` order). */
export type SimulationResult = RunResult & { captures?: Float64Array[] };

/** Largest number of paths one run accepts. */
export const MAX_PATHS = 100_000_000;

function asCompiled(m: Model | CompiledModel): CompiledModel {
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
  let N = 2 ** Math.max(0, Math.round(Math.log2(Math.max(1, paths / R))));
  while (R * N > MAX_PATHS && N > 1) N /= 2;
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

interface Plan {
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

/** Replicates first..first + count − 1, whose paths interleave (qmc/block.ts). */
export interface ReplicateRange {
  first: number;
  count: number;
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
      qmc: qmc === null || group === null ? qmc : { ...qmc, group },
      seq: jobs.length,
    };
  }
}

/**
 * What a finished run keeps so that a longer run of the same options adds only its new paths
 * (`--precision`): its extent, its merged statistics and its chunks' counts. A path's draws do
 * not depend on how many paths a run has (mc: counter streams of path p; rqmc: the Sobol' points
 * of its replicate, in order, and counter streams keyed by point and replicate), and chunks
 * merge exactly. So a run that doubles the points per replicate is the same bytes as a run of
 * all its paths at once; one that adds replicates (a group of its own, see RunExtent) has the
 * same paths as a run of all its replicates, summed in other blocks, so the same figures to the
 * last bits. Latin hypercube points depend on the count (each replicate's strata), so lhs runs
 * are never extended.
 */
export interface RunSoFar extends RunExtent {
  /** The options apart from the path count and replicates, as extendKey gives them. */
  readonly key: string;
  readonly acc: ChunkAccumulator;
  readonly results: readonly ChunkResult[];
  /** The last run's plan, to summarise it in full later (fullResult). */
  readonly plan: Plan;
}

/**
 * What simulateMore summarises: everything, or (`"survival"`) survival and the runway only,
 * without the series' quantiles and the shortfall, for a round whose only question is whether
 * another is needed (fullResult then gives the rest of the round that ends).
 */
export type Summary = "full" | "survival";

/** The full result of the run `soFar` holds (after rounds summarised with `"survival"`). */
export function fullResult(soFar: RunSoFar): SimulationResult {
  return finishRun(soFar.plan, [...soFar.results], false, soFar.acc);
}

/** The options that must match for a run to extend another, or undefined when it cannot. */
function extendKey(options: SimulateOptions, sampling: Sampling): string | undefined {
  if (sampling === "lhs" || (options.capture ?? []).length > 0 || options.paramValues !== undefined) return undefined;
  const { paths: _p, replicates: _r, threads: _t, chunkPaths: _c, signal: _s, onProgress: _o, ...rest } = options;
  return JSON.stringify({ ...rest, sampling });
}

/** Whether `soFar` can be extended to the run `sampling` plans (more points, replicates or both). */
function extends_(soFar: RunSoFar, sampling: SamplingPlan): boolean {
  if (sampling.sampling === "mc") return soFar.paths % BLOCK === 0 && soFar.paths <= sampling.paths;
  const had = soFar.groups.reduce((n, g) => n + g.count, 0);
  return soFar.points <= sampling.points && had <= sampling.replicates;
}

/**
 * Runs a simulation; with `soFar` (a previous run of the same options and fewer paths, a whole
 * number of blocks), only the paths after it, merged into its statistics. Returns the result,
 * what a longer run may extend (undefined when this one cannot be: lhs, captures, a partial run)
 * and how many paths this call simulated.
 */
export async function simulateMore(
  m: Model | CompiledModel,
  options: SimulateOptions,
  runner: ChunkRunner = inProcessRunner,
  soFar?: RunSoFar,
  summary: Summary = "full",
): Promise<{ result: SimulationResult; soFar: RunSoFar | undefined; ran: number }> {
  const sampling = samplingPlan(options.paths, options.sampling, options.replicates);
  const key = extendKey(options, sampling.sampling);
  const usable = soFar !== undefined && key !== undefined && soFar.key === key && extends_(soFar, sampling);
  const plan = planRun(m, options, runner.threads, usable ? soFar : undefined);
  // Statistics are merged as chunks finish (merging is exact, so the order does not matter), so
  // that only one sketch is held however many chunks a run has.
  const acc = usable ? soFar.acc : newAccumulator(plan);
  const results = runner.runAll
    ? await runner.runAll(plan.jobs, acc, { signal: options.signal, onProgress: options.onProgress })
    : await runEach(plan, runner, acc);
  const partial = results.length < plan.jobs.length && !results.some((r) => r.type === "model-error");
  if (partial && results.length === 0 && !usable)
    throw new OptionsError("the run was stopped before any path finished");
  const all = usable ? [...soFar.results, ...results] : results;
  // A run that cannot be extended (or was stopped) is summarised in full: nothing else can.
  const result = finishRun(plan, all, partial, acc, key === undefined || partial ? "full" : summary);
  const next =
    key === undefined || partial
      ? undefined
      : {
          key,
          paths: plan.sampling.paths,
          points: plan.sampling.points,
          groups: groupsAfter(usable ? soFar : undefined, plan.sampling),
          acc,
          results: all.filter((r): r is ChunkResult => r.type === "result"),
          plan,
        };
  return { result, soFar: next, ran: plan.jobs.reduce((n, j) => n + j.pathCount, 0) };
}

/** The replicate groups of a run of `sampling` that extended `before` (none for mc). */
function groupsAfter(before: RunExtent | undefined, sampling: SamplingPlan): ReplicateRange[] {
  if (sampling.sampling === "mc") return [];
  if (before === undefined) return [{ first: 0, count: sampling.replicates }];
  const had = before.groups.reduce((n, g) => n + g.count, 0);
  return had < sampling.replicates
    ? [...before.groups, { first: had, count: sampling.replicates - had }]
    : [...before.groups];
}

/**
 * Merges chunk results (in any order) and summarises them. With `accumulated`, the chunks already
 * added their sketches and sums into it (runChunk's `into`), so only the counts are merged here.
 */
export function finishRun(
  plan: Plan,
  results: (ChunkResult | ChunkError)[],
  partial: boolean,
  accumulated?: ChunkAccumulator,
  summary: Summary = "full",
): SimulationResult {
  const { compiled, horizon } = plan;
  const model = compiled.model;
  // The first path's error, whichever chunk reported first: every chunk before a failing one
  // was claimed before it, so it ran too, and the message is the same for any thread count.
  const errors = results.filter((r): r is ChunkError => r.type === "model-error");
  const first = errors.sort((a, b) => a.seq - b.seq || a.at[3] - b.at[3])[0];
  if (first) throw runtimeError(compiled, first, model.scenario.start, plan.levers, plan.sampling.replicates);
  const ok = (results as ChunkResult[]).slice().sort((a, b) => a.firstPath - b.firstPath);
  const merged: Merged = {
    paths: 0,
    ...(accumulated ?? newAccumulator(plan)),
    deathCounts: new Float64Array(horizon + 2),
    breakEvenCounts: new Float64Array(horizon + 1),
    shortCount: 0,
    replicates: plan.sampling.replicates,
    repDeathCounts: plan.sampling.replicates > 0 ? new Float64Array(plan.sampling.replicates * (horizon + 2)) : null,
  };
  for (const r of ok) {
    merged.paths += r.pathCount;
    merged.shortCount += r.shortCount;
    if (accumulated === undefined) {
      merged.sketch.merge(r.sketch);
      merged.sums.merge(r.sums);
    }
    for (let i = 0; i < merged.deathCounts.length; i++) merged.deathCounts[i]! += r.deathCounts[i]!;
    for (let i = 0; i < merged.breakEvenCounts.length; i++) merged.breakEvenCounts[i]! += r.breakEvenCounts[i]!;
    if (merged.repDeathCounts !== null && r.repDeathCounts !== null)
      // An older chunk of a run that replicates were added to has rows for fewer replicates.
      for (let i = 0; i < r.repDeathCounts.length; i++) merged.repDeathCounts[i]! += r.repDeathCounts[i]!;
  }
  const result: SimulationResult = summarize(
    model,
    plan.options,
    plan.sampling.sampling,
    horizon,
    plan.levers,
    plan.reported,
    merged,
    summary === "survival",
  );
  if (partial) result.partial = true;
  const wanted = plan.options.capture ?? [];
  if (wanted.length > 0) result.captures = assembleCaptures(wanted, ok, merged.paths, horizon);
  return result;
}

/** Empty statistics for every cell of a run. */
function newAccumulator(plan: Plan): ChunkAccumulator {
  const cells = cellCount(plan.reported.length, plan.horizon, plan.compiled.model.shortfall !== undefined);
  return { sketch: new SketchSet(cells), sums: new ExactSums(cells) };
}

function assembleCaptures(wanted: readonly Capture[], chunks: ChunkResult[], paths: number, horizon: number) {
  const out: Float64Array[] = [];
  let seriesSlot = 0;
  let paramSlot = 0;
  for (const c of wanted) {
    const arr = new Float64Array(paths);
    let offset = 0;
    for (const r of chunks) {
      const n = r.pathCount;
      switch (c.kind) {
        case "series":
          arr.set(r.captures[seriesSlot]!, offset);
          break;
        case "alive":
          for (let i = 0; i < n; i++) arr[offset + i] = r.death![i]! > c.month ? 1 : 0;
          break;
        case "runway":
          for (let i = 0; i < n; i++) arr[offset + i] = Math.min(r.death![i]!, horizon + 1);
          break;
        case "shortfall":
          arr.set(r.shortfall!, offset);
          break;
        case "param":
          arr.set(r.paramCaptures[paramSlot]!, offset);
          break;
        default:
          throw new Error(`internal: ${c satisfies never}`);
      }
      offset += n;
    }
    if (c.kind === "series") seriesSlot++;
    if (c.kind === "param") paramSlot++;
    out.push(arr);
  }
  return out;
}

function runtimeError(
  compiled: CompiledModel,
  e: ChunkError,
  start: { year: number; month: number },
  leversOn: readonly string[],
  replicates: number,
) {
  const [kind, index, month, id, value] = e.at;
  // A qmc path is named by where it sits in a run of all the replicates (point·R + replicate).
  const path = replicates > 0 ? Math.floor(id / MAX_REPLICATES) * replicates + (id % MAX_REPLICATES) : id;
  const model = compiled.model;
  const what = Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  const def = kind === 1 ? model.params[index]! : model.series[index]!;
  // The formula that ran is the latest lever's that is on and sets this name, else the base's.
  const lever = [...model.levers]
    .reverse()
    .find((l) => leversOn.includes(l.name) && l.set.some((x) => x.name === def.name));
  const set = lever?.set.find((x) => x.name === def.name);
  const noun = kind === 1 ? "param" : "series";
  const m0 = start.year * 12 + start.month - 1 + Math.max(0, month - 1);
  const when =
    kind === 1 ? "when drawn" : `at month ${month} (${Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, "0")})`;
  return new ModelRuntimeError({
    code: "non_finite",
    severity: "error",
    message: `${noun} '${def.name}' is ${what} ${when} on path ${path}${lever ? ` (as set by lever '${lever.name}')` : ""}`,
    span: set?.nameSpan ?? def.nameSpan,
    hint: "check for division by zero, log of a negative number, or a distribution with invalid arguments",
  });
}

/** Runs a simulation with a runner (default: in this thread). */
export async function simulateWith(
  m: Model | CompiledModel,
  options: SimulateOptions,
  runner: ChunkRunner = inProcessRunner,
): Promise<SimulationResult> {
  return (await simulateMore(m, options, runner)).result;
}

/** Hands a run's chunks to a runner one at a time, `runner.threads` in flight. */
async function runEach(plan: Plan, runner: ChunkRunner, acc: ChunkAccumulator): Promise<(ChunkResult | ChunkError)[]> {
  const options = plan.options;
  const results: (ChunkResult | ChunkError)[] = [];
  let next = 0;
  let done = 0;
  let stopped = false;
  const total = plan.jobs.reduce((n, j) => n + j.pathCount, 0);
  const worker = async () => {
    while (next < plan.jobs.length && !stopped) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      const job = plan.jobs[next++]!;
      let r = await runner.run(job, acc);
      if (r.type === "result" && r.sketch !== acc.sketch) {
        acc.sketch.merge(r.sketch);
        acc.sums.merge(r.sums);
        r = { ...r, sketch: acc.sketch, sums: acc.sums };
      }
      results.push(r);
      if (r.type === "model-error") stopped = true;
      done += job.pathCount;
      options.onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, runner.threads) }, worker));
  return results;
}

/** Runs a simulation synchronously in this thread (browser workers, small runs, tests). */
export function simulateInProcess(m: Model | CompiledModel, options: SimulateOptions): SimulationResult {
  const plan = planRun(m, options, 1);
  // One sketch and one set of sums for the whole run: chunks add into them instead of allocating
  // their own to be merged (the same bytes, as adding is exact).
  const into = newAccumulator(plan);
  const results: (ChunkResult | ChunkError)[] = [];
  let done = 0;
  for (const job of plan.jobs) {
    const r = runChunk(job, into);
    results.push(r);
    if (r.type === "model-error") break;
    done += job.pathCount;
    options.onProgress?.(done, plan.options.paths);
  }
  return finishRun(plan, results, false, into);
}
