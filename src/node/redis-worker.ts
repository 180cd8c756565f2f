// `outlast worker --redis URL`: takes whole runs (queued by `outlast serve --redis`) and chunks
// of runs (fanned out by `outlast run --redis`) from Redis and runs them on this machine's
// worker threads, never on its event loop, which BullMQ needs to keep its job locks alive.

import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ThreadExecutor } from "../server/jobs/executor.js";
import type { RedisRunData } from "../server/jobs/redis-queue.js";
import type { RunOutcome } from "../server/jobs/tasks.js";
import { cancelKey, CHUNKS_QUEUE, connectRedis, RUNS_QUEUE } from "./redis.js";
import type { RemoteChunkTask } from "./remote-chunk.js";

/** How often a running run's cancel key is looked at. */
const CANCEL_POLL_MS = 250;

export interface RedisWorker {
  close(): Promise<void>;
}

export async function startRedisWorker(url: string, threads: number): Promise<RedisWorker> {
  const connections: Redis[] = [await connectRedis(url), await connectRedis(url), await connectRedis(url)];
  const control = connections[2]!;
  const executor = new ThreadExecutor(threads, 1);

  const runs = new Worker(
    RUNS_QUEUE,
    async (job: Job<RedisRunData>): Promise<RunOutcome> => {
      const run = executor.run(job.data.text, job.data.request, {
        timeoutMs: job.data.timeoutMs,
        onProgress: (p) => void job.updateProgress(p).catch(() => {}),
      });
      const poll = setInterval(() => {
        void control.get(cancelKey(job.id!)).then((v) => {
          if (v !== null) void run.cancel();
        });
      }, CANCEL_POLL_MS);
      try {
        return await run.done;
      } finally {
        clearInterval(poll);
        void control.del(cancelKey(job.id!));
      }
    },
    { connection: connections[0]!, concurrency: threads },
  );
  const chunks = new Worker(CHUNKS_QUEUE, (job: Job<RemoteChunkTask>): Promise<string> => executor.chunk(job.data), {
    connection: connections[1]!,
    concurrency: threads,
  });
  await Promise.all([runs.waitUntilReady(), chunks.waitUntilReady()]);
  return {
    close: async () => {
      await Promise.all([runs.close(), chunks.close()]);
      await executor.close();
      for (const c of connections) c.disconnect();
    },
  };
}
