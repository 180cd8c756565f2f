// `outlast serve`: the dashboard and its JSON API (src/server). Registered in main.ts with
// `registerServe(program)`; the server, SQLite and the engine load only when the command runs.

import type { Command } from "commander";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";

export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("the dashboard and its JSON API (default http://127.0.0.1:4873)")
    .option("--port <n>", "port to listen on; 0 picks a free one", "4873")
    .option("--host <address>", "address to listen on (loopback unless told otherwise)", "127.0.0.1")
    .option(
      "--db <file>",
      "the SQLite database (default $XDG_DATA_HOME/outlast/outlast.db or ~/.local/share/outlast/outlast.db)",
    )
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
  const [
    { startServer },
    { Store, defaultDbPath },
    { checkText },
    { simulate },
    { installNodeRunner },
    { closeSharedPool },
  ] = await Promise.all([
    import("../../server/http.js"),
    import("../../server/store.js"),
    import("../../lang/index.js"),
    import("../../engine/index.js"),
    import("../../node/install.js"),
    import("../../node/pool.js"),
  ]);
  installNodeRunner();
  const store = new Store({ dbPath: flags.db ? resolve(flags.db) : defaultDbPath() });
  // A bug in a background run must not take the server down; it is logged instead.
  const onRejection = (reason: unknown) => {
    process.stderr.write(
      `outlast serve: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`,
    );
  };
  process.on("unhandledRejection", onRejection);
  let server;
  try {
    server = await startServer({ store, check: checkText, simulate, port, host });
  } catch (err) {
    store.close();
    const code = (err as { code?: string }).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} on ${host} is in use; pick another with --port`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`cannot listen on --host ${host}`);
    throw err;
  }
  const loopback = /^(127\.|::1$|localhost$)/.test(host);
  process.stdout.write(`outlast dashboard: ${server.url}\n`);
  process.stdout.write(`database: ${store.dbPath}\n`);
  if (!loopback) {
    process.stdout.write(`warning: listening on ${host}: anyone who can reach it can read and change your scenarios\n`);
  }
  process.stdout.write("Ctrl-C to stop\n");
  await new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  process.stdout.write("stopping…\n");
  await server.close();
  await closeSharedPool();
  process.off("unhandledRejection", onRejection);
}
