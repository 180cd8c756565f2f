// A job thread of the server: checks a scenario's text, runs it, or builds a workbook, off the
// HTTP thread. A run reports progress on its MessagePort and stops early (a partial result) when
// the server posts "stop" there; when it cannot stop soon enough the server terminates the thread.

import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import type { MessagePort } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { flattenDiagnostic } from "../../lang/diagnostics.js";
import { checkText } from "../../lang/index.js";
import { simulate } from "../../engine/index.js";
import { ModelRuntimeError, OptionsError } from "../../engine/errors.js";
import { installNodeRunner } from "../../node/install.js";
import { runRemoteChunk } from "../../node/remote-chunk.js";
import { writeRunSummary } from "../store/summary-writer.js";
// Static: a dynamic import() inside a pooled worker does not go through tsx's loader in tests.
import { buildWorkbook } from "../../report/xlsx.js";
import {
  JOB_NICE,
  type CheckOutcome,
  type CheckTask,
  type JobTask,
  type RunOutcome,
  type RunPortMessage,
  type RunTask,
  type XlsxTask,
} from "./tasks.js";

// Job threads give way to the HTTP thread (JOB_NICE in tasks.ts).
try {
  const tid = Number(/task\/(\d+)$/.exec(readlinkSync("/proc/thread-self"))?.[1]);
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(getPriority(tid), JOB_NICE));
} catch {
  // not Linux
}

let installed = false;

function check(task: CheckTask): CheckOutcome {
  const result = checkText(task.text, task.file);
  const diagnostics = result.diagnostics.map(flattenDiagnostic);
  const model = result.model;
  const series = model?.series.length ?? 0;
  if (model && series > task.maxSeries) {
    diagnostics.push({
      code: "too_many_series",
      severity: "error",
      message: `the scenario defines ${series} series, more than the ${task.maxSeries} this server accepts`,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    });
  }
  return {
    ok: !!model && !diagnostics.some((d) => d.severity === "error"),
    diagnostics,
    levers: model?.levers.map((l) => l.name) ?? [],
    params: model?.params.map((p) => p.name) ?? [],
    series,
  };
}

async function run(task: RunTask, port: MessagePort | undefined): Promise<RunOutcome> {
  if (!installed) {
    installNodeRunner();
    installed = true;
  }
  const checked = checkText(task.text, task.file);
  if (!checked.model) return { status: "failed", error: "the scenario has errors", summaryJson: null };
  const controller = new AbortController();
  let stopped = false;
  port?.on("message", (m: RunPortMessage) => {
    if (m.type === "stop") {
      stopped = true;
      controller.abort();
    }
  });
  let last = 0;
  try {
    const result = await simulate(checked.model, {
      paths: task.request.paths,
      seed: task.request.seed,
      levers: task.request.levers,
      fixed: task.request.fixed,
      ...(task.request.sampling === undefined ? {} : { sampling: task.request.sampling }),
      ...(task.request.replicates === undefined ? {} : { replicates: task.request.replicates }),
      signal: controller.signal,
      onProgress: (pathsDone, pathsTotal) => {
        const now = Date.now();
        if (now - last < 100 && pathsDone < pathsTotal) return;
        last = now;
        port?.postMessage({ type: "progress", progress: { pathsDone, pathsTotal } } satisfies RunPortMessage);
      },
    });
    const { captures: _captures, ...summary } = result;
    const summaryJson = JSON.stringify(summary);
    const status = stopped ? "cancelled" : "done";
    if (task.save) {
      try {
        writeRunSummary(task.save.dbPath, task.save.runId, summaryJson);
        return { status, summaryJson: null };
      } catch {
        // The server's own write then reports what went wrong (a full disk: 507 and the path).
      }
    }
    return { status, summaryJson };
  } catch (err) {
    if (err instanceof ModelRuntimeError || err instanceof OptionsError)
      return { status: "failed", error: err.message, summaryJson: null };
    throw err;
  } finally {
    port?.close();
  }
}

async function xlsx(task: XlsxTask): Promise<unknown> {
  const model = task.text !== undefined ? checkText(task.text, "scenario.yaml").model : undefined;
  const buffer = (await buildWorkbook(task.result as never, model).xlsx.writeBuffer()) as ArrayBuffer;
  const bytes = new Uint8Array(buffer);
  return move({
    get [transferableSymbol]() {
      return [bytes.buffer];
    },
    get [valueSymbol]() {
      return bytes;
    },
  });
}

export default async function runJob(task: JobTask & { port?: MessagePort }): Promise<unknown> {
  switch (task.kind) {
    case "check":
      return check(task);
    case "run":
      return run(task, task.port);
    case "xlsx":
      return xlsx(task);
    case "chunk":
      return runRemoteChunk(task.task);
    case "save":
      return writeRunSummary(task.target.dbPath, task.target.runId, task.json);
    default:
      throw new Error(`internal: ${(task satisfies never as { kind: string }).kind}`);
  }
}
