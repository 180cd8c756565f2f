// The run queue: admission is decided before the scenario is checked; a queued run can be
// cancelled before it starts; and a run's time limit terminates its worker thread in the middle
// of a chunk (a 2M-path, 1200-month chunk takes far longer than the limit here).

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer, type CheckFn, type RunningServer } from "../../src/server/http.js";
import { Store } from "../../src/server/store.js";
import { fakeCheck, fakeSimulate, goodText } from "./fixtures/fakes.js";

async function withServer(
  options: Partial<Parameters<typeof startServer>[0]>,
  body: (server: RunningServer, post: (b: unknown) => Promise<{ status: number; json: any }>) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "outlast-queue-"));
  const server = await startServer({
    store: new Store({ dbPath: join(dir, "o.db"), lock: true }),
    port: 0,
    log: () => {},
    ...options,
  });
  const post = async (b: unknown) => {
    const r = await fetch(new URL("/api/runs", server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(b),
    });
    return { status: r.status, json: (await r.json()) as any };
  };
  try {
    await body(server, post);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function statusOf(server: RunningServer, id: string): Promise<{ status: string; error: string | null }> {
  return (await (await fetch(new URL(`/api/runs/${id}`, server.url))).json()) as {
    status: string;
    error: string | null;
  };
}

test("a run over the client's limit or the queue's is refused before its scenario is checked", async () => {
  let checks = 0;
  const counting: CheckFn = (text, file) => {
    checks++;
    return fakeCheck(text, file);
  };
  await withServer(
    { check: counting, simulate: fakeSimulate(5), maxActiveRuns: 1, maxRunsPerClient: 2, maxQueuedRuns: 3 },
    async (_server, post) => {
      assert.equal((await post({ text: goodText, paths: 2_000_000 })).status, 202);
      assert.equal((await post({ text: goodText, paths: 2_000_000 })).status, 202);
      const before = checks;
      const refused = await post({ text: goodText, paths: 2_000_000 });
      assert.equal(refused.status, 429);
      assert.match(refused.json.error, /2 runs queued or running, the limit per client/);
      // Even a scenario full of errors is not looked at once the limit is reached.
      assert.equal((await post({ text: "ERROR", paths: 10 })).status, 429);
      assert.equal(checks, before);
    },
  );
});

test("a queued run can be cancelled before it starts", async () => {
  await withServer({ check: fakeCheck, simulate: fakeSimulate(5), maxActiveRuns: 1 }, async (server, post) => {
    const first = await post({ text: goodText, paths: 2_000_000 });
    const second = await post({ text: goodText, paths: 2_000_000 });
    assert.equal(second.json.status, "queued");
    const cancelled = await fetch(new URL(`/api/runs/${second.json.id}`, server.url), { method: "DELETE" });
    assert.equal(((await cancelled.json()) as { status: string }).status, "cancelled");
    await fetch(new URL(`/api/runs/${first.json.id}`, server.url), { method: "DELETE" });
  });
});

test("the time limit terminates a run's thread in the middle of a chunk", async () => {
  const openai = readFileSync(fileURLToPath(new URL("../../scenarios/openai-2024.yaml", import.meta.url)), "utf8");
  await withServer({ runTimeoutMs: 3000 }, async (server, post) => {
    const text = openai.replace(/^horizon:.*$/m, "horizon: 1200");
    const started = await post({ text, paths: 2_000_000, seed: 1 });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    let record = await statusOf(server, started.json.id);
    for (let i = 0; (record.status === "queued" || record.status === "running") && i < 1200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      record = await statusOf(server, started.json.id);
    }
    assert.equal(record.status, "failed");
    assert.match(record.error ?? "", /stopped after 3 s \(the server's time limit for a run\)/);
  });
});
