// A run's summary written by the run's own job thread, on a connection of its own, so the
// megabytes of a large run's summary never pass through the HTTP thread or stall it while SQLite
// writes and syncs them. The HTTP thread writes the run's status afterwards (RunStore.finish,
// which keeps this summary).

import Database from "better-sqlite3";

const connections = new Map<string, Database.Database>();

function connectionTo(dbPath: string): Database.Database {
  let db = connections.get(dbPath);
  if (!db?.open) {
    db = new Database(dbPath, { fileMustExist: true });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    connections.set(dbPath, db);
  }
  return db;
}

/** Stores `json` as run `runId`'s summary, in one BEGIN IMMEDIATE transaction. */
export function writeRunSummary(dbPath: string, runId: string, json: string): void {
  const db = connectionTo(dbPath);
  const update = db.prepare("UPDATE runs SET summary = ? WHERE id = ?");
  db.transaction(() => update.run(Buffer.from(json), runId)).immediate();
}
