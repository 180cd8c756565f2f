// The SQLite store on its own: schema version and migration on reopen, history, runs.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultDbPath, Store } from "../../src/server/store.js";

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "outlast-store-"));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the default path follows XDG_DATA_HOME, else ~/.local/share", () => {
  assert.equal(defaultDbPath({ XDG_DATA_HOME: "/x/data" }), "/x/data/outlast/outlast.db");
  assert.match(defaultDbPath({}), /\/\.local\/share\/outlast\/outlast\.db$/);
});

test("a new database gets the schema; reopening keeps data and version; WAL is on", () => {
  withDir((dir) => {
    const dbPath = join(dir, "nested", "outlast.db");
    const store = new Store({ dbPath, builtinDir: dir });
    assert.equal(store.schemaVersion(), 1);
    assert.equal(store.db.pragma("journal_mode", { simple: true }), "wal");
    const s = store.createScenario("a", "text 1");
    store.updateScenario(s.id, "a", "text 2");
    store.close();
    const again = new Store({ dbPath, builtinDir: dir });
    assert.equal(again.schemaVersion(), 1);
    assert.deepEqual(
      again.listVersions(s.id).map((v) => v.text),
      ["text 2", "text 1"],
    );
    again.close();
  });
});

test("a run keeps what reproduces it: scenario version, text hash, seed, paths, levers, fixed", () => {
  withDir((dir) => {
    const store = new Store({ dbPath: join(dir, "o.db"), builtinDir: dir });
    const s = store.createScenario("a", "v1");
    store.updateScenario(s.id, "a", "v2");
    const run = store.createRun({
      scenarioId: s.id,
      scenarioVersion: 1,
      scenarioText: "v1",
      seed: 42,
      paths: 1000,
      levers: ["x"],
      fixed: { g: 0.1 },
    });
    assert.equal(run.status, "running");
    store.finishRun(run.id, "done", { survival: [] });
    const back = store.getRun(run.id);
    assert.deepEqual(
      [back.status, back.seed, back.paths, back.levers, back.fixed],
      ["done", 42, 1000, ["x"], { g: 0.1 }],
    );
    assert.deepEqual(back.summary, { survival: [] });
    assert.equal(store.runScenarioText(run.id), "v1");
    assert.equal(store.markInterruptedRuns(), 0);
    store.close();
  });
});
