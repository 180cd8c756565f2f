// The JSON API against a real server on a free port with a temporary database.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { Store } from "../../src/server/store.js";
import { fakeCheck, fakeSimulate, goodText } from "./fixtures/fakes.js";

let server: RunningServer;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "outlast-api-"));
  const builtinDir = join(dir, "scenarios");
  mkdirSync(builtinDir);
  writeFileSync(join(builtinDir, "demo.yaml"), "name: Demo built-in\nhorizon: 12\n");
  const webRoot = join(dir, "web");
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>outlast</title>");
  writeFileSync(join(dir, "secret.txt"), "do not serve");
  server = await startServer({
    store: new Store({ dbPath: join(dir, "db", "outlast.db"), builtinDir }),
    check: fakeCheck,
    simulate: fakeSimulate(2),
    webRoot,
    port: 0,
    maxPaths: 2_000_000,
    maxBodyBytes: 64 * 1024,
    log: () => {},
  });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const response = await fetch(new URL(path, server.url), init);
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as any) : null, text };
}

describe("scenarios", () => {
  test("create, read, update keeps every version, list, delete", async () => {
    const created = await api("POST", "/api/scenarios", { name: "Mine", text: goodText });
    assert.equal(created.status, 201);
    assert.equal(created.json.version, 1);
    const id = created.json.id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);

    const updated = await api("PUT", `/api/scenarios/${id}`, { name: "Mine v2", text: goodText + "# edit\n" });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.version, 2);

    const read = await api("GET", `/api/scenarios/${id}`);
    assert.equal(read.json.name, "Mine v2");
    assert.equal(read.json.text, goodText + "# edit\n");

    const versions = await api("GET", `/api/scenarios/${id}/versions`);
    assert.deepEqual(
      versions.json.map((v: any) => [v.version, v.name]),
      [
        [2, "Mine v2"],
        [1, "Mine"],
      ],
    );
    assert.equal(versions.json[1].text, goodText);
    const v1 = await api("GET", `/api/scenarios/${id}/versions/1`);
    assert.equal(v1.json.text, goodText);

    const found = await api("GET", "/api/scenarios?q=mine%20v2");
    assert.deepEqual(
      found.json.map((s: any) => s.id),
      [id],
    );

    assert.equal((await api("DELETE", `/api/scenarios/${id}`)).status, 204);
    assert.equal((await api("GET", `/api/scenarios/${id}`)).status, 404);
    assert.equal((await api("DELETE", `/api/scenarios/${id}`)).status, 404);
  });

  test("the name defaults to the scenario's own name", async () => {
    const created = await api("POST", "/api/scenarios", { text: goodText });
    assert.equal(created.json.name, "Fake");
  });

  test("built-ins are listed read-only and can be copied", async () => {
    const list = await api("GET", "/api/scenarios");
    const builtin = list.json.find((s: any) => s.id === "builtin:demo");
    assert.ok(builtin);
    assert.equal(builtin.builtin, true);
    assert.equal(builtin.name, "Demo built-in");
    assert.equal((await api("PUT", "/api/scenarios/builtin:demo", { text: goodText })).status, 403);
    assert.equal((await api("DELETE", "/api/scenarios/builtin:demo")).status, 403);
    const copy = await api("POST", "/api/scenarios/builtin:demo/copy", { name: "My demo" });
    assert.equal(copy.status, 201);
    assert.equal(copy.json.builtin, false);
    assert.equal(copy.json.text, "name: Demo built-in\nhorizon: 12\n");
    const bare = await api("POST", "/api/scenarios/builtin:demo/copy");
    assert.equal(bare.status, 201);
    assert.equal(bare.json.name, "Demo built-in (copy)");
  });

  test("an invalid scenario is 422 with its diagnostics' line and column", async () => {
    const bad = await api("POST", "/api/scenarios", { text: "name: x\nparams:\n  a: ERROR + 1\n" });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.diagnostics.length, 1);
    assert.deepEqual(
      [bad.json.diagnostics[0].code, bad.json.diagnostics[0].line, bad.json.diagnostics[0].column],
      ["unknown_name", 3, 6],
    );
  });

  test("/api/check returns diagnostics without saving", async () => {
    const ok = await api("POST", "/api/check", { text: goodText });
    assert.deepEqual(ok.json, { ok: true, diagnostics: [] });
    const bad = await api("POST", "/api/check", { text: "ERROR" });
    assert.equal(bad.status, 200);
    assert.equal(bad.json.ok, false);
    assert.equal(bad.json.diagnostics[0].line, 1);
  });
});

describe("bad requests never crash the server", () => {
  test("malformed JSON is 400", async () => {
    const r = await api("POST", "/api/scenarios", "{not json");
    assert.equal(r.status, 400);
    assert.match(r.json.error, /malformed JSON/);
    assert.equal((await api("POST", "/api/scenarios", "[1,2]")).status, 400);
    assert.equal((await api("POST", "/api/scenarios", { text: 42 })).status, 400);
  });

  test("a body over the limit is 413", async () => {
    const r = await api("POST", "/api/scenarios", { text: "x".repeat(100 * 1024) });
    assert.equal(r.status, 413);
  });

  test("a write not sent as JSON is 415", async () => {
    const r = await api("POST", "/api/scenarios", "text=1", { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(r.status, 415);
  });

  test("unknown ids and routes are 404", async () => {
    assert.equal((await api("GET", "/api/scenarios/nope")).status, 404);
    assert.equal((await api("GET", "/api/scenarios/builtin:nope")).status, 404);
    assert.equal((await api("GET", "/api/scenarios/builtin:..%2F..%2Fsecret")).status, 404);
    assert.equal((await api("GET", "/api/runs/nope")).status, 404);
    assert.equal((await api("DELETE", "/api/runs/nope")).status, 404);
    assert.equal((await api("GET", "/api/nothing")).status, 404);
  });

  test("static files never leave the web root", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt"]) {
      const r = await fetch(new URL(path, server.url));
      const text = await r.text();
      assert.doesNotMatch(text, /do not serve/, path);
    }
    const index = await fetch(server.url);
    assert.match(await index.text(), /<title>outlast/);
  });

  test("still answers after all of that", async () => {
    assert.equal((await api("GET", "/api/scenarios")).status, 200);
  });
});

describe("runs", () => {
  test("a run saves its scenario version, seed, paths, levers and summary", async () => {
    const s = await api("POST", "/api/scenarios", { text: goodText });
    // 4,096 paths: 16 replicates of 256 points under rqmc, the default sampling, so none are rounded.
    const started = await api("POST", "/api/runs", {
      scenarioId: s.json.id,
      paths: 4096,
      seed: 7,
      levers: ["funding"],
      fixed: { growth: 0.05 },
    });
    assert.equal(started.status, 202);
    const id = started.json.id;
    let run = started.json;
    for (let i = 0; i < 200 && run.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      run = (await api("GET", `/api/runs/${id}`)).json;
    }
    assert.equal(run.status, "done");
    assert.deepEqual(
      [run.scenarioId, run.scenarioVersion, run.seed, run.paths, run.levers, run.fixed],
      [s.json.id, 1, 7, 4096, ["funding"], { growth: 0.05 }],
    );
    assert.equal(run.summary.paths, 4096);
    assert.equal(run.progress.pathsDone, 4096);
    const listed = await api("GET", `/api/runs?scenario=${s.json.id}`);
    assert.deepEqual(
      listed.json.map((r: any) => r.id),
      [id],
    );
  });

  test("a run takes the sampling and replicates it is given", async () => {
    const wait = async (id: string) => {
      let run = (await api("GET", `/api/runs/${id}`)).json;
      for (let i = 0; i < 400 && run.status === "running"; i++) {
        await new Promise((r) => setTimeout(r, 10));
        run = (await api("GET", `/api/runs/${id}`)).json;
      }
      return run;
    };
    // The fake engine echoes what it was asked (the engine's own rounding is tested in test/engine).
    const post = async (body: object) =>
      wait((await api("POST", "/api/runs", { text: goodText, paths: 5000, ...body })).json.id);
    const mc = await post({ sampling: "mc" });
    assert.deepEqual([mc.summary.sampling, mc.summary.replicates], ["mc", null]);
    const lhs = await post({ sampling: "lhs", replicates: 8 });
    assert.deepEqual([lhs.summary.sampling, lhs.summary.replicates], ["lhs", 8]);
  });

  test("progress is reported and a run can be cancelled", async () => {
    const started = await api("POST", "/api/runs", { text: goodText, paths: 1_000_000 });
    assert.equal(started.status, 202);
    const id = started.json.id;
    let progress = 0;
    for (let i = 0; i < 200 && progress === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      progress = (await api("GET", `/api/runs/${id}`)).json.progress.pathsDone;
    }
    assert.ok(progress > 0 && progress < 1_000_000, `progress ${progress}`);
    const cancelled = await api("DELETE", `/api/runs/${id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.json.status, "cancelled");
    assert.equal(cancelled.json.summary.partial, true);
    assert.ok(cancelled.json.summary.paths < 1_000_000);
  });

  test("path counts over the cap, unknown levers and bad seeds are 422", async () => {
    const over = await api("POST", "/api/runs", { text: goodText, paths: 2_000_001 });
    assert.equal(over.status, 422);
    assert.match(over.json.error, /cap of 2000000/);
    assert.equal((await api("POST", "/api/runs", { text: goodText, paths: 0 })).status, 422);
    assert.equal((await api("POST", "/api/runs", { text: goodText, paths: 1.5 })).status, 422);
    assert.equal((await api("POST", "/api/runs", { text: goodText, seed: -1 })).status, 422);
    assert.equal((await api("POST", "/api/runs", { text: goodText, paths: 10, sampling: "qmc" })).status, 422);
    assert.equal((await api("POST", "/api/runs", { text: goodText, paths: 10, replicates: 4 })).status, 422);
    const lever = await api("POST", "/api/runs", { text: goodText, paths: 10, levers: ["nope"] });
    assert.equal(lever.status, 422);
    assert.deepEqual(lever.json.levers, ["funding", "microsoft"]);
    assert.equal((await api("POST", "/api/runs", { text: goodText, paths: 10, fixed: { nope: 1 } })).status, 422);
    assert.equal((await api("POST", "/api/runs", { text: "ERROR", paths: 10 })).status, 422);
    assert.equal((await api("POST", "/api/runs", { scenarioId: "nope", paths: 10 })).status, 404);
  });
});

describe("concurrency", () => {
  test("fifty concurrent saves lose nothing", async () => {
    const s = await api("POST", "/api/scenarios", { name: "busy", text: goodText });
    const id = s.json.id;
    const creates = Array.from({ length: 50 }, (_, i) =>
      api("POST", "/api/scenarios", { name: `c${i}`, text: goodText }),
    );
    const updates = Array.from({ length: 50 }, (_, i) =>
      api("PUT", `/api/scenarios/${id}`, { text: goodText + `# ${i}\n` }),
    );
    const results = await Promise.all([...creates, ...updates]);
    assert.ok(results.every((r) => r.status === 201 || r.status === 200));
    const versions = (await api("GET", `/api/scenarios/${id}/versions`)).json;
    assert.equal(versions.length, 51);
    assert.deepEqual(
      versions.map((v: any) => v.version),
      Array.from({ length: 51 }, (_, i) => 51 - i),
    );
    const texts = new Set(versions.map((v: any) => v.text));
    assert.equal(texts.size, 51);
    const all = (await api("GET", "/api/scenarios")).json;
    for (let i = 0; i < 50; i++)
      assert.ok(
        all.some((x: any) => x.name === `c${i}`),
        `c${i} missing`,
      );
  });
});

describe("paging", () => {
  test("the list sends a page with X-Total-Count and a Link to the next page", async () => {
    const r = await fetch(new URL("/api/scenarios?limit=2&offset=0", server.url));
    const page = (await r.json()) as { id: string; text?: string }[];
    const total = Number(r.headers.get("x-total-count"));
    assert.equal(page.length, 2);
    assert.ok(total > 2);
    assert.ok(page.every((s) => s.text === undefined));
    assert.equal(r.headers.get("link"), '</api/scenarios?limit=2&offset=2>; rel="next"');
    const last = await fetch(new URL(`/api/scenarios?limit=2&offset=${total - 1}`, server.url));
    assert.equal(((await last.json()) as unknown[]).length, 1);
    assert.equal(last.headers.get("link"), null);
    assert.equal((await api("GET", "/api/scenarios?limit=0")).status, 400);
    assert.equal((await api("GET", "/api/scenarios?limit=abc")).status, 400);
  });
});
