// The dashboard's HTTP server: a JSON API over the store and the engine, and the built page.
//
// Every request is answered, never fatal: bodies over the limit get 413, malformed JSON 400,
// a scenario with errors 422 with its diagnostics (line and column), path counts over the cap
// 422, unknown ids 404, and anything unexpected 500 from the global error handler. Writes
// must be `application/json`, which a cross-site form cannot send without a preflight.

import { serve } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { readFile, stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { flattenDiagnostic, type Diagnostic, type FlatDiagnostic } from "../lang/diagnostics.js";
import type { Model } from "../lang/model.js";
import type { RunResult } from "../engine/result.js";
import { MIN_REPLICATES, SAMPLINGS, type Sampling } from "../engine/options.js";
import { RunManager, TooManyRunsError, type SimulateFn } from "./runs.js";
import type { RunView, ScenarioListItem } from "./records.js";
import { NotFoundError, ReadOnlyError, Store } from "./store.js";

/** The checker's entry point (`checkText` from src/lang). */
export type CheckFn = (text: string, file: string) => { model?: Model; diagnostics: Diagnostic[] };

export interface AppOptions {
  store: Store;
  check: CheckFn;
  simulate: SimulateFn;
  /** The built dashboard (web/dist). Default: the package's web/dist. */
  webRoot?: string;
  /** Most paths one server run may ask for. Default 2,000,000. */
  maxPaths?: number;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Time limit of one server run, in ms. Default 10 minutes. */
  runTimeoutMs?: number;
  /** Server runs at once. Default 2. */
  maxActiveRuns?: number;
  /** Writes server errors (default console.error). */
  log?: (message: string) => void;
}

export const defaultWebRoot = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/** A diagnostic as the API sends it: flat line and column (1-based), as editors show them. */
export type ApiDiagnostic = FlatDiagnostic;
export const toApiDiagnostic = flattenDiagnostic;

class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 415 | 422 | 429,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

export function createApp(options: AppOptions): { app: Hono; runs: RunManager } {
  const { store, check } = options;
  const maxPaths = options.maxPaths ?? 2_000_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const webRoot = options.webRoot ?? defaultWebRoot;
  const log = options.log ?? ((m: string) => console.error(m));
  const runs = new RunManager({
    store,
    simulate: options.simulate,
    ...(options.runTimeoutMs !== undefined ? { timeoutMs: options.runTimeoutMs } : {}),
    ...(options.maxActiveRuns !== undefined ? { maxActive: options.maxActiveRuns } : {}),
  });
  // Runs left "running" by a server that was killed can never finish now.
  store.markInterruptedRuns();
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, ...err.extra }, err.status);
    if (err instanceof NotFoundError) return c.json({ error: err.message }, 404);
    if (err instanceof ReadOnlyError) return c.json({ error: err.message }, 403);
    if (err instanceof TooManyRunsError) return c.json({ error: err.message }, 429);
    log(`outlast serve: internal error on ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack : err}`);
    return c.json({ error: "internal server error" }, 500);
  });

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json({ error: `request body over ${maxBodyBytes} bytes` }, 413),
    }),
  );

  /** Reads a JSON object body; 415 unless sent as JSON, 400 unless it parses to an object. */
  async function jsonBody(c: Context): Promise<Record<string, unknown>> {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "send the body as application/json");
    const text = await c.req.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new HttpError(400, `malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new HttpError(400, "expected a JSON object");
    }
    return value as Record<string, unknown>;
  }

  function stringField(body: Record<string, unknown>, key: string, required: true): string;
  function stringField(body: Record<string, unknown>, key: string, required: false): string | undefined;
  function stringField(body: Record<string, unknown>, key: string, required: boolean): string | undefined {
    const value = body[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== "string") throw new HttpError(400, `expected a string for '${key}'`);
    return value;
  }

  /** Checks a scenario's text; 422 with diagnostics when it has errors. */
  function checkOrReject(text: string, file: string): Model {
    let result: ReturnType<CheckFn>;
    try {
      result = check(text, file);
    } catch (err) {
      // A checker that throws on some input is our bug, but it is still this input's answer.
      log(`outlast serve: checker threw on ${file}: ${err instanceof Error ? err.stack : err}`);
      throw new HttpError(422, "the scenario could not be checked", { diagnostics: [] });
    }
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0 || !result.model) {
      throw new HttpError(422, "the scenario has errors", { diagnostics: result.diagnostics.map(toApiDiagnostic) });
    }
    return result.model;
  }

  function nameFor(body: Record<string, unknown>, model: Model): string {
    const name = stringField(body, "name", false)?.trim() || model.scenario.name || "untitled";
    if (name.length > 200) throw new HttpError(400, "name is over 200 characters");
    return name;
  }

  // ---- scenarios ---------------------------------------------------------------------

  app.get("/api/scenarios", (c) => {
    const list = store.listScenarios(c.req.query("q"));
    const items: ScenarioListItem[] = list.map(({ text: _text, ...rest }) => rest);
    return c.json(items);
  });

  app.post("/api/scenarios", async (c) => {
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    const model = checkOrReject(text, "scenario.yaml");
    return c.json(store.createScenario(nameFor(body, model), text), 201);
  });

  app.get("/api/scenarios/:id", (c) => c.json(store.getScenario(c.req.param("id"))));

  app.put("/api/scenarios/:id", async (c) => {
    const id = c.req.param("id");
    store.getScenario(id); // 404 before 422
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    const model = checkOrReject(text, "scenario.yaml");
    return c.json(store.updateScenario(id, nameFor(body, model), text));
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

  // ---- checking ----------------------------------------------------------------------

  app.post("/api/check", async (c) => {
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    const result = check(text, stringField(body, "file", false) ?? "scenario.yaml");
    const diagnostics = result.diagnostics.map(toApiDiagnostic);
    return c.json({ ok: !diagnostics.some((d) => d.severity === "error") && !!result.model, diagnostics });
  });

  // ---- runs --------------------------------------------------------------------------

  app.post("/api/runs", async (c) => {
    const body = await jsonBody(c);
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
    const model = checkOrReject(text, "scenario.yaml");
    const known = new Set(model.levers.map((l) => l.name));
    const unknownLevers = levers.filter((l) => !known.has(l));
    if (unknownLevers.length > 0) {
      throw new HttpError(422, `unknown lever ${unknownLevers.map((l) => `'${l}'`).join(", ")}`, {
        levers: [...known],
      });
    }
    const params = new Set(model.params.map((p) => p.name));
    const unknownParams = Object.keys(fixed).filter((p) => !params.has(p));
    if (unknownParams.length > 0) {
      throw new HttpError(422, `unknown param ${unknownParams.map((p) => `'${p}'`).join(", ")}`);
    }
    const record = runs.start(
      model,
      {
        scenarioId: scenarioId ?? "unsaved",
        scenarioVersion: version,
        scenarioText: text,
        seed,
        paths,
        levers,
        fixed: fixed as Record<string, number>,
      },
      undefined,
      {
        ...(sampling === undefined ? {} : { sampling: sampling as Sampling }),
        ...(replicates === undefined ? {} : { replicates: replicates as number }),
      },
    );
    const view: RunView = { ...record, progress: runs.progress(record.id) ?? null };
    return c.json(view, 202);
  });

  app.get("/api/runs", (c) => c.json(store.listRuns(c.req.query("scenario"))));

  app.get("/api/runs/:id", (c) => {
    const id = c.req.param("id");
    const record = store.getRun(id);
    const progress = runs.progress(id) ?? {
      pathsDone: record.status === "done" ? record.paths : 0,
      pathsTotal: record.paths,
    };
    const view: RunView = { ...record, progress };
    return c.json(view);
  });

  app.delete("/api/runs/:id", async (c) => {
    const id = c.req.param("id");
    store.getRun(id);
    await runs.cancel(id);
    const view: RunView = { ...store.getRun(id), progress: null };
    return c.json(view);
  });

  // ---- exports ----------------------------------------------------------------------

  /** The workbook of a result the page shows, with the scenario's assumptions and sources. */
  app.post("/api/export/xlsx", async (c) => {
    const body = await jsonBody(c);
    const result = body["result"];
    if (!isRunResult(result))
      throw new HttpError(422, "expected 'result' to be a run result (survival, runway, series)");
    const text = stringField(body, "text", false);
    const model = text !== undefined ? check(text, "scenario.yaml").model : undefined;
    const { buildWorkbook } = await import("../report/xlsx.js");
    const bytes = await buildWorkbook(result, model).xlsx.writeBuffer();
    const name =
      (result.scenario || "run")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "run";
    return c.body(new Uint8Array(bytes as ArrayBuffer), 200, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="outlast-${name}.xlsx"`,
    });
  });

  app.all("/api/*", (c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));

  // ---- the page ----------------------------------------------------------------------

  app.get("*", async (c) => {
    // The URL path is confined to webRoot: normalised, then checked to stay inside it.
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text("bad path", 400);
    }
    if (path.includes("\0")) return c.text("bad path", 400);
    const relative = normalize(path === "/" ? "/index.html" : path).replace(/^([/\\])+/, "");
    const file = join(webRoot, relative);
    if (!file.startsWith(webRoot.endsWith(sep) ? webRoot : webRoot + sep)) return c.text("not found", 404);
    const served = (await isFile(file)) ? file : join(webRoot, "index.html");
    if (!(await isFile(served))) {
      return c.text("the dashboard is not built: run `npm run build` (it runs `vite build web`)", 503);
    }
    const bytes = await readFile(served);
    const type = contentTypes[extname(served)] ?? "application/octet-stream";
    const cache = served.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
    return c.body(bytes, 200, { "content-type": type, "cache-control": cache });
  });

  return { app, runs };
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

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export interface StartOptions extends AppOptions {
  /** Default 4873; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  runs: RunManager;
  /** Cancels runs, stops listening and closes the store. */
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export function startServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const { app, runs } = createApp(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 4873, hostname: host }, (info: AddressInfo) => {
      const shownHost = info.family === "IPv6" || host.includes(":") ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}/`,
        port: info.port,
        host: info.address,
        runs,
        close: async () => {
          await runs.cancelAll();
          await new Promise<void>((done) => {
            server.close(() => done());
            if ("closeAllConnections" in server) server.closeAllConnections();
          });
          options.store.close();
        },
      });
    });
    server.once("error", reject);
  });
}
