// The thread pool's fixed costs. Threads claiming a run's chunks: a worker that has not entered a
// batch when the calling thread finds no chunk left is shut out of it and not waited for; the
// bytes stay those of one thread. And the pool's library is loaded only when a pool is made.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  compileModel,
  enterBatch,
  newBatch,
  shutGates,
  simulateInProcess,
  simulateWith,
} from "../../src/engine/index.js";
import type { ChunkBatch } from "../../src/engine/claims.js";
import { HybridRunner, ThreadPool } from "../../src/node/pool.js";
import type { SkippedBatch, WireBatch } from "../../src/node/wire.js";
import { model } from "./model.js";

const NOISY = `name: noisy
start: 2024-01
horizon: 24
params:
  g: normal(0.02, 0.03)
  c0: 1B to 3B
series:
  revenue: { start: 100M, next: "prev(revenue) * exp(g + 0.1 * normal(0, 1))" }
  costs: "150M * (1 + 0.01) ^ t + event(0.05, 50M to 200M)"
  cash: { start: c0, change: "revenue - costs" }
alive: cash >= 0
report: [cash]
`;

test("a helper's gate: entered once, or shut by the caller, never both", () => {
  const batch = newBatch([], 3);
  assert.equal(enterBatch(batch, 0), true);
  assert.equal(enterBatch(batch, 0), false, "a helper enters a batch once");
  assert.equal(enterBatch(batch, 2), true);
  assert.deepEqual(shutGates(batch), [true, false, true], "the caller waits for helpers 0 and 2 only");
  assert.equal(enterBatch(batch, 1), false, "helper 1 came too late");
  assert.deepEqual(shutGates(batch), [true, false, true], "shutting again changes nothing");
  assert.throws(() => enterBatch(batch, 3), /no helper 3/);
});

/**
 * A real pool whose worker is handed each batch only when the test lets it go: a worker that is
 * slow to start, held as long as the test wants instead of for some milliseconds.
 */
class HeldPool extends ThreadPool {
  private held!: Promise<void>;
  private release!: () => void;
  readonly replies: Promise<WireBatch | SkippedBatch>[] = [];

  constructor() {
    super(1);
    this.hold();
  }

  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  letGo(): void {
    this.release();
  }

  override runBatch(batch: ChunkBatch, helper: number): Promise<WireBatch | SkippedBatch> {
    const reply = this.held.then(() => super.runBatch(batch, helper));
    this.replies.push(reply);
    return reply;
  }
}

test("a run does not wait for a worker that had not started when its chunks ran out", async () => {
  const m = compileModel(model(NOISY));
  const opts = { paths: 20_000, seed: 7, chunkPaths: 2048 };
  const base = JSON.stringify(simulateInProcess(m, opts));
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  const pool = new HeldPool();
  const hybrid = new HybridRunner(2, pool);
  try {
    // While the worker is held, this thread claims every chunk; once it has, the run returns
    // within the next turns of the event loop instead of waiting for the worker.
    let ranOut!: () => void;
    const allClaimed = new Promise<void>((resolve) => (ranOut = resolve));
    let returned = false;
    const run = simulateWith(m, { ...opts, onProgress: (done, total) => done === total && ranOut() }, hybrid).then(
      (r) => ((returned = true), r),
    );
    await allClaimed;
    for (let turn = 0; turn < 3 && !returned; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(returned, true, "the run returned while its worker was still held");
    pool.letGo();
    assert.equal(JSON.stringify(await run), base, "this thread alone, the bytes of one thread");
    // The worker, let go, finds its gate shut: it claims nothing and its reply is not used.
    assert.deepEqual(await pool.replies[0], { type: "skipped" });
    // A worker that is not held takes its share again (whichever chunks it gets, the same bytes).
    assert.equal(JSON.stringify(await simulateWith(m, opts, hybrid)), base, "this thread and the worker");
    assert.equal(pool.replies.length, 2);
    // Held again, and the pool closed as the worker is let go (the process exiting right after a
    // run): the late task is refused, and nothing reports that as an unhandled rejection.
    pool.hold();
    assert.equal(JSON.stringify(await simulateWith(m, opts, hybrid)), base, "held again");
  } finally {
    pool.letGo();
    await hybrid.close();
  }
  const last = await Promise.allSettled([pool.replies[2]!]);
  assert.equal(last[0]!.status, "rejected", "the destroyed pool refused the late batch");
  await new Promise((resolve) => setImmediate(resolve));
  process.off("unhandledRejection", onUnhandled);
  assert.deepEqual(unhandled, []);
});

test("piscina is loaded when the first pool is made, not when the runner is imported", () => {
  const code = `
    import { createRequire } from "node:module";
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes("/node_modules/piscina/"));
    const { ThreadPool } = await import("./src/node/pool.ts");
    await import("./src/node/install.ts");
    const before = loaded();
    const pool = new ThreadPool(1);
    console.log(JSON.stringify({ before, after: loaded() }));
    await pool.close();
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { before: false, after: true });
});
