// The dashboard's HTTP server: a JSON API over the store and the run queue, and the built page.
//
// The HTTP thread only parses requests and reads and writes the store: checks, runs and
// exports are jobs on worker threads (jobs/executor.ts), and runs wait in a queue
// (jobs/queue.ts) after admission, which is decided before their scenario is even checked.
// Progress is polled: GET /api/runs/:id carries `progress` while a run is queued or running.
//
// Every request is answered, never fatal: bodies over the limit get 413, a scenario text over
// its limit 413, malformed JSON 400, a scenario with errors 422 with its diagnostics (line and
// column), path counts over the cap 422, unknown ids 404, a full queue 429/503, a full disk
// 507, and anything unexpected 500 from the global error handler. guard.ts checks the Host,
// the origin of writes and the token before any route.

import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { readFile, stat } from "node:fs/promises";
import { availableParallelism, totalmem } from "node:os";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { flattenDiagnostic, type FlatDiagnostic } from "../lang/diagnostics.js";
import type { RunResult } from "../engine/result.js";
import { MIN_REPLICATES, SAMPLINGS, type Sampling } from "../engine/options.js";
import { guard, isLoopback } from "./guard.js";
import { Admission, AdmissionError } from "./jobs/admission.js";
import { JobsBusyError, JobTimeoutError, ThreadExecutor, type JobExecutor } from "./jobs/executor.js";
import { InThreadExecutor, type CheckFn, type SimulateFn } from "./jobs/in-thread.js";
import { EmbeddedQueue, type RunQueue } from "./jobs/queue.js";
import type { CheckOutcome, RunRequest } from "./jobs/tasks.js";
import { NotFoundError, ReadOnlyError, Store } from "./store.js";
import { StorageFullError } from "./storage-errors.js";

export type { CheckFn, SimulateFn } from "./jobs/in-thread.js";

export interface AppOptions {
  store: Store;
  /** Where jobs run. Default: worker threads (ThreadExecutor). */
  executor?: JobExecutor;
  /** Stand-ins for tests: with both, jobs run in this thread through them (InThreadExecutor). */
  check?: CheckFn;
  simulate?: SimulateFn;
  /** The run queue. Default: the embedded one; `createRedisQueue` gives the distributed one. */
  queue?: (context: { store: Store; executor: JobExecutor; log: (m: string) => void }) => RunQueue;
  /** The built dashboard (web/dist). Default: the package's web/dist. */
  webRoot?: string;
  /** Most paths one server run may ask for. Default 2,000,000. */
  maxPaths?: number;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Longest scenario text to check, save or run, in bytes. Default 256 KiB. */
  maxTextBytes?: number;
  /** Most series a scenario (or an exported result) may have. Default 500. */
  maxSeries?: number;
  /** Time limit of one server run, in ms. Default 10 minutes. */
  runTimeoutMs?: number;
  /** Time limit of a check or an export, in ms. Default 20 s. */
  quickTimeoutMs?: number;
  /** Server runs at once. Default 2. */
  maxActiveRuns?: number;
  /** Runs queued or running at once. Default 32. */
  maxQueuedRuns?: number;
  /** Runs queued or running at once per client. Default 4. */
  maxRunsPerClient?: number;
  /** Scenarios per page of the list when the request does not say. Default 100 (at most 500). */
  pageSize?: number;
  /** The address the server listens on (for the Host check). Default 127.0.0.1. */
  host?: string;
  /** More names the server answers to (--allow-host). */
  allowHosts?: readonly string[];
  /** The access token (required on /api/* when set; required to listen beyond loopback). */
  token?: string | undefined;
  /** Writes server errors (default console.error). */
  log?: (message: string) => void;
}

export const defaultWebRoot = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/** A diagnostic as the API sends it: flat line and column (1-based), as editors show them. */
export type ApiDiagnostic = FlatDiagnostic;
export const toApiDiagnostic = flattenDiagnostic;

class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 415 | 422 | 429 | 503,
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

export interface App {
  app: Hono;
  queue: RunQueue;
  executor: JobExecutor;
}

export function createApp(options: AppOptions): App {
  const { store } = options;
  const maxPaths = options.maxPaths ?? 2_000_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxTextBytes = options.maxTextBytes ?? 256 * 1024;
  const maxSeries = options.maxSeries ?? 500;
  const quickTimeoutMs = options.quickTimeoutMs ?? 20_000;
  const maxActive = options.maxActiveRuns ?? 2;
  const defaultPageSize = Math.min(500, options.pageSize ?? 100);
  const webRoot = options.webRoot ?? defaultWebRoot;
  const log = options.log ?? ((m: string) => console.error(m));
  const executor =
    options.executor ??
    (options.check && options.simulate
      ? new InThreadExecutor(options.check, options.simulate)
      : new ThreadExecutor(maxActive));
  const admission = new Admission({
    maxQueued: options.maxQueuedRuns ?? 32,
    maxPerClient: options.maxRunsPerClient ?? 4,
    memoryBytes: totalmem() * 0.5,
    threadsPerRun: availableParallelism(),
  });
  let queue: RunQueue;
  if (options.queue) queue = options.queue({ store, executor, log });
  else {
    // Runs left queued or running by a server that stopped can never finish now. This server
    // holds the database's lock, so none of them belongs to a live server.
    store.markInterruptedRuns();
    queue = new EmbeddedQueue({ store, executor, maxActive, timeoutMs: options.runTimeoutMs ?? 10 * 60_000, log });
  }
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, ...err.extra }, err.status);
    if (err instanceof NotFoundError) return c.json({ error: err.message }, 404);
    if (err instanceof ReadOnlyError) return c.json({ error: err.message }, 403);
    if (err instanceof AdmissionError) return c.json({ error: err.message }, err.status);
    if (err instanceof JobTimeoutError) return c.json({ error: err.message, diagnostics: [] }, 422);
    if (err instanceof JobsBusyError) return c.json({ error: err.message }, 503);
    if (err instanceof StorageFullError) return c.json({ error: err.message, path: err.dbPath }, 507);
    log(`outlast serve: internal error on ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack : err}`);
    return c.json({ error: "internal server error" }, 500);
  });

  app.use(
    "*",
    guard({ host: options.host ?? "127.0.0.1", allowHosts: options.allowHosts ?? [], token: options.token }),
  );

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

  /** A scenario text within the size the server checks and runs (413 over it). */
  function boundedText(text: string): string {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxTextBytes)
      throw new HttpError(413, `the scenario text is ${bytes} bytes, over the server's limit of ${maxTextBytes}`);
    return text;
  }

  /** Checks a scenario's text on a job thread. */
  async function checkJob(text: string, file: string): Promise<CheckOutcome> {
    boundedText(text);
    try {
      return await executor.check(text, file, { maxSeries, timeoutMs: quickTimeoutMs });
    } catch (err) {
      if (err instanceof JobTimeoutError || err instanceof JobsBusyError) throw err;
      // A checker that throws on some input is our bug, but it is still this input's answer.
      log(`outlast serve: the checker failed on ${file}: ${err instanceof Error ? err.stack : err}`);
      throw new HttpError(422, "the scenario could not be checked", { diagnostics: [] });
    }
  }

  /** Checks a scenario's text; 422 with diagnostics when it has errors. */
  async function checkOrReject(text: string, file: string): Promise<CheckOutcome> {
    const outcome = await checkJob(text, file);
    if (!outcome.ok) throw new HttpError(422, "the scenario has errors", { diagnostics: outcome.diagnostics });
    return outcome;
  }

  function nameFor(body: Record<string, unknown>, text: string): string {
    const named = /^name:\s*(.+)$/m
      .exec(text)?.[1]
      ?.trim()
      .replace(/^["']|["']$/g, "");
    const name = stringField(body, "name", false)?.trim() || named || "untitled";
    if (name.length > 200) throw new HttpError(400, "name is over 200 characters");
    return name;
  }

  /** Who asked, for the per-client limit: the token holder is one client per address. */
  function clientOf(c: Context): string {
    try {
      return getConnInfo(c).remote.address ?? "unknown";
    } catch {
      return "unknown";
    }
  }

  // ---- scenarios ---------------------------------------------------------------------

  /** A page of summaries (id, name, version, dates); X-Total-Count and a Link to the next page. */
  app.get("/api/scenarios", (c) => {
    const limit = pageNumber(c.req.query("limit"), defaultPageSize, 1, 500, "limit");
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
    await checkOrReject(text, "scenario.yaml");
    return c.json(store.createScenario(nameFor(body, text), text), 201);
  });

  app.get("/api/scenarios/:id", (c) => c.json(store.getScenario(c.req.param("id"))));

  app.put("/api/scenarios/:id", async (c) => {
    const id = c.req.param("id");
    store.getScenario(id); // 404 before 422
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    await checkOrReject(text, "scenario.yaml");
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

  // ---- checking ----------------------------------------------------------------------

  app.post("/api/check", async (c) => {
    const body = await jsonBody(c);
    const text = stringField(body, "text", true);
    const outcome = await checkJob(text, stringField(body, "file", false) ?? "scenario.yaml");
    return c.json({ ok: outcome.ok, diagnostics: outcome.diagnostics });
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
    boundedText(text);
    // Admission first: a run the server cannot take costs it nothing more than this.
    const ticket = admission.admit(clientOf(c), text, paths);
    let queued = false;
    try {
      const checked = await checkOrReject(text, "scenario.yaml");
      const known = new Set(checked.levers);
      const unknownLevers = levers.filter((l) => !known.has(l));
      if (unknownLevers.length > 0) {
        throw new HttpError(422, `unknown lever ${unknownLevers.map((l) => `'${l}'`).join(", ")}`, {
          levers: checked.levers,
        });
      }
      const params = new Set(checked.params);
      const unknownParams = Object.keys(fixed).filter((p) => !params.has(p));
      if (unknownParams.length > 0) {
        throw new HttpError(422, `unknown param ${unknownParams.map((p) => `'${p}'`).join(", ")}`);
      }
      const request: RunRequest = {
        paths,
        seed,
        levers,
        fixed: fixed as Record<string, number>,
        ...(sampling === undefined ? {} : { sampling: sampling as Sampling }),
        ...(replicates === undefined ? {} : { replicates: replicates as number }),
      };
      const record = store.createRun(
        {
          scenarioId: scenarioId ?? "unsaved",
          scenarioVersion: version,
          scenarioText: text,
          ...request,
        },
        "queued",
      );
      queue.submit(record, text, request, ticket);
      queued = true;
      return c.body(store.getRunJson(record.id, { progress: queue.progress(record.id) ?? null }), 202, {
        "content-type": "application/json",
      });
    } finally {
      if (!queued) ticket.release();
    }
  });

  app.get("/api/runs", (c) => c.json(store.listRuns(c.req.query("scenario"))));

  app.get("/api/runs/:id", (c) => {
    const id = c.req.param("id");
    const record = store.getRun(id);
    const progress = queue.progress(id) ?? {
      pathsDone: record.status === "done" ? record.paths : 0,
      pathsTotal: record.paths,
    };
    return c.body(store.getRunJson(id, { progress }), 200, { "content-type": "application/json" });
  });

  app.delete("/api/runs/:id", async (c) => {
    const id = c.req.param("id");
    store.getRun(id);
    await queue.cancel(id);
    return c.body(store.getRunJson(id, { progress: null }), 200, { "content-type": "application/json" });
  });

  // ---- exports ----------------------------------------------------------------------

  /** The workbook of a result the page shows, with the scenario's assumptions and sources. */
  app.post("/api/export/xlsx", async (c) => {
    const body = await jsonBody(c);
    const result = body["result"];
    if (!isRunResult(result))
      throw new HttpError(422, "expected 'result' to be a run result (survival, runway, series)");
    const series = Object.keys(result.series).length;
    if (series > maxSeries)
      throw new HttpError(422, `the result has ${series} series, more than the ${maxSeries} an export may have`);
    if (result.horizon > 1200 || result.survival.length > 1201)
      throw new HttpError(422, "the result's horizon is over 1200 months");
    const text = stringField(body, "text", false);
    const bytes = await executor.xlsx(result, text === undefined ? undefined : boundedText(text), quickTimeoutMs);
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
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": type, "cache-control": cache });
  });

  return { app, queue, executor };
}

function pageNumber(text: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new HttpError(400, `${name} must be a whole number from ${min} to ${max}`);
  return n;
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
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  queue: RunQueue;
  /** Stops the runs of this process, stops listening, and closes the job threads and the store. */
  close(): Promise<void>;
}

export class TokenRequiredError extends Error {
  constructor(host: string) {
    super(
      `listening on ${host} lets other machines reach the server: give it an access token with --token TOKEN or OUTLAST_TOKEN (the page asks for it once)`,
    );
    this.name = "TokenRequiredError";
  }
}

/** Starts the server; resolves once it listens. */
export function startServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host) && !options.token) return Promise.reject(new TokenRequiredError(host));
  const { app, queue, executor } = createApp(options);
  const shutdown = async () => {
    await queue.close();
    await executor.close();
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 4873, hostname: host }, (info: AddressInfo) => {
      const shownHost = info.family === "IPv6" || host.includes(":") ? `[${info.address}]` : info.address;
      options.store.lock?.setAddress(info.port, info.address);
      resolve({
        url: `http://${shownHost}:${info.port}/`,
        port: info.port,
        host: info.address,
        queue,
        close: async () => {
          await shutdown();
          await new Promise<void>((done) => {
            server.close(() => done());
            if ("closeAllConnections" in server) server.closeAllConnections();
          });
          options.store.close();
        },
      });
    });
    server.once("error", (err) => {
      void shutdown().finally(() => reject(err));
    });
  });
}
