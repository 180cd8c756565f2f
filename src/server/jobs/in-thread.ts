// A JobExecutor that runs its jobs on the calling thread with a checker and an engine handed to
// it: for tests of the API's own behaviour with stand-ins (test/server/fixtures/fakes.ts). The
// server itself uses ThreadExecutor; nothing here is fit for real runs.

import { flattenDiagnostic, type Diagnostic } from "../../lang/diagnostics.js";
import type { Model } from "../../lang/model.js";
import type { SimulateOptions } from "../../engine/options.js";
import type { RunResult } from "../../engine/result.js";
import type { JobExecutor, RunJob, RunJobOptions } from "./executor.js";
import { writeRunSummary } from "../store/summary-writer.js";
import type { CheckOutcome, RunOutcome, RunRequest, SummaryTarget } from "./tasks.js";

export type CheckFn = (text: string, file: string) => { model?: Model; diagnostics: Diagnostic[] };
export type SimulateFn = (model: Model, options: SimulateOptions) => Promise<RunResult>;

export class InThreadExecutor implements JobExecutor {
  constructor(
    private readonly checkFn: CheckFn,
    private readonly simulateFn: SimulateFn,
  ) {}

  async check(text: string, file: string): Promise<CheckOutcome> {
    const result = this.checkFn(text, file);
    const diagnostics = result.diagnostics.map(flattenDiagnostic);
    return {
      ok: !!result.model && !diagnostics.some((d) => d.severity === "error"),
      diagnostics,
      levers: result.model?.levers.map((l) => l.name) ?? [],
      params: result.model?.params.map((p) => p.name) ?? [],
      series: 0,
    };
  }

  async saveSummary(target: SummaryTarget, json: string): Promise<void> {
    writeRunSummary(target.dbPath, target.runId, json);
  }

  run(text: string, request: RunRequest, options: RunJobOptions): RunJob {
    const controller = new AbortController();
    let reason: "cancelled" | "timeout" | null = null;
    const timer = setTimeout(() => {
      reason = "timeout";
      controller.abort();
    }, options.timeoutMs);
    const done = (async (): Promise<RunOutcome> => {
      try {
        const model = this.checkFn(text, "scenario.yaml").model;
        if (!model) return { status: "failed", error: "the scenario has errors", summaryJson: null };
        const result = await this.simulateFn(model, {
          ...request,
          signal: controller.signal,
          onProgress: (pathsDone, pathsTotal) => options.onProgress({ pathsDone, pathsTotal }),
        });
        const summaryJson = JSON.stringify(result);
        if (reason === "timeout") return { status: "failed", error: "stopped (time limit)", summaryJson };
        return { status: reason === "cancelled" ? "cancelled" : "done", summaryJson };
      } catch (err) {
        if (reason === "cancelled") return { status: "cancelled", summaryJson: null };
        return { status: "failed", error: err instanceof Error ? err.message : String(err), summaryJson: null };
      } finally {
        clearTimeout(timer);
      }
    })();
    return {
      done,
      cancel: async () => {
        reason ??= "cancelled";
        controller.abort();
        await done;
      },
    };
  }

  async xlsx(result: unknown, text: string | undefined): Promise<Uint8Array> {
    const { buildWorkbook } = await import("../../report/xlsx.js");
    const model = text !== undefined ? this.checkFn(text, "scenario.yaml").model : undefined;
    return new Uint8Array((await buildWorkbook(result as never, model).xlsx.writeBuffer()) as ArrayBuffer);
  }

  async close(): Promise<void> {}
}
