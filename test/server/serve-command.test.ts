// `outlast serve` as a user runs it: a child process on a free port with --db, printing its
// address; then the real checker and engine behind the API (a server run, the XLSX export).

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { serveChild } from "./serve-child.js";

test("outlast serve --port 0 --db FILE prints its address and serves the API with the real engine", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-serve-"));
  const db = join(dir, "sub", "my.db");
  const server = serveChild(db);
  const child = server.child;
  try {
    const url = await server.url;
    assert.ok(existsSync(db), "the database is created at --db");

    const list = (await (await fetch(new URL("/api/scenarios", url))).json()) as { id: string }[];
    assert.ok(list.some((s) => s.id === "builtin:openai-2024"));

    const bad = await fetch(new URL("/api/check", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        text: "name: x\nstart: 2024-07\nhorizon: 12\nseries:\n  cash: {start: 1, change: revnue}\nalive: cash >= 0\n",
      }),
    });
    const checked = (await bad.json()) as {
      ok: boolean;
      diagnostics: { code: string; line: number; column: number }[];
    };
    assert.equal(checked.ok, false);
    assert.ok(
      checked.diagnostics.some((d) => d.line === 5),
      JSON.stringify(checked.diagnostics),
    );

    const started = performance.now();
    const run = (await (
      await fetch(new URL("/api/runs", url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scenarioId: "builtin:openai-2024", paths: 20_000, seed: 3, levers: ["funding"] }),
      })
    ).json()) as { id: string };
    let record: { status: string; summary: { survival: { alive: number }[]; levers: string[] } | null };
    do {
      await new Promise((r) => setTimeout(r, 50));
      record = (await (await fetch(new URL(`/api/runs/${run.id}`, url))).json()) as typeof record;
    } while (record.status === "running" && performance.now() - started < 60_000);
    assert.equal(record.status, "done");
    assert.deepEqual(record.summary!.levers, ["funding"]);
    const s24 = record.summary!.survival[23]!.alive;
    assert.ok(s24 >= 0 && s24 <= 1);

    const xlsx = await fetch(new URL("/api/export/xlsx", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ result: record.summary }),
    });
    assert.equal(xlsx.status, 200);
    assert.equal(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
      "PK",
    );
    const junk = await fetch(new URL("/api/export/xlsx", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ result: { survival: 3 } }),
    });
    assert.equal(junk.status, 422);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
});
