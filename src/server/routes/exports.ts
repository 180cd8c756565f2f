// /api/export/xlsx: the workbook of a result the page shows, with the scenario's assumptions and
// sources, built on a job thread within the server's bounds on series and months.

import type { Hono } from "hono";
import type { RunResult } from "../../engine/result.js";
import type { RouteContext } from "./context.js";
import { HttpError, jsonBody, stringField } from "./request.js";

export function exportRoutes(app: Hono, ctx: RouteContext): void {
  app.post("/api/export/xlsx", async (c) => {
    const body = await jsonBody(c);
    const result = body["result"];
    if (!isRunResult(result))
      throw new HttpError(422, "expected 'result' to be a run result (survival, runway, series)");
    const series = Object.keys(result.series).length;
    const { maxSeries, quickTimeoutMs } = ctx.limits;
    if (series > maxSeries)
      throw new HttpError(422, `the result has ${series} series, more than the ${maxSeries} an export may have`);
    if (result.horizon > 1200 || result.survival.length > 1201)
      throw new HttpError(422, "the result's horizon is over 1200 months");
    const text = stringField(body, "text", false);
    const bytes = await ctx.executor.xlsx(
      result,
      text === undefined ? undefined : ctx.boundedText(text),
      quickTimeoutMs,
    );
    const name =
      (result.scenario || "run")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "run";
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="outlast-${name}.xlsx"`,
    });
  });
}

/** Enough of a RunResult's shape for the writers not to trip over a hand-made body. */
function isRunResult(x: unknown): x is RunResult {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Record<string, unknown>;
  const runway = r["runway"] as Record<string, unknown> | null | undefined;
  return (
    typeof r["scenario"] === "string" &&
    typeof r["start"] === "string" &&
    typeof r["paths"] === "number" &&
    typeof r["horizon"] === "number" &&
    Array.isArray(r["levers"]) &&
    Array.isArray(r["survival"]) &&
    (r["survival"] as unknown[]).every((s) => typeof s === "object" && s !== null) &&
    typeof runway === "object" &&
    runway !== null &&
    Array.isArray(runway["counts"]) &&
    typeof r["series"] === "object" &&
    r["series"] !== null &&
    Object.values(r["series"] as object).every(Array.isArray)
  );
}
