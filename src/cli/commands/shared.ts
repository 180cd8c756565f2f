// Steps every simulating command shares: load and check the scenario (printing diagnostics),
// and run the engine with a progress bar and Ctrl-C handling.

import {
  simulate,
  simulateExtending,
  type ChunkRunner,
  type CompiledModel,
  type RunSoFar,
  type Summary,
} from "../../engine/index.js";
import type { SimulateOptions } from "../../engine/options.js";
import type { RunResult } from "../../engine/result.js";
import { renderDiagnostic, type Diagnostic } from "../../lang/diagnostics.js";
import type { Model } from "../../lang/model.js";
import { hasErrors, loadScenario, type LoadedScenario } from "../../io/load.js";
import { createProgress, type Progress } from "../../report/progress.js";
import { ExitError } from "../errors.js";

/** Loads a scenario; prints every diagnostic to stderr; exits 1 when any is an error. */
export function loadOrExit(pathOrName: string): LoadedScenario & { model: Model } {
  const loaded = loadScenario(pathOrName);
  for (const d of loaded.diagnostics) process.stderr.write(renderDiagnostic(d, loaded.source || undefined) + "\n");
  if (hasErrors(loaded.diagnostics) || loaded.model === undefined) {
    const errors = loaded.diagnostics.filter((d) => d.severity === "error").length;
    process.stderr.write(`${loaded.file}: ${errors || "an"} error${errors === 1 ? "" : "s"}; nothing was run\n`);
    throw new ExitError(1);
  }
  return { ...loaded, model: loaded.model };
}

export type SimulateResult = RunResult & { captures?: Float64Array[] };

/**
 * Runs a sequence of simulations under one progress bar (its total is the sum of their
 * paths). Ctrl-C stops the current run, which then returns a partial result; a second Ctrl-C exits at once.
 */
export class Runner {
  private readonly progress: Progress;
  private readonly controller = new AbortController();
  private done = 0;
  private readonly onSigint = () => {
    if (this.controller.signal.aborted) process.exit(130);
    process.stderr.write("\nstopping after the chunks in flight (Ctrl-C again to quit now)\n");
    this.controller.abort();
  };

  /**
   * `source` is the scenario text, to show the line a runtime error points at (or the texts by
   * file name, when a command runs more than one scenario).
   */
  constructor(
    totalPaths: number,
    showProgress: boolean,
    private readonly source: string | Readonly<Record<string, string>> = "",
    unit: "paths" | "share" = "paths",
  ) {
    this.progress = createProgress({ total: totalPaths, enabled: showProgress, unit });
    process.on("SIGINT", this.onSigint);
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted by Ctrl-C: pass it to long-running work so it stops after the chunks in flight. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Runs one stage of about `paths` paths under the shared bar; `tick(fraction)` moves the bar
   * within it. A runtime model error is rendered with its caret and exits 1.
   */
  async stage<T>(paths: number, work: (tick: (fraction: number) => void) => Promise<T>): Promise<T> {
    const before = this.done;
    const tick = (fraction: number) => this.progress.update(before + Math.min(1, fraction) * paths);
    try {
      return await work(tick);
    } catch (e) {
      const diagnostic = (e as { diagnostic?: Diagnostic }).diagnostic;
      if (e instanceof Error && e.name === "ModelRuntimeError" && diagnostic) {
        this.progress.stop();
        const text = typeof this.source === "string" ? this.source : this.source[diagnostic.span.file];
        process.stderr.write(renderDiagnostic(diagnostic, text) + "\n");
        throw new ExitError(1);
      }
      throw e;
    } finally {
      this.done = before + paths;
      this.progress.update(this.done);
    }
  }

  /** One simulation as a stage. */
  run(
    model: Model | CompiledModel,
    options: Omit<SimulateOptions, "onProgress" | "signal">,
    chunkRunner?: ChunkRunner,
  ): Promise<SimulateResult> {
    return this.stage(options.paths, (tick) =>
      simulate(
        model,
        {
          ...options,
          signal: this.controller.signal,
          onProgress: (pathsDone: number) => tick(pathsDone / options.paths),
        },
        chunkRunner,
      ),
    );
  }

  /** A run that adds to `soFar` (simulateExtending) as a stage of `paths` new paths. */
  runMore(
    model: Model | CompiledModel,
    options: Omit<SimulateOptions, "onProgress" | "signal">,
    soFar: RunSoFar | undefined,
    paths: number,
    chunkRunner?: ChunkRunner,
    summary: Summary = "full",
  ): Promise<{ result: SimulateResult; soFar: RunSoFar | undefined; ran: number }> {
    return this.stage(paths, (tick) =>
      simulateExtending(
        model,
        { ...options, signal: this.controller.signal, onProgress: (done: number, total: number) => tick(done / total) },
        soFar,
        chunkRunner,
        summary,
      ),
    );
  }

  close(): void {
    this.progress.stop();
    process.off("SIGINT", this.onSigint);
  }
}

/** Each series' unit as the scenario gives it (series without one are left out). */
export function seriesUnits(model: Model): Record<string, string> {
  const units: Record<string, string> = {};
  for (const s of model.series) if (s.unit !== undefined) units[s.name] = s.unit;
  return units;
}
