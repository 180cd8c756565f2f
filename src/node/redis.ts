// The distributed back end's plumbing: Redis connections (ioredis) and the BullMQ queues that
// `outlast serve --redis`, `outlast run --redis` and `outlast worker` share.

import { Redis } from "ioredis";

/** Whole runs queued by `outlast serve --redis`. */
export const RUNS_QUEUE = "outlast-runs";
/** Chunks of one run fanned out by `outlast run --redis`. */
export const CHUNKS_QUEUE = "outlast-chunks";

/** The key a server sets to ask the worker running `id` to stop it. */
export function cancelKey(id: string): string {
  return `outlast:cancel:${id}`;
}

/**
 * A connection BullMQ can use for blocking commands (maxRetriesPerRequest null). Fails fast
 * with a clear message when nothing answers at `url`.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
  redis.on("error", () => {}); // reported through the commands that fail
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(url, err instanceof Error ? err.message : String(err));
  }
  return redis;
}

export class RedisUnavailableError extends Error {
  constructor(url: string, why: string) {
    super(`cannot reach Redis at ${url} (${why}); is redis-server running there?`);
    this.name = "RedisUnavailableError";
  }
}
