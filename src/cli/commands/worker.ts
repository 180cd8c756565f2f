// `outlast worker --redis URL`: a worker for the distributed back end, on any machine that
// reaches the Redis server. Registered in main.ts with `registerWorker(program)`.

import type { Command } from "commander";
import { availableParallelism } from "node:os";
import { ExitError } from "../errors.js";
import { maybeThreads } from "../options.js";
import { maybeRedisUrl } from "./serve.js";

export interface WorkerFlags {
  redis?: string;
  threads?: string;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("run jobs queued on Redis by `outlast serve --redis` and `outlast run --redis`")
    .requiredOption("--redis <url>", "the Redis server the jobs are queued on (redis://host:port)")
    .option("--threads <n>", "jobs at once, each on a worker thread (default: every core)")
    .action(async (flags: WorkerFlags) => {
      await workerCommand(flags);
    });
}

export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const url = maybeRedisUrl(flags.redis ?? "");
  const threads = maybeThreads(flags.threads) ?? availableParallelism();
  const { startRedisWorker } = await import("../../node/redis-worker.js");
  const { RedisUnavailableError } = await import("../../node/redis.js");
  let worker;
  try {
    worker = await startRedisWorker(url, threads);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      process.stderr.write(`error: ${err.message}\n`);
      throw new ExitError(1);
    }
    throw err;
  }
  process.stdout.write(`outlast worker: taking jobs from ${url} on ${threads} thread${threads === 1 ? "" : "s"}\n`);
  await new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  process.stdout.write("stopping…\n");
  await worker.close();
}
