// One chunk of a run, as a worker on another machine receives it: the scenario's text and the
// run's options (never compiled code), and the paths to run. The worker checks and compiles the
// text itself, plans the run as the caller did, and runs the chunk; the statistics come back as
// typed-array JSON and merge exactly, so the result is the bytes a local run gives.
//
// The options are every plain-data option of a run (sampling and replicates included), taken
// from the very options the caller planned with, and the task carries a fingerprint of the
// caller's chunk (its kernel, draws and sampling). The worker refuses a chunk whose own plan has a
// different fingerprint, so an option that does not travel, or another outlast version, gives a
// clear error instead of a result that quietly differs from a local run.

import { createHash } from "node:crypto";
import { checkText } from "../lang/index.js";
import { withView } from "../analysis/index.js";
import { compileModel, type CompiledModel } from "../engine/compile.js";
import { cellCount, runChunk, type ChunkError, type ChunkJob } from "../engine/chunk.js";
import { planRun } from "../engine/simulate.js";
import type { SimulateOptions } from "../engine/options.js";
import { ExactSums, SketchSet } from "../engine/stats/index.js";
import { toTypedJson } from "./typed-json.js";
import { toWire, type WireResult } from "./wire.js";

/**
 * The options a remote chunk carries: all of a run's options but those that cannot cross a
 * process (callbacks, per-path arrays) or only say how this machine splits the work.
 */
export type RemoteOptions = Omit<SimulateOptions, "onProgress" | "signal" | "paramValues" | "threads" | "chunkPaths">;

/** The remote part of a run's options (whatever else the object holds stays here). */
export function remoteOptions(options: SimulateOptions): RemoteOptions {
  const {
    onProgress: _onProgress,
    signal: _signal,
    paramValues,
    threads: _threads,
    chunkPaths: _chunkPaths,
    ...rest
  } = options;
  if (paramValues !== undefined && Object.keys(paramValues).length > 0)
    throw new Error("internal: a run with per-path param values cannot be fanned out over Redis");
  return rest;
}

export interface RemoteChunkTask {
  text: string;
  file: string;
  /** A view of the scenario to apply before compiling (`outlast run --view`). */
  view?: string;
  options: RemoteOptions;
  firstPath: number;
  pathCount: number;
  /** The replicate group the paths belong to (qmc: a group that --precision added), else absent. */
  group?: { first: number; count: number };
  /** chunkFingerprint of the caller's job: the worker's own plan must match it. */
  fingerprint: string;
}

/** The answer: a WireResult or a ChunkError, as typed-array JSON. */
export type RemoteChunkAnswer = WireResult | ChunkError;

/**
 * A digest of everything in a chunk job that decides its draws and statistics, except which
 * paths it runs: the kernel, seed, horizon, levers, held params, scales, reported series,
 * captures and the sampling (method, replicates, points, dimensions and their keys).
 */
export function chunkFingerprint(job: ChunkJob): string {
  const hash = createHash("sha256");
  const q = job.qmc;
  hash.update(
    JSON.stringify([
      job.source,
      job.seed,
      job.horizon,
      job.mask,
      job.levers,
      [...job.fixed].map(String),
      [...job.scale].map(String),
      job.reported,
      job.shortfall,
      job.captures,
      job.paramCaptures,
      job.perPath,
      q === null ? null : [q.method, q.replicates, q.points, q.monthsCovered, [...q.kinds], [...q.keys]],
    ]),
  );
  return hash.digest("hex");
}

/** A worker's plan of a chunk is not the caller's. */
export class ChunkMismatchError extends Error {
  constructor() {
    super(
      "an outlast worker planned a chunk differently from this run (another outlast version, or an option it did not receive); run the same outlast version everywhere",
    );
    this.name = "ChunkMismatchError";
  }
}

const compiledByText = new Map<string, CompiledModel>();

function compiledFor(text: string, file: string, view: string | undefined): CompiledModel {
  const key = `${file}\n${view ?? ""}\n${text}`;
  let compiled = compiledByText.get(key);
  if (!compiled) {
    const checked = checkText(text, file);
    if (!checked.model)
      throw new Error(`the scenario ${file} has errors on this worker; is it the same outlast version?`);
    compiled = compileModel(view === undefined ? checked.model : withView(checked.model, view));
    if (compiledByText.size > 8) compiledByText.clear();
    compiledByText.set(key, compiled);
  }
  return compiled;
}

export function runRemoteChunk(task: RemoteChunkTask): string {
  const compiled = compiledFor(task.text, task.file, task.view);
  const plan = planRun(compiled, task.options, 1);
  const template = plan.jobs[0]!;
  if (chunkFingerprint(template) !== task.fingerprint) throw new ChunkMismatchError();
  const job = {
    ...template,
    firstPath: task.firstPath,
    pathCount: task.pathCount,
    paramValues: template.paramValues.map(() => null),
    qmc: template.qmc === null ? null : { ...template.qmc, group: task.group ?? template.qmc.group },
  };
  const cells = cellCount(job.reported.length, job.horizon, job.shortfall);
  const r = runChunk(job, { sketch: new SketchSet(cells), sums: new ExactSums(cells) });
  return toTypedJson(r.type === "model-error" ? r : toWire(r));
}
