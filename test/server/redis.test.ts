// The distributed back end on a real Redis (Debian's redis-server; .ci/run starts one and sets
// OUTLAST_TEST_REDIS). `outlast run --redis` fans a run's chunks out to 1, 2 and 3 `outlast
// worker` processes and prints the same bytes as a local run with the same seed; `outlast serve
// --redis` hands runs to the workers, saves what they return, and cancels through them.
// Without OUTLAST_TEST_REDIS the tests are skipped with the reason, except under CI (CI=1),
// where a missing Redis is a failure.

import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { checkText } from "../../src/lang/index.js";
import { simulate } from "../../src/engine/index.js";
import { CHUNKS_QUEUE } from "../../src/node/redis.js";
import { compileModel } from "../../src/engine/compile.js";
import { planRun } from "../../src/engine/simulate.js";
import { ChunkMismatchError, chunkFingerprint, remoteOptions, runRemoteChunk } from "../../src/node/remote-chunk.js";
import { startServer } from "../../src/server/http.js";
import { openRedisQueue } from "../../src/server/jobs/redis-queue.js";
import { Store } from "../../src/server/store.js";

const url = process.env["OUTLAST_TEST_REDIS"];
const underCi = process.env["CI"] === "1" || process.env["CI"] === "true";
const skip = url
  ? false
  : underCi
    ? false
    : "OUTLAST_TEST_REDIS is not set (a redis:// URL); .ci/run starts redis-server and sets it";
const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const scenario = "startup";

const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", main, "worker", "--redis", url!, "--threads", "1"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  workers.push(child);
  return child;
}

async function stopWorkers(): Promise<void> {
  await Promise.all(
    workers.splice(0).map(
      (w) =>
        new Promise((resolve) => {
          if (w.exitCode !== null) return resolve(null);
          w.once("exit", resolve);
          w.kill("SIGTERM");
        }),
    ),
  );
}

/** Waits until `n` worker processes listen for chunks. */
async function workersListening(n: number): Promise<void> {
  const connection = new Redis(url!, { maxRetriesPerRequest: null });
  const queue = new Queue(CHUNKS_QUEUE, { connection });
  try {
    for (let i = 0; (await queue.getWorkersCount()) < n; i++) {
      assert.ok(i < 1200, `${n} workers did not start in 2 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

function run(...extra: string[]): string {
  return runOf(scenario, "--paths", "60000", "--seed", "11", ...extra);
}

function runOf(...args: string[]): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", main, "run", ...args, "--json"], {
    encoding: "utf8",
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

after(stopWorkers);

test("a worker refuses a chunk it plans differently from the caller, and runs one it plans alike", () => {
  const text = readFileSync(fileURLToPath(new URL(`../../scenarios/${scenario}.yaml`, import.meta.url)), "utf8");
  const compiled = compileModel(checkText(text, "scenario.yaml").model!);
  const options = { paths: 4096, seed: 5, sampling: "mc" as const, threads: 2, onProgress: () => {} };
  const job = planRun(compiled, options, 2).jobs[0]!;
  const task = {
    text,
    file: "scenario.yaml",
    options: remoteOptions(options),
    firstPath: job.firstPath,
    pathCount: job.pathCount,
    fingerprint: chunkFingerprint(job),
  };
  assert.deepEqual(Object.keys(task.options).sort(), ["paths", "sampling", "seed"]);
  assert.match(runRemoteChunk(task), /"type":"result"/);
  // The options as an older caller sent them (no sampling): the worker plans rqmc, not mc.
  const { sampling: _s, ...withoutSampling } = task.options;
  assert.throws(() => runRemoteChunk({ ...task, options: withoutSampling }), ChunkMismatchError);
  assert.throws(() => runRemoteChunk({ ...task, options: { ...task.options, seed: 6 } }), ChunkMismatchError);
});

describe("Redis back end", { skip }, () => {
  test("CI provides a Redis", () => {
    assert.ok(url, "under CI, OUTLAST_TEST_REDIS must name the redis-server .ci/run started");
  });

  test("outlast run --redis gives the bytes of a local run with 1, 2 and 3 workers, for rqmc, lhs, mc and --precision", async () => {
    assert.ok(url, "no Redis");
    // The default (rqmc, 16 replicates), each method with its own options, and --precision's
    // doubling rounds (each a run of its own on the workers).
    const variants = [
      [],
      ["--sampling", "mc"],
      ["--sampling", "lhs", "--replicates", "10"],
      ["--sampling", "mc", "--precision", "0.004", "--paths", "5000"],
      ["--precision", "0.002", "--paths", "4096", "--replicates", "8"],
    ];
    const local = variants.map((v) => run(...v));
    for (const [i, text] of local.entries()) assert.match(text, /"survival"/, variants[i]!.join(" "));
    // The variants differ from one another, so a worker that ignored an option would be caught.
    assert.equal(new Set(local).size, local.length);
    const mc = JSON.parse(local[1]!) as { sampling: string; replicates: number | null };
    assert.deepEqual([mc.sampling, mc.replicates], ["mc", null]);
    const lhs = JSON.parse(local[2]!) as { sampling: string; replicates: number | null };
    assert.deepEqual([lhs.sampling, lhs.replicates], ["lhs", 10]);
    // --precision took more than one round: its paths grew past those asked for.
    assert.ok((JSON.parse(local[3]!) as { paths: number }).paths > 5000, "mc --precision doubled");
    const rqmc = JSON.parse(local[4]!) as { sampling: string; replicates: number; paths: number };
    assert.deepEqual([rqmc.sampling, rqmc.replicates], ["rqmc", 8]);
    assert.ok(rqmc.paths > 4096, "rqmc --precision doubled");
    for (const n of [1, 2, 3]) {
      startWorker();
      await workersListening(n);
      for (const [i, v] of variants.entries())
        assert.equal(run(...v, "--redis", url!), local[i], `${n} workers, ${v.join(" ") || "defaults"}`);
    }
    // A view of the scenario (its rounds) is applied by the workers too.
    const view = ["openai-2024", "--view", "forecast", "--paths", "20000", "--seed", "3"];
    assert.equal(runOf(...view, "--redis", url!), runOf(...view));
  });

  test("outlast serve --redis: a run goes to the workers and comes back as a local run's summary", async () => {
    assert.ok(url, "no Redis");
    if (workers.length === 0) startWorker();
    await workersListening(1);
    const dir = mkdtempSync(join(tmpdir(), "outlast-redis-serve-"));
    const server = await startServer({
      store: new Store({ dbPath: join(dir, "o.db"), lock: true }),
      queue: await openRedisQueue(url!),
      port: 0,
    });
    try {
      const post = async (body: unknown) =>
        (await (
          await fetch(new URL("/api/runs", server.url), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).json()) as { id: string; status: string };
      const get = async (id: string) =>
        (await (await fetch(new URL(`/api/runs/${id}`, server.url))).json()) as {
          status: string;
          summary: unknown;
          error: string | null;
        };

      const started = await post({ scenarioId: `builtin:${scenario}`, paths: 20_000, seed: 4 });
      let record = await get(started.id);
      for (let i = 0; (record.status === "queued" || record.status === "running") && i < 1200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        record = await get(started.id);
      }
      assert.equal(record.status, "done", record.error ?? "");
      const text = readFileSync(fileURLToPath(new URL(`../../scenarios/${scenario}.yaml`, import.meta.url)), "utf8");
      const { captures: _c, ...expected } = await simulate(checkText(text, "scenario.yaml").model!, {
        paths: 20_000,
        seed: 4,
        levers: [],
        fixed: {},
      });
      assert.deepEqual(record.summary, JSON.parse(JSON.stringify(expected)));

      const big = await post({ scenarioId: `builtin:${scenario}`, paths: 2_000_000, seed: 1 });
      for (let i = 0; (await get(big.id)).status !== "running" && i < 1200; i++)
        await new Promise((r) => setTimeout(r, 100));
      const cancelled = (await (
        await fetch(new URL(`/api/runs/${big.id}`, server.url), { method: "DELETE" })
      ).json()) as {
        status: string;
      };
      assert.equal(cancelled.status, "cancelled");
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
