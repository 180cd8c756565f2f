// `outlast serve`: the dashboard and its JSON API (src/server). Registered in main.ts with
// `registerServe(program)`; the server, SQLite and the engine load only when the command runs.

import type { Command } from "commander";
import { resolve } from "node:path";
import { ExitError, UsageError } from "../errors.js";

export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  token?: string;
  allowHost?: string[];
  redis?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("the dashboard and its JSON API (default http://127.0.0.1:4873)")
    .option("--port <n>", "port to listen on; 0 picks a free one", "4873")
    .option(
      "--host <address>",
      "address to listen on (loopback unless told otherwise; others need --token)",
      "127.0.0.1",
    )
    .option(
      "--db <file>",
      "the SQLite database (default $XDG_DATA_HOME/outlast/outlast.db or ~/.local/share/outlast/outlast.db)",
    )
    .option("--token <token>", "access token the API requires (default $OUTLAST_TOKEN); required beyond loopback")
    .option("--allow-host <name>", "another host name clients use to reach the server (repeatable)", collect)
    .option("--redis <url>", "queue runs on Redis for `outlast worker` processes (redis://host:port)")
    .action(async (flags: ServeFlags) => {
      await serveCommand(flags);
    });
}

export function maybePort(text: string | undefined): number {
  if (text === undefined) return 4873;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n > 65535) {
    throw new UsageError(`expected a port from 0 to 65535 for --port, got '${text}'`);
  }
  return n;
}

/** Starts the server and resolves when it has been stopped with Ctrl-C or SIGTERM. */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  const port = maybePort(flags.port);
  const host = flags.host ?? "127.0.0.1";
  const token = flags.token ?? (process.env["OUTLAST_TOKEN"] || undefined);
  if (token !== undefined && token.length < 16)
    throw new UsageError("the access token must be at least 16 characters (try `openssl rand -hex 16`)");
  const redisUrl = flags.redis === undefined ? undefined : maybeRedisUrl(flags.redis);
  const [
    { startServer, TokenRequiredError },
    { Store, defaultDbPath },
    { DatabaseInUseError },
    { StorageAccessError },
  ] = await Promise.all([
    import("../../server/http.js"),
    import("../../server/store.js"),
    import("../../server/db-lock.js"),
    import("../../server/storage-errors.js"),
  ]);
  const dbPath = flags.db ? resolve(flags.db) : defaultDbPath();
  let store;
  try {
    store = new Store({ dbPath, lock: true });
  } catch (err) {
    if (err instanceof DatabaseInUseError || err instanceof StorageAccessError) {
      process.stderr.write(`error: ${err.message}\n`);
      throw new ExitError(1);
    }
    throw err;
  }
  // A bug in a background job must not take the server down; it is logged instead.
  const onRejection = (reason: unknown) => {
    process.stderr.write(
      `outlast serve: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`,
    );
  };
  process.on("unhandledRejection", onRejection);
  let server;
  try {
    const queue =
      redisUrl === undefined
        ? undefined
        : await (await import("../../server/jobs/redis-queue.js")).openRedisQueue(redisUrl);
    server = await startServer({
      store,
      port,
      host,
      token,
      allowHosts: flags.allowHost ?? [],
      ...(queue ? { queue } : {}),
    });
  } catch (err) {
    store.close();
    if (err instanceof TokenRequiredError) throw new UsageError(err.message);
    const code = (err as { code?: string }).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} on ${host} is in use; pick another with --port`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`cannot listen on --host ${host}`);
    throw err;
  }
  process.stdout.write(`outlast dashboard: ${server.url}\n`);
  process.stdout.write(`database: ${store.dbPath}\n`);
  process.stdout.write(
    redisUrl
      ? `runs: queued on ${redisUrl} for outlast worker processes\n`
      : "runs: on this machine's worker threads\n",
  );
  if (token !== undefined) process.stdout.write("the API requires the access token; the page asks for it once\n");
  process.stdout.write("Ctrl-C to stop\n");
  await new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  process.stdout.write("stopping…\n");
  await server.close();
  process.off("unhandledRejection", onRejection);
}

/** A redis:// or rediss:// URL. */
export function maybeRedisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`expected a Redis URL such as redis://127.0.0.1:6379 for --redis, got '${text}'`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new UsageError(`expected a redis:// or rediss:// URL for --redis, got '${text}'`);
  return text;
}
