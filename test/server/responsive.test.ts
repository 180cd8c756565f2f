// The HTTP thread never stalls: the real `outlast serve` (real checker, engine and SQLite store),
// in a process of its own, runs a 2M-path, 1200-month run of openai-2024 and three checks of
// deeply nested YAML while GETs are answered, each within 2 s (a bound generous enough for a
// busy machine), and its HTTP thread's own event-loop delay stays under a flat 100 ms.
//
// Which figure: the server's GET /api/server/event-loop reports perf_hooks.monitorEventLoopDelay
// (max, p99) and the thread's own delay, the same lateness less the time the thread sat runnable
// waiting for a CPU (Linux schedstat). The flat bound is on the own delay's 99th percentile.
// Not monitorEventLoopDelay's figures: on a 2-core machine shared with other busy work the
// scheduler alone keeps a runnable thread waiting (measured beside three other test sessions, load
// 8–17: its max 110–600 ms, its p99 42–170 ms, whatever the server did). Not the own delay's max:
// it also counts what no server code controls: a guest VM's timer wakeups delayed by its host,
// and waits on mutexes inside the runtime (futex waits of 20–160 ms on the HTTP thread, seen with
// strace and perf; a job thread preempted while holding one is the likely holder). It was 43–90 ms
// in most such runs but 116–449 ms in some. Its p99 stayed at 5–35 ms in every run. Work on the
// HTTP thread shows as many late samples and fails the p99 bound (a chunk of simulation between
// yields, a parse or a large write per request); one long block is one late sample, and is caught
// by the bound of 2 s on every GET and on the own delay's max.
// The clients' work (fetches, JSON parsing) runs in this process, not the server's, and the job
// threads run at a lower priority (JOB_NICE). On code that simulates or checks on the HTTP thread
// no GET is answered until that work ends (seconds to minutes). The run is then cancelled, which
// terminates its worker thread mid-chunk and stores the partial summary from that thread.

import assert from "node:assert/strict";
import { serveChild } from "./serve-child.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { EventLoopFigures } from "../../src/server/routes/event-loop.js";

/** How long the work is watched (and at least until the checks are answered). */
const WINDOW_MS = 10_000;
/** The bound on the own delay's p99, and on any GET's wait and the own delay's max. */
const MAX_DELAY_MS = 100;
const MAX_WAIT_MS = 2000;

const openai = readFileSync(fileURLToPath(new URL("../../scenarios/openai-2024.yaml", import.meta.url)), "utf8");

test("GETs are answered and the HTTP thread's own event-loop delay (p99) stays under 100 ms while a 2M-path 1200-month run and three deep checks go on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-responsive-"));
  const server = serveChild(join(dir, "o.db"));
  const child = server.child;
  const base = await server.url;
  const url = (path: string) => new URL(path, base);
  const json = { "content-type": "application/json" };
  try {
    // Warm the routes first (a first request with a body compiles the request plumbing), then
    // start the server's delay window.
    await (await fetch(url("/api/scenarios"))).json();
    for (let i = 0; i < 3; i++)
      await (
        await fetch(url("/api/check"), { method: "POST", headers: json, body: JSON.stringify({ text: "name: x\n" }) })
      ).json();
    await (await fetch(url("/api/server/event-loop?reset=1"))).json();

    const text = openai.replace(/^horizon:.*$/m, "horizon: 1200");
    const started = await fetch(url("/api/runs"), {
      method: "POST",
      headers: json,
      body: JSON.stringify({ text, paths: 2_000_000, seed: 1 }),
    });
    assert.equal(started.status, 202, await started.clone().text());
    const run = (await started.json()) as { id: string };

    // 3 × 200 KB of `[[[…]]]`: the YAML parser's worst case, on the check threads.
    const depth = 100_000;
    const nested = `name: deep\nx: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
    let checksDone = 0;
    const checks = Array.from({ length: 3 }, () =>
      fetch(url("/api/check"), { method: "POST", headers: json, body: JSON.stringify({ text: nested }) }).finally(
        () => checksDone++,
      ),
    );

    // GETs for 10 s and until the checks have been answered.
    const waits: number[] = [];
    const from = performance.now();
    let progress = 0;
    let status = "";
    while (performance.now() - from < WINDOW_MS || checksDone < 3) {
      for (const path of ["/api/scenarios", `/api/runs/${run.id}`]) {
        const t0 = performance.now();
        const r = await fetch(url(path));
        const body = (await r.json()) as { status?: string; progress?: { pathsDone: number } };
        waits.push(performance.now() - t0);
        assert.equal(r.status, 200);
        if (body.progress) progress = body.progress.pathsDone;
        if (body.status) status = body.status;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const answered = await Promise.all(checks);
    for (const r of answered) assert.ok(r.status === 200 || r.status === 422, `check answered ${r.status}`);
    const delay = (await (await fetch(url("/api/server/event-loop"))).json()) as EventLoopFigures;

    const longest = Math.max(...waits);
    const figures =
      `the server's HTTP thread over ${(delay.windowMs / 1000).toFixed(1)} s (${delay.samples} samples): ` +
      `own delay max ${delay.ownMaxMs} ms, p99 ${delay.ownP99Ms} ms; monitorEventLoopDelay max ${delay.maxMs} ms, ` +
      `p99 ${delay.p99Ms} ms, mean ${delay.meanMs} ms; waiting for a CPU ${delay.cpuWaitMs ?? "(not measured)"} ms`;
    console.log(
      `# ${waits.length} GETs over ${((performance.now() - from) / 1000).toFixed(1)} s, longest ${longest.toFixed(0)} ms; ` +
        `${figures}; run progress ${progress} paths`,
    );
    assert.equal(status, "running", "the run was still going while the GETs were answered");
    assert.ok(delay.samples > WINDOW_MS / 20, `the monitor sampled ${delay.samples} times`);
    assert.ok(longest < MAX_WAIT_MS, `a GET waited ${longest.toFixed(0)} ms`);
    assert.ok(
      delay.ownP99Ms < MAX_DELAY_MS,
      `the server's event loop was delayed (p99) ${delay.ownP99Ms} ms: ${figures}`,
    );
    assert.ok(delay.ownMaxMs < MAX_WAIT_MS, `the server's event loop stalled ${delay.ownMaxMs} ms: ${figures}`);

    const t0 = performance.now();
    const cancelled = await fetch(url(`/api/runs/${run.id}`), { method: "DELETE" });
    const record = (await cancelled.json()) as { status: string; summary: { partial: boolean; paths: number } | null };
    console.log(`# cancel answered in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(record.status, "cancelled");
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the event-loop figures are for loopback clients only", async () => {
  const { createApp } = await import("../../src/server/http.js");
  const { Store } = await import("../../src/server/store.js");
  const { app, executor, queue, stop } = createApp({ store: new Store({ dbPath: ":memory:" }) });
  try {
    // Hono's app.request has no socket: the peer is unknown, so not loopback.
    const r = await app.request("http://127.0.0.1/api/server/event-loop", { headers: { host: "127.0.0.1" } });
    assert.equal(r.status, 404);
  } finally {
    stop();
    await queue.close();
    await executor.close();
  }
});
