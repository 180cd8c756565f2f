// One writer per database and storage errors an operator can act on: a second `outlast serve`
// on the same --db refuses to start, naming the first one's PID and port; 100 concurrent PUTs
// to one scenario all succeed with 100 distinct versions; a full disk answers 507 naming the
// database; a database the server may not write stops it at start with the path and the
// permission (exit 1, not "a bug in outlast").

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer } from "../../src/server/http.js";
import { DatabaseInUseError } from "../../src/server/db-lock.js";
import { Store } from "../../src/server/store.js";
import { StorageAccessError } from "../../src/server/storage-errors.js";
import { fakeCheck, fakeSimulate, goodText } from "./fixtures/fakes.js";
import { serveChild } from "./serve-child.js";

const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

test("a second server on the same database refuses, naming the first one's PID and port", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-lock-"));
  const db = join(dir, "o.db");
  const first = serveChild(db);
  try {
    const url = await first.url;
    const port = new URL(url).port;
    const second = serveChild(db);
    const failure = await second.url.then(
      () => assert.fail("the second server started"),
      (err: Error & { code: number }) => err,
    );
    assert.equal(failure.code, 1);
    assert.match(failure.message, new RegExp(`PID ${first.child.pid}, port ${port}`));
    assert.match(failure.message, /o\.db/);
    // The first server is untouched and still answers.
    assert.equal((await fetch(new URL("/api/scenarios", url))).status, 200);
  } finally {
    first.child.kill("SIGTERM");
    await new Promise((r) => (first.child.exitCode !== null ? r(null) : first.child.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the lock is taken in-process too, and released on close", () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-lock-"));
  try {
    const db = join(dir, "o.db");
    const a = new Store({ dbPath: db, lock: true });
    a.lock!.setAddress(4873, "127.0.0.1");
    // Same process: a stale-looking lock of our own PID is not "another server"; fake a live one.
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.ppid, port: 4873, host: "127.0.0.1", startedAt: "" }));
    assert.throws(() => new Store({ dbPath: db, lock: true }), DatabaseInUseError);
    a.close();
    // A lock left by a process that is gone is taken over.
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 2 ** 22 + 7, port: 1, host: null, startedAt: "" }));
    new Store({ dbPath: db, lock: true }).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("100 concurrent PUTs to one scenario give 100 successes and 100 distinct versions", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-puts-"));
  const server = await startServer({
    store: new Store({ dbPath: join(dir, "o.db"), lock: true }),
    check: fakeCheck,
    simulate: fakeSimulate(),
    port: 0,
  });
  try {
    const api = (method: string, path: string, body?: unknown) =>
      fetch(new URL(path, server.url), {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const { id } = (await (await api("POST", "/api/scenarios", { text: goodText })).json()) as { id: string };
    const puts = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api("PUT", `/api/scenarios/${id}`, { text: `${goodText}# ${i}\n` })),
    );
    assert.deepEqual(
      puts.map((r) => r.status),
      Array(100).fill(200),
    );
    const versions = await Promise.all(puts.map(async (r) => ((await r.json()) as { version: number }).version));
    assert.equal(new Set(versions).size, 100);
    assert.deepEqual(
      versions.sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a full disk answers 507 with 'disk full' and the database's path; reads still work", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-full-"));
  const dbPath = join(dir, "o.db");
  const store = new Store({ dbPath });
  const server = await startServer({ store, check: fakeCheck, simulate: fakeSimulate(), port: 0, log: () => {} });
  try {
    // SQLite's own cap on the file's pages stands in for the disk: SQLITE_FULL either way.
    const pages = store.db.pragma("page_count", { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const r = await fetch(new URL("/api/scenarios", server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: goodText + `# ${"x".repeat(60_000)}\n` }),
    });
    assert.equal(r.status, 507);
    const body = (await r.json()) as { error: string; path: string };
    assert.match(body.error, /disk full/);
    assert.equal(body.path, dbPath);
    assert.ok(body.error.includes(dbPath));
    assert.equal((await fetch(new URL("/api/scenarios", server.url))).status, 200);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a database it may not write stops `outlast serve` at start, naming the path and the permission (exit 1)", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-ro-"));
  try {
    const sub = join(dir, "data");
    mkdirSync(sub);
    const db = join(sub, "o.db");
    new Store({ dbPath: db }).close();
    chmodSync(db, 0o444);
    chmodSync(sub, 0o555);
    chmodSync(dir, 0o755);
    // root may write anything: run the server as nobody, who may read the checkout but not this.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) assert.throws(() => new Store({ dbPath: db }), StorageAccessError);
    const r = spawnSync(process.execPath, ["--import", "tsx", main, "serve", "--port", "0", "--db", db], {
      encoding: "utf8",
      timeout: 60_000,
      ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: dir } } : {}),
    });
    if (asRoot && /EACCES|permission denied/i.test(r.stderr) && !r.stderr.includes(db)) {
      t.skip(`nobody cannot run node from this checkout: ${r.stderr.split("\n")[0]}`);
      return;
    }
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot write the database ${db.replace(/[.]/g, "\\.")} \\(mode 0444\\)`));
    assert.match(r.stderr, /read and write permission/);
    assert.doesNotMatch(r.stderr, /bug in outlast/);
  } finally {
    chmodSync(join(dir, "data"), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
