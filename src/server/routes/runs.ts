// /api/runs: submitting a run (admitted before its scenario is even checked, then queued),
// reading one with its progress, the list, and cancelling. A run's summary is sent as the bytes
// the store holds (runs.ts), never parsed and written again on this thread.

import type { Hono } from "hono";
import { MIN_REPLICATES, SAMPLINGS, type Sampling } from "../../engine/options.js";
import type { RunRequest } from "../jobs/tasks.js";
import type { RouteContext } from "./context.js";
import { clientOf, HttpError, jsonBody, jsonBytes, stringField } from "./request.js";

/** The run a POST asks for, its fields checked (422 for a value out of range). */
function runFields(body: Record<string, unknown>, maxPaths: number) {
  const paths = body["paths"] ?? 100_000;
  if (typeof paths !== "number" || !Number.isInteger(paths) || paths < 1) {
    throw new HttpError(422, "paths must be a positive integer");
  }
  if (paths > maxPaths) throw new HttpError(422, `paths ${paths} is over the cap of ${maxPaths} per run`);
  const seed = body["seed"] ?? 1;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new HttpError(422, "seed must be a non-negative integer");
  }
  const levers = body["levers"] ?? [];
  if (!Array.isArray(levers) || !levers.every((l): l is string => typeof l === "string")) {
    throw new HttpError(422, "levers must be a list of lever names");
  }
  const sampling = body["sampling"];
  if (sampling !== undefined && !(SAMPLINGS as readonly unknown[]).includes(sampling)) {
    throw new HttpError(422, "sampling must be rqmc, lhs or mc");
  }
  const replicates = body["replicates"];
  if (
    replicates !== undefined &&
    (typeof replicates !== "number" ||
      !Number.isInteger(replicates) ||
      replicates < MIN_REPLICATES ||
      replicates > 1024)
  ) {
    throw new HttpError(422, `replicates must be a whole number from ${MIN_REPLICATES} to 1024`);
  }
  const fixed = body["fixed"] ?? {};
  if (
    typeof fixed !== "object" ||
    fixed === null ||
    Array.isArray(fixed) ||
    !Object.values(fixed).every((v) => typeof v === "number" && Number.isFinite(v))
  ) {
    throw new HttpError(422, "fixed must map param names to finite numbers");
  }
  const request: RunRequest = {
    paths,
    seed,
    levers,
    fixed: fixed as Record<string, number>,
    ...(sampling === undefined ? {} : { sampling: sampling as Sampling }),
    ...(replicates === undefined ? {} : { replicates: replicates as number }),
  };
  return request;
}

export function runRoutes(app: Hono, ctx: RouteContext): void {
  const { store, queue } = ctx;

  app.post("/api/runs", async (c) => {
    const body = await jsonBody(c);
    const request = runFields(body, ctx.limits.maxPaths);

    // The scenario: a saved one (latest or a given version), a built-in, or unsaved text.
    const scenarioId = stringField(body, "scenarioId", false);
    let text: string;
    let version = 0;
    if (scenarioId !== undefined) {
      const scenario = store.getScenario(scenarioId);
      const wanted = body["version"];
      if (wanted !== undefined) {
        if (typeof wanted !== "number") throw new HttpError(400, "expected a number for 'version'");
        const v = store.getVersion(scenarioId, wanted);
        text = v.text;
        version = v.version;
      } else {
        text = scenario.text;
        version = scenario.version;
      }
    } else {
      text = stringField(body, "text", true);
    }
    ctx.boundedText(text);
    // Admission first: a run the server cannot take costs it nothing more than this.
    const ticket = ctx.admission.admit(clientOf(c), text, request.paths);
    let queued = false;
    try {
      const checked = await ctx.checkOrReject(text, "scenario.yaml");
      const known = new Set(checked.levers);
      const unknownLevers = request.levers.filter((l) => !known.has(l));
      if (unknownLevers.length > 0) {
        throw new HttpError(422, `unknown lever ${unknownLevers.map((l) => `'${l}'`).join(", ")}`, {
          levers: checked.levers,
        });
      }
      const params = new Set(checked.params);
      const unknownParams = Object.keys(request.fixed).filter((p) => !params.has(p));
      if (unknownParams.length > 0) {
        throw new HttpError(422, `unknown param ${unknownParams.map((p) => `'${p}'`).join(", ")}`);
      }
      const record = store.createRun(
        { scenarioId: scenarioId ?? "unsaved", scenarioVersion: version, scenarioText: text, ...request },
        "queued",
      );
      queue.submit(record, text, request, ticket);
      queued = true;
      return jsonBytes(c, store.getRunJson(record.id, { progress: queue.progress(record.id) ?? null }), 202);
    } finally {
      if (!queued) ticket.release();
    }
  });

  app.get("/api/runs", (c) => c.json(store.listRuns(c.req.query("scenario"))));

  app.get("/api/runs/:id", (c) => {
    const id = c.req.param("id");
    const progress =
      queue.progress(id) ??
      (() => {
        const record = store.getRun(id, false);
        return { pathsDone: record.status === "done" ? record.paths : 0, pathsTotal: record.paths };
      })();
    return jsonBytes(c, store.getRunJson(id, { progress }));
  });

  app.delete("/api/runs/:id", async (c) => {
    const id = c.req.param("id");
    store.getRun(id, false);
    await queue.cancel(id);
    return jsonBytes(c, store.getRunJson(id, { progress: null }));
  });
}
