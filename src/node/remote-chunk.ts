// One chunk of a run, as a worker on another machine receives it: the scenario's text and the
// run's options (never compiled code), and the paths to run. The worker checks and compiles the
// text itself, plans the run as the caller did, and runs the chunk; the statistics come back as
// typed-array JSON and merge exactly, so the result is the bytes a local run gives.

import { checkText } from "../lang/index.js";
import { withView } from "../analysis/index.js";
import { compileModel, type CompiledModel } from "../engine/compile.js";
import { cellCount, runChunk, type ChunkError } from "../engine/chunk.js";
import { planRun } from "../engine/simulate.js";
import type { SimulateOptions } from "../engine/options.js";
import { ExactSums, SketchSet } from "../engine/stats/index.js";
import { toTypedJson } from "./typed-json.js";
import { toWire, type WireResult } from "./wire.js";

/** The options a remote chunk may carry (plain data; no per-path arrays, no callbacks). */
export type RemoteOptions = Pick<
  SimulateOptions,
  "paths" | "seed" | "horizon" | "levers" | "fixed" | "report" | "seriesScale" | "capture"
>;

export interface RemoteChunkTask {
  text: string;
  file: string;
  /** A view of the scenario to apply before compiling (`outlast run --view`). */
  view?: string;
  options: RemoteOptions;
  firstPath: number;
  pathCount: number;
}

/** The answer: a WireResult or a ChunkError, as typed-array JSON. */
export type RemoteChunkAnswer = WireResult | ChunkError;

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
  const job = {
    ...template,
    firstPath: task.firstPath,
    pathCount: task.pathCount,
    paramValues: template.paramValues.map(() => null),
  };
  const cells = cellCount(job.reported.length, job.horizon, job.shortfall);
  const r = runChunk(job, { sketch: new SketchSet(cells), sums: new ExactSums(cells) });
  return toTypedJson(r.type === "model-error" ? r : toWire(r));
}
