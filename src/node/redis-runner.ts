// `outlast run --redis URL`: a ChunkRunner that hands each chunk of a run to the `outlast
// worker` processes listening on Redis, instead of this machine's threads. Chunks travel as the
// scenario's text and the run's options (remote-chunk.ts); their statistics come back exact and
// merge as local chunks do, so the result is byte-identical to a local run with the same seed.

import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { ChunkError, ChunkJob, ChunkResult } from "../engine/chunk.js";
import type { SimulateOptions } from "../engine/options.js";
import type { ChunkRunner } from "../engine/simulate.js";
import { CHUNKS_QUEUE, connectRedis } from "./redis.js";
import {
  chunkFingerprint,
  remoteOptions,
  type RemoteChunkAnswer,
  type RemoteChunkTask,
  type RemoteOptions,
} from "./remote-chunk.js";
import { fromTypedJson } from "./typed-json.js";
import { fromWire } from "./wire.js";

/**
 * The connection to the workers for one scenario; `forRun(options)` gives the ChunkRunner of one
 * run with those options (each round of --precision is a run of its own).
 */
export class RedisChunkRunner {
  private constructor(
    private readonly connections: Redis[],
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly text: string,
    private readonly file: string,
    private readonly view: string | undefined,
  ) {}

  /** `view`: the scenario's view the run applies (`outlast run --view`), which workers apply too. */
  static async open(url: string, text: string, file: string, view: string | undefined): Promise<RedisChunkRunner> {
    const a = await connectRedis(url);
    const b = await connectRedis(url);
    const queue = new Queue(CHUNKS_QUEUE, { connection: a });
    if ((await queue.getWorkersCount()) === 0) {
      await queue.close();
      a.disconnect();
      b.disconnect();
      throw new NoWorkersError(url);
    }
    const events = new QueueEvents(CHUNKS_QUEUE, { connection: b });
    await events.waitUntilReady();
    // Each chunk in flight waits on both (waitUntilFinished listens for their closing).
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    return new RedisChunkRunner([a, b], queue, events, text, file, view);
  }

  /**
   * The chunk runner of a run planned with `options`: pass the very options the run is given, so
   * the workers plan it as this process does (its non-data fields stay here).
   */
  forRun(options: SimulateOptions): ChunkRunner {
    const remote = remoteOptions(options);
    return {
      // Chunks in flight: enough to keep several workers busy.
      threads: 16,
      run: (job) => this.runChunk(job, remote),
    };
  }

  private async runChunk(job: ChunkJob, options: RemoteOptions): Promise<ChunkResult | ChunkError> {
    const task: RemoteChunkTask = {
      text: this.text,
      file: this.file,
      ...(this.view === undefined ? {} : { view: this.view }),
      options,
      firstPath: job.firstPath,
      pathCount: job.pathCount,
      ...(job.qmc === null ? {} : { group: job.qmc.group }),
      fingerprint: chunkFingerprint(job),
    };
    const added = await this.queue.add("chunk", task, { removeOnComplete: true, removeOnFail: { age: 3600 } });
    let answered: string;
    try {
      answered = (await added.waitUntilFinished(this.events)) as string;
    } catch (err) {
      throw new RemoteChunkError(err instanceof Error ? err.message : String(err));
    }
    const answer = fromTypedJson<RemoteChunkAnswer>(answered);
    return answer.type === "model-error" ? answer : fromWire(answer);
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
  }
}

/** A worker could not run a chunk (its message says why). */
export class RemoteChunkError extends Error {
  constructor(why: string) {
    super(`an outlast worker could not run a chunk: ${why}`);
    this.name = "RemoteChunkError";
  }
}

export class NoWorkersError extends Error {
  constructor(url: string) {
    super(`no outlast worker is listening on ${url}; start some with \`outlast worker --redis ${url}\``);
    this.name = "NoWorkersError";
  }
}
