// The built command line (dist/bin/main.js, bundled by scripts/postbuild.mjs) as `npm start`
// and the `outlast` bin run it: the same bytes as the sources, its worker threads found beside
// it, and the server's job workers too. `npm install` builds it (the prepare script).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { serveChild } from "../server/serve-child.js";
import { root, runCli } from "./run-cli.js";

const bin = join(root, "dist/bin/main.js");

function runBin(args: string[]) {
  assert.ok(existsSync(bin), "dist/bin/main.js is missing: run `npm run build`");
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the bundled CLI gives the sources' bytes, on 2 worker threads, and its version", () => {
  const args = ["run", "startup", "--paths", "6000", "--seed", "4", "--json", "--threads", "2"];
  const built = runBin(args);
  assert.equal(built.code, 0, built.stderr);
  const source = runCli(args);
  assert.equal(source.code, 0, source.stderr);
  assert.equal(built.stdout, source.stdout);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  assert.equal(runBin(["--version"]).stdout.trim(), pkg.version);
  const checked = runBin(["check", "openai-2024"]);
  assert.equal(checked.code, 0, checked.stderr);
});

test("the bundle reads the Sobol' table from its data file: no chunk of JavaScript holds it", () => {
  assert.ok(existsSync(bin), "dist/bin/main.js is missing: run `npm run build`");
  const data = readFileSync(join(root, "src/engine/qmc/joe-kuo.txt"), "latin1");
  assert.equal(readFileSync(join(root, "dist/bin/joe-kuo.txt"), "latin1"), data);
  assert.equal(readFileSync(join(root, "dist/engine/qmc/joe-kuo.txt"), "latin1"), data);
  const lastLine = data.trimEnd().split("\n").at(-1)!;
  for (const file of readdirSync(join(root, "dist/bin")).filter((f) => f.endsWith(".js")))
    assert.ok(!readFileSync(join(root, "dist/bin", file), "latin1").includes(lastLine), `${file} holds the table`);
  // (The first test's rqmc runs read the file, on this thread and on a worker.)
});

test("the bundled CLI serves: the page, a check and a run on the job workers", async () => {
  assert.ok(existsSync(bin), "dist/bin/main.js is missing: run `npm run build`");
  const db = join(mkdtempSync(join(tmpdir(), "outlast-bin-")), "x.db");
  const server = serveChild(db, [bin]);
  const child = server.child;
  try {
    const url = await server.url;
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const post = (path: string, body: unknown) =>
      fetch(new URL(path, url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const checked = (await (
      await post("/api/check", {
        text: "name: x\nstart: 2024-07\nhorizon: 12\nseries:\n  cash: {start: 1, change: revnue}\n",
      })
    ).json()) as { ok: boolean };
    assert.equal(checked.ok, false);
    const run = (await (await post("/api/runs", { scenarioId: "builtin:startup", paths: 5000, seed: 3 })).json()) as {
      id: string;
    };
    let record: { status: string };
    const started = performance.now();
    do {
      await new Promise((r) => setTimeout(r, 50));
      record = (await (await fetch(new URL(`/api/runs/${run.id}`, url))).json()) as typeof record;
    } while (["queued", "running"].includes(record.status) && performance.now() - started < 60_000);
    assert.equal(record.status, "done");
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
});
