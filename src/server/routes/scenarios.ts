// /api/scenarios: the list (a page of summaries), one scenario, saves (each a new version),
// deletes, versions and copies; and /api/check, a scenario's diagnostics.

import type { Hono } from "hono";
import { nameFor, type RouteContext } from "./context.js";
import { HttpError, jsonBody, pageNumber, stringField } from "./request.js";

export function scenarioRoutes(app: Hono, ctx: RouteContext): void {
  const { store } = ctx;

  /** A page of summaries (id, name, version, dates); X-Total-Count and a Link to the next page. */
  app.get("/api/scenarios", (c) => {
    const limit = pageNumber(c.req.query("limit"), ctx.limits.defaultPageSize, 1, 500, "limit");
    const offset = pageNumber(c.req.query("offset"), 0, 0, Number.MAX_SAFE_INTEGER, "offset");
    const query = c.req.query("q");
    const page = store.listScenarioPage({ query, limit, offset });
    c.header("x-total-count", String(page.total));
    if (offset + page.items.length < page.total) {
      const next = new URLSearchParams({
        ...(query ? { q: query } : {}),
        limit: String(limit),
        offset: String(offset + limit),
      });
      c.header("link", `</api/scenarios?${next}>; rel="next"`);
    }
    return c.json(page.items);
  });

  app.post("/api/scenarios", async (c) => {
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    await ctx.checkOrReject(text, "scenario.yaml");
    return c.json(store.createScenario(nameFor(body, text), text), 201);
  });

  app.get("/api/scenarios/:id", (c) => c.json(store.getScenario(c.req.param("id"))));

  app.put("/api/scenarios/:id", async (c) => {
    const id = c.req.param("id");
    store.getScenario(id); // 404 before 422
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    await ctx.checkOrReject(text, "scenario.yaml");
    return c.json(store.updateScenario(id, nameFor(body, text), text));
  });

  app.delete("/api/scenarios/:id", (c) => {
    store.deleteScenario(c.req.param("id"));
    return c.body(null, 204);
  });

  app.get("/api/scenarios/:id/versions", (c) => c.json(store.listVersions(c.req.param("id"))));

  app.get("/api/scenarios/:id/versions/:version", (c) => {
    const version = Number(c.req.param("version"));
    if (!Number.isInteger(version)) throw new HttpError(404, "no such version");
    return c.json(store.getVersion(c.req.param("id"), version));
  });

  app.post("/api/scenarios/:id/copy", async (c) => {
    const id = c.req.param("id");
    store.getScenario(id);
    const hasBody = (c.req.header("content-length") ?? "0") !== "0";
    const body = hasBody ? await jsonBody(c) : {};
    const name = stringField(body, "name", false);
    return c.json(store.copyScenario(id, name), 201);
  });

  app.post("/api/check", async (c) => {
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    const outcome = await ctx.check(text, stringField(body, "file", false) ?? "scenario.yaml");
    return c.json({ ok: outcome.ok, diagnostics: outcome.diagnostics });
  });
}
