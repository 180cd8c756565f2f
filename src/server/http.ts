// The dashboard's HTTP server: a JSON API over the store and the run queue, and the built page.
// This module wires it: options and limits, the job threads and the queue, the error handler,
// the guard and the routes (routes/: scenarios.ts, runs.ts, exports.ts, event-loop.ts, page.ts).
//
// The HTTP thread only parses requests and reads and writes small records: checks, runs and
// exports are jobs on worker threads (jobs/executor.ts), a run's job thread writes its own
// summary, and a summary is sent as the bytes stored. Runs wait in a queue (jobs/queue.ts) after
// admission, which is decided before their scenario is even checked. Progress is polled: GET
// /api/runs/:id carries `progress` while a run is queued or running.
//
// Every request is answered, never fatal: bodies over the limit get 413, a scenario text over
// its limit 413, malformed JSON 400, a scenario with errors 422 with its diagnostics (line and
// column), path counts over the cap 422, unknown ids 404, a full queue 429/503, a full disk
// 507, and anything unexpected 500 from the global error handler. guard.ts checks the Host,
// the origin of writes and the token before any route.

import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { availableParallelism, totalmem } from "node:os";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { flattenDiagnostic, type FlatDiagnostic } from "../lang/diagnostics.js";
import { guard, isLoopback } from "./guard.js";
import { Admission, AdmissionError } from "./jobs/admission.js";
import { JobsBusyError, JobTimeoutError, ThreadExecutor, type JobExecutor } from "./jobs/executor.js";
import { InThreadExecutor } from "./jobs/in-thread.js";
import { EmbeddedQueue, type RunQueue } from "./jobs/queue.js";
import { RouteContext } from "./routes/context.js";
import { eventLoopRoutes } from "./routes/event-loop.js";
import { exportRoutes } from "./routes/exports.js";
import { pageRoutes } from "./routes/page.js";
import { HttpError } from "./routes/request.js";
import { runRoutes } from "./routes/runs.js";
import { scenarioRoutes } from "./routes/scenarios.js";
import { NotFoundError, ReadOnlyError, type Store } from "./store.js";
import { StorageFullError } from "./storage-errors.js";

export type { CheckFn, SimulateFn } from "./jobs/in-thread.js";
import type { CheckFn, SimulateFn } from "./jobs/in-thread.js";

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

export interface App {
  app: Hono;
  queue: RunQueue;
  executor: JobExecutor;
  /** Stops what the app keeps going besides the queue and the job threads. */
  stop(): void;
}

export function createApp(options: AppOptions): App {
  const { store } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  const maxActive = options.maxActiveRuns ?? 2;
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
  const ctx = new RouteContext(
    store,
    queue,
    executor,
    admission,
    {
      maxPaths: options.maxPaths ?? 2_000_000,
      maxTextBytes: options.maxTextBytes ?? 256 * 1024,
      maxSeries: options.maxSeries ?? 500,
      quickTimeoutMs: options.quickTimeoutMs ?? 20_000,
      defaultPageSize: Math.min(500, options.pageSize ?? 100),
    },
    log,
  );
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
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
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) => c.json({ error: `request body over ${maxBodyBytes} bytes` }, 413),
  });
  // Only requests that may carry a body: looking for one builds a full fetch Request, a cost
  // every GET would otherwise pay on this thread.
  app.use("/api/*", (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next)));

  scenarioRoutes(app, ctx);
  runRoutes(app, ctx);
  exportRoutes(app, ctx);
  const eventLoop = eventLoopRoutes(app);
  app.all("/api/*", (c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  pageRoutes(app, options.webRoot ?? defaultWebRoot);

  return { app, queue, executor, stop: eventLoop.stop };
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
  const { app, queue, executor, stop } = createApp(options);
  const shutdown = async () => {
    stop();
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
