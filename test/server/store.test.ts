// The SQLite store on its own: schema version and migration on reopen, history, runs.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { defaultDbPath, migrations, Store } from "../../src/server/store.js";
import { writeRunSummary } from "../../src/server/store/summary-writer.js";

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
    assert.equal(store.schemaVersion(), migrations.length);
    assert.equal(store.db.pragma("journal_mode", { simple: true }), "wal");
    const s = store.createScenario("a", "text 1");
    store.updateScenario(s.id, "a", "text 2");
    store.close();
    const again = new Store({ dbPath, builtinDir: dir });
    assert.equal(again.schemaVersion(), migrations.length);
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

test("the list is paged summaries, the latest saved first, and a save moves a scenario to the top", () => {
  withDir((dir) => {
    const store = new Store({ dbPath: join(dir, "o.db"), builtinDir: dir });
    const ids = ["a", "b", "c", "d", "e"].map((n) => store.createScenario(n, `text ${n}`).id);
    store.updateScenario(ids[1]!, "b2", "text b2");
    const first = store.listScenarioPage({ limit: 2, offset: 0 });
    assert.equal(first.total, 5);
    assert.deepEqual(
      first.items.map((s) => [s.name, s.version]),
      [
        ["b2", 2],
        ["e", 1],
      ],
    );
    assert.ok(first.items.every((s) => !("text" in s)));
    const rest = store.listScenarioPage({ limit: 10, offset: 2 });
    assert.deepEqual(
      rest.items.map((s) => s.name),
      ["d", "c", "a"],
    );
    assert.deepEqual(
      store.listScenarioPage({ query: "B", limit: 10, offset: 0 }).items.map((s) => s.name),
      ["b2"],
    );
    assert.equal(store.listScenarioPage({ query: "%", limit: 10, offset: 0 }).total, 0);
    store.deleteScenario(ids[0]!);
    assert.equal(store.listScenarioPage({ limit: 10, offset: 0 }).total, 4);
    store.close();
  });
});

test("a database of schema 1 gets the list's summaries from its versions when migrated", () => {
  withDir((dir) => {
    const dbPath = join(dir, "old.db");
    const old = new Database(dbPath);
    old.exec(migrations[0]!);
    old.exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);");
    old.exec(`INSERT INTO scenarios (id, created_at) VALUES ('s1', '2024-01-01'), ('s2', '2024-02-01');
      INSERT INTO scenario_versions VALUES ('s1', 1, 'one', 't', '2024-01-01'), ('s2', 1, 'two', 't', '2024-02-01'),
        ('s1', 2, 'one v2', 't2', '2024-03-01');`);
    old.close();
    const store = new Store({ dbPath, builtinDir: dir });
    assert.equal(store.schemaVersion(), migrations.length);
    assert.deepEqual(
      store.listScenarioPage({ limit: 10, offset: 0 }).items.map((s) => [s.id, s.name, s.version, s.updatedAt]),
      [
        ["s1", "one v2", 2, "2024-03-01"],
        ["s2", "two", 1, "2024-02-01"],
      ],
    );
    store.close();
  });
});

test("a run's summary is stored as bytes and sent as stored; one its job thread wrote is kept by the end's write", () => {
  withDir((dir) => {
    const dbPath = join(dir, "o.db");
    const store = new Store({ dbPath, builtinDir: dir });
    const newRun = { scenarioId: "unsaved", scenarioVersion: 0, scenarioText: "t", seed: 1, paths: 10, levers: [] };
    const a = store.createRun({ ...newRun, fixed: {} }, "queued");
    // A summary whose text is not what JSON.stringify would write back (spacing, key order).
    const text = '{"b": 1,  "a": [0.1, 2e-7], "é": "✓"}';
    store.finishRun(a.id, "done", text);
    const { typeof: kind } = store.db.prepare("SELECT typeof(summary) AS typeof FROM runs WHERE id = ?").get(a.id) as {
      typeof: string;
    };
    assert.equal(kind, "blob");
    const sent = store.getRunJson(a.id, { progress: null }).toString("utf8");
    assert.ok(sent.endsWith(`"progress":null,"summary":${text}}`), sent);
    assert.deepEqual(JSON.parse(sent).summary, { b: 1, a: [0.1, 2e-7], é: "✓" });
    assert.equal(store.getRun(a.id, false).summary, null, "no summary parsed when not asked for");

    // The job thread's own connection writes the summary; the status written after keeps it.
    const b = store.createRun({ ...newRun, fixed: {} }, "queued");
    writeRunSummary(dbPath, b.id, '{"partial":true}');
    store.finishRun(b.id, "cancelled", undefined);
    assert.deepEqual([store.getRun(b.id).status, store.getRun(b.id).summary], ["cancelled", { partial: true }]);
    store.close();
  });
});

test("summaries stored as text by an older outlast become bytes when the database is migrated", () => {
  withDir((dir) => {
    const dbPath = join(dir, "old.db");
    const old = new Database(dbPath);
    old.exec(migrations[0]!);
    old.exec(migrations[1]!);
    old.exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (2);");
    old.exec(`INSERT INTO runs (id, scenario_id, scenario_version, scenario_sha256, seed, paths, levers, fixed, status,
      summary, created_at) VALUES ('r1', 'unsaved', 0, 'x', 1, 10, '[]', '{}', 'done', '{"paths":10}', '2024-01-01')`);
    old.close();
    const store = new Store({ dbPath, builtinDir: dir });
    const row = store.db.prepare("SELECT typeof(summary) AS kind FROM runs").get() as { kind: string };
    assert.equal(row.kind, "blob");
    assert.match(store.getRunJson("r1").toString(), /"summary":\{"paths":10\}\}$/);
    assert.deepEqual(store.getRun("r1").summary, { paths: 10 });
    store.close();
  });
});
