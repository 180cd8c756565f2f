// A run: split paths into chunks, hand them to a runner (in-process, Node worker threads, or a
// browser Web Worker), merge what comes back, summarise. Chunks are whole blocks (chunk.ts),
// so the result is the same for any chunk size and thread count.

import type { Model } from "../lang/model.js";
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
import type { CompiledModel } from "./compile.js";
import { ModelRuntimeError, OptionsError } from "./errors.js";
import type { Capture, Sampling, SimulateOptions } from "./options.js";
import { planRun, type Plan, type RunExtent, type SamplingPlan, samplingPlan } from "./plan.js";
import type { ReplicateRange } from "./qmc/block.js";
import type { RunResult } from "./result.js";
import { summarize, type Merged } from "./summarize.js";
import { ExactSums, SketchSet } from "./stats/index.js";

export {
  MAX_PATHS,
  QMC_MAX_DIMS,
  planRun,
  qmcDimensions,
  samplingPlan,
  type Plan,
  type RunExtent,
  type SamplingPlan,
} from "./plan.js";

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
