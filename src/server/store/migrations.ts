// The store's schema, as the list of steps that build it. Each entry moves the schema from
// version i to i + 1; append, never edit a shipped one. `migrate` applies the missing ones in one
// BEGIN IMMEDIATE transaction when a store opens.

import type Database from "better-sqlite3";

export const migrations: readonly string[] = [
  `CREATE TABLE scenarios (
     id TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     deleted_at TEXT
   );
   CREATE TABLE scenario_versions (
     scenario_id TEXT NOT NULL REFERENCES scenarios(id),
     version INTEGER NOT NULL,
     name TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (scenario_id, version)
   );
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     scenario_id TEXT NOT NULL,
     scenario_version INTEGER NOT NULL,
     scenario_sha256 TEXT NOT NULL,
     scenario_text TEXT,
     seed INTEGER NOT NULL,
     paths INTEGER NOT NULL,
     levers TEXT NOT NULL,
     fixed TEXT NOT NULL,
     status TEXT NOT NULL,
     summary TEXT,
     error TEXT,
     created_at TEXT NOT NULL,
     finished_at TEXT
   );
   CREATE INDEX runs_by_scenario ON runs (scenario_id, created_at);`,
  // The list's summaries kept on the scenario itself (its latest version, name and date, and the
  // order of its last save), so a page is read from one index instead of finding every
  // scenario's latest version (and walking past each text) on each call.
  `ALTER TABLE scenarios ADD COLUMN latest_version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE scenarios ADD COLUMN name TEXT NOT NULL DEFAULT '';
   ALTER TABLE scenarios ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
   ALTER TABLE scenarios ADD COLUMN touched INTEGER NOT NULL DEFAULT 0;
   UPDATE scenarios SET
     latest_version = (SELECT MAX(version) FROM scenario_versions WHERE scenario_id = scenarios.id),
     name = (SELECT name FROM scenario_versions WHERE scenario_id = scenarios.id ORDER BY version DESC LIMIT 1),
     updated_at = (SELECT created_at FROM scenario_versions WHERE scenario_id = scenarios.id ORDER BY version DESC LIMIT 1),
     touched = (SELECT MAX(rowid) FROM scenario_versions WHERE scenario_id = scenarios.id);
   CREATE INDEX scenarios_by_touch ON scenarios (touched);`,
  // Run summaries as UTF-8 bytes (a BLOB), so the server reads and sends one as it is stored,
  // a copy of bytes, instead of decoding megabytes of text and encoding them again.
  `UPDATE runs SET summary = CAST(summary AS BLOB) WHERE typeof(summary) = 'text';`,
];

/** The schema version of an open database (0 for a new one). */
export function schemaVersion(db: Database.Database): number {
  const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
  return row?.version ?? 0;
}

/** Brings the schema up to date, or throws when the database is newer than this outlast. */
export function migrate(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const apply = db.transaction(() => {
    let current = schemaVersion(db);
    if (current === 0 && !db.prepare("SELECT 1 FROM schema_version").get()) {
      db.prepare("INSERT INTO schema_version (version) VALUES (0)").run();
    }
    if (current > migrations.length) {
      throw new Error(`database schema version ${current} is newer than this outlast (${migrations.length})`);
    }
    for (; current < migrations.length; current++) {
      db.exec(migrations[current]!);
      db.prepare("UPDATE schema_version SET version = ?").run(current + 1);
    }
  });
  apply.immediate();
}
